// `pullwarden status`: every ClusterPullCredential and ClusterPullSecretBinding with its state. Light, as the
// command tree imports every definition: program.ts loads ./run.ts (and the Kubernetes client) only when it runs.
import { Command } from "@commander-js/extra-typings";
import { clusterFlags } from "../../flags/cluster.js";
import { outputOption } from "../../flags/values.js";
import type { FlagsOf } from "../../flags/values.js";

export const STATUS_FORMATS = ["text", "json", "html"] as const;

export function statusCommand() {
  const command = new Command("status")
    .description(
      "show every ClusterPullCredential and ClusterPullSecretBinding with its state (expiry, refreshes, Ready/Verified/ExpiringSoon and why, the namespaces each binding covers and does not), and which method serves each namespace × registry (docs/status.md)",
    )
    .addOption(
      outputOption(
        STATUS_FORMATS,
        "text (tables like kubectl get -o wide), json, or html (one self-contained page: expiry timeline and coverage matrix)",
      ).default("text"),
    )
    .addHelpText(
      "after",
      `
Reads the status the controller writes on its custom resources, plus Namespaces, ServiceAccounts and the
docker-config Secrets of the cluster (their registry names only; a value is never printed). Needs list on
those (kubectl auth can-i list secrets --all-namespaces).

Examples:
  pullwarden status
  pullwarden status -o json | jq '.credentials[] | {name, expiresAt}'
  pullwarden status -o html > status.html`,
    );
  return clusterFlags(command);
}

export type StatusFlags = FlagsOf<ReturnType<typeof statusCommand>>;
