// The chart rendered by the real helm, and its RBAC applied to the real control plane with a kubeconfig holding
// the chart ServiceAccount's own token (a TokenRequest; the proxy passes unknown tokens through, so the real API
// server authenticates, authorizes and admits the ServiceAccount). Shared by the suites that run the chart's RBAC
// (chart, scoped, write-retry, e2e-chart) and install.test.ts.
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { expect } from "vitest";
import type { KubeObject, TestCluster } from "../kube/harness.js";
import { writeKubeconfig } from "../support/kubeconfig.js";
import { runCommand } from "../support/processes.js";
import { makeScratchDir } from "../support/scratch.js";
import { REPO_ROOT, requireGoTool } from "../support/tools.js";
import { CONTROLLER_NAMESPACE } from "./harness.js";

export const CHART = join(REPO_ROOT, "charts/pullwarden");

const RBAC_KINDS = [
  "ServiceAccount",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
];

export async function helm(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const home = makeScratchDir("helm-home");
  return runCommand(requireGoTool("helm"), args, {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      XDG_CACHE_HOME: home,
      XDG_CONFIG_HOME: home,
      XDG_DATA_HOME: home,
    },
  });
}

/** `helm template pw` of the chart with `--set` values, as objects. */
export async function rendered(values: string[] = []): Promise<KubeObject[]> {
  const out = await helm([
    "template",
    "pw",
    CHART,
    "--namespace",
    CONTROLLER_NAMESPACE,
    ...values.flatMap((v) => ["--set", v]),
  ]);
  expect(out.stderr).toBe("");
  expect(out.exitCode).toBe(0);
  return parseObjects(out.stdout);
}

/** The objects of a multi-document YAML stream (empty documents dropped). */
export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((d): d is KubeObject => d !== null);
}

/** Creates the rendered ServiceAccount, RBAC and admission policies as admin. */
export async function applyRbac(api: TestCluster, objects: readonly KubeObject[]): Promise<void> {
  for (const object of objects.filter((o) => RBAC_KINDS.includes(o.kind))) {
    const group = object.apiVersion === "v1" ? "/api/v1" : `/apis/${object.apiVersion}`;
    const plural =
      object.kind === "ValidatingAdmissionPolicy"
        ? "validatingadmissionpolicies"
        : `${object.kind.toLowerCase()}s`;
    const ns = object.metadata.namespace ? `/namespaces/${object.metadata.namespace}` : "";
    const res = await api.controlPlane.request("POST", `${group}${ns}/${plural}`, object);
    expect(res.status, `${object.kind}/${object.metadata.name}: ${res.body}`).toBe(201);
  }
}

/**
 * A kubeconfig that authenticates as the chart's ServiceAccount (release pw's: pw-pullwarden) in the controller's
 * namespace, with its own token.
 */
export async function serviceAccountKubeconfig(
  api: TestCluster,
  serviceAccount = "pw-pullwarden",
): Promise<string> {
  const tokenRequest = await api.controlPlane.request(
    "POST",
    `/api/v1/namespaces/${CONTROLLER_NAMESPACE}/serviceaccounts/${serviceAccount}/token`,
    { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } },
  );
  expect(tokenRequest.status).toBe(201);
  const token = (JSON.parse(tokenRequest.body) as { status: { token: string } }).status.token;
  return writeKubeconfig(join(makeScratchDir("sa-kubeconfig"), "config"), {
    server: api.url,
    caPem: api.caPem,
    users: [{ name: "pullwarden", token }],
    currentUser: "pullwarden",
  });
}
