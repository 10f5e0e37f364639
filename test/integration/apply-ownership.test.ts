// What apply owns and what it leaves alone, proven on a real kube-apiserver (test/kube/real-cluster.ts): a same-named secret it does not own is
// refused (unless --adopt), --prune deletes only secrets labelled as pullwarden's and removes only the
// ServiceAccount entries it added; nothing else is modified or deleted.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply, imagePullSecretNames, startCluster, writes } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";

let api: TestCluster;

beforeEach(async () => {
  api = await startCluster({ namespaces: ["team-a", "team-b", "team-c"] });
});
afterEach(async () => {
  await api?.stop();
});

const FOREIGN_DATA = Buffer.from(
  JSON.stringify({ auths: { "ghcr.io": { auth: Buffer.from("human:pat").toString("base64") } } }),
).toString("base64");

async function seedForeignSecret(namespace: string, labels?: Record<string, string>): Promise<void> {
  await api.objects.seed({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "ghcr-pull", namespace, ...(labels ? { labels } : {}) },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": FOREIGN_DATA },
  });
}

async function snapshot(namespace: string, resource = "secrets", name = "ghcr-pull"): Promise<unknown> {
  return structuredClone(await api.objects.get(resource, namespace, name));
}

describe("ownership", () => {
  it("refuses a same-named secret it does not own: that namespace is left untouched, the others are done", async () => {
    await seedForeignSecret("team-b");
    const before = await snapshot("team-b");
    const saBefore = await snapshot("team-b", "serviceaccounts", "default");
    const result = await apply(api, [
      "ghcr-pull",
      "-n",
      "team-a,team-b,team-c",
      "--service-account",
      "default",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "refused: team-b: secret/ghcr-pull exists and is not managed by pullwarden (no app.kubernetes.io/managed-by=pullwarden label): left as is, and its ServiceAccount bindings in this namespace are skipped\n  hint: to take it over (its data is replaced), re-run with --adopt; or pick another secret name",
    );
    expect(result.stderr).toContain(
      "apply refused some changes (see above): nothing it does not own was touched",
    );
    expect(await snapshot("team-b")).toEqual(before);
    expect(await snapshot("team-b", "serviceaccounts", "default")).toEqual(saBefore);
    expect(writes(api).filter((r) => r.namespace === "team-b")).toEqual([]);
    expect(await imagePullSecretNames(api, "team-a")).toEqual(["ghcr-pull"]);
    expect(await imagePullSecretNames(api, "team-c")).toEqual(["ghcr-pull"]);
  });

  it("names another manager, and --adopt takes the secret over (label, data) in one patch", async () => {
    await seedForeignSecret("team-a", { "app.kubernetes.io/managed-by": "Helm", team: "a" });
    const refused = await apply(api, ["ghcr-pull", "-n", "team-a"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("(app.kubernetes.io/managed-by=Helm)");

    api.clearRequestLog();
    const adopted = await apply(api, [
      "ghcr-pull",
      "-n",
      "team-a",
      "--adopt",
      "--service-account",
      "default",
    ]);
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toContain(
      "team-a: secret/ghcr-pull adopted from Helm (labelled as pullwarden's, data replaced)",
    );
    const secret = (await api.objects.get("secrets", "team-a", "ghcr-pull")) as unknown as {
      metadata: { labels: object };
      data: Record<string, string>;
    };
    expect(secret.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "pullwarden", team: "a" });
    expect(secret.data[".dockerconfigjson"]).not.toBe(FOREIGN_DATA);
    expect(writes(api).map((r) => `${r.verb} ${r.resource}`)).toEqual([
      "patch secrets",
      "patch serviceaccounts",
    ]);

    api.clearRequestLog();
    const again = await apply(api, ["ghcr-pull", "-n", "team-a", "--service-account", "default"]);
    expect(again.code).toBe(0);
    expect(writes(api)).toEqual([]);
  });

  it("refuses an owned secret of another type (a Secret's type cannot change)", async () => {
    await api.objects.seed({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "ghcr-pull",
        namespace: "team-a",
        labels: { "app.kubernetes.io/managed-by": "pullwarden" },
      },
      type: "Opaque",
      data: { token: "eA==" },
    });
    const result = await apply(api, ["ghcr-pull", "-n", "team-a"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "refused: team-a: secret/ghcr-pull has type Opaque, not kubernetes.io/dockerconfigjson, and a Secret's type cannot change: left as is",
    );
    expect(writes(api)).toEqual([]);
  });

  it("refuses a ServiceAccount that does not exist, and a namespace that does not exist", async () => {
    const result = await apply(api, [
      "ghcr-pull",
      "-n",
      "team-a,nowhere",
      "--service-account",
      "default,builder",
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("team-a: serviceaccount/default patched (imagePullSecrets + ghcr-pull)");
    expect(result.stderr).toContain(
      "refused: team-a: serviceaccount/builder not found: cannot add ghcr-pull to its imagePullSecrets\n  hint: create it (kubectl create serviceaccount builder -n team-a) and re-run, or drop it from --service-account",
    );
    expect(result.stderr).toContain("refused: nowhere: namespace/nowhere not found: nothing applied here");
  });
});

describe("--prune", () => {
  it("deletes owned secrets no longer selected and the entries it added, keeping everything else", async () => {
    await apply(api, ["ghcr-pull", "-n", "team-a,team-b,team-c", "--service-account", "default"]);
    // Someone adds their own entries around ours in team-b; team-c gets a same-named secret replaced by hand.
    const sa = (await api.objects.get("serviceaccounts", "team-b", "default")) as Record<string, unknown>;
    await api.objects.put({
      ...sa,
      imagePullSecrets: [{ name: "quay-pull" }, { name: "ghcr-pull" }, { name: "harbor" }],
    } as never);
    await api.objects.delete("secrets", "team-c", "ghcr-pull");
    await seedForeignSecret("team-c");
    const foreignC = await snapshot("team-c");

    api.clearRequestLog();
    const result = await apply(api, ["ghcr-pull", "-n", "team-a", "--service-account", "default", "--prune"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "team-b: serviceaccount/default patched (imagePullSecrets - ghcr-pull, pruned)",
    );
    expect(result.stdout).toContain("team-b: secret/ghcr-pull deleted (pruned: no longer wanted)");
    expect(result.stdout).toContain(
      "team-c: serviceaccount/default patched (imagePullSecrets - ghcr-pull, pruned)",
    );
    expect(await api.objects.get("secrets", "team-b", "ghcr-pull")).toBeUndefined();
    expect(await imagePullSecretNames(api, "team-b")).toEqual(["quay-pull", "harbor"]);
    expect(await snapshot("team-c")).toEqual(foreignC);
    expect(await imagePullSecretNames(api, "team-a")).toEqual(["ghcr-pull"]);
    expect(await api.objects.get("secrets", "team-a", "ghcr-pull")).toBeDefined();
    expect(
      writes(api)
        .map((r) => `${r.verb} ${r.resource} ${r.namespace}`)
        .sort(),
    ).toEqual(["delete secrets team-b", "patch serviceaccounts team-b", "patch serviceaccounts team-c"]);

    api.clearRequestLog();
    const again = await apply(api, ["ghcr-pull", "-n", "team-a", "--service-account", "default", "--prune"]);
    expect(again.code).toBe(0);
    expect(writes(api)).toEqual([]);
  });

  it("does not remove an entry it did not add, and says that it still points at the deleted secret", async () => {
    await apply(api, ["ghcr-pull", "-n", "team-a,team-b"]);
    const sa = (await api.objects.get("serviceaccounts", "team-b", "default")) as Record<string, unknown>;
    await api.objects.put({ ...sa, imagePullSecrets: [{ name: "ghcr-pull" }] } as never);
    const result = await apply(api, ["ghcr-pull", "-n", "team-a", "--prune"]);
    expect(result.code).toBe(0);
    expect(await api.objects.get("secrets", "team-b", "ghcr-pull")).toBeUndefined();
    expect(await imagePullSecretNames(api, "team-b")).toEqual(["ghcr-pull"]);
    expect(result.stderr).toContain(
      "warning: team-b: serviceaccount/default still lists ghcr-pull (an entry pullwarden did not add), which --prune deletes",
    );
  });

  it("--prune --dry-run=server deletes nothing", async () => {
    await apply(api, ["ghcr-pull", "-n", "team-a,team-b"]);
    api.clearRequestLog();
    const result = await apply(api, ["ghcr-pull", "-n", "team-a", "--prune", "--dry-run=server"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "team-b: secret/ghcr-pull deleted (pruned: no longer wanted) (server dry run)",
    );
    expect(writes(api).map((r) => `${r.verb} ${r.query["dryRun"]}`)).toEqual(["delete All"]);
    expect(await api.objects.get("secrets", "team-b", "ghcr-pull")).toBeDefined();
  });
});
