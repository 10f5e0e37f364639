// `pullwarden secret inspect [FILE|-]`: its arguments and flags, typed from this declaration. Light, as
// the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command } from "@commander-js/extra-typings";
import { outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

export function secretInspectCommand() {
  return new Command("inspect")
    .description(
      "show what a pull secret holds, redacted: hosts, users, token kinds, expiry and every problem",
    )
    .argument(
      "[file]",
      "Secret manifest (YAML/JSON, multi-document), .dockerconfigjson or docker config.json; - for stdin",
      "-",
    )
    .addOption(outputOption(["text", "json"]).default("text"))
    .option("--show-secrets", "print passwords and tokens instead of redacting them", false);
}

export type SecretInspectFlags = FlagsOf<ReturnType<typeof secretInspectCommand>>;
