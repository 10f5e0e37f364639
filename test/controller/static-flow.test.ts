// A static credential (a dockerconfigjson Secret in the controller's namespace) flows to the namespaces a
// binding selects — by name, by label, and a namespace created later — as one Secret per namespace with a
// predictable name, appended to the ServiceAccounts asked for; the status and Events say so. Real control
// plane, real registry (the credential is verified against it before anything is written).
import { beforeEach, describe, expect, it } from "vitest";
import { waitUntil } from "../support/net.js";
import { bindStaticCredential, condition, getCustom, storedAuths, useControllerWorld } from "./harness.js";

const USER = { username: "robot", password: "s3cret-Canary-42" };

const { api, world } = useControllerWorld({ namespaces: ["team-a", "team-b", "other"], user: USER });

beforeEach(async () => {
  await api.objects.put({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "team-b", labels: { pulls: "yes" } },
  });
});

const logTail = () => world.logTail();

describe("a static credential flows to the bound namespaces", () => {
  it("by name, by label and to a namespace created later; ServiceAccounts bound; status and Events", async () => {
    await bindStaticCredential(api, {
      namespaces: { names: ["team-a"], selector: { matchLabels: { pulls: "yes" } } },
      serviceAccounts: ["default"],
    });
    const controller = await world.start();
    const host = world.registry.host;
    const expected = {
      [host]: {
        username: USER.username,
        password: USER.password,
        auth: Buffer.from(`${USER.username}:${USER.password}`).toString("base64"),
      },
    };
    await waitUntil(
      "secrets in team-a and team-b",
      async () =>
        (await storedAuths(api, "team-b", "registry-pull")) !== undefined &&
        (await storedAuths(api, "team-a", "registry-pull")) !== undefined,
      { timeoutMs: 30_000, describe: logTail },
    );
    expect(await storedAuths(api, "team-a", "registry-pull")).toEqual(expected);
    expect(await storedAuths(api, "team-b", "registry-pull")).toEqual(expected);
    expect(await storedAuths(api, "other", "registry-pull")).toBeUndefined();
    const secret = await api.objects.get("secrets", "team-a", "registry-pull");
    expect(secret?.["type"]).toBe("kubernetes.io/dockerconfigjson");
    expect(secret?.metadata.labels).toEqual({
      "app.kubernetes.io/managed-by": "pullwarden",
      "pullwarden.io/writer": "controller",
    });
    await waitUntil(
      "default ServiceAccounts bound",
      async () => {
        const sas = await Promise.all(
          ["team-a", "team-b"].map((ns) => api.objects.get("serviceaccounts", ns, "default")),
        );
        return sas.every(
          (sa) => JSON.stringify(sa?.["imagePullSecrets"]) === JSON.stringify([{ name: "registry-pull" }]),
        );
      },
      { timeoutMs: 30_000, describe: logTail },
    );

    // A namespace created later, matching the selector, gets it too.
    await api.objects.seed({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team-new", labels: { pulls: "yes" } },
    });
    await waitUntil(
      "the new namespace's secret",
      async () => (await storedAuths(api, "team-new", "registry-pull")) !== undefined,
      { timeoutMs: 30_000, describe: logTail },
    );
    expect(await storedAuths(api, "team-new", "registry-pull")).toEqual(expected);

    await waitUntil(
      "binding status in sync in 3 namespaces",
      async () => {
        const b = await getCustom(api, "clusterpullsecretbindings", "apps");
        return b.status?.["secretsInSync"] === 3 && condition(b, "Ready")?.status === "True";
      },
      { timeoutMs: 30_000, describe: logTail },
    );
    const cred = await getCustom(api, "clusterpullcredentials", "registry");
    expect(condition(cred, "Ready")).toMatchObject({ status: "True", reason: "Serving" });
    expect(condition(cred, "Verified")).toMatchObject({ status: "True", reason: "RegistryAccepted" });
    expect(condition(cred, "ExpiringSoon")).toMatchObject({ status: "False" });
    expect(cred.status?.["registries"]).toEqual([host]);
    expect(cred.status?.["observedGeneration"]).toBe(1);
    expect(cred.status?.["expiresAt"]).toBeUndefined();

    const events = (await api.objects.list("events", "default")).filter(
      (e) => (e["involvedObject"] as { name?: string }).name === "registry",
    );
    expect(events.map((e) => e["reason"])).toEqual(["CredentialRefreshed"]);
    // Nothing secret anywhere the controller writes words: Events, status, its log.
    const words = JSON.stringify([events, cred.status, world.logs]);
    expect(words).not.toContain(USER.password);
    expect(words).not.toContain(Buffer.from(`${USER.username}:${USER.password}`).toString("base64"));
    expect(controller.ready).toBe(true);
  }, 120_000);
});
