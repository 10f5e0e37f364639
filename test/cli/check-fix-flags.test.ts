// Every flag a `check` fix, hint or error text recommends exists: each `--flag` in the engine's fix texts is an
// option of `pullwarden check`, and each in the check command's sources an option of the commands using that
// source (src/cli/flags/registry.ts: check and doctor), unless the text names it as another tool's flag (listed below,
// so a new one is a deliberate choice).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACCESS_FIXES } from "../../src/registry/index.js";
import { buildProgram } from "../../src/cli/program.js";
import type { CliIo } from "../../src/cli/io.js";
import { REPO_ROOT } from "../support/index.js";

/** Flags of other tools, as they appear in the texts ("skopeo inspect --raw"). */
const OTHER_TOOLS_FLAGS = ["skopeo inspect --raw", "docker buildx --platform"];

function optionsOf(command: string): Set<string> {
  const program = buildProgram({ io: {} as CliIo, exitCode: 0 });
  const found = program.commands.find((c) => c.name() === command);
  if (!found) throw new Error(`no command ${command}`);
  return new Set(found.options.map((o) => o.long).filter((long): long is string => long !== undefined));
}

/** The `--flags` a text names as pullwarden's (another tool's flags taken out first). */
function namedFlags(text: string): string[] {
  let rest = text;
  for (const other of OTHER_TOOLS_FLAGS) rest = rest.split(other).join("");
  return [...rest.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]);
}

describe("flags named in check's texts exist", () => {
  const check = optionsOf("check");

  it("every fix text of the engine names only flags of `pullwarden check`", () => {
    const named = Object.entries(ACCESS_FIXES).flatMap(([key, text]) =>
      namedFlags(text).map((flag) => `${key}: ${flag}`),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((entry) => !check.has(entry.slice(entry.indexOf(": ") + 2)))).toEqual([]);
  });

  it.each([
    ["src/cli/commands/check/definition.ts", ["check"]],
    ["src/cli/commands/check/run.ts", ["check"]],
    ["src/cli/commands/check/keychain.ts", ["check"]],
    ["src/cli/commands/check/images.ts", ["check"]],
    ["src/cli/commands/check/render.ts", ["check"]],
    ["src/registry/check-images.ts", ["check"]],
    ["src/registry/keychain.ts", ["check"]],
    ["src/doctor/probe.ts", ["doctor"]],
    ["src/cli/flags/registry.ts", ["check", "doctor"]],
  ])("%s names only flags of %j", (file, commands) => {
    const text = readFileSync(join(REPO_ROOT, file), "utf8");
    const known = new Set(commands.flatMap((command) => [...optionsOf(command)]));
    expect(namedFlags(text).filter((flag) => !known.has(flag))).toEqual([]);
  });

  it("the allowance for other tools' flags is used (no stale entries)", () => {
    const all = Object.values(ACCESS_FIXES).join("\n");
    for (const other of OTHER_TOOLS_FLAGS) expect(all).toContain(other);
  });
});
