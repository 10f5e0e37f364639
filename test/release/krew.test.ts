// The kubectl plugin release as krew users get it: scripts/krew-manifest.mjs makes a tar.gz per platform from the
// single executables and the manifest; the manifest has krew's schema (krew.googlecontainertools.github.com/v1alpha2
// Plugin: platforms with selectors, uri, sha256, files, bin) and each sha256 is its archive's; krew itself (v0.4.3,
// scripts/build-go-tools.sh) installs the amd64 archive with it, refuses a manifest whose sha256 does not match,
// and `kubectl pullwarden` (kubectl 1.37.2) runs the installed plugin from PATH.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT, requireGoTool, runCommand } from "../support/index.js";
import {
  RELEASE_DIR,
  SEA_VERSION_LINE,
  SECRET_CREATE_ARGS,
  ensureReleaseBinaries,
} from "./release-binaries.js";

interface Platform {
  selector: { matchLabels: Record<string, string> };
  uri: string;
  sha256: string;
  files: { from: string; to: string }[];
  bin: string;
}
interface KrewPlugin {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    version: string;
    homepage: string;
    shortDescription: string;
    description: string;
    platforms: Platform[];
  };
}

const BASE_URL = "https://downloads.example/pullwarden/releases/v0.1.0";
const work = mkdtempSync(join(tmpdir(), "pullwarden-krew-"));
const manifestPath = join(RELEASE_DIR, "pullwarden.yaml");
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  ensureReleaseBinaries("amd64");
  ensureReleaseBinaries("arm64");
  const made = spawnSync(process.execPath, ["scripts/krew-manifest.mjs", "--base-url", BASE_URL], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  if (made.status !== 0) throw new Error(`scripts/krew-manifest.mjs failed: ${made.stderr}`);
}, 900_000);

function krew(args: string[], root: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  return runCommand(requireGoTool("krew"), args, {
    cwd: RELEASE_DIR,
    env: { PATH: process.env["PATH"] ?? "", HOME: work, KREW_ROOT: root },
    input: "",
  });
}

describe("krew manifest", () => {
  it("has krew's Plugin schema, one platform per archive with the archive's sha256", () => {
    const manifest = parse(readFileSync(manifestPath, "utf8")) as KrewPlugin;
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect(manifest.apiVersion).toBe("krew.googlecontainertools.github.com/v1alpha2");
    expect(manifest.kind).toBe("Plugin");
    expect(manifest.metadata.name).toBe("pullwarden");
    expect(manifest.spec.version).toBe(`v${pkg.version}`);
    expect(manifest.spec.shortDescription.length).toBeLessThanOrEqual(50);
    expect(manifest.spec.homepage).toMatch(/^https:\/\//);
    expect(manifest.spec.platforms.map((p) => p.selector.matchLabels)).toEqual([
      { os: "linux", arch: "amd64" },
      { os: "linux", arch: "arm64" },
    ]);
    for (const platform of manifest.spec.platforms) {
      const name = `kubectl-pullwarden-linux-${platform.selector.matchLabels["arch"]}.tar.gz`;
      expect(platform.uri).toBe(`${BASE_URL}/${name}`);
      const archive = join(RELEASE_DIR, name);
      expect(platform.sha256).toBe(createHash("sha256").update(readFileSync(archive)).digest("hex"));
      expect(platform.bin).toBe("kubectl-pullwarden");
      const listing = spawnSync("tar", ["-tvzf", archive], { encoding: "utf8" });
      expect(
        listing.stdout
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split(/\s+/).slice(0, 2).join(" ") + " " + line.split(/\s+/).at(-1)),
      ).toEqual(["-rwxr-xr-x 0/0 kubectl-pullwarden", "-rw-r--r-- 0/0 LICENSE"]);
    }
  });

  it("krew installs the amd64 archive, and kubectl pullwarden runs it from PATH", async () => {
    const root = join(work, "krew-root");
    const installed = await krew(
      ["install", `--manifest=${manifestPath}`, "--archive=kubectl-pullwarden-linux-amd64.tar.gz"],
      root,
    );
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(installed.stderr).toContain("Installed plugin: pullwarden");
    const kubectl = requireGoTool("kubectl");
    const env = {
      PATH: `${join(root, "bin")}:${process.env["PATH"] ?? ""}`,
      HOME: work,
      PW: "canary-krew-77aa",
    };
    const version = await runCommand(kubectl, ["pullwarden", "--version"], { env });
    expect(version.stdout).toMatch(SEA_VERSION_LINE);
    const help = await runCommand(kubectl, ["pullwarden", "--help"], { env });
    expect(help.stdout).toMatch(/^Usage: kubectl pullwarden /);
    const argv = [...SECRET_CREATE_ARGS, "-o", "yaml"];
    const viaKubectl = await runCommand(kubectl, ["pullwarden", ...argv], { env });
    const viaDist = await runCommand(process.execPath, [join(REPO_ROOT, "dist/bin/main.js"), ...argv], {
      env,
    });
    expect(viaKubectl.stdout).toBe(viaDist.stdout);
    expect(viaKubectl.exitCode).toBe(0);
    const list = await runCommand(kubectl, ["plugin", "list", "--name-only"], { env });
    expect(list.stdout).toContain("kubectl-pullwarden");
  }, 120_000);

  it("krew refuses the archive when the manifest's sha256 is not its own", async () => {
    const tampered = join(work, "tampered.yaml");
    const manifest = readFileSync(manifestPath, "utf8");
    writeFileSync(
      tampered,
      manifest.replace(/sha256: ([0-9a-f])/, (_m, first: string) => `sha256: ${first === "0" ? "1" : "0"}`),
    );
    const root = join(work, "krew-tampered");
    const refused = await krew(
      ["install", `--manifest=${tampered}`, "--archive=kubectl-pullwarden-linux-amd64.tar.gz"],
      root,
    );
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("checksum does not match");
    expect(existsSync(join(root, "bin", "kubectl-pullwarden"))).toBe(false);
  }, 120_000);
});
