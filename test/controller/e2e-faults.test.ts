// Faults of the write path on the real control plane: a competing writer that makes every update of one
// namespace's Secret lose its optimistic-concurrency race (the real server's 409, a conflict storm), a
// controller identity refused (the real RBAC's 403) in one namespace, and namespaces deleted while the
// controller runs (one before a rotation, one while its Secret is being created). In each the other namespaces
// are served at once, the binding's status says what is wrong (one line, never a value), the controller does
// not spin, and it converges once the fault is gone.
import { beforeEach, expect, it } from "vitest";
import type { KubeObject } from "../kube/harness.js";
import type { RbacRule } from "../kube/real-cluster.js";
import { waitUntil } from "../support/net.js";
import {
  CONTROLLER_NAMESPACE,
  bindStaticCredential,
  condition,
  dockerConfigJson,
  getCustom,
  pullSecret,
  storedAuths,
  useControllerWorld,
} from "./harness.js";

const NAMESPACES = ["team-a", "team-b", "team-c"];
const USER = { username: "robot", password: "e2e-faults-Canary-1" };
const ROTATED = { username: "robot-next", password: "e2e-faults-Canary-2" };

const { api, world } = useControllerWorld({ namespaces: NAMESPACES, user: USER });

beforeEach(async () => {
  await world.registry.addUser(ROTATED);
  for (const ns of NAMESPACES) {
    const object = await api.objects.get("namespaces", undefined, ns);
    await api.objects.put({
      ...(object as KubeObject),
      metadata: { ...(object as KubeObject).metadata, labels: { pulls: "yes" } },
    });
  }
  await bindStaticCredential(api, {
    namespaces: { selector: { matchLabels: { pulls: "yes" } } },
    serviceAccounts: ["default"],
  });
});

const logTail = () => world.logTail();

const passwordIn = async (ns: string): Promise<string | undefined> =>
  (await storedAuths(api, ns, "registry-pull"))?.[world.registry.host]?.password;

async function allServed(namespaces: readonly string[], password: string): Promise<void> {
  await waitUntil(
    `${namespaces.join(", ")} hold ${password.slice(-1)}`,
    async () => (await Promise.all(namespaces.map(passwordIn))).every((p) => p === password),
    { timeoutMs: 60_000, describe: logTail },
  );
}

/** A new password in the static source Secret: every namespace's Secret must be updated in place. */
async function rotateSource(): Promise<void> {
  const current = (await api.objects.get("secrets", CONTROLLER_NAMESPACE, "registry-login")) as KubeObject;
  await api.objects.put({
    ...pullSecret(CONTROLLER_NAMESPACE, "registry-login", dockerConfigJson(world.registry.host, ROTATED)),
    metadata: { ...current.metadata },
  });
}

const secretWrites = (ns: string) =>
  api
    .requestLog()
    .filter(
      (r) => r.resource === "secrets" && r.namespace === ns && ["create", "patch", "update"].includes(r.verb),
    );

it("a conflict storm on one namespace (a competing writer wins every race for a while): the others are updated at once, then it converges, with bounded retries", async () => {
  await world.start({ relistIntervalMs: 4_000 });
  await allServed(NAMESPACES, USER.password);

  // The competing writer: before each of the controller's first 12 updates of team-b's Secret reaches the server,
  // it changes that Secret (an annotation), so the update's resourceVersion is stale and the real server
  // answers 409.
  let raced = 0;
  const stop = api.intercept(async (request) => {
    if (request.resource !== "secrets" || request.namespace !== "team-b" || request.verb !== "patch") return;
    if (raced >= 12) return;
    raced++;
    const current = (await api.objects.get("secrets", "team-b", "registry-pull")) as KubeObject;
    await api.objects.put({
      ...current,
      metadata: {
        ...current.metadata,
        annotations: { ...current.metadata.annotations, "example.com/touched": String(raced) },
      },
    });
    return undefined;
  });
  api.clearRequestLog();
  await rotateSource();
  await allServed(["team-a", "team-c"], ROTATED.password);
  await waitUntil(
    "team-b updated once the storm is over",
    async () => (await passwordIn("team-b")) === ROTATED.password,
    {
      timeoutMs: 60_000,
      describe: logTail,
    },
  );
  stop();
  expect(raced).toBe(12);
  const conflicts = secretWrites("team-b").filter((r) => r.status === 409).length;
  expect(conflicts).toBe(12);
  // The 12 races plus the one that went through, and not a hot loop: a few passes of at most 5 tries each.
  expect(secretWrites("team-b").length).toBeLessThanOrEqual(12 + 5);
  for (const ns of ["team-a", "team-c"]) expect(secretWrites(ns).length).toBe(1);
  // The competing writer's annotation is kept (a merge patch of what the controller owns).
  const stored = (await api.objects.get("secrets", "team-b", "registry-pull")) as KubeObject;
  expect(stored.metadata.annotations?.["example.com/touched"]).toBe("12");
  await waitUntil(
    "binding Ready again",
    async () =>
      condition(await getCustom(api, "clusterpullsecretbindings", "apps"), "Ready")?.status === "True",
    { timeoutMs: 30_000, describe: logTail },
  );
  expect(JSON.stringify(world.logs)).not.toContain(ROTATED.password);
}, 120_000);

it("403 in one namespace (its RBAC does not allow writing Secrets there): the others are served, the status names it, and it is written once allowed", async () => {
  const readAll: RbacRule[] = [
    {
      verbs: ["get", "list", "watch"],
      apiGroups: ["pullwarden.io"],
      resources: ["clusterpullcredentials", "clusterpullsecretbindings"],
    },
    {
      verbs: ["update"],
      apiGroups: ["pullwarden.io"],
      resources: ["clusterpullcredentials/status", "clusterpullsecretbindings/status"],
    },
    { verbs: ["list", "watch"], apiGroups: [""], resources: ["namespaces"] },
    { verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["secrets", "serviceaccounts"] },
    { verbs: ["patch"], apiGroups: [""], resources: ["serviceaccounts"] },
    {
      verbs: ["create", "patch"],
      apiGroups: ["", "events.k8s.io"],
      resources: ["events"],
      namespaces: ["default"],
    },
  ];
  const writeSecretsIn = (namespaces: string[]): RbacRule => ({
    verbs: ["create", "patch"],
    apiGroups: [""],
    resources: ["secrets"],
    namespaces,
  });
  await api.addUser("pw-controller", { rules: [...readAll, writeSecretsIn(["team-a", "team-c"])] });
  await world.start({ relistIntervalMs: 3_000 }, api.kubeconfigFor("pw-controller"));

  await allServed(["team-a", "team-c"], USER.password);
  await waitUntil(
    "the binding says team-b failed",
    async () => {
      const b = await getCustom(api, "clusterpullsecretbindings", "apps");
      return condition(b, "Ready")?.reason === "WriteFailed" && b.status?.["secretsInSync"] === 2;
    },
    { timeoutMs: 30_000, describe: logTail },
  );
  const ready = condition(await getCustom(api, "clusterpullsecretbindings", "apps"), "Ready");
  expect(ready?.message).toBe(
    "team-b: secret/registry-pull cannot create secrets in team-b as pw-controller; check with: kubectl auth can-i create secrets -n team-b",
  );
  expect(await passwordIn("team-b")).toBeUndefined();
  const refused = secretWrites("team-b");
  expect(refused.every((r) => r.status === 403)).toBe(true);
  // team-b's ServiceAccount is not bound to a Secret that does not exist there.
  const sa = (await api.objects.get("serviceaccounts", "team-b", "default")) as KubeObject;
  expect(sa["imagePullSecrets"]).toBeUndefined();

  // Not a hot loop while refused: the relists (every 3 s) and the failed-write retries, whose backoff is capped
  // at a quarter of the relist interval (schedule.ts writeRetryDelay: 750 ms here, a minute by default), so about
  // a dozen attempts in 7 s at the most, not hundreds.
  api.clearRequestLog();
  await new Promise((r) => setTimeout(r, 7_000));
  expect(secretWrites("team-b").length).toBeLessThanOrEqual(
    Math.ceil(7_000 / 750) + Math.ceil(7_000 / 3_000),
  );
  expect(secretWrites("team-a")).toEqual([]);

  await api.setRbac("pw-controller", [...readAll, writeSecretsIn(NAMESPACES)]);
  await allServed(NAMESPACES, USER.password);
  await waitUntil(
    "binding Ready, team-b bound",
    async () => {
      const b = await getCustom(api, "clusterpullsecretbindings", "apps");
      const bound = (await api.objects.get("serviceaccounts", "team-b", "default")) as KubeObject;
      return (
        condition(b, "Ready")?.status === "True" &&
        JSON.stringify(bound["imagePullSecrets"]) === JSON.stringify([{ name: "registry-pull" }])
      );
    },
    { timeoutMs: 30_000, describe: logTail },
  );
  expect(JSON.stringify(world.logs)).not.toContain(USER.password);
}, 120_000);

it("namespaces deleted mid-run: one before a rotation, one while its Secret is being created; the rest rotate and the binding ends in sync", async () => {
  await world.start({ relistIntervalMs: 4_000 });
  await allServed(NAMESPACES, USER.password);

  await api.objects.delete("namespaces", undefined, "team-b");
  // team-d: deleted by the time the controller's create of its Secret reaches the server.
  let raced = false;
  const stop = api.intercept(async (request) => {
    if (
      request.resource === "secrets" &&
      request.namespace === "team-d" &&
      request.verb === "create" &&
      !raced
    ) {
      raced = true;
      await api.objects.delete("namespaces", undefined, "team-d");
    }
    return undefined;
  });
  api.clearRequestLog();
  await api.objects.seed({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "team-d", labels: { pulls: "yes" } },
  });
  await rotateSource();
  await allServed(["team-a", "team-c"], ROTATED.password);
  await waitUntil("the create in team-d raced its deletion", () => raced, {
    timeoutMs: 30_000,
    describe: logTail,
  });
  stop();

  await waitUntil(
    "both namespaces gone and the binding in sync over the other two",
    async () => {
      const b = await getCustom(api, "clusterpullsecretbindings", "apps");
      return (
        (await api.objects.get("namespaces", undefined, "team-b")) === undefined &&
        (await api.objects.get("namespaces", undefined, "team-d")) === undefined &&
        condition(b, "Ready")?.status === "True" &&
        b.status?.["secretsInSync"] === 2 &&
        JSON.stringify(b.status?.["namespaces"]) === JSON.stringify(2)
      );
    },
    { timeoutMs: 60_000, describe: logTail },
  );
  // No write was sent into team-b once it was Terminating, and team-d's create was tried once, not retried.
  expect(secretWrites("team-b")).toEqual([]);
  expect(secretWrites("team-d").length).toBe(1);
  // A namespace created afterwards is still served.
  await api.objects.seed({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "team-e", labels: { pulls: "yes" } },
  });
  await allServed(["team-e"], ROTATED.password);
}, 120_000);
