// Shared by the apply integration suites and the kube/ tests: a cluster to run against, `pullwarden apply` run
// in-process against it (through @kubernetes/client-node, as for any cluster), and request counting.
//
// startCluster() is real-cluster.ts: etcd + kube-apiserver + kube-controller-manager behind a recording,
// fault-injecting proxy (test/support/kube-proxy.ts).
import { runPullwarden } from "../cli/run-cli.js";
import type { CliResult } from "../cli/run-cli.js";
import type { RequestRecord } from "./real-cluster.js";

export { startCluster } from "./real-cluster.js";
export type { KubeObject, TestCluster } from "./real-cluster.js";

/** What the helpers below need of a cluster. */
interface Cluster {
  kubeconfigFor(user: string, namespace?: string): string;
  requestLog(): readonly RequestRecord[];
}

export const WRITE_VERBS = new Set(["create", "update", "patch", "delete", "deletecollection"]);

export function writes(api: Cluster): RequestRecord[] {
  return api.requestLog().filter((r) => WRITE_VERBS.has(r.verb));
}

/** A registry credential for apply flags; the password comes from the environment (never argv). */
export const GHCR = {
  server: "ghcr.io",
  username: "pullbot",
  passwordEnv: "GHCR_TOKEN",
  password: "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB",
} as const;

export function ghcrFlags(password: string = GHCR.password): { args: string[]; env: Record<string, string> } {
  return {
    args: [
      "--docker-server",
      GHCR.server,
      "--docker-username",
      GHCR.username,
      "--docker-password-env",
      GHCR.passwordEnv,
    ],
    env: { [GHCR.passwordEnv]: password },
  };
}

/** `pullwarden apply ARGS` as `user` (its own kubeconfig), with a ghcr.io credential from the environment. */
export async function apply(
  api: Cluster,
  args: readonly string[],
  options: { user?: string; password?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const flags = ghcrFlags(options.password);
  return runPullwarden(
    ["apply", ...args, ...flags.args, "--kubeconfig", api.kubeconfigFor(options.user ?? "admin")],
    {
      env: { ...flags.env, ...options.env },
    },
  );
}

/** The imagePullSecrets names of a ServiceAccount, read directly (not through the request log). */
export async function imagePullSecretNames(
  api: { objects: { get(resource: string, namespace: string, name: string): unknown } },
  namespace: string,
  account = "default",
): Promise<string[]> {
  const sa = (await api.objects.get("serviceaccounts", namespace, account)) as
    { imagePullSecrets?: { name: string }[] } | undefined;
  return (sa?.imagePullSecrets ?? []).map((e) => e.name);
}
