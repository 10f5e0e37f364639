/**
 * Finds credentials inside plain strings (env values, args, annotations, ConfigMap data): GitHub, Docker Hub
 * and GitLab tokens by their published prefixes, AWS access keys, JWTs whose header and payload decode, and
 * docker auth blobs (a `{"auths":…}` document, its base64 form, or an `"auth"` field holding `user:password`).
 * Every pattern is linear; matches are classified with the tokens module and shown only in redacted form.
 */
import { parseDockerConfigText } from "../dockerconfig/index.js";
import { classifyToken, redactSecret } from "../tokens/index.js";

export interface CredentialHit {
  /** What it is: "GitHub personal access token (classic)", "docker config with credentials for ghcr.io". */
  readonly label: string;
  /** Redacted form (`ghp_…(40 chars)`); never the value. */
  readonly redacted: string;
  readonly kind: "token" | "aws-key" | "jwt" | "docker-auth";
}

/** Strings longer than this are scanned only in their first part (ConfigMaps hold up to 1 MiB). */
const MAX_SCAN = 1024 * 1024;

const PREFIXED =
  /\b(?:gh[pousr]_[A-Za-z0-9_.]{36,}|github_pat_[A-Za-z0-9_]{36,}|dckr_pat_[A-Za-z0-9_-]{20,}|glpat-[A-Za-z0-9_.-]{20,})/g;
const AWS_ACCESS_KEY = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
const AWS_SECRET_ASSIGNMENT =
  /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
/** Base64 of `{"` or `{\n` / `{ `: the start of a JSON object, as a docker config encoded for a Secret. */
const BASE64_JSON = /\be[wy][A-Za-z0-9+/]{20,}={0,2}/g;
const AUTH_FIELD = /"auth"\s*:\s*"([A-Za-z0-9+/]{8,}={0,2})"/g;

/** Placeholders such as `ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx` are not credentials. */
function isPlaceholder(value: string): boolean {
  const body = value.replace(/^[a-z]+_(?:pat_)?|^glpat-/, "");
  return new Set(body.toLowerCase()).size < 6 || /^(?:x+|0+|your|example_?token)/i.test(body);
}

function tokenHit(value: string, kind: CredentialHit["kind"]): CredentialHit {
  const info = classifyToken({ password: value });
  return { label: info.label, redacted: redactSecret(value), kind };
}

function decodeBase64(value: string): string | undefined {
  if (value.length % 4 === 1) return undefined;
  try {
    return Buffer.from(value, "base64").toString("utf8");
  } catch {
    return undefined;
  }
}

/** A docker config with at least one credential, as `docker config with credentials for a, b`. */
function dockerConfigHit(text: string, redactedFrom: string): CredentialHit | undefined {
  if (!text.includes('"auths"') && !/"auth"\s*:/.test(text)) return undefined;
  let config;
  try {
    config = parseDockerConfigText(text, { source: "value", format: "auto" });
  } catch {
    return undefined;
  }
  const withCredentials = config.entries.filter(
    (entry) => entry.decoded !== undefined && entry.decoded.password !== "",
  );
  if (withCredentials.length === 0) return undefined;
  const keys = withCredentials.map((entry) => entry.key).slice(0, 3);
  return {
    label: `docker config with credentials for ${keys.join(", ")}${withCredentials.length > 3 ? ", ..." : ""}`,
    redacted: redactSecret(redactedFrom),
    kind: "docker-auth",
  };
}

/** Every credential in `value`, each once. `name` (an env var name) helps recognise bare AWS secret keys. */
export function scanForCredentials(value: string, name?: string): CredentialHit[] {
  if (value.length < 16) return [];
  const text = value.length > MAX_SCAN ? value.slice(0, MAX_SCAN) : value;
  const hits: CredentialHit[] = [];
  const seen = new Set<string>();
  const add = (key: string, hit: CredentialHit | undefined) => {
    if (!hit || seen.has(key)) return;
    seen.add(key);
    hits.push(hit);
  };

  for (const match of text.matchAll(PREFIXED)) {
    const token = match[0];
    if (!isPlaceholder(token)) add(token, tokenHit(token, "token"));
  }
  for (const match of text.matchAll(AWS_ACCESS_KEY)) {
    const key = match[0];
    // AKIAIOSFODNN7EXAMPLE is AWS's documented example key.
    if (!key.includes("EXAMPLE"))
      add(key, { label: "AWS access key id", redacted: redactSecret(key), kind: "aws-key" });
  }
  for (const match of text.matchAll(AWS_SECRET_ASSIGNMENT)) {
    const secret = match[1] ?? "";
    if (!/EXAMPLE/.test(secret))
      add(secret, { label: "AWS secret access key", redacted: redactSecret(secret), kind: "aws-key" });
  }
  if (
    name !== undefined &&
    /aws_?secret_?access_?key/i.test(name) &&
    /^[A-Za-z0-9/+]{40}$/.test(text.trim()) &&
    !text.includes("EXAMPLE")
  ) {
    add(text.trim(), {
      label: "AWS secret access key",
      redacted: redactSecret(text.trim()),
      kind: "aws-key",
    });
  }
  for (const match of text.matchAll(JWT)) {
    const token = match[0];
    const info = classifyToken({ password: token });
    if (info.kind === "jwt" || info.kind === "acr-refresh-token")
      add(token, { label: info.label, redacted: redactSecret(token), kind: "jwt" });
  }
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) add("json", dockerConfigHit(trimmed, trimmed));
  for (const match of text.matchAll(BASE64_JSON)) {
    const decoded = decodeBase64(match[0]);
    if (decoded === undefined || !decoded.trimStart().startsWith("{")) continue;
    add(match[0], dockerConfigHit(decoded, match[0]));
  }
  if (!seen.has("json")) {
    for (const match of text.matchAll(AUTH_FIELD)) {
      const encoded = match[1] ?? "";
      const decoded = decodeBase64(encoded);
      // eslint-disable-next-line no-control-regex -- binary garbage is not user:password
      if (decoded === undefined || !/^[^\s:]+:\S+/.test(decoded) || /[\u0000-\u0008\ufffd]/.test(decoded))
        continue;
      add(encoded, {
        label: "docker auth field (base64 user:password)",
        redacted: redactSecret(encoded),
        kind: "docker-auth",
      });
    }
  }
  return hits;
}
