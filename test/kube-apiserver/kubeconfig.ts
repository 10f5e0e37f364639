// The kubeconfig file tests hand to kubectl and @kubernetes/client-node: one cluster, one user (bearer token)
// and one context per user (named after the user), current context chosen per file.
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";

export const CLUSTER_NAME = "pullwarden-test";

export interface KubeconfigSpec {
  server: string;
  /** PEM of the CA that signed the server certificate (https only). */
  caPem?: string;
  users: { name: string; token: string }[];
  currentUser: string;
  namespace?: string;
}

export function kubeconfigYaml(spec: KubeconfigSpec): string {
  const cluster: Record<string, string> = { server: spec.server };
  if (spec.caPem) cluster["certificate-authority-data"] = Buffer.from(spec.caPem).toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: CLUSTER_NAME, cluster }],
    users: spec.users.map((u) => ({ name: u.name, user: { token: u.token } })),
    contexts: spec.users.map((u) => {
      const context: Record<string, string> = { cluster: CLUSTER_NAME, user: u.name };
      if (spec.namespace) context.namespace = spec.namespace;
      return { name: u.name, context };
    }),
    "current-context": spec.currentUser,
    preferences: {},
  });
}

export function writeKubeconfig(path: string, spec: KubeconfigSpec): string {
  writeFileSync(path, kubeconfigYaml(spec), { mode: 0o600 });
  return path;
}
