// Builders for pull-credential inputs used by the CLI tests: docker configs, Secret manifests and tokens of the
// kinds `secret inspect` recognises. Every credential is fake; tokens are built here so expiry is relative to
// the tests' fixed clock (TEST_NOW in run-cli.ts).
export const NULL_GUID = "00000000-0000-0000-0000-000000000000";

export function b64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

export interface EntryInput {
  username?: string;
  password?: string;
  email?: string;
  auth?: string;
  [field: string]: string | undefined;
}

/** The entry kubectl writes: username, password, (email), auth. */
export function kubectlEntry(username: string, password: string, email?: string): EntryInput {
  return { username, password, ...(email ? { email } : {}), auth: b64(`${username}:${password}`) };
}

/** A `.dockerconfigjson` payload: `{"auths": {...}}`. */
export function dockerConfig(auths: Record<string, EntryInput>): string {
  return JSON.stringify({ auths });
}

export interface SecretInput {
  name?: string;
  namespace?: string;
  type?: string;
  key?: string;
  /** The decoded value of the key (the payload text). */
  payload: string;
}

/** A Secret manifest in YAML, the payload base64-encoded under `data`. */
export function secretYaml(input: SecretInput): string {
  const lines = ["apiVersion: v1", "kind: Secret", "metadata:", `  name: ${input.name ?? "regcred"}`];
  if (input.namespace) lines.push(`  namespace: ${input.namespace}`);
  lines.push(`type: ${input.type ?? "kubernetes.io/dockerconfigjson"}`);
  lines.push("data:", `  ${input.key ?? ".dockerconfigjson"}: ${b64(input.payload)}`);
  return lines.join("\n") + "\n";
}

/** Several YAML documents in one stream. */
export function yamlStream(...documents: string[]): string {
  return documents.map((doc) => `---\n${doc}`).join("");
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** An (unsigned-looking) JWT with these claims; the signature is junk, only the claims matter offline. */
export function jwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: "RS256", typ: "JWT", kid: "test" })}.${b64url(claims)}.c2lnbmF0dXJlLW5vdC12ZXJpZmllZA`;
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** An ACR refresh token (JWT issued by "Azure Container Registry") expiring at `exp`. */
export function acrRefreshToken(registry: string, exp: Date): string {
  return jwt({
    jti: "00000000-1111-2222-3333-444444444444",
    sub: "robot@example.com",
    iss: "Azure Container Registry",
    aud: registry,
    nbf: unixSeconds(exp) - 3 * 3600,
    iat: unixSeconds(exp) - 3 * 3600,
    exp: unixSeconds(exp),
    grant_type: "refresh_token",
    version: "1.0",
  });
}

/** An ECR password: base64 JSON {payload, datakey, version, type: DATA_KEY, expiration} (GetAuthorizationToken). */
export function ecrPassword(expiration: Date): string {
  return b64(
    JSON.stringify({
      payload: b64("encrypted-payload-".repeat(8)),
      datakey: b64("encrypted-data-key-".repeat(4)),
      version: "2",
      type: "DATA_KEY",
      expiration: unixSeconds(expiration),
    }),
  );
}

/** Token shapes as GitHub issues them (fake values). */
export const TOKENS = {
  classicPat: "ghp_" + "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0UvWxYz".slice(0, 36),
  fineGrainedPat: "github_pat_" + "11ABCDEFG0123456789abc" + "_" + "x".repeat(59),
  installation: "ghs_" + "A1b2C3d4E5".repeat(3) + "F6g7H8",
} as const;
