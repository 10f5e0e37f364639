// `pullwarden apply` against a real kube-apiserver (test/kube/real-cluster.ts), through @kubernetes/client-node:
// what it writes on a first run, that an unchanged second run writes nothing, that it appends to a
// ServiceAccount's imagePullSecrets without touching other entries, dry runs, --diff, -o json, selectors.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseJsonOutput } from "../cli/run-cli.js";
import { GHCR, apply, imagePullSecretNames, startCluster, writes } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { rawRequest } from "../support/kube-wire-client.js";

let api: TestCluster;

beforeEach(async () => {
  api = await startCluster({ namespaces: ["team-a", "team-b", "team-c"] });
});
afterEach(async () => {
  await api?.stop();
});

interface StoredSecret {
  type?: string;
  metadata: { labels?: Record<string, string>; resourceVersion?: string };
  data?: Record<string, string>;
}

async function storedPayload(
  namespace: string,
  name = "ghcr-pull",
): Promise<{ auths: Record<string, { username: string; password: string; auth: string }> }> {
  const secret = (await api.objects.get("secrets", namespace, name)) as StoredSecret | undefined;
  if (!secret?.data?.[".dockerconfigjson"]) throw new Error(`no secret ${namespace}/${name}`);
  return JSON.parse(Buffer.from(secret.data[".dockerconfigjson"], "base64").toString("utf8"));
}

describe("first run, second run", () => {
  it("creates the secret and binds it with 2 writes per namespace; an unchanged re-run makes zero writes", async () => {
    const first = await apply(api, [
      "ghcr-pull",
      "-n",
      "team-a,team-b",
      "-n",
      "team-c",
      "--service-account",
      "default",
    ]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      [
        "team-a: secret/ghcr-pull created",
        "team-a: serviceaccount/default patched (imagePullSecrets + ghcr-pull)",
        "team-b: secret/ghcr-pull created",
        "team-b: serviceaccount/default patched (imagePullSecrets + ghcr-pull)",
        "team-c: secret/ghcr-pull created",
        "team-c: serviceaccount/default patched (imagePullSecrets + ghcr-pull)",
        "3 namespaces in context admin: 6 changed, 0 unchanged; 16 API requests (6 writes)",
        "",
      ].join("\n"),
    );
    expect(
      writes(api)
        .map((r) => `${r.verb} ${r.resource} ${r.namespace} ${r.contentType ?? ""}`)
        .sort(),
    ).toEqual([
      "create secrets team-a application/json",
      "create secrets team-b application/json",
      "create secrets team-c application/json",
      "patch serviceaccounts team-a application/json-patch+json",
      "patch serviceaccounts team-b application/json-patch+json",
      "patch serviceaccounts team-c application/json-patch+json",
    ]);
    for (const ns of ["team-a", "team-b", "team-c"]) {
      const secret = (await api.objects.get("secrets", ns, "ghcr-pull")) as StoredSecret;
      expect(secret.type).toBe("kubernetes.io/dockerconfigjson");
      expect(secret.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "pullwarden" });
      expect((await storedPayload(ns)).auths["ghcr.io"]).toEqual({
        username: GHCR.username,
        password: GHCR.password,
        auth: Buffer.from(`${GHCR.username}:${GHCR.password}`).toString("base64"),
      });
      expect(await imagePullSecretNames(api, ns)).toEqual(["ghcr-pull"]);
    }

    api.clearRequestLog();
    const second = await apply(api, [
      "ghcr-pull",
      "-n",
      "team-a,team-b,team-c",
      "--service-account",
      "default",
    ]);
    expect(second.code).toBe(0);
    expect(writes(api)).toEqual([]);
    expect(second.stdout).toContain(
      "3 namespaces in context admin: 0 changed, 6 unchanged; 10 API requests (0 writes)",
    );
  });

  it("a rotated password updates only the secret data (one patch per namespace)", async () => {
    await apply(api, ["ghcr-pull", "-n", "team-a,team-b", "--service-account", "default"]);
    api.clearRequestLog();
    const rotated = "ghp_rotatedrotatedrotatedrotatedrotated12";
    const result = await apply(api, ["ghcr-pull", "-n", "team-a,team-b", "--service-account", "default"], {
      password: rotated,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("team-a: secret/ghcr-pull configured (data updated)");
    expect(writes(api).map((r) => `${r.verb} ${r.resource} ${r.namespace} ${r.contentType}`)).toEqual([
      "patch secrets team-a application/merge-patch+json",
      "patch secrets team-b application/merge-patch+json",
    ]);
    expect((await storedPayload("team-a")).auths["ghcr.io"]?.password).toBe(rotated);
    expect(result.stdout + result.stderr).not.toContain(rotated);
  });

  it("appends to imagePullSecrets, keeping entries it does not own in place, and records only its own", async () => {
    await api.objects.put({
      ...((await api.objects.get("serviceaccounts", "team-a", "default")) as object),
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        ...((await api.objects.get("serviceaccounts", "team-a", "default"))?.metadata as object),
        annotations: { "team.example/owner": "platform" },
      },
      imagePullSecrets: [{ name: "legacy-registry" }, { name: "quay-pull" }],
    } as never);
    const result = await apply(api, ["ghcr-pull", "-n", "team-a", "--service-account", "default"]);
    expect(result.code).toBe(0);
    expect(await imagePullSecretNames(api, "team-a")).toEqual(["legacy-registry", "quay-pull", "ghcr-pull"]);
    const sa = (await api.objects.get("serviceaccounts", "team-a", "default")) as {
      metadata: { annotations?: Record<string, string> };
    };
    expect(sa.metadata.annotations).toEqual({
      "team.example/owner": "platform",
      "pullwarden.io/image-pull-secrets": "ghcr-pull",
    });
  });

  it("a ServiceAccount that already lists the secret (added by hand) is left alone and not claimed", async () => {
    await api.objects.seed({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "builder", namespace: "team-a" },
      imagePullSecrets: [{ name: "ghcr-pull" }],
    });
    api.clearRequestLog();
    const result = await apply(api, ["ghcr-pull", "-n", "team-a", "--service-account", "builder"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("team-a: serviceaccount/builder already lists ghcr-pull");
    expect(writes(api).map((r) => r.resource)).toEqual(["secrets"]);
    const sa = (await api.objects.get("serviceaccounts", "team-a", "builder")) as {
      metadata: { annotations?: object };
    };
    expect(sa.metadata.annotations).toBeUndefined();
  });

  it("without -n it uses the context's namespace, as kubectl does", async () => {
    const result = await apply(api, ["ghcr-pull"], { user: "admin" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("default: secret/ghcr-pull created");
    const kubeconfig = api.kubeconfigFor("admin", "team-b");
    const { runPullwarden } = await import("../cli/run-cli.js");
    const inTeamB = await runPullwarden(
      [
        "apply",
        "ghcr-pull",
        "--docker-server",
        "ghcr.io",
        "--docker-username",
        "u",
        "--docker-password-env",
        "P",
        "--kubeconfig",
        kubeconfig,
      ],
      { env: { P: "pw" } },
    );
    expect(inTeamB.code).toBe(0);
    expect(inTeamB.stdout).toContain("team-b: secret/ghcr-pull created");
  });

  it("--namespace-selector applies to the namespaces whose labels match", async () => {
    for (const ns of ["team-a", "team-c"]) {
      const object = (await api.objects.get("namespaces", undefined, ns)) as { metadata: object };
      await api.objects.put({
        ...object,
        metadata: { ...object.metadata, labels: { pulls: "ghcr" } },
      } as never);
    }
    const result = await apply(api, [
      "ghcr-pull",
      "--namespace-selector",
      "pulls=ghcr",
      "--service-account",
      "default",
    ]);
    expect(result.code).toBe(0);
    expect(await api.objects.get("secrets", "team-a", "ghcr-pull")).toBeDefined();
    expect(await api.objects.get("secrets", "team-b", "ghcr-pull")).toBeUndefined();
    expect(await api.objects.get("secrets", "team-c", "ghcr-pull")).toBeDefined();

    const none = await apply(api, ["ghcr-pull", "--namespace-selector", "pulls=nothing"]);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('namespace selector "pulls=nothing" matches no namespace');
    const bad = await apply(api, ["ghcr-pull", "--namespace-selector", "pulls in (x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: invalid namespace selector "pulls in \(x": /);
  });
});

describe("dry runs, diff and JSON", () => {
  it("--dry-run=client reads but writes nothing, and says so", async () => {
    const result = await apply(api, [
      "ghcr-pull",
      "-n",
      "team-a",
      "--service-account",
      "default",
      "--dry-run=client",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("team-a: secret/ghcr-pull created (dry run)");
    expect(result.stdout).toContain(
      "team-a: serviceaccount/default patched (imagePullSecrets + ghcr-pull) (dry run)",
    );
    expect(writes(api)).toEqual([]);
    expect(await api.objects.get("secrets", "team-a", "ghcr-pull")).toBeUndefined();
  });

  it("--dry-run=server sends every write with dryRun=All and nothing is persisted", async () => {
    const before = await api.objects.get("serviceaccounts", "team-a", "default");
    const result = await apply(api, [
      "ghcr-pull",
      "-n",
      "team-a,team-b",
      "--service-account",
      "default",
      "--dry-run=server",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("team-a: secret/ghcr-pull created (server dry run)");
    const sent = writes(api);
    expect(sent).toHaveLength(4);
    for (const request of sent) expect(request.query["dryRun"]).toBe("All");
    expect(await api.objects.get("secrets", "team-a", "ghcr-pull")).toBeUndefined();
    expect(await api.objects.get("serviceaccounts", "team-a", "default")).toEqual(before);
  });

  it("--diff shows what changes by registry and entry name, never a value", async () => {
    await apply(api, ["ghcr-pull", "-n", "team-a", "--service-account", "default"]);
    const rotated = "ghp_rotatedrotatedrotatedrotatedrotated12";
    const result = await apply(
      api,
      ["ghcr-pull", "-n", "team-a,team-b", "--service-account", "default", "--diff", "--dry-run=client"],
      {
        password: rotated,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      [
        "~~~ secret team-a/ghcr-pull (update)",
        "  ~ data[.dockerconfigjson]: changed (values hidden)",
        "    ~ ghcr.io (credentials changed)",
        "+++ secret team-b/ghcr-pull (create)",
        "  + type: kubernetes.io/dockerconfigjson",
        "  + label app.kubernetes.io/managed-by=pullwarden",
        "  + data[.dockerconfigjson]: (value hidden)",
        "    + ghcr.io (added)",
        "~~~ serviceaccount team-b/default (imagePullSecrets)",
        "  - imagePullSecrets: []",
        "  + imagePullSecrets: [ghcr-pull]",
      ].join("\n"),
    );
    for (const secretText of [
      rotated,
      GHCR.password,
      Buffer.from(`${GHCR.username}:${rotated}`).toString("base64"),
    ]) {
      expect(result.stdout + result.stderr).not.toContain(secretText);
    }
    expect(writes(api).filter((r) => r.namespace === "team-b")).toEqual([]);
  });

  it("-o json is one document with a summary and every item", async () => {
    const result = await apply(api, [
      "ghcr-pull",
      "-n",
      "team-a",
      "--service-account",
      "default",
      "-o",
      "json",
    ]);
    expect(result.code).toBe(0);
    const doc = parseJsonOutput<Record<string, unknown>>(result);
    expect(doc).toMatchObject({
      apiVersion: "pullwarden.io/v1alpha1",
      kind: "ApplyResult",
      context: "admin",
      server: api.url,
      dryRun: "none",
      exitCode: 0,
      summary: {
        namespaces: 1,
        changed: 2,
        unchanged: 0,
        refused: 0,
        failed: 0,
        skipped: 0,
        warnings: 0,
        writes: 2,
      },
      items: [
        {
          namespace: "team-a",
          object: "secret/ghcr-pull",
          action: "create-secret",
          status: "changed",
          message: "created",
        },
        {
          namespace: "team-a",
          object: "serviceaccount/default",
          action: "bind",
          status: "changed",
          message: "patched (imagePullSecrets + ghcr-pull)",
        },
      ],
    });
  });
});

describe("Pods admitted before the binding", () => {
  it("are reported: a Pod gets its ServiceAccount's imagePullSecrets only at creation", async () => {
    for (const name of ["web-1", "web-2"]) {
      const response = await rawRequest(api, "POST", "/api/v1/namespaces/team-a/pods", {
        body: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name },
          spec: { containers: [{ name: "app", image: "ghcr.io/org/web:1" }] },
        },
      });
      expect(response.status).toBe(201);
    }
    const result = await apply(api, ["ghcr-pull", "-n", "team-a", "--service-account", "default"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "warning: team-a: serviceaccount/default 2 Pods were admitted before it had ghcr-pull and lack it: pod/web-1, pod/web-2",
    );
    // A Pod created now gets it from the ServiceAccount (admission), so it is not reported. The real
    // ServiceAccount admission plugin reads the ServiceAccount from its informer cache, which may lag the patch
    // by a moment: a Pod admitted in that moment lacks it (as a real one would), so delete it and try again.
    let imagePullSecrets: unknown;
    for (let attempt = 0; attempt < 50; attempt++) {
      const response = await rawRequest(api, "POST", "/api/v1/namespaces/team-a/pods", {
        body: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "web-3" },
          spec: { containers: [{ name: "app", image: "ghcr.io/org/web:1" }] },
        },
      });
      expect(response.status).toBe(201);
      imagePullSecrets = response.json<{ spec: { imagePullSecrets?: unknown } }>().spec.imagePullSecrets;
      if (imagePullSecrets !== undefined) break;
      await rawRequest(api, "DELETE", "/api/v1/namespaces/team-a/pods/web-3?gracePeriodSeconds=0");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(imagePullSecrets).toEqual([{ name: "ghcr-pull" }]);
    const again = await apply(api, ["ghcr-pull", "-n", "team-a", "--service-account", "default"]);
    expect(again.stderr).toContain("pod/web-1, pod/web-2");
    expect(again.stderr).not.toContain("web-3");
  });
});
