// README examples are run as tests: each ```sh block preceded by `<!-- readme-test: exit=N -->` runs in bash
// with `pullwarden` on PATH (the built dist/bin/main.js, or the executable PULLWARDEN_BIN names: a single
// executable, test/release/binaries.test.ts) and must exit with N, printing no internal error.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const cli = join(root, "dist/bin/main.js");
const executable = process.env["PULLWARDEN_BIN"];
const readme = readFileSync(join(root, "README.md"), "utf8");
const examples = [...readme.matchAll(/<!-- readme-test: exit=(\d+) -->\n+```sh\n([\s\S]*?)```/g)].map(
  (match) => ({
    exit: Number(match[1]),
    script: match[2] as string,
  }),
);

const bin = mkdtempSync(join(tmpdir(), "pullwarden-readme-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe("README examples", () => {
  it("has examples to run and a built CLI", () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    if (executable !== undefined) {
      expect(existsSync(executable), `PULLWARDEN_BIN=${executable} does not exist`).toBe(true);
      writeFileSync(join(bin, "pullwarden"), `#!/bin/sh\nexec "${executable}" "$@"\n`);
    } else {
      expect(existsSync(cli), "dist/bin/main.js is missing: run `npm run build` first").toBe(true);
      writeFileSync(join(bin, "pullwarden"), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
    }
    chmodSync(join(bin, "pullwarden"), 0o755);
  });

  it.each(examples)("runs: $script", ({ exit, script }) => {
    const result = spawnSync("bash", ["-c", script], {
      cwd: root,
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env["PATH"] ?? ""}`,
        HOME: bin,
        GHCR_TOKEN: "ghp_EXAMPLE0example0EXAMPLE0example01234",
      },
    });
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.status, result.stderr).toBe(exit);
    expect(result.stdout.length).toBeGreaterThan(0);
  });
});
