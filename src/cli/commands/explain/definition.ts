// `pullwarden explain [FILE|-]`: its arguments and flags, typed from this declaration. Light, as
// the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command } from "@commander-js/extra-typings";
import { outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

export function explainCommand() {
  return new Command("explain")
    .description(
      "explain image-pull failures from `kubectl describe pod` output or event messages, offline: causes, fixes, what doctor would check",
    )
    .argument(
      "[file]",
      "kubectl describe pod output, kubectl get events, Pod YAML/JSON or bare messages; - for stdin",
      "-",
    )
    .addOption(outputOption(["text", "json"]).default("text"));
}

export type ExplainFlags = FlagsOf<ReturnType<typeof explainCommand>>;
