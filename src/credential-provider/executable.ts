/**
 * What the `pullwarden-credential-provider` executable does with its command line, stdin and environment, shared
 * by its two entries: main.ts (dist/bin/ and the arm64 single executable) and snapshot-main.ts (the amd64 single
 * executable's startup snapshot). Everything the run depends on (argv, env, stdin, the user) is read when it
 * starts, never when the module loads: a snapshot evaluates the modules at build time.
 */
import { versionLine } from "../version.js";
import { PLUGIN_USAGE, parsePluginArgs } from "./plugin-options.js";
import { PLUGIN_NAME, failureLine, runPlugin } from "./plugin.js";

/** Runs the command line `process.argv` names; returns the exit code. */
async function runProviderExecutable(): Promise<number> {
  let command;
  try {
    command = parsePluginArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(failureLine(error, (line) => line));
    return 1;
  }
  if (command.kind === "help") {
    process.stdout.write(`${PLUGIN_USAGE}\n`);
    return 0;
  }
  if (command.kind === "version") {
    process.stdout.write(`${PLUGIN_NAME} ${versionLine()}\n`);
    return 0;
  }
  return runPlugin(command.options, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => new Date(),
    uid: process.getuid?.() ?? 0,
    cloudSources: async () =>
      (await import("./cloud-sources.js")).sdkCloudSources(process.env, () => new Date()),
  });
}

/** Starts the run; the process exits with its code once nothing is left to do. */
export function startProviderExecutable(): void {
  void runProviderExecutable().then((code) => {
    process.exitCode = code;
  });
}
