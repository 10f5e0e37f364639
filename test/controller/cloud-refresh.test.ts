// A cloud credential (the ECR source) refreshed from its real expiry, with lifetimes of seconds: minting goes
// through the controller's `resolve` port (where the SDK sources plug in), here a mint that adds the new token
// to the real registry's htpasswd (user AWS, as ECR) and says when it expires. One mint per refresh however many
// namespaces; while minting fails the old credential keeps serving, ExpiringSoon is raised, retries come well
// before the expiry, and once it expired it is reported and never written again.
import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import type { ResolvedCredential } from "../../src/cloud/source.js";
import { waitUntil } from "../support/net.js";
import {
  condition,
  createBinding,
  createCredential,
  getCustom,
  storedAuths,
  useControllerWorld,
  writesIn,
} from "./harness.js";

const NAMESPACES = ["team-a", "team-b", "team-c"];

const { api, world } = useControllerWorld({
  namespaces: NAMESPACES,
  user: { username: "robot", password: "unused-Canary-0" },
});

const logTail = () => world.logTail();

interface Mint {
  calls: number[];
  tokens: string[];
  failing: boolean;
  resolve: (
    source: { kind: string },
    fallback: (s: never) => Promise<ResolvedCredential[]>,
  ) => Promise<ResolvedCredential[]>;
}

function ecrMint(lifetimeMs: number): Mint {
  const mint: Mint = {
    calls: [],
    tokens: [],
    failing: false,
    resolve: async (source, fallback) => {
      if (source.kind !== "cloud-token") return fallback(source as never);
      mint.calls.push(Date.now());
      if (mint.failing) throw new Error("ECR GetAuthorizationToken answered 503 ServiceUnavailable");
      const token = `ecr-token-${randomBytes(12).toString("hex")}`;
      await world.registry.addUser({ username: "AWS", password: token });
      mint.tokens.push(token);
      return [
        {
          server: world.registry.host,
          username: "AWS",
          password: token,
          expiresAt: new Date(Date.now() + lifetimeMs),
          source: "test mint",
          identity: "test",
        },
      ];
    },
  };
  return mint;
}

async function setUp(lifetimeMs: number): Promise<Mint> {
  const mint = ecrMint(lifetimeMs);
  await createCredential(api, "ecr", {
    source: { ecr: { registry: world.registry.host, region: "us-east-1" } },
    refresh: { rotationFraction: 0.5, jitterFraction: 0 },
  });
  await createBinding(api, "apps", {
    credentials: ["ecr"],
    secretName: "ecr-pull",
    namespaces: { names: NAMESPACES },
  });
  return mint;
}

it("refreshes at half the real lifetime: one mint per refresh for three namespaces, every Secret follows", async () => {
  const mint = await setUp(4_000);
  const controller = await world.start({ resolve: mint.resolve as never });
  await waitUntil("four mints", () => mint.calls.length >= 4, { timeoutMs: 30_000, describe: logTail });
  const last = mint.tokens.at(-1) ?? "";
  await waitUntil(
    "every Secret holds the last token",
    async () => {
      const auths = await Promise.all(NAMESPACES.map((ns) => storedAuths(api, ns, "ecr-pull")));
      return auths.every((a) => a?.[world.registry.host]?.password === last || mint.tokens.at(-1) !== last);
    },
    { timeoutMs: 30_000, describe: logTail },
  );
  await controller.stop();

  const gaps = mint.calls.slice(1).map((t, i) => t - (mint.calls[i] ?? 0));
  // Each refresh at half of 4 s after the previous mint (plus the time a pass takes), never sooner.
  for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1_900);
  const metrics = await controller.metrics.registry.metrics();
  expect(metrics).toContain(`pullwarden_source_requests_total{source="ecr"} ${mint.calls.length}`);
  expect(metrics).toContain(
    `pullwarden_credential_refresh_total{credential="ecr",result="swapped"} ${mint.calls.length}`,
  );
  // One Secret write per namespace per refresh (a create, then in-place patches): never per namespace per mint more.
  const secretWrites = writesIn(api.requestLog()).filter((r) => r.resource === "secrets");
  for (const ns of NAMESPACES)
    expect(secretWrites.filter((r) => r.namespace === ns).length).toBeLessThanOrEqual(mint.calls.length);
  const status = (await getCustom(api, "clusterpullcredentials", "ecr")).status ?? {};
  expect(Date.parse(String(status["expiresAt"]))).toBeGreaterThan(
    Date.parse(String(status["lastRefreshTime"])),
  );
  expect(status["nextRefreshTime"]).toBeDefined();
  expect(JSON.stringify(world.logs)).not.toContain(last);
}, 120_000);

it("while minting fails: the old credential keeps serving, ExpiringSoon, retries before expiry, then Expired and never written", async () => {
  const mint = await setUp(6_000);
  await world.start({ resolve: mint.resolve as never });
  await waitUntil("first Secret", async () => (await storedAuths(api, "team-a", "ecr-pull")) !== undefined, {
    timeoutMs: 30_000,
    describe: logTail,
  });
  const served = mint.tokens[0];
  const firstMint = mint.calls[0] ?? 0;
  mint.failing = true;
  api.clearRequestLog();
  await waitUntil(
    "ExpiringSoon while still Ready",
    async () => {
      const c = await getCustom(api, "clusterpullcredentials", "ecr");
      return condition(c, "ExpiringSoon")?.status === "True" && condition(c, "Ready")?.status === "True";
    },
    { timeoutMs: 30_000, describe: logTail },
  );
  await waitUntil(
    "Expired",
    async () =>
      condition(await getCustom(api, "clusterpullcredentials", "ecr"), "Ready")?.reason === "Expired",
    { timeoutMs: 30_000, describe: logTail },
  );
  const failedBeforeExpiry = mint.calls.filter((t) => t > firstMint && t < firstMint + 6_000).length;
  expect(failedBeforeExpiry).toBeGreaterThanOrEqual(3);
  expect(writesIn(api.requestLog()).filter((r) => r.resource === "secrets")).toEqual([]);
  expect((await storedAuths(api, "team-a", "ecr-pull"))?.[world.registry.host]?.password).toBe(served);
  const events = (await api.objects.list("events", "default")).filter(
    (e) => (e["involvedObject"] as { name?: string }).name === "ecr",
  );
  expect(events.map((e) => e["reason"]).sort()).toEqual(["CredentialRefreshFailed", "CredentialRefreshed"]);

  // The cloud answers again: a new credential is verified and written.
  mint.failing = false;
  await waitUntil(
    "Ready again with a new token",
    async () => {
      const c = await getCustom(api, "clusterpullcredentials", "ecr");
      const auths = await storedAuths(api, "team-a", "ecr-pull");
      return condition(c, "Ready")?.status === "True" && auths?.[world.registry.host]?.password !== served;
    },
    { timeoutMs: 60_000, describe: logTail },
  );
}, 180_000);
