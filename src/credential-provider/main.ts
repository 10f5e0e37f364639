#!/usr/bin/env node
// Entry of the `pullwarden-credential-provider` executable that kubelet runs per image cache miss. Static imports
// stay minimal (no commander, no YAML, no SDK): the cloud sources load only when an ECR or ACR image asks.
import { versionLine } from "../version.js";
import { PLUGIN_USAGE, parsePluginArgs } from "./plugin-options.js";
import { PLUGIN_NAME, failureLine, runPlugin } from "./plugin.js";

async function main(): Promise<number> {
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

// No top-level await: the bundle is CommonJS, which Node starts without its ES module loader.
void main().then((code) => {
  process.exitCode = code;
});
