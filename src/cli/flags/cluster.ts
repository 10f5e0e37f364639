/**
 * The flags every command that talks to the cluster shares (`doctor`, `audit --cluster`, `apply`), declared and
 * read one way: `--kubeconfig` and `--context` as kubectl, and `--request-timeout` with kubectl's meaning and
 * format (a bare number is seconds, else a duration such as 30s or 2m; 0: no limit per request). Parsing them is
 * a usage check, so commands call `clusterConnection` before reading input or contacting the cluster.
 */
import { Option } from "@commander-js/extra-typings";
import type { Command } from "@commander-js/extra-typings";
import type { KubeConnectionOptions } from "../../kube/index.js";
import { parseDurationFlag, sharedFlags } from "./values.js";
import type { FlagsOf } from "./values.js";
import type { CliIo } from "../io.js";

/**
 * Adds --context, --kubeconfig and --request-timeout; `scope` starts each description (`with --cluster: `). The
 * request bound's default is the kube layer's DEFAULT_KUBE_TIMEOUTS, which a test holds to this text.
 */
function declareClusterFlags(command: Command, scope = "") {
  return command
    .option("--context <name>", `${scope}the kubeconfig context to use`)
    .option(
      "--kubeconfig <file>",
      `${scope}path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)`,
    )
    .addOption(
      new Option(
        "--request-timeout <duration>",
        `${scope}how long to wait for each API server request: seconds or a duration such as 30s or 2m, 0 for no limit (default 60s; connecting and the TLS handshake are bounded on their own, as kubectl)`,
      ),
    );
}

// Pure: the fast path (cli/fast-path/) drops the declaration, and commander with it, from its chunks.
export const clusterFlags = /* @__PURE__ */ sharedFlags(declareClusterFlags);

/** --context, --kubeconfig and --request-timeout as commander parsed them. */
export type ClusterConnectionFlags = FlagsOf<ReturnType<typeof declareClusterFlags>>;

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
