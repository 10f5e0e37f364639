// `pullwarden secret create NAME`: its arguments and flags, typed from this declaration. Light, as
// the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { payloadFlags } from "../../flags/payload.js";
import { outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

/** kubectl's --dry-run strategies. */
export const DRY_RUN_STRATEGIES = ["client", "none", "server"] as const;

/**
 * `--dry-run[=client]`: kubectl's none and server are accepted here only so that the run can say why they do
 * not work (the command prints manifests and never contacts a cluster). Returns the value unchanged (the fast
 * path relies on it: flag-spec.ts).
 */
export function parseDryRun(value: string): string {
  if ((DRY_RUN_STRATEGIES as readonly string[]).includes(value)) return value;
  throw new InvalidArgumentError("secret create only prints the Secret: use --dry-run=client");
}

export function secretCreateCommand() {
  const command = new Command("create")
    .description(
      "create a pull secret manifest, byte-identical to `kubectl create secret docker-registry --dry-run=client`",
    )
    .argument("<name>", "name of the Secret");
  return payloadFlags(command, "https://index.docker.io/v1/")
    .option("--append-hash", "append a hash of the Secret's content to its name, as kubectl does", false)
    .option("-n, --namespace <namespace>", "namespace of the Secret (printed only when given, like kubectl)")
    .addOption(
      // Not .choices(): help would list kubectl's none and server, which cannot work here (the run explains
      // them). A bare --dry-run is `true` (kubectl's deprecated spelling of client).
      new Option(
        "--dry-run [strategy]",
        "client (required): print the Secret instead of sending it",
      ).argParser(parseDryRun),
    )
    .addOption(outputOption(["yaml", "json", "name"]))
    .option("--no-creation-timestamp", "omit `creationTimestamp: null` as kubectl >= 1.34 does");
}

export type SecretCreateFlags = FlagsOf<ReturnType<typeof secretCreateCommand>>;
