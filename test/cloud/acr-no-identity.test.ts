// No Entra ID token to be had: IMDS absent or failing, and no identity at all. Its own file (own process):
// MSAL keeps managed identity tokens in a process-wide cache, so a token another suite minted would answer here.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AcrCredentialError, mintAcrCredential } from "../../src/cloud/acr/index.js";
import type { MintAcrCredentialOptions } from "../../src/cloud/acr/index.js";
import { startFakeImds } from "../support/azure-imds.js";
import type { FakeImds } from "../support/azure-imds.js";
import { createEntraIssuer } from "../support/entra-tokens.js";
import { freePort, LOOPBACK } from "../support/net.js";
import { stubAzureEnv, SYSTEM_MI, TENANT } from "./acr-harness.js";

// Never reached: every case fails before the exchange.
const SERVER = "noidentity.azurecr.io";
let imds: FakeImds;

beforeAll(async () => {
  imds = await startFakeImds(createEntraIssuer(), { tenantId: TENANT, systemAssigned: SYSTEM_MI });
});
afterAll(async () => {
  await imds?.stop();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function mintError(options: Partial<MintAcrCredentialOptions>): Promise<AcrCredentialError> {
  try {
    await mintAcrCredential({
      server: SERVER,
      timeoutMs: 5_000,
      identity: { kind: "managed-identity" },
      ...options,
    });
  } catch (error) {
    if (error instanceof AcrCredentialError) return error;
    throw error;
  }
  throw new Error("minting succeeded");
}

describe("no Entra ID token", () => {
  it("managed identity asked for where no IMDS answers: E_AZURE_IMDS_UNAVAILABLE, quickly", async () => {
    const closed = `http://${LOOPBACK}:${await freePort()}`;
    const started = Date.now();
    const error = await mintError({ env: stubAzureEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: closed }) });
    expect(error.code).toBe("E_AZURE_IMDS_UNAVAILABLE");
    expect(error.identity).toBe("managed identity (system-assigned)");
    expect(error.message).toMatch(
      /^managed identity \(system-assigned\): the instance metadata service \(IMDS\) does not answer \(/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("IMDS answering 500 until the deadline: bounded, typed", async () => {
    imds.fail({ status: 500, times: 1000, body: { error: "unknown", error_description: "busy" } });
    const started = Date.now();
    const error = await mintError({
      timeoutMs: 1_500,
      env: stubAzureEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url }),
    });
    expect(error).toMatchObject({ code: "E_AZURE_IMDS_UNAVAILABLE", retryable: true });
    expect(error.message).toBe(
      "managed identity (system-assigned): IMDS gave no token within 1500 ms (unreachable, slow, or failing and retried)",
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("no identity at all: E_AZURE_NO_IDENTITY naming every link tried and why", async () => {
    const closed = `http://${LOOPBACK}:${await freePort()}`;
    vi.stubEnv("PATH", "/nonexistent");
    const error = await mintError({
      env: stubAzureEnv({ AZURE_POD_IDENTITY_AUTHORITY_HOST: closed }),
      identity: { kind: "chain" },
    });
    expect(error.code).toBe("E_AZURE_NO_IDENTITY");
    expect(error.message).toMatch(
      /^no Azure identity is available to mint an ACR token \(tried workload-identity: AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID, AZURE_TENANT_ID not set; managed-identity: the instance metadata service \(IMDS\) does not answer here; azure-cli: az is not installed \(not found on PATH\)\)$/,
    );
    expect(error.hint).toContain("az login");
  });
  it("a chosen identity that is not set up here says what it lacks", async () => {
    const workload = await mintError({
      env: stubAzureEnv(),
      identity: { kind: "workload-identity", clientId: "c1" },
    });
    expect(workload).toMatchObject({
      code: "E_AZURE_NO_IDENTITY",
      message:
        "workload identity (client id c1, tenant ?, token file ?) is not available: AZURE_FEDERATED_TOKEN_FILE, AZURE_TENANT_ID not set",
    });
    vi.stubEnv("PATH", "/nonexistent");
    const cli = await mintError({ env: stubAzureEnv(), identity: { kind: "azure-cli" } });
    expect(cli.code).toBe("E_AZURE_NO_IDENTITY");
    expect(cli.message).toMatch(/^the Azure CLI's signed-in account: Azure CLI could not be found/);
    expect(cli.hint).toBe("install the Azure CLI and run az login");
  });

  it("an authority host that is not https is one environment error naming the setting (the SDK throws a plain Error)", async () => {
    const error = await mintError({
      env: stubAzureEnv({ AZURE_AUTHORITY_HOST: `http://${LOOPBACK}:1` }),
      identity: {
        kind: "federated-token",
        clientId: "00000000-0000-0000-0000-0000000000aa",
        tenantId: TENANT,
        token: "not-a-jwt-CANARY-authority",
      },
    });
    expect(error.code).toBe("E_AZURE_IDENTITY");
    expect(error.message).toMatch(/authority host "http:\/\/127\.0\.0\.1:1" is not an https URL/);
    expect(error.hint).toMatch(/AZURE_AUTHORITY_HOST/);
    expect(`${error.message} ${error.hint ?? ""}`).not.toContain("CANARY");
  });
});
