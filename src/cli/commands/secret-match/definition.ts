// `pullwarden secret match IMAGE [FILE|-]`: its arguments and flags, typed from this declaration. Light, as
// the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command } from "@commander-js/extra-typings";
import { outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

export function secretMatchCommand() {
  return new Command("match")
    .description("list the credentials kubelet would try for IMAGE, in kubelet's order")
    .argument("<image>", "image reference, e.g. ghcr.io/org/app:1.0")
    .argument("[file]", "Secret manifest, .dockerconfigjson or docker config.json; - for stdin", "-")
    .addOption(outputOption(["text", "json"]).default("text"))
    .option("--show-secrets", "print passwords and tokens instead of redacting them", false);
}

export type SecretMatchFlags = FlagsOf<ReturnType<typeof secretMatchCommand>>;
