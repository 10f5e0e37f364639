// `kubectl pullwarden ...` works once kubectl-pullwarden is on PATH (kubectl's plugin mechanism, real kubectl).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";
import { requireTool } from "./support/index.js";

const root = resolve(import.meta.dirname, "..");
const bin = mkdtempSync(join(tmpdir(), "pullwarden-plugin-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

it("kubectl finds and runs the kubectl-pullwarden plugin", () => {
  const kubectl = requireTool("kubectl");
  // What `npm install -g` does: a kubectl-pullwarden symlink to the built entry, on PATH.
  symlinkSync(join(root, "dist/bin/main.js"), join(bin, "kubectl-pullwarden"));
  const env = { PATH: `${bin}:${process.env["PATH"] ?? ""}`, HOME: bin };
  const version = spawnSync(kubectl, ["pullwarden", "--version"], { encoding: "utf8", env });
  expect(version.stderr).toBe("");
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  const help = spawnSync(kubectl, ["pullwarden", "secret", "--help"], { encoding: "utf8", env });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain("Usage: kubectl pullwarden secret");
});
