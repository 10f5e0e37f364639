// Proves the real control plane of test/support/control-plane.ts (no pullwarden code): etcd + kube-apiserver +
// kube-controller-manager built from Go modules, with TLS, RBAC, ServiceAccount admission and token signing.
import { request as httpsRequest } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  requireGoTool,
  runCommand,
  SERVICE_ACCOUNT_ISSUER,
  startControlPlane,
  waitUntil,
} from "../support/index.js";
import type { ControlPlane } from "../support/index.js";

let cp: ControlPlane;

beforeAll(async () => {
  cp = await startControlPlane();
  // Shown in the test output: the startup budget is measured, not asserted.
  console.log(`control plane ready: ${JSON.stringify(cp.startup)}`);
}, 180_000);
afterAll(async () => cp?.stop());

async function kubectl(
  args: string[],
  user = "admin",
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  return runCommand(requireGoTool("kubectl"), ["--kubeconfig", cp.kubeconfigFor(user), ...args], {
    env: { PATH: process.env.PATH, HOME: cp.dir },
  });
}

/** The first event (or HTTP error) of a watch from `resourceVersion`, as status code and first line. */
function firstWatchEvent(path: string): Promise<{ status: number; first: string }> {
  const cert = cp.credentials("admin");
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${cp.url}${path}`, {
      ca: cp.caPem,
      cert: cert.certPem,
      key: cert.keyPem,
      timeout: 10_000,
      headers: { accept: "application/json" },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (c: Buffer) => {
        text += c.toString("utf8");
        const nl = text.indexOf("\n");
        if (nl >= 0 || res.statusCode !== 200) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, first: nl >= 0 ? text.slice(0, nl) : text });
        }
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, first: text }));
      res.on("error", () => undefined);
    });
    req.on("timeout", () => req.destroy(new Error(`no watch event within 10 s: ${path}`)));
    req.on("error", reject);
    req.end();
  });
}

describe("the real control plane", () => {
  it("serves kubectl 1.37 with the admin's client certificate", async () => {
    const version = await kubectl(["version", "-o", "json"]);
    expect(version.exitCode, version.stderr).toBe(0);
    const parsed = JSON.parse(version.stdout) as { serverVersion: { gitVersion: string } };
    expect(parsed.serverVersion.gitVersion).toBe("v1.37.2");
    const whoami = await kubectl(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]);
    expect(whoami.stdout).toBe("admin");
  });

  it("a new namespace gets its default ServiceAccount and kube-root-ca.crt from the controller manager", async () => {
    const created = await cp.request("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team-a" },
    });
    expect(created.status, created.body).toBe(201);
    await waitUntil(
      "default ServiceAccount in team-a",
      async () =>
        (await cp.request("GET", "/api/v1/namespaces/team-a/serviceaccounts/default")).status === 200,
      { timeoutMs: 20_000 },
    );
    await waitUntil(
      "kube-root-ca.crt in team-a",
      async () =>
        (await cp.request("GET", "/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt")).status === 200,
      { timeoutMs: 20_000 },
    );
    const ca = await cp.request("GET", "/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt");
    expect((ca.json?.data as Record<string, string>)["ca.crt"]).toBe(cp.caPem);
  });

  it("TokenRequest issues a bound token the API server accepts (ServiceAccount token signing)", async () => {
    const res = await cp.request("POST", "/api/v1/namespaces/team-a/serviceaccounts/default/token", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: 600 },
    });
    expect(res.status, res.body).toBe(201);
    const token = (res.json?.status as { token: string }).token;
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      iss: string;
      sub: string;
    };
    expect(claims.iss).toBe(SERVICE_ACCOUNT_ISSUER);
    expect(claims.sub).toBe("system:serviceaccount:team-a:default");
    const review = await cp.request("POST", "/apis/authentication.k8s.io/v1/tokenreviews", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenReview",
      spec: { token },
    });
    expect(review.status, review.body).toBe(201);
    expect(review.json?.status).toMatchObject({
      authenticated: true,
      user: { username: "system:serviceaccount:team-a:default" },
    });
  });

  it("the limited user gets 403 until RBAC grants it something", async () => {
    const denied = await cp.request("GET", "/api/v1/namespaces/team-a/secrets", undefined, {
      user: "limited",
    });
    expect(denied.status).toBe(403);
    expect(denied.json?.message).toBe(
      'secrets is forbidden: User "limited" cannot list resource "secrets" in API group "" in the namespace "team-a"',
    );
    const binding = await cp.request(
      "POST",
      "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings",
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "limited-view" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "limited" }],
      },
    );
    expect(binding.status, binding.body).toBe(201);
    // `edit` is an aggregated ClusterRole: the clusterrole-aggregation controller fills its rules.
    await waitUntil(
      "limited can list secrets in team-a",
      async () =>
        (await cp.request("GET", "/api/v1/namespaces/team-a/secrets", undefined, { user: "limited" }))
          .status === 200,
      { timeoutMs: 20_000 },
    );
    const elsewhere = await kubectl(["get", "secrets", "-n", "default"], "limited");
    expect(elsewhere.exitCode).toBe(1);
    expect(elsewhere.stderr).toContain('User "limited" cannot list resource "secrets"');
  });

  it("restart keeps the data and the port", async () => {
    const created = await cp.request("POST", "/api/v1/namespaces/team-a/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "survivor" },
      data: { k: "v" },
    });
    expect(created.status, created.body).toBe(201);
    const url = cp.url;
    await cp.restart();
    console.log(`control plane restarted: ${JSON.stringify(cp.startup)}`);
    expect(cp.url).toBe(url);
    const got = await cp.request("GET", "/api/v1/namespaces/team-a/configmaps/survivor");
    expect(got.status).toBe(200);
    expect(got.json?.data).toEqual({ k: "v" });
  });

  it("a watch from a resourceVersion older than an etcd compaction gets 410 Gone", async () => {
    const first = await cp.request("POST", "/api/v1/namespaces/team-a/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "churn" },
      data: { n: "0" },
    });
    expect(first.status, first.body).toBe(201);
    const oldRv = (first.json?.metadata as { resourceVersion: string }).resourceVersion;
    for (let n = 1; n <= 3; n++) {
      const res = await cp.request(
        "PATCH",
        "/api/v1/namespaces/team-a/configmaps/churn",
        { data: { n: `${n}` } },
        {
          contentType: "application/merge-patch+json",
        },
      );
      expect(res.status, res.body).toBe(200);
    }
    const path = `/api/v1/namespaces/team-a/configmaps?watch=true&resourceVersion=${oldRv}&allowWatchBookmarks=false`;
    // An etcd compaction alone: kube-apiserver's watch cache still holds that history and replays it.
    const revision = await cp.compact({ restartApiServer: false });
    expect(revision).toBeGreaterThan(Number(oldRv));
    const replayed = await firstWatchEvent(path);
    expect(replayed.status).toBe(200);
    expect((JSON.parse(replayed.first) as { type: string }).type).toBe("MODIFIED");
    // Compaction and a restart (the watch cache starts at the current revision): 410 Gone.
    await cp.compact();
    const watch = await firstWatchEvent(path);
    // The real server answers 200 and then one ERROR event carrying the 410 Status.
    const event = JSON.parse(watch.first) as {
      type: string;
      object: { code: number; reason: string; message: string };
    };
    expect({
      status: watch.status,
      type: event.type,
      code: event.object.code,
      reason: event.object.reason,
    }).toEqual({
      status: 200,
      type: "ERROR",
      code: 410,
      reason: "Expired",
    });
    expect(event.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });
});
