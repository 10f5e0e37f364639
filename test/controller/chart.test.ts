// The Helm chart (charts/pullwarden) with the real helm v4: it lints, renders, and its RBAC and admission
// policies are enough and no more. The rendered ServiceAccount, ClusterRole, Roles, bindings and
// ValidatingAdmissionPolicies are applied to the real control plane; the controller then runs with that
// ServiceAccount's own token (a TokenRequest; the proxy passes unknown tokens through, so the real API server
// authenticates, authorizes and admits the ServiceAccount): a static credential reaches a namespace, the
// ServiceAccount is bound, status, Events and the Lease are written, and no request of the controller is
// refused, while a verb the chart does not grant (deleting a Secret) is, and so are deliberate out-of-bounds
// writes by the same identity that RBAC allows (an Opaque Secret, taking over a foreign Secret, relabelling a
// ServiceAccount).
import { describe, expect, it } from "vitest";
import { ControllerKubeClient, KubeForbiddenError, loadKubeConfig } from "../../src/kube/index.js";
import type { KubeObject } from "../kube/harness.js";
import { waitUntil } from "../support/net.js";
import { CHART, applyRbac, helm, rendered, serviceAccountKubeconfig } from "./chart-render.js";
import {
  CONTROLLER_NAMESPACE,
  bindStaticCredential,
  condition,
  getCustom,
  pullSecret,
  storedAuths,
  useControllerWorld,
} from "./harness.js";

const USER = { username: "robot", password: "chart-Canary-1" };
/** What pullwarden apply labels its Secrets with: pullwarden's label, not the controller's writer label. */
const APPLY_LABELS = { "app.kubernetes.io/managed-by": "pullwarden" };

/** A dockerconfigjson Secret in team-a with no registry in it. */
function emptyPullSecret(name: string, labels?: Record<string, string>): KubeObject {
  const secret = pullSecret("team-a", name, '{"auths":{}}');
  return labels ? { ...secret, metadata: { ...secret.metadata, labels } } : secret;
}

describe("helm", () => {
  it("lints (strict) and renders the controller's objects", async () => {
    const lint = await helm(["lint", "--strict", CHART]);
    expect(lint.stdout).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(lint.exitCode).toBe(0);
    const objects = await rendered();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      "ClusterRole/pw-pullwarden-controller",
      "ClusterRoleBinding/pw-pullwarden-controller",
      "Deployment/pw-pullwarden-controller",
      "PodDisruptionBudget/pw-pullwarden-controller",
      "Role/pw-pullwarden-events",
      "Role/pw-pullwarden-leader-election",
      "RoleBinding/pw-pullwarden-events",
      "RoleBinding/pw-pullwarden-leader-election",
      "Service/pw-pullwarden-metrics",
      "ServiceAccount/pw-pullwarden",
      "ValidatingAdmissionPolicy/pw-pullwarden-secrets",
      "ValidatingAdmissionPolicy/pw-pullwarden-serviceaccounts",
      "ValidatingAdmissionPolicyBinding/pw-pullwarden-secrets",
      "ValidatingAdmissionPolicyBinding/pw-pullwarden-serviceaccounts",
    ]);
    const deployment = objects.find((o) => o.kind === "Deployment") as KubeObject & {
      spec: {
        template: { spec: { containers: { args: string[]; securityContext: Record<string, unknown> }[] } };
      };
    };
    const container = deployment.spec.template.spec.containers[0];
    expect(container?.args.slice(0, 2)).toEqual(["controller", "run"]);
    expect(container?.args).toContain("--lease-name=pw-pullwarden-controller");
    expect(container?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });
});

describe("helm values", () => {
  it("metrics.serviceMonitor and metrics.prometheusRule: a ServiceMonitor on the metrics Service and the alerts", async () => {
    const objects = await rendered([
      "metrics.serviceMonitor.enabled=true",
      "metrics.serviceMonitor.labels.release=prom",
      "metrics.prometheusRule.enabled=true",
      "metrics.prometheusRule.expiringWithinSeconds=900",
    ]);
    const monitor = objects.find((o) => o.kind === "ServiceMonitor") as KubeObject & {
      spec: {
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; path: string }[];
      };
    };
    const service = objects.find((o) => o.kind === "Service") as KubeObject & {
      spec: { selector: Record<string, string>; ports: { name: string }[] };
    };
    expect(monitor.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(monitor.metadata.labels?.["release"]).toBe("prom");
    expect(monitor.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(monitor.spec.endpoints).toEqual([
      { port: service.spec.ports[0]?.name, path: "/metrics", interval: "30s" },
    ]);
    const rule = objects.find((o) => o.kind === "PrometheusRule") as KubeObject & {
      spec: { groups: { rules: { alert: string; expr: string; labels: { severity: string } }[] }[] };
    };
    const alerts = rule.spec.groups[0]?.rules ?? [];
    expect(alerts.map((a) => `${a.alert} ${a.labels.severity}`)).toEqual([
      "PullwardenCredentialExpiringSoon warning",
      "PullwardenCredentialExpired critical",
      "PullwardenCredentialRefreshFailing warning",
      "PullwardenNoLeader warning",
    ]);
    // Every metric an alert reads is one the controller exports.
    const { ControllerMetrics } = await import("../../src/controller/runtime/metrics.js");
    const exported = (await new ControllerMetrics({ defaultMetrics: false }).registry.getMetricsAsJSON()).map(
      (m) => m.name,
    );
    for (const alert of alerts)
      for (const name of alert.expr.match(/pullwarden_[a-z_]+/g) ?? []) expect(exported).toContain(name);
    expect(alerts[0]?.expr).toContain("< 900");
    // Off by default, and a ServiceMonitor without the Service is refused.
    expect((await rendered()).some((o) => o.kind === "ServiceMonitor" || o.kind === "PrometheusRule")).toBe(
      false,
    );
    const refused = await helm([
      "template",
      "pw",
      CHART,
      "--set",
      "metrics.serviceMonitor.enabled=true",
      "--set",
      "metrics.service.enabled=false",
    ]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("metrics.serviceMonitor.enabled needs metrics.service.enabled");
  });

  it("cloudIdentity: IRSA and Azure workload identity annotations on the ServiceAccount, the Azure Pod label", async () => {
    const objects = await rendered([
      "cloudIdentity.aws.roleArn=arn:aws:iam::123456789012:role/pullwarden",
      "cloudIdentity.azure.clientId=00000000-0000-0000-0000-000000000001",
      "cloudIdentity.azure.tenantId=00000000-0000-0000-0000-000000000002",
      "serviceAccount.annotations.team=platform",
    ]);
    const account = objects.find((o) => o.kind === "ServiceAccount");
    expect(account?.metadata.annotations).toEqual({
      "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/pullwarden",
      "azure.workload.identity/client-id": "00000000-0000-0000-0000-000000000001",
      "azure.workload.identity/tenant-id": "00000000-0000-0000-0000-000000000002",
      team: "platform",
    });
    const deployment = objects.find((o) => o.kind === "Deployment") as KubeObject & {
      spec: { template: { metadata: { labels: Record<string, string> } } };
    };
    expect(deployment.spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
    expect((await rendered()).find((o) => o.kind === "ServiceAccount")?.metadata.annotations).toBeUndefined();
    const bad = await helm(["template", "pw", CHART, "--set", "cloudIdentity.aws.roleArn=not-an-arn"]);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain("/cloudIdentity/aws/roleArn");
  });

  it("restartStuckPods.enabled: the flag and the Pod permissions, none of them by default", async () => {
    const rules = (objects: KubeObject[]) =>
      (
        objects.find((o) => o.kind === "ClusterRole") as KubeObject & { rules: { resources: string[] }[] }
      ).rules.flatMap((r) => r.resources);
    const args = (objects: KubeObject[]) =>
      (
        objects.find((o) => o.kind === "Deployment") as KubeObject & {
          spec: { template: { spec: { containers: { args: string[] }[] } } };
        }
      ).spec.template.spec.containers[0]?.args ?? [];
    const on = await rendered(["restartStuckPods.enabled=true"]);
    expect(rules(on)).toEqual(expect.arrayContaining(["pods", "replicasets", "jobs", "events"]));
    expect(args(on)).toContain("--restart-stuck-pods");
    const off = await rendered();
    expect(rules(off)).not.toContain("pods");
    expect(args(off)).not.toContain("--restart-stuck-pods");
  });
});

describe("the rendered RBAC on the real control plane", () => {
  const { api, world } = useControllerWorld({ namespaces: ["team-a"], user: USER, per: "all" });

  it("is enough for the controller, and no more", async () => {
    await applyRbac(api, await rendered());
    const kubeconfig = await serviceAccountKubeconfig(api);

    const client = new ControllerKubeClient(loadKubeConfig({ kubeconfig, env: {} }));
    const opaque = (name: string) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: "team-a", labels: { "app.kubernetes.io/managed-by": "pullwarden" } },
      type: "Opaque",
    });
    // The policies are enforced a moment after they are created (the API server's policy informer).
    await waitUntil(
      "the admission policies enforced",
      async () => {
        try {
          await client.createSecret("team-a", opaque("probe"), { dryRun: true });
          return false;
        } catch (error) {
          return /writes only kubernetes\.io\/dockerconfigjson/.test((error as Error).message);
        }
      },
      { timeoutMs: 30_000 },
    );
    await api.objects.seed(emptyPullSecret("foreign"));

    await bindStaticCredential(api, { namespaces: { names: ["team-a"] }, serviceAccounts: ["default"] });
    api.clearRequestLog();
    const controller = await world.start(
      {
        leaderElection: {
          leaseName: "pw-pullwarden-controller",
          timings: { leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 },
        },
      },
      kubeconfig,
    );
    const describe = () => world.logTail();
    await waitUntil(
      "the secret, the binding and the status",
      async () => {
        const sa = await api.objects.get("serviceaccounts", "team-a", "default");
        const b = await getCustom(api, "clusterpullsecretbindings", "apps");
        return (
          (await storedAuths(api, "team-a", "registry-pull")) !== undefined &&
          JSON.stringify(sa?.["imagePullSecrets"]) === JSON.stringify([{ name: "registry-pull" }]) &&
          condition(b, "Ready")?.status === "True"
        );
      },
      { timeoutMs: 45_000, describe },
    );
    expect(controller.leading).toBe(true);
    const lease = await api.objects.get(
      "leases.coordination.k8s.io",
      CONTROLLER_NAMESPACE,
      "pw-pullwarden-controller",
    );
    expect((lease?.["spec"] as { holderIdentity?: string }).holderIdentity).toBe("test-0");
    expect((lease?.["spec"] as { renewTime?: string }).renewTime).toMatch(/\.\d{6}Z$/);
    const events = (await api.objects.list("events", "default")).filter(
      (e) => (e["involvedObject"] as { name?: string }).name === "registry",
    );
    expect(events.map((e) => e["reason"])).toEqual(["CredentialRefreshed"]);
    const refused = api.requestLog().filter((r) => r.status === 401 || r.status === 403);
    expect(refused.map((r) => `${r.status} ${r.verb} ${r.resource ?? r.path}`)).toEqual([]);
    expect(world.logs.filter((l) => /forbidden/i.test(JSON.stringify(l)))).toEqual([]);

    // No more than that: a verb the chart does not grant is refused to the same identity...
    await expect(client.deleteSecret("team-a", "registry-pull")).rejects.toBeInstanceOf(KubeForbiddenError);
    // ...and so are writes RBAC allows but the admission policies fence.
    await expect(client.createSecret("team-a", opaque("opaque"))).rejects.toThrow(
      /writes only kubernetes\.io\/dockerconfigjson Secrets/,
    );
    await expect(
      client.mergePatchSecret("team-a", "foreign", {
        metadata: {
          labels: { "app.kubernetes.io/managed-by": "pullwarden", "pullwarden.io/writer": "controller" },
        },
      }),
    ).rejects.toThrow(/never takes over a Secret it does not own/);
    // apply's Secrets (pullwarden's label, not the controller's writer label) are not the controller's either.
    await api.objects.seed(emptyPullSecret("applied", APPLY_LABELS));
    await expect(
      client.mergePatchSecret("team-a", "applied", {
        metadata: { labels: { "pullwarden.io/writer": "controller" } },
      }),
    ).rejects.toThrow(/never takes over a Secret it does not own/);
    await expect(client.createSecret("team-a", emptyPullSecret("unmarked", APPLY_LABELS))).rejects.toThrow(
      /writes only Secrets labelled app\.kubernetes\.io\/managed-by=pullwarden and pullwarden\.io\/writer=controller/,
    );
    await expect(
      client.jsonPatchServiceAccount("team-a", "default", [
        { op: "add", path: "/metadata/labels", value: { owner: "pullwarden" } },
      ]),
    ).rejects.toThrow(/changes only a ServiceAccount's imagePullSecrets/);
    await expect(
      client.jsonPatchServiceAccount("team-a", "default", [{ op: "remove", path: "/imagePullSecrets/0" }]),
    ).resolves.toBeDefined();
    await expect(
      client.listForWatch({
        kind: "Custom",
        group: "rbac.authorization.k8s.io",
        version: "v1",
        plural: "clusterroles",
        customKind: "ClusterRole",
      }),
    ).rejects.toBeInstanceOf(KubeForbiddenError);
  }, 180_000);
});
