// Pull-path resolution: ServiceAccount admission, kubelet's keyring order, node identities, anonymous pulls.
import { describe, expect, it } from "vitest";
import { RuleContext, resolveOptions } from "../../src/audit/context.js";
import { buildGraph } from "../../src/audit/graph.js";
import { loadManifestText, providerIdentity } from "../../src/audit/index.js";
import type { AuditOptions, PullPath } from "../../src/audit/index.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const GHP = "ghp_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2";

function secret(name: string, namespace: string, auths: Record<string, [string, string]>): string {
  const config = {
    auths: Object.fromEntries(
      Object.entries(auths).map(([key, [username, password]]) => [
        key,
        { username, password, auth: Buffer.from(`${username}:${password}`).toString("base64") },
      ]),
    ),
  };
  return `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: ${namespace}}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '${JSON.stringify(config)}'\n`;
}

function paths(yaml: string, options: Partial<AuditOptions> = {}): PullPath[] {
  const { objects } = loadManifestText(yaml, "test.yaml");
  const resolved = resolveOptions({ mode: "files", now: NOW, ...options });
  const context = new RuleContext(
    buildGraph(objects, { mode: resolved.mode, defaultNamespace: "default" }),
    resolved,
  );
  return context.images().map((image) => image.path);
}

const SA =
  "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder, namespace: ci}\nimagePullSecrets: [{name: ghcr}]\n";

describe("ServiceAccount admission", () => {
  it("gives a template without imagePullSecrets the ServiceAccount's list", () => {
    const [path] = paths(
      [
        secret("ghcr", "ci", { "ghcr.io": ["bot", GHP] }),
        SA,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: ci}\nspec:\n  template:\n    spec:\n      serviceAccountName: builder\n      containers: [{name: c, image: ghcr.io/acme/app:1}]\n",
      ].join("---\n"),
    );
    expect(path?.secretsFrom).toBe("serviceaccount");
    expect(path?.steps).toMatchObject([
      { via: "serviceaccount-secret", secret: "ghcr", key: "ghcr.io", verdict: "accepted" },
    ]);
    expect(path?.summary).toBe('ServiceAccount builder\'s secret ghcr (key "ghcr.io")');
  });

  it("never merges: a Pod with its own list does not get the ServiceAccount's", () => {
    const [path] = paths(
      [
        secret("ghcr", "ci", { "ghcr.io": ["bot", GHP] }),
        secret("other", "ci", { "quay.io": ["u", "p4ssword-long"] }),
        SA,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ci}\nspec:\n  serviceAccountName: builder\n  imagePullSecrets: [{name: other}]\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n",
      ].join("---\n"),
    );
    expect(path?.secretsFrom).toBe("pod");
    expect(path?.steps).toEqual([]);
    expect(path?.summary).toContain(
      "ServiceAccount builder's secrets (ghcr) are not copied because the Pod has its own",
    );
  });

  it("treats a live Pod as already admitted: an empty list stays empty", () => {
    const [path] = paths(
      [
        secret("ghcr", "ci", { "ghcr.io": ["bot", GHP] }),
        SA,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ci}\nspec:\n  serviceAccountName: builder\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n",
      ].join("---\n"),
      { mode: "cluster" },
    );
    expect(path?.secretsFrom).toBe("none");
    expect(path?.summary).toMatch(/^anonymous: the Pod has no imagePullSecrets/);
  });
});

describe("kubelet matching", () => {
  it("tries every matching key, most specific first, across the Pod's secrets", () => {
    const [path] = paths(
      [
        secret("wide", "apps", { "ghcr.io": ["a", GHP] }),
        secret("narrow", "apps", { "ghcr.io/acme": ["b", GHP] }),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps}\nspec:\n  imagePullSecrets: [{name: wide}, {name: narrow}]\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n",
      ].join("---\n"),
    );
    expect(path?.steps.map((step) => [step.secret, step.key])).toEqual([
      ["narrow", "ghcr.io/acme"],
      ["wide", "ghcr.io"],
    ]);
  });

  it("uses https://index.docker.io/v1/ for Docker Hub images through the fallback, and not registry-1.docker.io", () => {
    const result = paths(
      [
        secret("hub", "apps", {
          "https://index.docker.io/v1/": ["acme", "dckr_pat_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8"],
        }),
        secret("never", "apps", { "registry-1.docker.io": ["acme", "pw-0123456789"] }),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps}\nspec:\n  imagePullSecrets: [{name: never}, {name: hub}]\n  containers: [{name: c, image: nginx:1.27}]\n",
      ].join("---\n"),
    );
    expect(result[0]?.repository).toBe("docker.io/library/nginx");
    expect(result[0]?.steps.map((step) => step.secret)).toEqual(["hub"]);
  });

  it("puts declared node identities after the secrets", () => {
    const [path] = paths(
      [
        secret("ecr", "pay", {
          "123456789012.dkr.ecr.eu-west-1.amazonaws.com": ["AWS", "not-a-real-token-0123"],
        }),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: pay}\nspec:\n  imagePullSecrets: [{name: ecr}]\n  containers: [{name: c, image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1}]\n",
      ].join("---\n"),
      { nodeIdentities: [providerIdentity("eks", "--provider eks")] },
    );
    expect(path?.steps.map((step) => step.via)).toEqual(["pod-secret", "node-identity"]);
    expect(path?.summary).toContain("→ node identity: EKS node role");
  });

  it("says why a pull is anonymous", () => {
    const [path] = paths(
      [
        secret("harbor", "apps", { "harbor.example.com": ["robot", "pw-0123456789"] }),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps}\nspec:\n  imagePullSecrets: [{name: harbor}, {name: gone}]\n  containers: [{name: c, image: ghcr.io/acme/app:1}]\n",
      ].join("---\n"),
    );
    expect(path?.steps).toEqual([]);
    expect(path?.summary).toBe(
      "anonymous: no key of the Pod's secrets (harbor) matches ghcr.io; no node identity declared for it",
    );
  });

  it("reports an invalid image reference instead of resolving it", () => {
    const [path] = paths(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps}\nspec:\n  containers: [{name: c, image: 'UPPER/Case:1'}]\n",
    );
    expect(path?.summary).toMatch(/^none: the image reference is invalid/);
  });

  it("judges every image of init, regular and ephemeral containers of every workload kind", () => {
    const kinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]
      .map(
        (kind) =>
          `apiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: w, namespace: a}\nspec:\n  template:\n    spec:\n      initContainers: [{name: i, image: busybox}]\n      containers: [{name: c, image: nginx}]\n`,
      )
      .concat(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: w, namespace: a}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: nginx}]\n",
      )
      .concat(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: w, namespace: a}\nspec:\n  containers: [{name: c, image: nginx}]\n  ephemeralContainers: [{name: e, image: busybox}]\n",
      );
    expect(paths(kinds.join("---\n")).length).toBe(5 * 2 + 1 + 2);
  });
});

describe("live replicas", () => {
  it("reports once per absent controller, naming it, with a fingerprint that survives new Pod names", async () => {
    const { audit } = await import("../../src/audit/index.js");
    const replicas = (suffixes: string[]) =>
      suffixes
        .map(
          (suffix) =>
            `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-${suffix}\n  namespace: apps\n  ownerReferences: [{kind: ReplicaSet, name: web-7d4f8, uid: rs-1, controller: true}]\nspec:\n  containers: [{name: web, image: contoso.azurecr.io/web:1}]\n`,
        )
        .join("---\n");
    const run = (suffixes: string[]) =>
      audit(loadManifestText(replicas(suffixes), "live.yaml").objects, { mode: "cluster", now: NOW })
        .findings;
    const first = run(["a", "b", "c"]);
    expect(first.map((finding) => finding.ruleId)).toEqual(["PW105"]);
    expect(first[0]?.location.object.name).toBe("web-a");
    expect(first[0]?.message).toContain("(also in 2 more Pods of ReplicaSet web-7d4f8)");
    const afterRestart = run(["x", "y"]);
    expect(afterRestart[0]?.fingerprint).toBe(first[0]?.fingerprint);
  });
});
