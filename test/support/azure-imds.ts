// A fake Azure Instance Metadata Service (IMDS) token endpoint on http://127.0.0.1, for ManagedIdentityCredential
// (the SDK is pointed at it with AZURE_POD_IDENTITY_AUTHORITY_HOST). Wire format as captured with
// @azure/identity 4.13.1 (shared/reference/controller-and-provider.md §C.4) and the IMDS docs
// (learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token):
//   GET /metadata/identity/oauth2/token/?api-version=2018-02-01&resource=<resource>[&client_id=|&msi_res_id=|&object_id=]
//   header Metadata: true (else 400); 200 {"access_token","client_id","expires_in","expires_on","ext_expires_in",
//   "not_before","resource","token_type"} with numbers as strings; 400 {"error","error_description"}.
// The SDK sends the path with a trailing slash; both spellings are served, and which one came is recorded. A
// user-assigned identity's resource id is `msi_res_id` on IMDS (msal-node BaseManagedIdentitySource
// MANAGED_IDENTITY_RESOURCE_ID_IMDS; `mi_res_id` is App Service's spelling, which IMDS ignores).
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EntraIssuer, EntraPrincipal } from "./entra-tokens.js";
import { LOOPBACK } from "./net.js";

export interface ImdsIdentities {
  tenantId: string;
  /** The VM's system-assigned identity (none: IMDS says so, as on a VM without one). */
  systemAssigned?: EntraPrincipal;
  /** User-assigned identities, found by client id, object id or resource id. */
  userAssigned?: (EntraPrincipal & { resourceId: string })[];
}

/** A canned answer instead of a token (faults). */
export interface ImdsFault {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer this many requests with it (default 1). */
  times?: number;
}

export interface ImdsRequestRecord {
  path: string;
  metadataHeader: string | undefined;
  apiVersion: string | null;
  resource: string | null;
  clientId: string | null;
  resourceId: string | null;
  objectId: string | null;
  status: number;
}

export interface FakeImds {
  /** `http://127.0.0.1:PORT`: the value of AZURE_POD_IDENTITY_AUTHORITY_HOST. */
  url: string;
  requests(): ImdsRequestRecord[];
  fail(fault: ImdsFault): void;
  /** Delay before each answer (a slow IMDS). */
  setDelay(ms: number): void;
  /** The token lifetime in seconds and the issuer's clock offset (clock skew). */
  setToken(options: { lifetimeSeconds?: number; clockOffsetMs?: number }): void;
  stop(): Promise<void>;
}

export async function startFakeImds(issuer: EntraIssuer, identities: ImdsIdentities): Promise<FakeImds> {
  const log: ImdsRequestRecord[] = [];
  const faults: ImdsFault[] = [];
  let delayMs = 0;
  let lifetimeSeconds = 86_399;
  let clockOffsetMs = 0;

  function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  }

  function principalFor(q: URLSearchParams): EntraPrincipal | undefined {
    const clientId = q.get("client_id");
    const resourceId = q.get("msi_res_id");
    const objectId = q.get("object_id");
    if (clientId === null && resourceId === null && objectId === null) return identities.systemAssigned;
    return (identities.userAssigned ?? []).find(
      (p) =>
        (clientId !== null && p.clientId === clientId) ||
        (objectId !== null && p.objectId === objectId) ||
        (resourceId !== null && p.resourceId.toLowerCase() === resourceId.toLowerCase()),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const q = url.searchParams;
    const rec: ImdsRequestRecord = {
      path: url.pathname,
      metadataHeader: req.headers["metadata"] as string | undefined,
      apiVersion: q.get("api-version"),
      resource: q.get("resource"),
      clientId: q.get("client_id"),
      resourceId: q.get("msi_res_id"),
      objectId: q.get("object_id"),
      status: 0,
    };
    log.push(rec);
    const reply = (status: number, body: unknown, headers?: Record<string, string>): void => {
      rec.status = status;
      send(res, status, body, headers);
    };
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (
      url.pathname !== "/metadata/identity/oauth2/token/" &&
      url.pathname !== "/metadata/identity/oauth2/token"
    ) {
      return reply(404, { error: "not_found" });
    }
    if (req.method !== "GET")
      return reply(405, { error: "invalid_request", error_description: "method not allowed" });
    if (rec.metadataHeader !== "true") {
      return reply(400, {
        error: "invalid_request",
        error_description: "Required metadata header not specified",
      });
    }
    const fault = faults[0];
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.shift();
      return reply(fault.status, fault.body ?? { error: "server_error" }, fault.headers);
    }
    if (rec.apiVersion === null || rec.resource === null) {
      return reply(400, {
        error: "invalid_request",
        error_description: "Required query variable 'resource' is missing",
      });
    }
    const principal = principalFor(q);
    if (!principal) return reply(400, { error: "invalid_request", error_description: "Identity not found" });
    const now = new Date(Date.now() + clockOffsetMs);
    const token = await issuer.mint({
      tenantId: identities.tenantId,
      principal,
      audience: rec.resource.replace(/\/$/, ""),
      lifetimeSeconds,
      now,
    });
    const nowSeconds = Math.floor(now.getTime() / 1000);
    reply(200, {
      access_token: token,
      client_id: principal.clientId,
      expires_in: String(lifetimeSeconds),
      expires_on: String(nowSeconds + lifetimeSeconds),
      ext_expires_in: String(lifetimeSeconds),
      not_before: String(nowSeconds - 300),
      resource: rec.resource,
      token_type: "Bearer",
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: "server_error", error_description: String(e) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${port}`,
    requests: () => [...log],
    fail: (fault) => {
      faults.push({ ...fault });
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    setToken: (o) => {
      if (o.lifetimeSeconds !== undefined) lifetimeSeconds = o.lifetimeSeconds;
      if (o.clockOffsetMs !== undefined) clockOffsetMs = o.clockOffsetMs;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
