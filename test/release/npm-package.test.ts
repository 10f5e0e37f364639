// The npm package as a user installs it: `npm pack` of this checkout (dist/ as built), `npm install -g` of the
// tarball into an empty prefix, the installed executables run from that prefix's bin/ (a file missing from
// package.json `files` fails here), and a fresh ES module project importing both library entries, checked by tsc
// against the installed types. The install takes the dependencies from npm's cache, else the registry (~11 s).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCommand } from "../support/index.js";

const work = mkdtempSync(join(tmpdir(), "pullwarden-npm-package-"));
const prefix = join(work, "prefix");
const project = join(work, "project");
const env = {
  ...process.env,
  PATH: `${join(prefix, "bin")}:${dirname(process.execPath)}:${process.env["PATH"] ?? ""}`,
};
let packed: { filename: string; files: { path: string }[] };

async function npm(args: string[], cwd: string): Promise<string> {
  const result = await runCommand("npm", args, { cwd, env, timeoutMs: 240_000 });
  if (result.exitCode !== 0) throw new Error(`npm ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  const out = await npm(["pack", "--json", "--pack-destination", work], REPO_ROOT);
  packed = (JSON.parse(out) as (typeof packed)[])[0] as typeof packed;
  mkdirSync(prefix);
  await npm(
    [
      "install",
      "-g",
      "--prefix",
      prefix,
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      join(work, packed.filename),
    ],
    work,
  );
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the npm package", () => {
  it("holds dist/ without the single executables or build leftovers", () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain("dist/bin/main.js");
    expect(paths).toContain("dist/index.d.ts");
    expect(paths.filter((path) => /^dist\/(release|\.)/.test(path))).toEqual([]);
  });

  it("installs pullwarden, kubectl-pullwarden and pullwarden-credential-provider that run", async () => {
    expect((await runCommand("pullwarden", ["--version"], { env })).stdout).toBe("0.1.0\n");
    expect((await runCommand("kubectl-pullwarden", ["--version"], { env })).stdout).toBe("0.1.0\n");
    const plugin = await runCommand("pullwarden-credential-provider", ["--version"], { env });
    expect(plugin.stdout).toBe("pullwarden-credential-provider 0.1.0\n");
    const secret = await runCommand(
      "pullwarden",
      ["secret", "create", "regcred", "--docker-server=registry.example", "--docker-username=build"].concat([
        "--docker-password-env=PW",
        "--dry-run=client",
        "-o",
        "json",
        "--append-hash",
      ]),
      { env: { ...env, PW: "canary-npm-4e1d" } },
    );
    expect(secret.stderr).toBe("");
    expect(secret.exitCode).toBe(0);
    expect(JSON.parse(secret.stdout)).toMatchObject({
      kind: "Secret",
      type: "kubernetes.io/dockerconfigjson",
    });
    // The full CLI (commander, the lazily loaded command chunks) is in the package too.
    const help = await runCommand("pullwarden", ["audit", "--help"], { env });
    expect(help.exitCode, help.stderr).toBe(0);
  });

  it("imports in a fresh ES module project, with its types", async () => {
    mkdirSync(join(project, "node_modules"), { recursive: true });
    symlinkSync(join(prefix, "lib/node_modules/pullwarden"), join(project, "node_modules/pullwarden"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module", private: true }));
    writeFileSync(
      join(project, "main.ts"),
      [
        'import { VERSION, parseNormalizedReference, redactSecret } from "pullwarden";',
        'import type { ImageReference } from "pullwarden";',
        'import { KubeClient, loadKubeConfig } from "pullwarden/kube";',
        'const reference: ImageReference = parseNormalizedReference("nginx");',
        "// @ts-expect-error VERSION is a string: the package's types are read, not any",
        "const wrong: number = VERSION;",
        "console.log(JSON.stringify([VERSION, typeof redactSecret, typeof KubeClient, typeof loadKubeConfig, wrong === 0, reference !== undefined]));",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          target: "es2022",
          strict: true,
          noEmit: true,
          // As `tsc --init` sets: @kubernetes/client-node's own .d.ts files need @types/ws, not ours to add.
          skipLibCheck: true,
          types: ["node"],
          typeRoots: [join(REPO_ROOT, "node_modules/@types")],
        },
        files: ["main.ts"],
      }),
    );
    const tsc = await runCommand(
      process.execPath,
      [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", project],
      { env },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.exitCode).toBe(0);
    const js = readFileSync(join(project, "main.ts"), "utf8")
      .replace(/^import type .*\n/m, "")
      .replace(": ImageReference", "")
      .replace(": number", "");
    writeFileSync(join(project, "main.mjs"), js);
    const run = await runCommand(process.execPath, [join(project, "main.mjs")], { env, cwd: project });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(["0.1.0", "function", "function", "function", false, true]);
  });
});
