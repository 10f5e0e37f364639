// A kubeconfig file for tests to hand to kubectl, pullwarden and @kubernetes/client-node: one cluster, one user
// per bearer token and one context per user (named after the user), the current context chosen per file.
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";

const CLUSTER_NAME = "pullwarden-test";

export interface KubeconfigSpec {
  server: string;
  /** PEM of the CA that signed the server certificate. */
  caPem?: string;
  users: { name: string; token: string }[];
  currentUser: string;
  namespace?: string;
}

/** Writes the kubeconfig (mode 0600, as kubectl does) and returns its path. */
export function writeKubeconfig(path: string, spec: KubeconfigSpec): string {
  const cluster: Record<string, string> = { server: spec.server };
  if (spec.caPem) cluster["certificate-authority-data"] = Buffer.from(spec.caPem).toString("base64");
  const yaml = stringify({
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
  writeFileSync(path, yaml, { mode: 0o600 });
  return path;
}
