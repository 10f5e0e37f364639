// `pullwarden plan -f LAYOUT [-o DIR]`: its arguments and flags, typed from this declaration. Light, as
// the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command } from "@commander-js/extra-typings";
import type { FlagsOf } from "../../flags/values.js";

export function planCommand() {
  return new Command("plan")
    .description(
      "pick the pull setup for each (cluster, registry) pair of a layout, say why, and write ready-to-run files",
    )
    .option("-f, --filename <layout>", "layout file (YAML; - for stdin); `pullwarden init` writes one")
    .option(
      "-o, --output <dir>",
      "write numbered, ready-to-run files into this new directory (default: print a summary)",
    )
    .option(
      "--force",
      "replace the output directory if it is an earlier plan output holding only the files plan wrote",
      false,
    )
    .option(
      "--include-secrets",
      "with -o: write secret values, read from the layout's passwordEnv/passwordFile sources, into the manifests",
      false,
    );
}

export type PlanFlags = FlagsOf<ReturnType<typeof planCommand>>;
