// The controller's scoped mode (docs/controller.md, "Scoped mode") on the real control plane: the chart rendered
// with scope.namespaces grants a Role per listed namespace and a ClusterRole that only reads the custom
// resources and writes their status; the controller runs with --watch-namespaces under that ServiceAccount's own
// token. It serves the namespaces it may serve, says in one log line which watched namespace refuses it (no
// crash, no restart loop, ready), never lists Namespaces, and tells on the binding which names it does not
// watch or may not read and that a label selector matches nothing.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../kube/harness.js";
import { waitUntil } from "../support/net.js";
import { applyRbac, rendered, serviceAccountKubeconfig } from "./chart-render.js";
import {
  bindStaticCredential,
  condition,
  createBinding,
  getCustom,
  storedAuths,
  useControllerWorld,
} from "./harness.js";

const USER = { username: "robot", password: "scoped-Canary-7" };
const SCOPE = ["team-a", "team-b"];

type ClusterRole = KubeObject & { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };

function args(objects: readonly KubeObject[]): string[] {
  const deployment = objects.find((o) => o.kind === "Deployment") as KubeObject & {
    spec: { template: { spec: { containers: { args: string[] }[] } } };
  };
  return deployment.spec.template.spec.containers[0]?.args ?? [];
}

describe("scope.namespaces in the chart", () => {
  it("renders a Role and RoleBinding per namespace and a ClusterRole on the custom resources only", async () => {
    const objects = await rendered([
      `scope.namespaces={${SCOPE.join(",")}}`,
      "restartStuckPods.enabled=true",
    ]);
    const clusterRole = objects.find((o) => o.kind === "ClusterRole") as ClusterRole;
    expect(clusterRole.rules.flatMap((r) => r.apiGroups)).toEqual(["pullwarden.io", "pullwarden.io"]);
    const roles = objects
      .filter((o) => o.kind === "Role")
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(roles.sort()).toEqual([
      "default/pw-pullwarden-events",
      "pullwarden-system/pw-pullwarden-leader-election",
      "pullwarden-system/pw-pullwarden-sources",
      "team-a/pw-pullwarden-controller",
      "team-b/pw-pullwarden-controller",
    ]);
    const teamRole = objects.find(
      (o) => o.kind === "Role" && o.metadata.namespace === "team-b",
    ) as ClusterRole;
    expect(teamRole.rules.flatMap((r) => r.resources)).toEqual(
      expect.arrayContaining(["secrets", "serviceaccounts", "pods", "replicasets", "jobs", "events"]),
    );
    const bindings = objects.filter((o) => o.kind === "RoleBinding").map((o) => o.metadata.namespace);
    expect(bindings).toEqual(expect.arrayContaining(SCOPE));
    expect(args(objects)).toContain("--watch-namespaces=team-a,team-b");
    // Default: the cluster-wide ClusterRole and no flag.
    const whole = await rendered();
    expect(args(whole).some((a) => a.startsWith("--watch-namespaces"))).toBe(false);
    expect(
      (whole.find((o) => o.kind === "ClusterRole") as ClusterRole).rules.flatMap((r) => r.resources),
    ).toContain("namespaces");
  });
});

describe("the scoped controller on the real control plane", () => {
  const { api, world } = useControllerWorld({
    namespaces: ["team-a", "team-b", "team-c", "team-d"],
    user: USER,
    per: "all",
  });

  it("serves the namespaces its Roles allow, and says which it may not", async () => {
    await applyRbac(api, await rendered([`scope.namespaces={${SCOPE.join(",")}}`]));
    const kubeconfig = await serviceAccountKubeconfig(api);
    // team-c is watched but has no Role; team-d is not watched at all.
    await bindStaticCredential(api, {
      namespaces: { names: ["team-a", "team-b", "team-c", "team-d"] },
      serviceAccounts: ["default"],
    });
    await createBinding(api, "by-label", {
      credentials: ["registry"],
      secretName: "labelled-pull",
      // Empty: every namespace with the whole-cluster controller; nothing in scoped mode.
      namespaces: { selector: {} },
    });
    api.clearRequestLog();
    const controller = await world.start({ watchNamespaces: [...SCOPE, "team-c"] }, kubeconfig);
    const describe = () => world.logTail();
    await waitUntil(
      "the secrets in team-a and team-b, the bindings' status",
      async () => {
        const apps = await getCustom(api, "clusterpullsecretbindings", "apps");
        const byLabel = await getCustom(api, "clusterpullsecretbindings", "by-label");
        return (
          (await storedAuths(api, "team-a", "registry-pull")) !== undefined &&
          (await storedAuths(api, "team-b", "registry-pull")) !== undefined &&
          condition(apps, "Ready")?.reason === "OutOfScope" &&
          condition(byLabel, "Ready")?.reason === "OutOfScope"
        );
      },
      { timeoutMs: 45_000, describe },
    );
    expect(controller.ready).toBe(true);
    const sa = await api.objects.get("serviceaccounts", "team-b", "default");
    expect(sa?.["imagePullSecrets"]).toEqual([{ name: "registry-pull" }]);
    expect(await storedAuths(api, "team-c", "registry-pull")).toBeUndefined();
    expect(await storedAuths(api, "team-d", "registry-pull")).toBeUndefined();
    for (const namespace of SCOPE) expect(await storedAuths(api, namespace, "labelled-pull")).toBeUndefined();

    const apps = await getCustom(api, "clusterpullsecretbindings", "apps");
    expect(condition(apps, "Ready")).toMatchObject({
      status: "False",
      message:
        "scoped mode: not watched (add to --watch-namespaces / scope.namespaces): team-d; refused by the API server (no Role there, or no such namespace): team-c",
    });
    expect((apps?.["status"] as { secretsInSync?: number }).secretsInSync).toBe(2);
    const byLabel = await getCustom(api, "clusterpullsecretbindings", "by-label");
    expect(condition(byLabel, "Ready")?.message).toBe(
      "scoped mode: its label selector matches nothing in scoped mode (Namespaces cannot be read): list the names",
    );

    // One line for the refused namespace (not one per cache, not one per retry); no Namespace ever read.
    const refusedLines = world.logs.filter((l) => l["msg"] === "namespace refused");
    expect(refusedLines).toHaveLength(1);
    expect(refusedLines[0]).toMatchObject({ namespace: "team-c" });
    expect(JSON.stringify(refusedLines[0])).not.toContain("\n");
    const log = api.requestLog();
    expect(log.filter((r) => r.resource === "namespaces" && !r.namespace)).toEqual([]);
    const refused = log.filter((r) => r.status === 401 || r.status === 403);
    expect(new Set(refused.map((r) => `${r.status} ${r.verb} ${r.namespace}`))).toEqual(
      new Set(["403 list team-c"]),
    );
    expect(JSON.stringify(world.logs)).not.toContain(USER.password);
  }, 180_000);
});
