// The tokens the Azure fakes (azure-imds.ts, entra.ts) issue and the ACR fake (token-server.ts) accepts: Entra
// ID v1 access tokens for ACR's audience, as real ones carry them (aud, iss https://sts.windows.net/<tid>/,
// tid, oid, appid, exp), signed with a key only the test holds so the ACR fake can verify them.
import { createSecretKey, randomBytes, randomUUID } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

/** The resource (v1 `aud`) of tokens for ACR; scope `${ACR_RESOURCE}/.default`. */
export const ACR_RESOURCE = "https://containerregistry.azure.net";

/** A service principal or managed identity of the fake tenant. */
export interface EntraPrincipal {
  clientId: string;
  objectId: string;
}

export interface EntraTokenClaims {
  tenantId: string;
  principal: EntraPrincipal;
  /** Default ACR_RESOURCE. */
  audience?: string;
  lifetimeSeconds?: number;
  /** The issuer's clock (default now): a skewed fake clock shifts iat/nbf/exp. */
  now?: Date;
}

export interface VerifiedEntraToken {
  tenantId: string;
  clientId: string;
  objectId: string;
  audience: string;
}

export interface EntraIssuer {
  mint(claims: EntraTokenClaims): Promise<string>;
  /** The claims of a token this issuer signed, if it is one, unexpired, for ACR; undefined otherwise. */
  verify(token: string, audience?: string): Promise<VerifiedEntraToken | undefined>;
}

export function createEntraIssuer(): EntraIssuer {
  const key = createSecretKey(randomBytes(32));
  return {
    async mint({ tenantId, principal, audience = ACR_RESOURCE, lifetimeSeconds = 3599, now = new Date() }) {
      const iat = Math.floor(now.getTime() / 1000);
      return new SignJWT({
        tid: tenantId,
        oid: principal.objectId,
        appid: principal.clientId,
        idtyp: "app",
        ver: "1.0",
      })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer(`https://sts.windows.net/${tenantId}/`)
        .setAudience(audience)
        .setSubject(principal.objectId)
        .setIssuedAt(iat)
        .setNotBefore(iat - 300)
        .setExpirationTime(iat + lifetimeSeconds)
        .setJti(randomUUID())
        .sign(key);
    },
    async verify(token, audience = ACR_RESOURCE) {
      try {
        const { payload } = await jwtVerify(token, key, { audience, clockTolerance: 300 });
        const { tid, oid, appid } = payload as Record<string, unknown>;
        if (typeof tid !== "string" || typeof oid !== "string" || typeof appid !== "string") return undefined;
        return { tenantId: tid, clientId: appid, objectId: oid, audience };
      } catch {
        return undefined;
      }
    },
  };
}
