// mintAcrCredential end to end against faithful fakes of IMDS and Entra ID and an ACR made of the project's token
// server (/oauth2/exchange, /oauth2/token) in front of a real docker-registry: each identity kind mints a refresh
// token whose requests match the wire captures (shared/reference/controller-and-provider.md §C.4), and
// containerd's CRI PullImage pulls with it as kubelet would (username 00000000-0000-0000-0000-000000000000).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { decodeJwt } from "jose";
import { mintAcrAccessToken, mintAcrCredential } from "../../src/cloud/acr/index.js";
import type { AzureIdentity, MintAcrCredentialOptions } from "../../src/cloud/acr/index.js";
import { pullImage, removeImage } from "../support/cri-client.js";
import {
  startAcrWorld,
  stubAzureEnv,
  SYSTEM_MI,
  TENANT,
  USER_MI,
  WORKLOAD_APP,
  WORKLOAD_SUBJECT,
} from "./acr-harness.js";
import type { AcrWorld } from "./acr-harness.js";

const NULL_GUID = "00000000-0000-0000-0000-000000000000";
let world: AcrWorld;

beforeAll(async () => {
  world = await startAcrWorld();
});
afterAll(async () => {
  await world?.stop();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The environment the SDK reads (process.env) and the one given to mint: IMDS at the fake, nothing else. */
/** The Azure variables for a mint through the fake IMDS (stubbed; see stubAzureEnv). */
function azureEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return stubAzureEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: world.imds.url, ...extra });
}

function mint(options: Partial<MintAcrCredentialOptions> = {}): ReturnType<typeof mintAcrCredential> {
  return mintAcrCredential({
    server: world.acr.host,
    cloud: "public",
    ca: world.ca,
    authorityHost: world.entra.url,
    disableInstanceDiscovery: true,
    timeoutMs: 10_000,
    ...options,
  });
}

async function pullsWith(password: string): Promise<void> {
  const containerd = world.containerd;
  if (!containerd) throw new Error("containerd not started");
  await removeImage(containerd.socket, world.acr.image).catch(() => {});
  const result = await pullImage(containerd.socket, world.acr.image, {
    username: NULL_GUID,
    password,
    server_address: world.acr.url,
  });
  expect(result).toMatchObject({ ok: true });
}

describe("mintAcrCredential: managed identity through IMDS", () => {
  it("system-assigned: IMDS as captured, the exchange as documented, and containerd pulls with the refresh token", async () => {
    const env = azureEnv();
    const before = Date.now();
    const credential = await mint({ env, identity: { kind: "managed-identity" } });

    expect(credential).toMatchObject({
      server: world.acr.host,
      username: NULL_GUID,
      identity: "managed identity (system-assigned)",
      source: `ACR token exchange at ${world.acr.host} (Entra ID tenant ${TENANT})`,
    });
    // expiresAt is the refresh token's own exp (the fake gives ACR's ~3 hours).
    const exp = decodeJwt(credential.password).exp as number;
    expect(credential.expiresAt?.getTime()).toBe(exp * 1000);
    expect(exp * 1000 - before).toBeGreaterThan(3 * 3600_000 - 60_000);

    // IMDS: the trailing slash, Metadata: true, api-version, the resource without /.default, no client_id.
    const imds = world.imds.requests().at(-1);
    expect(imds).toEqual({
      path: "/metadata/identity/oauth2/token/",
      metadataHeader: "true",
      apiVersion: "2018-02-01",
      resource: "https://containerregistry.azure.net",
      clientId: null,
      resourceId: null,
      objectId: null,
      status: 200,
    });
    // ACR: POST /oauth2/exchange grant_type=access_token, service = login server, tenant, access_token.
    const exchange = world.acr.tokenServer
      .requests()
      .filter((r) => r.path === "/oauth2/exchange")
      .at(-1);
    expect(exchange).toMatchObject({
      method: "POST",
      grantType: "access_token",
      service: world.acr.host,
      tenant: TENANT,
      credential: "access_token",
      status: 200,
      subject: SYSTEM_MI.objectId,
    });

    world.acr.tokenServer.clearRequests();
    await pullsWith(credential.password);
    // containerd sent the null GUID and the refresh token to the realm (POST grant_type=password).
    const realm = world.acr.tokenServer.requests().filter((r) => r.path === "/oauth2/token");
    expect(
      realm.some((r) => r.acrRefreshToken === true && r.status === 200 && r.username === NULL_GUID),
    ).toBe(true);
    expect(realm.flatMap((r) => r.granted ?? [])).toContainEqual({
      type: "repository",
      name: "team/app",
      actions: ["pull"],
    });
  });

  it("user-assigned by client id sends client_id; by resource id sends msi_res_id (IMDS spelling)", async () => {
    const env = azureEnv();
    const userAssigned: AzureIdentity = { kind: "managed-identity", clientId: USER_MI.clientId };
    const byClient = await mint({ env, identity: userAssigned });
    expect(byClient.identity).toBe(`managed identity (user-assigned, client id ${USER_MI.clientId})`);
    expect(world.imds.requests().at(-1)).toMatchObject({ clientId: USER_MI.clientId, status: 200 });

    const byResource = await mint({
      env,
      identity: { kind: "managed-identity", resourceId: USER_MI.resourceId },
    });
    expect(byResource.username).toBe(NULL_GUID);
    expect(world.imds.requests().at(-1)).toMatchObject({
      resourceId: USER_MI.resourceId,
      clientId: null,
      status: 200,
    });
  });
});

describe("mintAcrCredential: workload identity federation with Entra ID over https", () => {
  it("a projected token file (AZURE_* variables): openid-configuration, then the client-assertion token request", async () => {
    const tokenFile = await world.tokenFile();
    const env = azureEnv({
      AZURE_FEDERATED_TOKEN_FILE: tokenFile,
      AZURE_CLIENT_ID: WORKLOAD_APP.clientId,
      AZURE_TENANT_ID: TENANT,
    });
    const credential = await mint({ env, identity: { kind: "workload-identity" } });
    expect(credential.identity).toBe(
      `workload identity (client id ${WORKLOAD_APP.clientId}, tenant ${TENANT}, token file ${tokenFile})`,
    );
    const calls = world.entra.requests();
    expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      `GET /${TENANT}/v2.0/.well-known/openid-configuration 200`,
      `POST /${TENANT}/oauth2/v2.0/token 200`,
    ]);
    expect(calls[1]).toMatchObject({
      grantType: "client_credentials",
      clientId: WORKLOAD_APP.clientId,
      scope: "https://containerregistry.azure.net/.default",
      assertionType: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      assertion: true,
      clientRequestId: true,
    });
    await pullsWith(credential.password);
  });

  it("the chain picks workload identity first when its variables are set", async () => {
    const tokenFile = await world.tokenFile();
    const env = azureEnv({
      AZURE_FEDERATED_TOKEN_FILE: tokenFile,
      AZURE_CLIENT_ID: WORKLOAD_APP.clientId,
      AZURE_TENANT_ID: TENANT,
    });
    const imdsBefore = world.imds.requests().length;
    const credential = await mint({ env });
    expect(credential.identity).toMatch(/^workload identity /);
    expect(world.imds.requests().length).toBe(imdsBefore);
  });

  it("a ServiceAccount token given as a value (the kubelet provider's token mode) works the same", async () => {
    const env = azureEnv();
    const token = await world.serviceAccounts.token(WORKLOAD_SUBJECT);
    const credential = await mint({
      env,
      identity: { kind: "federated-token", clientId: WORKLOAD_APP.clientId, tenantId: TENANT, token },
    });
    expect(credential.identity).toBe(
      `workload identity with a ServiceAccount token (client id ${WORKLOAD_APP.clientId}, tenant ${TENANT})`,
    );
    await pullsWith(credential.password);
  });
});

describe("mintAcrAccessToken", () => {
  it("POST /oauth2/token with the refresh token gives an access token for the repositories asked", async () => {
    const env = azureEnv();
    const credential = await mint({ env, identity: { kind: "managed-identity" } });
    const access = await mintAcrAccessToken({
      server: world.acr.host,
      cloud: "public",
      ca: world.ca,
      refreshToken: credential.password,
      scopes: ["repository:team/app:pull", "repository:team/other:pull,push"],
    });
    const claims = decodeJwt(access.token) as { access: unknown; exp: number };
    expect(claims.access).toEqual([
      { type: "repository", name: "team/app", actions: ["pull"] },
      { type: "repository", name: "team/other", actions: ["pull"] },
    ]);
    expect(access.expiresAt?.getTime()).toBe(claims.exp * 1000);
    const last = world.acr.tokenServer.requests().at(-1);
    expect(last).toMatchObject({
      path: "/oauth2/token",
      grantType: "refresh_token",
      credential: "refresh_token",
      acrRefreshToken: true,
    });
  });
});
