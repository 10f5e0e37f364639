// `pullwarden secret inspect [FILE|-]`: its arguments and flags, typed from this declaration. Light, as
// the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command } from "@commander-js/extra-typings";
import { gitHubProbeFlags } from "../../flags/github-probe.js";
import { outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

export function secretInspectCommand() {
  const command = new Command("inspect")
    .description(
      "show what a pull secret holds, redacted: hosts, users, token kinds, expiry and every problem",
    )
    .argument(
      "[file]",
      "Secret manifest (YAML/JSON, multi-document), .dockerconfigjson or docker config.json; - for stdin",
      "-",
    )
    .addOption(outputOption(["text", "json"]).default("text"))
    .option("--show-secrets", "print passwords and tokens instead of redacting them", false)
    .option(
      "--probe",
      "also ask the GitHub API about each ghcr.io token's scopes (read:packages) and expiry: the token is sent to the API",
      false,
    );
  return gitHubProbeFlags(command, "with --probe: ");
}

export type SecretInspectFlags = FlagsOf<ReturnType<typeof secretInspectCommand>>;
