// `pullwarden audit [PATH|GLOB|-]...`: its arguments and flags, typed from this declaration. Light, as
// the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command, Option } from "@commander-js/extra-typings";
import { clusterFlags } from "../../flags/cluster.js";
import { collect, outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

export function auditCommand() {
  const command = new Command("audit")
    .description(
      "find broken and insecure pull setups: how each image will be pulled, missing or malformed pull secrets, leaked credentials, Secret RBAC, encryption at rest",
    )
    .argument(
      "[paths...]",
      "manifest files, directories, globs (quoted), or - for stdin (helm template . | ...)",
    )
    .option(
      "-f, --filename <path>",
      "a manifest file, directory or glob, like kubectl's -f (repeatable)",
      collect,
    )
    .addOption(outputOption(["text", "json", "sarif", "junit", "html"]).default("text"))
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a finding at or above this severity remains").choices([
        "error",
        "warning",
        "info",
        "never",
      ]),
    )
    .option(
      "--allow-empty",
      "exit 0 when the input holds no Kubernetes objects (by default that is an error: nothing was audited)",
      false,
    )
    .option("--cluster", "audit the live cluster of the current kubeconfig context", false);
  return clusterFlags(command, "with --cluster: ")
    .option(
      "-n, --namespace <namespace>",
      "with --cluster: audit only this namespace; with files: the namespace of objects that name none",
    )
    .option("-l, --selector <selector>", "with --cluster: only objects with these labels")
    .option(
      "--config <file>",
      "audit config: suppressions, private registries, node identities (default .pullwarden-audit.yaml)",
    )
    .addOption(
      new Option(
        "--provider <provider>",
        "the nodes pull with their cloud identity from this cloud's registries",
      ).choices(["aks", "eks", "gke"]),
    )
    .option(
      "--node-credentials <pattern>",
      "the nodes can pull images matching this kubelet pattern without a Secret (a credential provider; repeatable)",
      collect,
    )
    .option("--layout <file>", "take the cluster's node identities from a pullwarden layout file")
    .option(
      "--private-registry <pattern>",
      "images matching this pattern need credentials (repeatable)",
      collect,
    )
    .option("--encryption-config <file>", "also audit the API server's EncryptionConfiguration file")
    .option("--disable <rule>", "skip a rule by id or name (repeatable)", collect)
    .option("--show-suppressed", "list suppressed findings in the text output", false);
}

export type AuditFlags = FlagsOf<ReturnType<typeof auditCommand>>;
