/**
 * Which command lines the fast path (fast-path/main.ts `run`) is asked to take first: read by both launchers
 * (launcher.ts for dist/bin/main.js, sea-launcher.ts for the single executable).
 */

/** The fast path's command named by `args`, and how many words name it; undefined for every other command. */
export function fastCommand(args: readonly string[]): [string, number] | undefined {
  if (args[0] === "secret" && args[1] === "create") return ["secret create", 2];
  if (args[0] === "check") return ["check", 1];
  return undefined;
}
