// `pullwarden init`: its arguments and flags, typed from this declaration. Light, as
// the command tree imports every definition: program.ts loads ./run.ts only when the command runs.
import { Command, Option } from "@commander-js/extra-typings";
import { collect } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

export function initCommand() {
  return new Command("init")
    .description("write a commented starter layout for `plan` (asks on a terminal; flags work without one)")
    .addOption(
      new Option("--provider <provider>", "where the cluster runs").choices(["aks", "eks", "gke", "other"]),
    )
    .option("--cluster-name <name>", "the cluster's name")
    .option("--nodes-configurable", "kubelet flags and files can be changed on every node")
    .addOption(
      new Option(
        "--credential-provider <plugin>",
        "with --nodes-configurable: the kubelet credential provider the nodes run (pullwarden: ours, for ECR, ACR and static registries)",
      ).choices(["cloud", "pullwarden"]),
    )
    .addOption(
      new Option(
        "--rotation <how>",
        "who refreshes short-lived ECR/ACR tokens in pull secrets (controller: the pullwarden controller installed in the cluster)",
      ).choices(["script", "controller"]),
    )
    .option("--resource-group <group>", "aks: resource group of the cluster")
    .option("--subscription <id>", "aks: subscription id or name")
    .option("--region <region>", "eks: AWS region of the cluster")
    .option("--account-id <id>", "eks: 12-digit AWS account id")
    .option("--node-role <role>", "eks: IAM role of the node group (name or ARN)")
    .option("--project <id>", "gke: Google Cloud project id")
    .option("--node-service-account <email>", "gke: the nodes' service account")
    .option(
      "--registry <registry>",
      "a registry host, ghcr.io/OWNER, acr:NAME or ecr:ACCOUNT/REGION (repeatable)",
      collect,
    )
    .option(
      "--namespace <name[=registries]>",
      "a namespace that pulls, optionally from only some registries: apps=ghcr,harbor (repeatable)",
      collect,
    )
    .option("-o, --output <file>", "where to write the layout (- for stdout)", "pullwarden-layout.yaml")
    .option("--force", "overwrite the file if it exists", false);
}

export type InitFlags = FlagsOf<ReturnType<typeof initCommand>>;
