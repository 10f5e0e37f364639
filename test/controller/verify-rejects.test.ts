// A credential the registry rejects is never written: not as a first credential (no Secret appears), not as a
// rotation (the old, still-valid Secret stays byte for byte). The condition, an Event and the metric say why.
import { expect, it } from "vitest";
import { waitUntil } from "../support/net.js";
import {
  CONTROLLER_NAMESPACE,
  bindStaticCredential,
  condition,
  createBinding,
  createStaticCredential,
  dockerConfigJson,
  getCustom,
  pullSecret,
  storedAuths,
  useControllerWorld,
  writesIn,
} from "./harness.js";

const GOOD = { username: "robot", password: "good-Canary-1" };
const BAD = { username: "robot", password: "wrong-Canary-2" };

const { api, world } = useControllerWorld({ namespaces: ["team-a"], user: GOOD });

const logTail = () => world.logTail();

it("a rejected first credential: no Secret, Verified=False (RegistryRejected), a Warning Event, the metric", async () => {
  await api.objects.seed(
    pullSecret(CONTROLLER_NAMESPACE, "bad-login", dockerConfigJson(world.registry.host, BAD)),
  );
  await createStaticCredential(api, "rejected", "bad-login");
  await createBinding(api, "apps", {
    credentials: ["rejected"],
    secretName: "registry-pull",
    namespaces: { names: ["team-a"] },
  });
  const controller = await world.start();
  await waitUntil(
    "Verified=False",
    async () =>
      condition(await getCustom(api, "clusterpullcredentials", "rejected"), "Verified")?.status === "False",
    { timeoutMs: 30_000, describe: logTail },
  );
  await controller.settle();
  const cred = await getCustom(api, "clusterpullcredentials", "rejected");
  expect(condition(cred, "Verified")).toMatchObject({ reason: "RegistryRejected" });
  expect(condition(cred, "Verified")?.message).toMatch(
    /did not pass verification and was not written: 127\.0\.0\.1:\d+: unauthorized: /,
  );
  expect(condition(cred, "Ready")).toMatchObject({ status: "False", reason: "VerifyFailed" });
  const b = await getCustom(api, "clusterpullsecretbindings", "apps");
  expect(condition(b, "Ready")).toMatchObject({ status: "False", reason: "CredentialUnavailable" });
  expect(await storedAuths(api, "team-a", "registry-pull")).toBeUndefined();
  expect(writesIn(api.requestLog()).filter((r) => r.resource === "secrets")).toEqual([]);
  const events = (await api.objects.list("events", "default")).filter(
    (e) => (e["involvedObject"] as { name?: string }).name === "rejected",
  );
  expect(events.map((e) => [e["type"], e["reason"]])).toEqual([["Warning", "CredentialVerifyFailed"]]);
  const metrics = await controller.metrics.registry.getSingleMetricAsString(
    "pullwarden_credential_refresh_total",
  );
  expect(metrics).toContain(
    'pullwarden_credential_refresh_total{credential="rejected",result="verify_error"} 1',
  );
  expect(JSON.stringify([events, cred.status, world.logs, metrics])).not.toContain(BAD.password);
}, 120_000);

it("a rotation to a rejected password keeps the old Secret serving, untouched", async () => {
  await bindStaticCredential(api, { namespaces: { names: ["team-a"] } });
  await world.start();
  await waitUntil(
    "first secret",
    async () => (await storedAuths(api, "team-a", "registry-pull")) !== undefined,
    { timeoutMs: 30_000, describe: logTail },
  );
  const before = await api.objects.get("secrets", "team-a", "registry-pull");
  api.clearRequestLog();
  await api.objects.put(
    pullSecret(CONTROLLER_NAMESPACE, "registry-login", dockerConfigJson(world.registry.host, BAD)),
  );
  await waitUntil(
    "Verified=False",
    async () =>
      condition(await getCustom(api, "clusterpullcredentials", "registry"), "Verified")?.status === "False",
    { timeoutMs: 30_000, describe: logTail },
  );
  const cred = await getCustom(api, "clusterpullcredentials", "registry");
  expect(condition(cred, "Ready")).toMatchObject({ status: "True", reason: "Serving" });
  expect(condition(cred, "Verified")?.message).toContain(
    `still serving ${String(cred.status?.["fingerprint"])}`,
  );
  const after = await api.objects.get("secrets", "team-a", "registry-pull");
  expect(after?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  expect((await storedAuths(api, "team-a", "registry-pull"))?.[world.registry.host]?.password).toBe(
    GOOD.password,
  );
  expect(writesIn(api.requestLog()).filter((r) => r.resource === "secrets")).toEqual([]);
}, 120_000);
