// A rotated source password is verified against the registry, then swapped in place: each bound Secret is
// updated once (its resourceVersion changes once, by a patch carrying the resourceVersion read: no delete, no
// create), other entries of the ServiceAccounts stay where they were, and the status says what is served now.
import { expect, it } from "vitest";
import type { KubeObject } from "../kube/harness.js";
import { waitUntil } from "../support/net.js";
import {
  CONTROLLER_NAMESPACE,
  bindStaticCredential,
  describeRequests,
  dockerConfigJson,
  getCustom,
  pullSecret,
  storedAuths,
  useControllerWorld,
  writesIn,
} from "./harness.js";

const OLD = { username: "robot", password: "old-Canary-1" };
const NEW = { username: "robot2", password: "new-Canary-2" };

const { api, world } = useControllerWorld({ namespaces: ["team-a", "team-b"], user: OLD });

const logTail = () => world.logTail();

it("verifies the rotated password, then updates every Secret in place once; ServiceAccount entries keep their order", async () => {
  // Someone else's entry on team-a's default ServiceAccount comes first and stays first.
  await waitUntil(
    "team-a's default ServiceAccount",
    async () => (await api.objects.get("serviceaccounts", "team-a", "default")) !== undefined,
  );
  const sa = await api.objects.get("serviceaccounts", "team-a", "default");
  await api.objects.put({ ...(sa as KubeObject), imagePullSecrets: [{ name: "someone-elses" }] });
  await bindStaticCredential(api, {
    namespaces: { names: ["team-a", "team-b"] },
    serviceAccounts: ["default"],
  });
  await world.start();
  await waitUntil(
    "converged",
    async () => {
      const b = await getCustom(api, "clusterpullsecretbindings", "apps");
      const accounts = await api.objects.get("serviceaccounts", "team-a", "default");
      return (
        b.status?.["secretsInSync"] === 2 &&
        JSON.stringify(accounts?.["imagePullSecrets"]).includes("registry-pull")
      );
    },
    { timeoutMs: 30_000, describe: logTail },
  );
  const before = await getCustom(api, "clusterpullcredentials", "registry");
  const versions = new Map<string, string | undefined>();
  for (const ns of ["team-a", "team-b"])
    versions.set(ns, (await api.objects.get("secrets", ns, "registry-pull"))?.metadata.resourceVersion);
  api.clearRequestLog();

  await world.registry.addUser(NEW);
  await api.objects.put(
    pullSecret(CONTROLLER_NAMESPACE, "registry-login", dockerConfigJson(world.registry.host, NEW)),
  );
  await waitUntil(
    "the new password everywhere",
    async () => {
      const auths = await Promise.all(
        ["team-a", "team-b"].map((ns) => storedAuths(api, ns, "registry-pull")),
      );
      return auths.every((a) => a?.[world.registry.host]?.username === NEW.username);
    },
    { timeoutMs: 30_000, describe: logTail },
  );
  await waitUntil(
    "status shows the new fingerprint",
    async () => {
      const c = await getCustom(api, "clusterpullcredentials", "registry");
      return c.status?.["fingerprint"] !== before.status?.["fingerprint"];
    },
    { timeoutMs: 30_000, describe: logTail },
  );

  const secretWrites = writesIn(api.requestLog()).filter((r) => r.resource === "secrets");
  expect(describeRequests(secretWrites).sort()).toEqual([
    "patch secrets team-a/registry-pull",
    "patch secrets team-b/registry-pull",
  ]);
  for (const ns of ["team-a", "team-b"]) {
    const after = await api.objects.get("secrets", ns, "registry-pull");
    expect(after?.metadata.resourceVersion).not.toBe(versions.get(ns));
    expect(Number(after?.metadata.resourceVersion)).toBeGreaterThan(Number(versions.get(ns)));
  }
  expect(writesIn(api.requestLog()).filter((r) => r.resource === "serviceaccounts")).toEqual([]);
  expect((await api.objects.get("serviceaccounts", "team-a", "default"))?.["imagePullSecrets"]).toEqual([
    { name: "someone-elses" },
    { name: "registry-pull" },
  ]);
  const events = (await api.objects.list("events", "default")).filter(
    (e) => (e["involvedObject"] as { name?: string }).name === "registry",
  );
  expect(events.map((e) => e["reason"])).toEqual(["CredentialRefreshed", "CredentialRefreshed"]);
  expect(JSON.stringify([events, world.logs])).not.toContain(NEW.password);
}, 120_000);
