// `pullwarden apply NAME` and `apply -f LAYOUT`: the arguments and flags, typed from this declaration. Light,
// as the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { clusterFlags } from "../../flags/cluster.js";
import { payloadFlags } from "../../flags/payload.js";
import { collect, outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

/** `--dry-run[=STRATEGY]`; commander passes the preset (`true`, a bare --dry-run) through the parser too. */
function parseDryRun(value: string | true): string | true {
  if (value !== true && !["none", "client", "server"].includes(value)) {
    throw new InvalidArgumentError("expected none, client or server");
  }
  return value;
}

export function applyCommand() {
  const command = new Command("apply")
    .description(
      "put a pull secret into namespaces and append it to ServiceAccounts' imagePullSecrets, idempotently (or every secret and binding of a layout, with -f)",
    )
    .argument("[name]", "name of the Secret in every namespace (not with -f)")
    .option(
      "-f, --filename <layout>",
      "apply the pull secrets and ServiceAccount bindings `plan -f LAYOUT` decides (- for stdin); not with NAME, the secret flags, -n or --service-account",
    );
  // No default server here: `-f` must see whether --docker-server was given (the payload builder defaults it).
  const withSelection = payloadFlags(command)
    .option(
      "-n, --namespace <names>",
      "namespaces to put it in (repeatable, or comma-separated; default: the context's namespace)",
      collect,
    )
    .option("--namespace-selector <selector>", "every namespace matching this label selector, e.g. team=web")
    .option(
      "--service-account <names>",
      "ServiceAccounts whose imagePullSecrets get it, in each namespace (repeatable or comma-separated; usually default)",
      collect,
    );
  return clusterFlags(withSelection)
    .addOption(
      // Not .choices(): a bare --dry-run (kubectl's deprecated spelling of client) must not show up in help.
      new Option(
        "--dry-run [strategy]",
        "client: change nothing; server: send every write with dryRun=All (none: the default)",
      )
        .preset(true)
        .argParser(parseDryRun),
    )
    .option("--diff", "show what changes, redacted (secret data as registries added/changed/removed)", false)
    .option(
      "--prune",
      "delete secrets pullwarden owns under this name in namespaces no longer selected",
      false,
    )
    .option("--adopt", "take over a same-named secret pullwarden does not own (its data is replaced)", false)
    .option(
      "--restart-stuck",
      "delete Pods stuck in ErrImagePull/ImagePullBackOff that their controller recreates with the secret",
      false,
    )
    .addOption(outputOption(["text", "json"]).default("text"));
}

export type ApplyFlags = FlagsOf<ReturnType<typeof applyCommand>>;
