// `pullwarden controller run`: the in-cluster controller process. Light, as the command tree imports every
// definition: program.ts loads ./run.ts (and with it the Kubernetes client and prom-client) only when it runs.
import { Command } from "@commander-js/extra-typings";
import { clusterFlags } from "../../flags/cluster.js";
import { registryTlsFlags } from "../../flags/registry.js";
import type { FlagsOf } from "../../flags/values.js";

export function controllerRunCommand() {
  const command = new Command("run")
    .description(
      "run the controller: keep the credentials of ClusterPullCredentials fresh and verified, and their pull secrets in every namespace ClusterPullSecretBindings select (docs/controller.md)",
    )
    .option(
      "--namespace <name>",
      "the controller's namespace: static source Secrets and the leader Lease live here (default: $POD_NAMESPACE, else pullwarden-system)",
    )
    .option(
      "--identity <name>",
      "this replica's name in the Lease and Events (default: $POD_NAME or the host name, plus a random suffix)",
    )
    .option("--no-leader-elect", "do not elect a leader: this process writes (run one replica only)")
    .option(
      "--lease-name <name>",
      "the coordination.k8s.io Lease of the leader election",
      "pullwarden-controller",
    )
    .option("--lease-duration <duration>", "how long a leader's Lease holds without renewal", "15s")
    .option("--renew-deadline <duration>", "a leader that could not renew for this long stops writing", "10s")
    .option("--retry-period <duration>", "time between Lease attempts", "2s")
    .option(
      "--relist-interval <duration>",
      "informers list everything again this often (the stall watchdog)",
      "5m",
    )
    .option(
      "--http-address <host:port>",
      "serve /healthz, /readyz and /metrics here (port 0: any free port, printed in the log)",
      "0.0.0.0:8080",
    )
    .option(
      "--restart-stuck-pods",
      "watch Pods and delete those stuck in ErrImagePull/ImagePullBackOff for a binding with spec.restartStuckPods, so their controller recreates them with the secret (needs pods list/watch/delete)",
      false,
    )
    .option(
      "--watch-namespaces <names>",
      'scoped mode: watch Secrets and ServiceAccounts only in these comma-separated namespaces, with per-namespace Roles instead of a cluster-wide ClusterRole; Namespaces are not read, so bindings select by name only (docs/controller.md, "Scoped mode")',
    )
    .option(
      "--dry-run",
      "compute and log what it would do; write nothing (no Secrets, status or Events)",
      false,
    );
  return registryTlsFlags(clusterFlags(command), "registry: ");
}

export type ControllerRunFlags = FlagsOf<ReturnType<typeof controllerRunCommand>>;
