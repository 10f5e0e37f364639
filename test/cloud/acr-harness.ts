// One ACR world for the acr-*.test.ts suites: an ACR on loopback (docker-registry behind the token server's
// /oauth2/exchange + /oauth2/token), a fake IMDS, a fake Entra ID over https, containerd, and the identities of
// one tenant with their role assignments.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { vi } from "vitest";
import { startAcrRegistry } from "../support/acr-registry.js";
import type { AcrRegistry } from "../support/acr-registry.js";
import { startFakeImds } from "../support/azure-imds.js";
import type { FakeImds } from "../support/azure-imds.js";
import { startContainerd } from "../support/containerd.js";
import type { Containerd } from "../support/containerd.js";
import { createServiceAccountIssuer, startFakeEntra } from "../support/entra.js";
import type { FakeEntra, ServiceAccountIssuer } from "../support/entra.js";
import { createEntraIssuer } from "../support/entra-tokens.js";
import type { EntraIssuer, EntraPrincipal } from "../support/entra-tokens.js";
import { makeScratchDir, removeScratchDir } from "../support/scratch.js";
import { createPki, createSigningKey } from "../support/tls.js";
import type { Pki } from "../support/tls.js";

export const TENANT = "3f2c7a10-6b1e-4c55-9d2a-0e4f5a6b7c8d";
export const SYSTEM_MI: EntraPrincipal = {
  clientId: "a1a1a1a1-0000-4000-8000-000000000001",
  objectId: "0b0b0b0b-0000-4000-8000-000000000001",
};
export const USER_MI = {
  clientId: "a1a1a1a1-0000-4000-8000-000000000002",
  objectId: "0b0b0b0b-0000-4000-8000-000000000002",
  resourceId:
    "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/puller",
};
/** A user-assigned identity without any role on the registry. */
export const NO_ROLE_MI = {
  clientId: "a1a1a1a1-0000-4000-8000-000000000003",
  objectId: "0b0b0b0b-0000-4000-8000-000000000003",
  resourceId:
    "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nobody",
};
/** The app registration AKS workload identity federates `apps/puller` with. */
export const WORKLOAD_APP: EntraPrincipal = {
  clientId: "c0c0c0c0-0000-4000-8000-000000000001",
  objectId: "0d0d0d0d-0000-4000-8000-000000000001",
};
export const WORKLOAD_SUBJECT = { namespace: "apps", name: "puller" };

export interface AcrWorld {
  dir: string;
  pki: Pki;
  ca: Buffer;
  issuer: EntraIssuer;
  serviceAccounts: ServiceAccountIssuer;
  acr: AcrRegistry;
  imds: FakeImds;
  entra: FakeEntra;
  containerd: Containerd | undefined;
  /** Writes a projected ServiceAccount token file for apps/puller (lifetime in seconds; negative: expired). */
  tokenFile(lifetimeSeconds?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startAcrWorld(options: { containerd?: boolean } = {}): Promise<AcrWorld> {
  const dir = makeScratchDir("acr");
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch(() => {});
    stops.length = 0;
    removeScratchDir(dir);
  };
  try {
    const [pki, signing] = await Promise.all([createPki(dir), createSigningKey(dir)]);
    const issuer = createEntraIssuer();
    const serviceAccounts = await createServiceAccountIssuer();
    const acr = await startAcrRegistry({
      dir,
      pki,
      signing,
      acr: {
        verifyEntraToken: (token) => issuer.verify(token),
        roles: {
          [SYSTEM_MI.objectId]: "AcrPull",
          [USER_MI.clientId]: "AcrPull",
          [WORKLOAD_APP.objectId]: "AcrPull",
        },
      },
    });
    stops.push(() => acr.stop());
    const imds = await startFakeImds(issuer, {
      tenantId: TENANT,
      systemAssigned: SYSTEM_MI,
      userAssigned: [USER_MI, NO_ROLE_MI],
    });
    stops.push(() => imds.stop());
    const entra = await startFakeEntra({
      pki,
      tenantId: TENANT,
      issuer,
      federations: [
        {
          principal: WORKLOAD_APP,
          issuer: serviceAccounts,
          subject: `system:serviceaccount:${WORKLOAD_SUBJECT.namespace}:${WORKLOAD_SUBJECT.name}`,
        },
      ],
    });
    stops.push(() => entra.stop());
    let containerd: Containerd | undefined;
    if (options.containerd !== false) {
      containerd = await startContainerd({
        registries: [{ host: acr.host, url: acr.url, caFile: pki.caFile }],
      });
      stops.push(() => (containerd as Containerd).stop());
    }
    let files = 0;
    return {
      dir,
      pki,
      ca: readFileSync(pki.caFile),
      issuer,
      serviceAccounts,
      acr,
      imds,
      entra,
      containerd,
      async tokenFile(lifetimeSeconds = 3600) {
        // An expired token was issued an hour ago and lived an hour minus |lifetimeSeconds|.
        const expired = lifetimeSeconds < 0;
        const token = await serviceAccounts.token({
          ...WORKLOAD_SUBJECT,
          lifetimeSeconds: expired ? 3600 + lifetimeSeconds : lifetimeSeconds,
          now: new Date(Date.now() - (expired ? 3_600_000 : 0)),
        });
        const path = join(dir, `sa-token-${++files}`);
        writeFileSync(path, token);
        return path;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Stubs the Azure variables the SDK reads (unset unless `extra` sets them; vi.unstubAllEnvs restores them) and
 * returns them, as the env a mint names in its messages.
 */
export function stubAzureEnv(
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    AZURE_FEDERATED_TOKEN_FILE: undefined,
    AZURE_CLIENT_ID: undefined,
    AZURE_TENANT_ID: undefined,
    AZURE_AUTHORITY_HOST: undefined,
    IDENTITY_ENDPOINT: undefined,
    MSI_ENDPOINT: undefined,
    ...extra,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return env;
}
