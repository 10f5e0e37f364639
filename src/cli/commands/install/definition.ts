// `pullwarden install`: the chart's manifests for people without Helm. Light, as the command tree imports every
// definition: program.ts loads ./run.ts (and the manifest text) only when it runs.
import { Command } from "@commander-js/extra-typings";

export function installCommand() {
  return new Command("install")
    .description(
      "print the controller's manifests (Namespace pullwarden-system, CRDs, RBAC, admission policies, Deployment) exactly as the Helm chart renders them with its default values, for clusters without Helm (docs/controller.md)",
    )
    .addHelpText(
      "after",
      `
The output is \`helm template pullwarden charts/pullwarden -n pullwarden-system --include-crds\` of this
version's chart, after a Namespace; nothing is contacted. For other values (ServiceMonitor, cloud identity,
restartStuckPods, another namespace), use the chart.

Examples:
  pullwarden install | kubectl apply --server-side -f -
  pullwarden install > pullwarden.yaml`,
    );
}
