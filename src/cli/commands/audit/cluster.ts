// `audit --cluster`: the live cluster's objects through the kube layer's loadClusterObjects, with a progress bar
// on a terminal. Lists the user may not read become input warnings (and the audit says what it could not see).
import type { AuditObject, InputProblem } from "../../../audit/index.js";
import type { KubeConnectionOptions } from "../../../kube/index.js";
import type { CliIo } from "../../io.js";
import { progressLine } from "../../output.js";

export interface ClusterInputs {
  readonly objects: AuditObject[];
  readonly problems: InputProblem[];
  /** Kinds some list of which failed: the audit treats their absence as unknown, not as missing. */
  readonly incomplete: string[];
  /** `context (server)`, for the report. */
  readonly target: string;
}

/** What to read, besides where the cluster is (`clusterConnection` in src/cli/flags/cluster.ts). */
export interface ClusterScope {
  readonly namespace?: string;
  readonly selector?: string;
}

const BAR_WIDTH = 24;

/** `reading the cluster [#########---------------] 9/24 lists, 1,204 objects`, for the progress line. */
function progressText(done: number, total: number, objects: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
  return `reading the cluster [${bar}] ${done}/${total} lists, ${objects.toLocaleString("en")} objects`;
}

export async function loadClusterInputs(
  connection: KubeConnectionOptions,
  scope: ClusterScope,
  io: CliIo,
): Promise<ClusterInputs> {
  const { loadClusterObjects } = await import("../../../kube/index.js");
  const progress = progressLine(io);
  let objects = 0;
  let loaded;
  try {
    loaded = await loadClusterObjects({
      ...connection,
      ...(scope.namespace !== undefined ? { namespace: scope.namespace } : {}),
      ...(scope.selector !== undefined ? { labelSelector: scope.selector } : {}),
      onProgress: ({ done, total, count }) => {
        objects += count;
        progress.show(progressText(done, total, objects));
      },
    });
  } finally {
    progress.end();
  }
  // Nothing could be read at all: that is an environment failure, not an empty cluster.
  const [firstFailure] = loaded.failures;
  if (loaded.objects.length === 0 && firstFailure) throw firstFailure.error;
  const problems: InputProblem[] = loaded.failures.map((failure) => ({
    severity: "warning",
    source: "cluster",
    message: `cluster: ${failure.error.message}; findings that depend on ${failure.kind} objects${failure.namespace ? ` in ${failure.namespace}` : ""} may be missing`,
  }));
  return {
    objects: loaded.objects.map((object) => ({ object })),
    problems,
    incomplete: [...new Set(loaded.failures.map((failure) => failure.kind))],
    target: `${loaded.target.context} (${loaded.target.server})`,
  };
}
