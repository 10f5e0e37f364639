// What goes wrong when minting an ACR credential, against the same fakes as acr-mint.test.ts: each fault is a
// typed AcrCredentialError with a stable code, naming the identity used and what to do, bounded in time; and
// no token, assertion or refresh token ever appears in a message (canaries planted in the fakes' answers).
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AcrCredentialError, mintAcrCredential } from "../../src/cloud/acr/index.js";
import type { AcrErrorCode, MintAcrCredentialOptions } from "../../src/cloud/acr/index.js";
import { LOOPBACK } from "../support/net.js";
import {
  NO_ROLE_MI,
  startAcrWorld,
  stubAzureEnv,
  WORKLOAD_APP,
  WORKLOAD_SUBJECT,
  TENANT,
} from "./acr-harness.js";
import type { AcrWorld } from "./acr-harness.js";

let world: AcrWorld;
/** Every error thrown in this file, checked for secrets at the end. */
const seen: unknown[] = [];
/** Secrets the fakes were made to echo, or that passed through the client. */
const canaries: string[] = [];

beforeAll(async () => {
  world = await startAcrWorld({ containerd: false });
});
afterAll(async () => {
  await world?.stop();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The Azure variables for a mint through the fake IMDS (stubbed; see stubAzureEnv). */
function azureEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return stubAzureEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: world.imds.url, ...extra });
}

async function mintError(options: Partial<MintAcrCredentialOptions>): Promise<AcrCredentialError> {
  try {
    await mintAcrCredential({
      server: world.acr.host,
      cloud: "public",
      ca: world.ca,
      authorityHost: world.entra.url,
      disableInstanceDiscovery: true,
      timeoutMs: 5_000,
      env: azureEnv(),
      identity: { kind: "managed-identity" },
      ...options,
    });
  } catch (error) {
    seen.push(error);
    if (error instanceof AcrCredentialError) return error;
    throw error;
  }
  throw new Error("minting succeeded");
}

describe("ACR refuses or fails at /oauth2/exchange", () => {
  it("401 for an identity without AcrPull: E_ACR_PULL_DENIED with the exact role assignment to make", async () => {
    const error = await mintError({ identity: { kind: "managed-identity", clientId: NO_ROLE_MI.clientId } });
    const code: AcrErrorCode = error.code;
    expect(code).toBe("E_ACR_PULL_DENIED");
    expect(error.exitCode).toBe(4);
    expect(error.retryable).toBe(false);
    expect(error.identity).toBe(`managed identity (user-assigned, client id ${NO_ROLE_MI.clientId})`);
    expect(error.message).toBe(
      `ACR ${world.acr.host} (/oauth2/exchange) refused the token of managed identity (user-assigned, client id ${NO_ROLE_MI.clientId}) (HTTP 401: UNAUTHORIZED authentication required, visit https://aka.ms/acr/authorization for more information.): it does not hold the AcrPull role on ${world.acr.host} (or a role with pull), or the token is for another tenant`,
    );
    expect(error.hint).toBe(
      `az role assignment create --assignee ${NO_ROLE_MI.clientId} --role AcrPull --scope $(az acr show --name ${world.acr.host} --query id --output tsv)`,
    );
  });

  it("403 naming the system-assigned identity's client id (read from its token) in the fix", async () => {
    world.acr.tokenServer.failAcr({ status: 403, body: { errors: [{ code: "DENIED", message: "denied" }] } });
    const error = await mintError({});
    expect(error.code).toBe("E_ACR_PULL_DENIED");
    expect(error.hint).toContain("--assignee a1a1a1a1-0000-4000-8000-000000000001 --role AcrPull");
  });

  it("429 with Retry-After: E_ACR_THROTTLED, retryable, with the seconds asked for", async () => {
    world.acr.tokenServer.failAcr({
      status: 429,
      headers: { "retry-after": "7" },
      body: { errors: [{ code: "TOOMANYREQUESTS", message: "too many requests" }] },
    });
    const error = await mintError({});
    expect(error).toMatchObject({ code: "E_ACR_THROTTLED", retryable: true, retryAfterSeconds: 7 });
    expect(error.message).toContain("it asks to wait 7 s");
  });

  it("5xx: E_ACR_UNAVAILABLE, retryable", async () => {
    world.acr.tokenServer.failAcr({ status: 503, body: "<html>Service Unavailable</html>" });
    const error = await mintError({});
    expect(error).toMatchObject({ code: "E_ACR_UNAVAILABLE", retryable: true });
    expect(error.message).toBe(`ACR ${world.acr.host} (/oauth2/exchange) failed (HTTP 503)`);
  });

  it("a slow endpoint is bounded by the deadline: E_ACR_TIMEOUT", async () => {
    world.acr.tokenServer.setAcrDelay(5_000);
    const started = Date.now();
    try {
      const error = await mintError({ timeoutMs: 800 });
      expect(error).toMatchObject({ code: "E_ACR_TIMEOUT", retryable: true });
      expect(error.message).toBe(
        `POST https://${world.acr.host}/oauth2/exchange: no answer within the deadline`,
      );
    } finally {
      world.acr.tokenServer.setAcrDelay(0);
    }
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("a redirect to another host is not followed: the Entra ID token stays with the login server", async () => {
    let reached = 0;
    const other = createServer(
      { cert: readFileSync(world.pki.serverCertFile), key: readFileSync(world.pki.serverKeyFile) },
      (_req, res) => {
        reached++;
        res.writeHead(200, { "content-type": "application/json" }).end('{"refresh_token":"x"}');
      },
    );
    await new Promise<void>((resolve) => other.listen(0, LOOPBACK, resolve));
    try {
      const port = (other.address() as AddressInfo).port;
      world.acr.tokenServer.failAcr({
        status: 307,
        headers: { location: `https://${LOOPBACK}:${port}/oauth2/exchange` },
      });
      const error = await mintError({});
      expect(error.code).toBe("E_ACR_RESPONSE");
      expect(error.message).toContain("answered with a redirect, which is not followed");
      expect(reached).toBe(0);
    } finally {
      other.close();
    }
  });

  it("an answer without a refresh token, or not JSON: E_ACR_RESPONSE", async () => {
    world.acr.tokenServer.failAcr({ status: 200, body: { access_token: "not what was asked" } });
    expect((await mintError({})).message).toBe(
      `ACR ${world.acr.host} (/oauth2/exchange) answered 200 but holds no refresh_token`,
    );
    world.acr.tokenServer.failAcr({ status: 200, body: "<html>login</html>" });
    expect((await mintError({})).message).toBe(
      `ACR ${world.acr.host} (/oauth2/exchange) answered 200 but its body is not JSON`,
    );
  });

  it("an endless answer is cut at 64 KiB by the real transport: E_ACR_RESPONSE", async () => {
    world.acr.tokenServer.failAcr({ status: 200, body: `{"refresh_token":"${"A".repeat(1024 * 1024)}"}` });
    const error = await mintError({});
    expect(error.message).toBe(
      `ACR ${world.acr.host} (/oauth2/exchange) answered 200 but its body is over 65536 bytes`,
    );
  });

  it("clock skew: a refresh token already expired by this machine's clock is E_ACR_CLOCK_SKEW", async () => {
    const error = await mintError({ now: () => new Date(Date.now() + 4 * 3600_000) });
    expect(error.code).toBe("E_ACR_CLOCK_SKEW");
    expect(error.hint).toContain("synchronise this machine's clock");
  });
});

describe("no Entra ID token", () => {
  it("an expired projected token file is refused before Entra ID is asked", async () => {
    const tokenFile = await world.tokenFile(-60);
    const before = world.entra.requests().length;
    const error = await mintError({
      env: azureEnv({
        AZURE_FEDERATED_TOKEN_FILE: tokenFile,
        AZURE_CLIENT_ID: WORKLOAD_APP.clientId,
        AZURE_TENANT_ID: TENANT,
      }),
      identity: { kind: "workload-identity" },
    });
    expect(error.code).toBe("E_AZURE_FEDERATED_EXPIRED");
    expect(error.message).toMatch(
      new RegExp(
        `^the federated token in ${tokenFile} expired at \\S+, so Entra ID will not take it for workload identity \\(client id ${WORKLOAD_APP.clientId}`,
      ),
    );
    expect(world.entra.requests().length).toBe(before);
  });

  it("Entra ID's clock ahead of ours (AADSTS700024): E_AZURE_FEDERATED_EXPIRED with Entra's words", async () => {
    world.entra.setClockOffset(2 * 3600_000);
    try {
      const token = await world.serviceAccounts.token(WORKLOAD_SUBJECT);
      canaries.push(token);
      const error = await mintError({
        identity: { kind: "federated-token", clientId: WORKLOAD_APP.clientId, tenantId: TENANT, token },
      });
      expect(error.code).toBe("E_AZURE_FEDERATED_EXPIRED");
      expect(error.message).toContain("AADSTS700024: Client assertion is not within its valid time range.");
      expect(world.entra.requests().at(-1)).toMatchObject({ errorCode: 700024, status: 400 });
    } finally {
      world.entra.setClockOffset(0);
    }
  });

  it("a slow Entra ID is bounded by the deadline: E_ACR_TIMEOUT naming the identity", async () => {
    world.entra.setDelay(5_000);
    const started = Date.now();
    try {
      const token = await world.serviceAccounts.token(WORKLOAD_SUBJECT);
      const error = await mintError({
        timeoutMs: 800,
        identity: { kind: "federated-token", clientId: WORKLOAD_APP.clientId, tenantId: TENANT, token },
      });
      expect(error).toMatchObject({ code: "E_ACR_TIMEOUT", retryable: true });
      expect(error.message).toBe(
        `workload identity with a ServiceAccount token (client id ${WORKLOAD_APP.clientId}, tenant ${TENANT}): no Entra ID token within 800 ms`,
      );
    } finally {
      world.entra.setDelay(0);
    }
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("Entra ID echoing the assertion in its error: the message has it redacted", async () => {
    const token = await world.serviceAccounts.token(WORKLOAD_SUBJECT);
    canaries.push(token);
    world.entra.fail({
      status: 400,
      body: {
        error: "invalid_request",
        error_description: `AADSTS50027: Invalid JWT token ${token}.`,
        error_codes: [50027],
      },
    });
    const error = await mintError({
      identity: { kind: "federated-token", clientId: WORKLOAD_APP.clientId, tenantId: TENANT, token },
    });
    expect(error.code).toBe("E_AZURE_IDENTITY");
    expect(error.message).toContain("AADSTS50027: Invalid JWT token");
  });
});

describe("canary", () => {
  it("no token, assertion or refresh token in any message, hint or identity", async () => {
    // A refresh token ACR echoes in an error body.
    const credential = await mintAcrCredential({
      server: world.acr.host,
      cloud: "public",
      ca: world.ca,
      env: azureEnv(),
      identity: { kind: "managed-identity" },
    });
    canaries.push(credential.password);
    world.acr.tokenServer.failAcr({
      status: 401,
      body: {
        errors: [
          {
            code: "UNAUTHORIZED",
            message: `token ${credential.password} access_token=${credential.password}`,
          },
        ],
      },
    });
    seen.push(await mintError({}));
    expect(seen.length).toBeGreaterThan(10);
    const text = seen
      .map((e) => {
        const error = e as AcrCredentialError;
        return `${error.message}\n${error.hint ?? ""}\n${error.identity ?? ""}\n${String(error)}`;
      })
      .join("\n");
    for (const canary of canaries) expect(text).not.toContain(canary);
    // Nothing JWT-shaped at all (Entra ID tokens never leave entra-token.ts).
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    expect(`${credential.identity}\n${credential.source}`).not.toMatch(/eyJ/);
  });
});
