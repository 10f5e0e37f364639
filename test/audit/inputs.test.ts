// audit's input walker (src/audit/inputs.ts) over a real directory tree: which files a glob, a directory or a
// file argument reads, in which order, and what it says about a pattern that matches nothing. Hidden files,
// node_modules, symlinked files and directories, symlink loops and broken links are part of the tree.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInputs } from "../../src/audit/inputs.js";
import type { InputPorts } from "../../src/audit/inputs.js";
import type { AuditObject, InputProblem } from "../../src/audit/index.js";
import { readBytes } from "../../src/cli/read-input.js";
import { PassThrough } from "node:stream";

let root: string;

const FILES = [
  "top.yaml",
  "b.yaml",
  "notes.txt",
  "a/one.yaml",
  "a/z.yml",
  "a/notes.txt",
  "a/b/two.yaml",
  "a/k8s/w.yaml",
  "k8s/x.yaml",
  "sub/k8s/y.yaml",
  ".hidden/h.yaml",
  ".dot.yaml",
  "node_modules/n/m.yaml",
  "names/!important.yaml",
  "names/star*.yaml",
];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "pw-audit-inputs-"));
  for (const file of FILES) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), `# ${file}\n`);
  }
  symlinkSync("a", join(root, "link-dir"));
  symlinkSync("..", join(root, "a/b/up")); // a loop: a/b/up/b/up/...
  symlinkSync("top.yaml", join(root, "filelink.yaml"));
  symlinkSync("nowhere.yaml", join(root, "broken.yaml"));
  symlinkSync("../a", join(root, "sub/k8s-link"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function ports(cwd = root): InputPorts {
  const stdin = new PassThrough();
  stdin.end("# stdin\n");
  const io = { stdin, env: { HOME: root }, cwd } as never;
  return {
    cwd,
    expandHome: (path) => (path === "~" || path.startsWith("~/") ? root + path.slice(1) : path),
    readBytes: (pathOrDash) => readBytes(pathOrDash, io, 16 * 1024 * 1024),
  };
}

/** The names read, in order, and the problems reported. */
async function load(args: string[], cwd = root): Promise<{ read: string[]; problems: string[] }> {
  const read: string[] = [];
  const parse = (_text: string, source: string) => {
    read.push(source);
    return { objects: [] as AuditObject[], problems: [] as InputProblem[] };
  };
  const result = await loadInputs(args, ports(cwd), parse);
  return { read, problems: result.problems.map((p) => `${p.severity}: ${p.message}`) };
}

describe("globs", () => {
  it("** walks a sorted tree: a directory's files before its subdirectories; no hidden or node_modules directories; each real directory once", async () => {
    expect(await load(["**/*.yaml"])).toEqual({
      read: [
        "b.yaml",
        "filelink.yaml",
        "top.yaml",
        "a/one.yaml",
        "a/b/two.yaml",
        "a/k8s/w.yaml",
        "k8s/x.yaml",
        "names/!important.yaml",
        "names/star*.yaml",
        "sub/k8s/y.yaml",
      ],
      problems: [],
    });
  });

  it("segments after ** keep the walk's order (the directories ** stands for, shallowest first)", async () => {
    expect((await load(["**/k8s/*.yaml"])).read).toEqual(["k8s/x.yaml", "a/k8s/w.yaml", "sub/k8s/y.yaml"]);
  });

  it("*, ?, [...] and {...} match within one name; any extension a pattern names is read", async () => {
    expect((await load(["*.yaml"])).read).toEqual(["b.yaml", "filelink.yaml", "top.yaml"]);
    expect((await load(["?.yaml"])).read).toEqual(["b.yaml"]);
    expect((await load(["a/{one,z}.y*ml"])).read).toEqual(["a/one.yaml", "a/z.yml"]);
    expect((await load(["a/[ot]*.yaml"])).read).toEqual(["a/one.yaml"]);
    expect((await load(["*/*.txt"])).read).toEqual(["a/notes.txt"]);
  });

  it("a directory met again through a symlink is not read twice; * (unlike **) enters node_modules", async () => {
    expect((await load(["*/*/*.yaml"])).read).toEqual([
      "a/b/two.yaml",
      "a/k8s/w.yaml",
      "node_modules/n/m.yaml",
      "sub/k8s/y.yaml",
      "sub/k8s-link/one.yaml", // a, but entered by the second * (a itself by the first)
    ]);
    expect((await load(["link-dir/*.yaml", "a/*.yaml"])).read).toEqual(["link-dir/one.yaml", "a/one.yaml"]);
  });

  it("hidden files only when the pattern names the dot; node_modules when the pattern names it", async () => {
    expect((await load([".*"])).read).toEqual([".dot.yaml"]);
    expect((await load([".hidden/*.yaml"])).read).toEqual([".hidden/h.yaml"]);
    expect((await load(["node_modules/**/*.yaml"])).read).toEqual(["node_modules/n/m.yaml"]);
  });

  it("follows a symlinked directory named in the pattern", async () => {
    expect((await load(["link-dir/*.yaml"])).read).toEqual(["link-dir/one.yaml"]);
  });

  it("absolute and ~ patterns; names relative to the working directory", async () => {
    expect((await load([join(root, "a", "*.yaml")])).read).toEqual(["a/one.yaml"]);
    expect((await load(["~/k8s/*.yaml"])).read).toEqual(["k8s/x.yaml"]);
    expect((await load(["../*.yaml"], join(root, "a"))).read).toEqual([
      "../b.yaml",
      "../filelink.yaml",
      "../top.yaml",
    ]);
  });

  it("a pattern that matches no file is a warning, the rest is read", async () => {
    expect(await load(["no/such/*.yaml", "*.json", "k8s/*/*.yaml", "b.yaml"])).toEqual({
      read: ["b.yaml"],
      problems: [
        "warning: no/such/*.yaml: the pattern matches no file",
        "warning: *.json: the pattern matches no file",
        "warning: k8s/*/*.yaml: the pattern matches no file",
      ],
    });
  });

  it("a trailing slash is dropped, as in the path it resolves to", async () => {
    expect((await load(["a/*/"])).read).toEqual(["a/notes.txt", "a/one.yaml", "a/z.yml"]);
  });

  it("a file found by two arguments is read once, where first found; stdin last", async () => {
    expect((await load(["-", "a/one.yaml", "a/*.yml", "a/*.yaml", "k8s", "**/x.yaml"])).read).toEqual([
      "a/one.yaml",
      "a/z.yml",
      "k8s/x.yaml",
      "stdin",
    ]);
  });
});

// What the hand-written matcher got wrong: it split braces at "/", read "?" inside braces as a regular
// expression, and had no escapes. tinyglobby reads patterns as shells and other tools do.
describe("glob syntax the hand-written matcher missed", () => {
  it("braces may hold a path and wildcards", async () => {
    expect((await load(["{a/b,k8s}/*.yaml"])).read).toEqual(["a/b/two.yaml", "k8s/x.yaml"]);
    expect((await load(["a/{on?,z}.y*ml"])).read).toEqual(["a/one.yaml", "a/z.yml"]);
  });

  it("a backslash escapes a wildcard; a leading ! is a name, not a negation", async () => {
    expect((await load(["names/star\\*.yaml"])).read).toEqual(["names/star*.yaml"]);
    expect((await load(["names/!imp*.yaml"])).read).toEqual(["names/!important.yaml"]);
  });

  it("a symlinked directory reached by a later part of the pattern is read there", async () => {
    // sub/k8s-link is a, entered by "*" after the ** ended: a different place in the pattern than a itself.
    expect((await load(["**/k8s-*/*.yaml"])).read).toEqual(["sub/k8s-link/one.yaml"]);
  });
});

describe("directories", () => {
  it("walk names in sorted order (files and subdirectories together) for manifest extensions, hidden files but not hidden directories, warning about loops and broken links", async () => {
    expect(await load(["."])).toEqual({
      read: [
        ".dot.yaml",
        "a/b/two.yaml",
        "a/k8s/w.yaml",
        "a/one.yaml",
        "a/z.yml",
        "b.yaml",
        "filelink.yaml",
        "k8s/x.yaml",
        "names/!important.yaml",
        "names/star*.yaml",
        "sub/k8s/y.yaml",
        "top.yaml",
      ],
      problems: [
        "warning: a/b/up: directory already visited (a symlink loop?); skipped",
        "warning: broken.yaml: broken symlink; skipped",
        "warning: link-dir: directory already visited (a symlink loop?); skipped",
        "warning: sub/k8s-link: directory already visited (a symlink loop?); skipped",
      ],
    });
  });
});
