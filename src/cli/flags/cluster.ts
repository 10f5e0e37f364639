/**
 * The flags every command that talks to the cluster shares (`doctor`, `audit --cluster`, `apply`), read one way:
 * `--kubeconfig` and `--context` as kubectl, and `--request-timeout` with kubectl's meaning and format (a bare
 * number is seconds, else a duration such as 30s or 2m; 0: no limit per request). Parsing them is a usage check,
 * so commands call this before reading input or contacting the cluster.
 */
import type { KubeConnectionOptions } from "../../kube/index.js";
import { parseDurationFlag } from "./values.js";
import type { CliIo } from "../io.js";

export interface ClusterConnectionFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly requestTimeout?: string;
}

/** Node's timers hold at most 2^31-1 ms (24.8 days); a day is more than any request needs. */
const MAX_REQUEST_TIMEOUT_MS = 24 * 3_600_000;

/** The kube layer's connection options for these flags (throws UsageError for a bad --request-timeout). */
export function clusterConnection(flags: ClusterConnectionFlags, io: CliIo): KubeConnectionOptions {
  return {
    ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context !== undefined ? { context: flags.context } : {}),
    ...(flags.requestTimeout !== undefined
      ? {
          timeouts: {
            requestMs: parseDurationFlag("--request-timeout", flags.requestTimeout, {
              allowZero: true,
              maxMs: MAX_REQUEST_TIMEOUT_MS,
            }),
          },
        }
      : {}),
    env: io.env,
    cwd: io.cwd,
  };
}
