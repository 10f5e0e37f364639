// Where `plan -o` and `init -o` may write. --force replaces only an earlier plan output that holds nothing
// plan did not write, never the working directory, its ancestors, / or $HOME (exit 2, nothing touched); `-o -`
// and `-o ''` are refused; a path that cannot be written is a one-line usage (exit 2) or environment (exit 4)
// error, never an internal one. File-system refusals are real: a non-root user (setpriv), a full and a
// read-only tmpfs (unshare -m), each running the built CLI.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { PLAN_MARKER } from "../../src/cli/commands/plan/write-directory.js";
import { outputTarget, writeFailure } from "../../src/cli/write-output.js";
import type { CliIo } from "../../src/cli/io.js";
import { ExitCode } from "../../src/errors.js";
import { CLI_MAIN, STACK_TRACE } from "../cli/run-cli.js";
import { runPullwarden, TESTDATA } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "pullwarden-plan-out-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LAYOUT = readFileSync(join(TESTDATA, "mixed-all/layout.yaml"), "utf8");
const OTHER_LAYOUT = readFileSync(join(TESTDATA, "ghcr/layout.yaml"), "utf8");

/** A project directory with data plan must never touch: a fake .git/, main.go and a subdirectory. */
let root: string;
let project: string;
let home: string;
let counter = 0;
beforeEach(() => {
  root = join(scratch, `t${++counter}`);
  project = join(root, "project");
  home = join(root, "home", "user");
  mkdirSync(join(project, ".git", "objects"), { recursive: true });
  writeFileSync(join(project, ".git", "HEAD"), "ref: refs/heads/main\n");
  writeFileSync(join(project, "main.go"), "package main\n");
  mkdirSync(join(project, "sub"));
  writeFileSync(join(project, "layout.yaml"), LAYOUT);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, ".bashrc"), "# mine\n");
});

/** Every file and directory under `dir`, recursively, with file contents: what "nothing touched" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name).slice(dir.length + 1);
    out[path] = entry.isFile() ? readFileSync(join(entry.parentPath, entry.name), "utf8") : "<dir>";
  }
  return out;
}

const plan = (args: readonly string[], cwd = project) =>
  runPullwarden(["plan", "-f", join(project, "layout.yaml"), ...args], { cwd, env: { HOME: home } });

async function expectRefused(args: readonly string[], message: RegExp, cwd = project): Promise<void> {
  const before = snapshot(root);
  const result = await plan(args, cwd);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.stderr.split("\n").filter((l) => l.startsWith("error:"))).toHaveLength(1);
  expect(result.code, result.stderr).toBe(ExitCode.usage);
  expect(result.stdout).toBe("");
  expect(snapshot(root)).toEqual(before);
}

describe("plan -o DIR --force replaces only an earlier plan output", () => {
  it("refuses the working directory: -o . (the reported data loss), -o '' and -o ./", async () => {
    await expectRefused(
      ["-o", ".", "--force"],
      /^error: refusing to replace \.: it is the working directory$/m,
    );
    await expectRefused(["-o", "./", "--force"], /refusing to replace \.: it is the working directory/);
    await expectRefused(["-o", "", "--force"], /^error: -o needs a path, not an empty string$/m);
    await expectRefused(["-o", " ", "--force"], /-o needs a path/);
    // Even a working directory that is itself a plan output: replacing it would pull the cwd from under the shell.
    const out = join(project, "out");
    expect((await plan(["-o", out])).code).toBe(0);
    await expectRefused(["-o", ".", "--force"], /refusing to replace \.: it is the working directory/, out);
  });

  it("refuses every ancestor of the working directory, /, $HOME and its ancestors", async () => {
    const sub = join(project, "sub");
    await expectRefused(
      ["-o", "..", "--force"],
      /refusing to replace \.\.: it contains the working directory/,
      sub,
    );
    await expectRefused(["-o", "../..", "--force"], /it contains the working directory/, sub);
    await expectRefused(["-o", "/", "--force"], /^error: refusing to replace \/: it is the root directory$/m);
    await expectRefused(
      ["-o", "~", "--force"],
      /refusing to replace .*home\/user: it is your home directory/,
    );
    await expectRefused(["-o", home, "--force"], /it is your home directory/);
    await expectRefused(["-o", join(root, "home"), "--force"], /it contains your home directory/);
    // The same directory through another spelling or a symlink in the path.
    await expectRefused(["-o", "../project", "--force"], /it is the working directory/);
    symlinkSync(root, join(scratch, `alias${counter}`));
    await expectRefused(
      ["-o", join(scratch, `alias${counter}`, "project"), "--force"],
      /it is the working directory/,
    );
  });

  it("refuses a directory plan did not write, naming what is in the way", async () => {
    mkdirSync(join(project, "deploy"));
    writeFileSync(join(project, "deploy", "app.yaml"), "kind: Deployment\n");
    await expectRefused(
      ["-o", "deploy", "--force"],
      /^error: refusing to replace deploy: it has no \.pullwarden-plan\.json, so pullwarden plan did not write it\nhint: --force replaces only a directory pullwarden plan wrote that holds nothing else: choose a new directory with -o\n$/,
    );
    mkdirSync(join(project, "empty"));
    await expectRefused(
      ["-o", "empty", "--force"],
      /refusing to replace empty: it has no \.pullwarden-plan\.json/,
    );
    // A symlink to a plan output is not replaced either (the link, or what it points to?).
    expect((await plan(["-o", "out"])).code).toBe(0);
    symlinkSync(join(project, "out"), join(project, "link"));
    await expectRefused(["-o", "link", "--force"], /^error: link exists and is not a directory$/m);
    await expectRefused(["-o", "main.go", "--force"], /^error: main\.go exists and is not a directory$/m);
  });

  it("refuses an earlier plan output that holds anything plan did not write, or a changed file", async () => {
    expect((await plan(["-o", "out"])).code).toBe(0);
    const out = join(project, "out");
    const readme = readFileSync(join(out, "README.md"), "utf8");

    writeFileSync(join(out, "rotate.log"), "log\n");
    await expectRefused(
      ["-o", "out", "--force"],
      /refusing to replace out: out\/rotate\.log was not written by pullwarden plan/,
    );
    rmSync(join(out, "rotate.log"));

    mkdirSync(join(out, "notes"));
    await expectRefused(["-o", "out", "--force"], /out\/notes was not written by pullwarden plan/);
    rmSync(join(out, "notes"), { recursive: true });

    writeFileSync(join(out, "README.md"), `${readme}my notes\n`);
    await expectRefused(
      ["-o", "out", "--force"],
      /out\/README\.md was changed after pullwarden plan wrote it/,
    );
    // Same size, other bytes.
    writeFileSync(join(out, "README.md"), readme.replace("#", "%"));
    await expectRefused(["-o", "out", "--force"], /out\/README\.md was changed/);
    writeFileSync(join(out, "README.md"), readme);

    const marker = readFileSync(join(out, PLAN_MARKER), "utf8");
    for (const forged of [
      "not json",
      JSON.stringify({ kind: "PlanOutput", files: {} }),
      marker.replace('"README.md"', '"../README.md"'),
      marker.replace(/"size": \d+/, '"size": "big"'),
    ]) {
      writeFileSync(join(out, PLAN_MARKER), forged);
      await expectRefused(
        ["-o", "out", "--force"],
        /its \.pullwarden-plan\.json was not written by pullwarden plan/,
      );
    }
  });

  it("without --force, an existing directory is refused; the hint offers --force only for a plan output", async () => {
    const plain = await plan(["-o", "sub"]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe(
      "error: sub already exists\nhint: plan writes into a new directory: choose another name with -o\n",
    );
    expect((await plan(["-o", "out"])).code).toBe(0);
    const again = await plan(["-o", "out"]);
    expect(again.stderr).toBe(
      "error: out already exists\nhint: choose a new directory, or add --force to replace this earlier plan output\n",
    );
  });

  it("replaces an untouched earlier plan output, removing its files one by one, and nothing else", async () => {
    expect((await plan(["-o", "out"])).code).toBe(0);
    const out = join(project, "out");
    rmSync(join(out, "README.md")); // a file plan wrote and the user removed: nothing is lost by replacing
    writeFileSync(join(project, "layout.yaml"), OTHER_LAYOUT);
    const before = snapshot(project);
    const result = await plan(["-o", "out", "--force"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^wrote \d+ files to out; next: read out\/README\.md/);
    const after = snapshot(project);
    for (const [path, content] of Object.entries(before)) {
      if (!path.startsWith("out")) expect(after[path], path).toBe(content);
    }
    expect(readFileSync(join(out, "README.md"), "utf8")).toContain("ghcr.io");
    expect(readdirSync(out).some((f) => f.endsWith("-aws-identity.sh"))).toBe(false);
    expect(readdirSync(project).sort()).toEqual([".git", "layout.yaml", "main.go", "out", "sub"]);
    // And again: the new output is itself replaceable.
    expect((await plan(["-o", "out", "--force"])).code).toBe(0);
    expect(readdirSync(project).sort()).toEqual([".git", "layout.yaml", "main.go", "out", "sub"]);
  });

  it("-o - is refused (a directory named - is never created); the summary is what goes to stdout", async () => {
    await expectRefused(
      ["-o", "-"],
      /^error: plan -o takes a directory; - \(standard output\) is not one\nhint: without -o/,
    );
    await expectRefused(["-o", "-", "--force"], /plan -o takes a directory/);
    const dashDir = await plan(["-o", "./-"]);
    expect(dashDir.code, dashDir.stderr).toBe(0);
    expect(readdirSync(join(project, "-"))).toContain("README.md");
  });
});

describe("a path that cannot be written is a one-line error, never an internal one", () => {
  it("plan and init under a regular file (ENOTDIR), in a missing directory (ENOENT): usage, exit 2", async () => {
    await expectRefused(
      ["-o", "main.go/plan"],
      /^error: cannot write main\.go\/plan: main\.go is not a directory\nhint: give a path inside an existing directory\n$/,
    );
    await expectRefused(
      ["-o", join(project, "main.go", "a", "b")],
      /cannot write .*main\.go\/a\/b: .*main\.go is not a directory/,
    );
    await expectRefused(
      ["-o", "missing/plan"],
      /^error: cannot write missing\/plan: the directory missing does not exist\nhint: create it first \(mkdir -p missing\), or choose another path\n$/,
    );
    for (const output of ["main.go/layout.yaml", "missing/layout.yaml", "", "sub"]) {
      const before = snapshot(root);
      const init = await runPullwarden(
        [
          "init",
          "--provider=other",
          "--cluster-name=c",
          "--registry=r.example.com",
          "--namespace=a",
          "-o",
          output,
        ],
        { cwd: project, env: { HOME: home } },
      );
      expect(init.code, `${output}: ${init.stderr}`).toBe(2);
      expect(init.stderr).toMatch(/^error: (cannot write|-o needs a path|sub is a directory)/);
      expect(init.stderr).not.toMatch(/internal error/);
      expect(snapshot(root)).toEqual(before);
    }
  });

  it("maps every file-system refusal to a usage or environment error with a hint", async () => {
    const io = { cwd: project, env: { HOME: home } } as unknown as CliIo;
    const target = outputTarget("out", io);
    const cases: Array<[string, number, RegExp]> = [
      ["EACCES", 4, /^cannot write out: permission denied in \.$/],
      ["EPERM", 4, /permission denied/],
      ["EROFS", 4, /^cannot write out: \. is on a read-only file system$/],
      ["ENOSPC", 4, /^cannot write out: no space left on the device; nothing was written$/],
      ["EDQUOT", 4, /disk quota exceeded/],
      ["EEXIST", 2, /^cannot write out: it appeared while being written; nothing was replaced$/],
      ["ENOTEMPTY", 2, /it appeared while being written/],
      ["ENAMETOOLONG", 2, /the path is too long/],
      ["ELOOP", 2, /symbolic link/],
      ["EIO", 4, /^cannot write out: EIO$/],
    ];
    for (const [code, exit, message] of cases) {
      const error = await writeFailure(target, Object.assign(new Error(`${code}: /secret/path`), { code }));
      expect(error.message, code).toMatch(message);
      expect(error.exitCode, code).toBe(exit);
      if (code !== "EIO") expect(error.hint, code).toBeTruthy();
    }
  });

  // The real thing: the built CLI as a non-root user, and on a full and a read-only tmpfs.
  function runBuilt(
    wrapper: readonly string[],
    script: string,
  ): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(wrapper[0] as string, [...wrapper.slice(1), "sh", "-c", script], {
      cwd: project,
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, CLI: CLI_MAIN },
      encoding: "utf8",
      timeout: 30_000,
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it("a directory the user cannot write (EACCES, setpriv to nobody): exit 4", () => {
    chmodSync(root, 0o755);
    chmodSync(scratch, 0o755);
    chmodSync(project, 0o755);
    const result = runBuilt(
      ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
      'node "$CLI" plan -f layout.yaml -o out',
    );
    expect(result.stderr).toBe(
      "error: cannot write out: permission denied in .\nhint: choose a directory you can write to, or fix its permissions\n",
    );
    expect(result.status).toBe(4);
    expect(readdirSync(project).sort()).toEqual([".git", "layout.yaml", "main.go", "sub"]);
  });

  it("a full file system (ENOSPC) and a read-only one (EROFS): exit 4, nothing left behind", () => {
    const mnt = join(project, "mnt");
    mkdirSync(mnt);
    const script = [
      `mount -t tmpfs -o size=8k tmpfs "${mnt}"`,
      `node "$CLI" plan -f layout.yaml -o mnt/plan; echo "exit=$?"; ls -A mnt`,
      `mount -o remount,ro "${mnt}"`,
      `node "$CLI" plan -f layout.yaml -o mnt/plan2; echo "exit=$?"`,
      `node "$CLI" init --provider=other --cluster-name=c --registry=r.example.com --namespace=a -o mnt/l.yaml; echo "exit=$?"`,
    ].join("\n");
    const result = runBuilt(["unshare", "-m"], script);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stderr).toBe(
      [
        "error: cannot write mnt/plan: no space left on the device; nothing was written",
        "hint: free some space, or choose a directory on another file system",
        "error: cannot write mnt/plan2: mnt is on a read-only file system",
        "hint: choose a directory on a writable file system",
        "error: cannot write mnt/l.yaml: mnt is on a read-only file system",
        "hint: choose a directory on a writable file system",
        "",
      ].join("\n"),
    );
    // The full disk keeps nothing: no partial directory, no temporary one.
    expect(result.stdout).toBe("exit=4\nexit=4\nexit=4\n");
  });
});
