// `pullwarden status` against the real control plane with a controller that has converged: a static
// credential verified against the real registry, a binding by name and by label, a namespace where a foreign
// Secret holds the binding's name (conflict), a Secret `apply` wrote and one someone else wrote. The status
// command reads (five lists, no write), shows each state with its reason in text, JSON and HTML, and never a
// credential (the registry password is the canary). Before the CRDs exist it says so (exit 4), and a user who
// may not list Secrets gets the API server's 403 as one line (exit 4).
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { runPullwarden } from "../cli/run-cli.js";
import {
  condition,
  controllerWorld,
  createBinding,
  createCredential,
  createStaticCredential,
  dockerConfigJson,
  getCustom,
  installCrds,
  pullSecret,
  writesIn,
} from "../controller/harness.js";
import type { ControllerWorld } from "../controller/harness.js";
import { waitUntil } from "../support/net.js";

const USER = { username: "robot", password: "Status-Canary-5e2a91" };
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

let api: TestCluster;
let world: ControllerWorld | undefined;
const status = (args: string[] = [], kubeconfig = api.kubeconfigPath) =>
  runPullwarden(["status", "--kubeconfig", kubeconfig, ...args], { env: {}, now: () => new Date() });

beforeAll(async () => {
  api = await startCluster({ namespaces: ["team-a", "team-b", "team-c", "other"] });
  for (const name of ["team-b", "team-c"])
    await api.objects.put({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels: { pulls: "yes" } },
    });
});
afterAll(async () => {
  await world?.stop();
  await api?.stop();
});

describe("pullwarden status on a real control plane", () => {
  it("without the CRDs: exit 4, one line saying the controller's resources are not installed", async () => {
    const got = await status();
    expect(got.code).toBe(4);
    expect(got.stdout).toBe("");
    expect(got.stderr).toMatch(/clusterpullcredentials\.pullwarden\.io custom resource is not installed/);
    expect(got.stderr).toMatch(/helm install pullwarden charts\/pullwarden/);
  });

  it("after the controller converged: every state and reason, in text, JSON and HTML, reading only", async () => {
    world = await controllerWorld(api, USER);
    const host = world.registry.host;
    await api.objects.seed(
      pullSecret("team-c", "registry-pull", dockerConfigJson(host, USER)),
      pullSecret("other", "someone-else", dockerConfigJson(host, USER)),
      {
        ...pullSecret("team-b", "regcred", dockerConfigJson("ghcr.io", USER)),
        metadata: {
          namespace: "team-b",
          name: "regcred",
          labels: { "app.kubernetes.io/managed-by": "pullwarden" },
        },
      },
    );
    await createStaticCredential(api);
    await createBinding(api, "apps", {
      credentials: ["registry"],
      secretName: "registry-pull",
      namespaces: { names: ["team-a", "not-there"], selector: { matchLabels: { pulls: "yes" } } },
      serviceAccounts: ["default"],
    });
    const controller = await world.start();
    await waitUntil(
      "the binding converged (2 in sync, team-c in conflict)",
      async () => {
        const got = await getCustom(api, "clusterpullsecretbindings", "apps");
        const sa = await api.objects.get("serviceaccounts", "team-b", "default");
        return (
          got.status?.["secretsInSync"] === 2 &&
          JSON.stringify(got.status?.["conflicts"]) === '["team-c"]' &&
          JSON.stringify(sa?.["imagePullSecrets"] ?? []).includes("registry-pull")
        );
      },
      { timeoutMs: 30_000 },
    );
    await controller.stop();

    api.clearRequestLog();
    const [text, json, html] = await Promise.all([status(), status(["-o", "json"]), status(["-o", "html"])]);
    const log = api.requestLog();
    expect(writesIn(log)).toEqual([]);
    expect(log.filter((r) => r.verb === "list")).toHaveLength(15);
    for (const out of [text, json, html]) {
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).toBe("");
      for (const leak of [USER.password, b64(USER.password), b64(`${USER.username}:${USER.password}`)])
        expect(out.stdout).not.toContain(leak);
    }

    const view = JSON.parse(json.stdout) as {
      credentials: Record<string, unknown>[];
      bindings: { namespaces: unknown[]; notSelected: unknown[]; ready: { reason: string } }[];
      coverage: {
        registries: string[];
        rows: { namespace: string; cells: { method: string; detail: string }[] }[];
      };
    };
    expect(view.credentials).toHaveLength(1);
    expect(view.credentials[0]).toMatchObject({
      name: "registry",
      source: "static secret/registry-login",
      ready: { status: "True", reason: "Serving" },
      verified: { status: "True", reason: "RegistryAccepted" },
      expiringSoon: { status: "False" },
      registries: [host],
      stale: false,
      boundBy: ["apps"],
    });
    expect(view.credentials[0]?.["lastRefreshTime"]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(view.credentials[0]?.["expiresAt"]).toBeUndefined(); // a static credential has no known expiry
    expect(view.bindings[0]?.ready.reason).toBe("SecretConflict");
    expect(view.bindings[0]?.namespaces).toEqual([
      { namespace: "team-a", state: "in-sync", reason: "" },
      { namespace: "team-b", state: "in-sync", reason: "" },
      {
        namespace: "team-c",
        state: "conflict",
        reason:
          "a Secret registry-pull that the controller does not own (not pullwarden's) is in the way (left as is)",
      },
    ]);
    expect(view.bindings[0]?.notSelected).toEqual([{ namespace: "not-there", reason: "does not exist" }]);

    const cell = (namespace: string, registry: string) =>
      view.coverage.rows.find((r) => r.namespace === namespace)?.cells[
        view.coverage.registries.indexOf(registry)
      ];
    expect(view.coverage.registries).toEqual([host, "ghcr.io"].sort());
    expect(cell("team-a", host)).toEqual({
      method: "controller",
      detail: "binding apps: secret registry-pull",
    });
    expect(cell("team-c", host)).toEqual({
      method: "foreign",
      detail: "not pullwarden's: secret registry-pull",
    });
    expect(cell("other", host)).toEqual({
      method: "foreign",
      detail: "not pullwarden's: secret someone-else",
    });
    expect(cell("team-b", "ghcr.io")).toEqual({
      method: "apply",
      detail: "pullwarden apply: secret regcred",
    });
    expect(cell("default", host)).toEqual({ method: "none", detail: "no Secret in this namespace holds it" });

    expect(text.stdout).toMatch(/^CLUSTER PULL CREDENTIALS \(1\)\nNAME +SOURCE +READY/);
    expect(text.stdout).toMatch(
      /\nregistry +static secret\/registry-login +True +True +False +- +\S+Z \(\S+ ago\) +- /,
    );
    expect(text.stdout).toMatch(/\napps +registry-pull +registry +False +SecretConflict +3 +2 +2 +default\n/);
    expect(text.stdout).toContain(
      "  apps: team-c: conflict: a Secret registry-pull that the controller does not own",
    );
    expect(text.stdout).toContain("  apps: not-there: not covered: does not exist");

    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(html.stdout).not.toMatch(/<script|<link|src=|href=|url\(|https?:/i);
    expect(html.stdout).toContain(`<td class="cell controller" title="team-a × ${host}: controller binding`);
    // Kept for a look (and the render test renders its own fixture): not an assertion.
    writeFileSync("/tmp/pw/status-cluster.html", html.stdout);

    // audit --cluster -o html carries the same matrix (without the bindings, which audit does not read).
    const audit = await runPullwarden(
      ["audit", "--cluster", "--kubeconfig", api.kubeconfigPath, "-o", "html"],
      {
        env: {},
        now: () => new Date(),
      },
    );
    expect(audit.stdout).toContain("<h2>Coverage: namespace × registry</h2>");
    expect(audit.stdout).toContain(
      `<td class="cell controller" title="team-a × ${host}: controller binding — secret registry-pull (written by the controller)">`,
    );
    expect(audit.stdout).toContain(
      `<td class="cell foreign" title="other × ${host}: someone else&#39;s Secret`,
    );
    expect(audit.stdout).toContain('<td class="cell apply" title="team-b × ghcr.io: pullwarden apply secret');
    for (const leak of [USER.password, b64(USER.password), b64(`${USER.username}:${USER.password}`)])
      expect(audit.stdout).not.toContain(leak);
  });

  it("a cloud credential whose refresh fails: expiry, next refresh, ExpiringSoon and the failure on the timeline", async () => {
    if (!world) throw new Error("needs the converged world of the previous test");
    const current = world;
    const host = current.registry.host;
    const lifetimeMs = 20_000;
    let failing = false;
    // The controller's resolve port, where the SDK sources plug in: a mint that adds its token to the real
    // registry (user AWS, as ECR) and says when it expires (test/controller/cloud-refresh.test.ts does the same).
    const resolve = async (
      source: { kind: string },
      fallback: (s: never) => Promise<unknown>,
    ): Promise<unknown> => {
      if (source.kind !== "cloud-token") return fallback(source as never);
      if (failing) throw new Error("ECR GetAuthorizationToken answered 503 ServiceUnavailable");
      const token = `ecr-token-${Date.now()}`;
      await current.registry.addUser({ username: "AWS", password: token });
      return [
        {
          server: host,
          username: "AWS",
          password: token,
          expiresAt: new Date(Date.now() + lifetimeMs),
          source: "test mint",
          identity: "test",
        },
      ];
    };
    await createCredential(api, "ecr", {
      source: { ecr: { registry: host, region: "us-east-1" } },
      refresh: { rotationFraction: 0.5, jitterFraction: 0 },
    });
    await createBinding(api, "ecr-apps", {
      credentials: ["ecr"],
      secretName: "ecr-pull",
      namespaces: { names: ["team-a"] },
    });
    const controller = await current.start({ resolve: resolve as never });
    await waitUntil("ecr served", async () => {
      const c = await getCustom(api, "clusterpullcredentials", "ecr");
      return condition(c, "Ready")?.status === "True";
    });
    failing = true;
    await waitUntil(
      "ExpiringSoon while still Ready",
      async () => {
        const c = await getCustom(api, "clusterpullcredentials", "ecr");
        return condition(c, "ExpiringSoon")?.status === "True" && condition(c, "Ready")?.status === "True";
      },
      { timeoutMs: lifetimeMs },
    );
    const [json, html] = await Promise.all([status(["-o", "json"]), status(["-o", "html"])]);
    await controller.stop();
    expect(json.code, json.stderr).toBe(0);
    const ecr = (JSON.parse(json.stdout) as { credentials: Record<string, unknown>[] }).credentials.find(
      (c) => c["name"] === "ecr",
    );
    expect(ecr).toMatchObject({
      source: `ecr ${host}`,
      ready: { status: "True", reason: "Serving" },
      expiringSoon: { status: "True", reason: "RefreshFailing" },
      boundBy: ["ecr-apps"],
    });
    const expiresAt = Date.parse(String(ecr?.["expiresAt"]));
    const lastRefresh = Date.parse(String(ecr?.["lastRefreshTime"]));
    expect(expiresAt - lastRefresh).toBeGreaterThan(lifetimeMs - 2_000);
    expect(expiresAt - lastRefresh).toBeLessThanOrEqual(lifetimeMs + 1_000);
    expect(Date.parse(String(ecr?.["nextRefreshTime"]))).toBeLessThan(expiresAt);
    expect(ecr?.["failures"]).toEqual([
      expect.objectContaining({ condition: "ExpiringSoon", reason: "RefreshFailing" }),
    ]);
    // Two credentials serving: two bars; the ExpiringSoon transition: one ring; the next refresh: one diamond.
    expect(html.stdout.match(/<rect /g)).toHaveLength(2);
    expect(html.stdout.match(/<circle /g)).toHaveLength(1);
    expect(html.stdout.match(/<path /g)).toHaveLength(1);
    expect(html.stdout).toContain("ECR GetAuthorizationToken answered 503 ServiceUnavailable");
    writeFileSync("/tmp/pw/status-cluster-expiring.html", html.stdout);
  });

  it("a user who may not list Secrets: exit 4, the 403 as one line", async () => {
    await installCrds(api);
    await api.addUser("crd-reader", {
      rules: [
        {
          verbs: ["list"],
          apiGroups: ["pullwarden.io"],
          resources: ["clusterpullcredentials", "clusterpullsecretbindings"],
        },
        { verbs: ["list"], apiGroups: [""], resources: ["namespaces", "serviceaccounts"] },
      ],
    });
    const got = await status([], api.kubeconfigFor("crd-reader"));
    expect(got.code).toBe(4);
    expect(got.stdout).toBe("");
    const [line, ...rest] = got.stderr.trim().split("\n");
    expect(line).toBe(
      "error: cannot list secrets at cluster scope as crd-reader; check with: kubectl auth can-i list secrets",
    );
    expect(rest.every((more) => more.startsWith("hint: "))).toBe(true);
  });
});
