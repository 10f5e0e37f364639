/**
 * kubelet's reading of a plugin's answer (plugin.go `ExecPlugin`, `decodeResponse`): the apiVersion must be the
 * one the provider's config names, then a strict decode (unknown or repeated fields, wrong types: the answer is
 * dropped), kind `CredentialProviderResponse`, a known cacheKeyType, a Go duration. For `credential-provider
 * exec`, which shows what kubelet would do with an answer. Errors never carry a value (kubelet's own message
 * for a decode error is deliberately bare, "it may contain credentials").
 */
import { parseGoDuration } from "../duration.js";
import { scanJson } from "../dockerconfig/json-scan.js";
import type { JsonNode } from "../dockerconfig/json-scan.js";
import { RESPONSE_KIND, isCacheKeyType } from "./protocol.js";
import type { AuthConfig, CacheKeyType } from "./protocol.js";

export interface KubeletReadResponse {
  readonly cacheKeyType: CacheKeyType;
  /** Milliseconds; undefined when the answer has none (kubelet uses defaultCacheDuration). */
  readonly cacheDurationMs?: number;
  readonly auth: Readonly<Record<string, AuthConfig>>;
}

export type ResponseReading =
  | { readonly ok: true; readonly response: KubeletReadResponse }
  | { readonly ok: false; readonly reason: string };

function fieldsOf(node: JsonNode, what: string): Map<string, JsonNode> | string {
  if (node.kind !== "object") return `${what} is not an object`;
  const fields = new Map<string, JsonNode>();
  for (const member of node.members) {
    if (fields.has(member.key)) return `${what} repeats a field`;
    fields.set(member.key, member.value);
  }
  return fields;
}

function readAuth(node: JsonNode | undefined): Record<string, AuthConfig> | string {
  if (node === undefined || node.kind === "null") return {};
  const entries = fieldsOf(node, "auth");
  if (typeof entries === "string") return entries;
  const auth: [string, AuthConfig][] = [];
  for (const [key, value] of entries) {
    const fields = fieldsOf(value, "an auth entry");
    if (typeof fields === "string") return fields;
    const credential = { username: "", password: "" };
    for (const [name, field] of fields) {
      if (name !== "username" && name !== "password") return "an auth entry has an unknown field";
      if (field.kind === "null") continue;
      if (field.kind !== "string") return `an auth entry's ${name} is not a string`;
      credential[name] = field.value;
    }
    auth.push([key, credential]);
  }
  return Object.fromEntries(auth);
}

/** What kubelet makes of `stdout` from a provider configured with `apiVersion`. */
export function readResponseAsKubelet(stdout: string, apiVersion: string): ResponseReading {
  let root: JsonNode;
  try {
    root = scanJson(stdout, { source: "stdout", maxDepth: 8 });
  } catch {
    return { ok: false, reason: "error reading GVK from response: stdout is not one JSON object" };
  }
  const fields = fieldsOf(root, "the response");
  if (typeof fields === "string") return { ok: false, reason: `error decoding the response: ${fields}` };
  const gv = fields.get("apiVersion");
  const actual = gv?.kind === "string" ? gv.value : "";
  if (actual !== apiVersion) {
    return {
      ok: false,
      reason: `apiVersion from credential plugin response did not match expected apiVersion:${apiVersion}, actual apiVersion:${actual}`,
    };
  }
  const known = new Set(["kind", "apiVersion", "cacheKeyType", "cacheDuration", "auth"]);
  for (const key of fields.keys()) {
    if (!known.has(key))
      return {
        ok: false,
        reason: "error decoding credential provider plugin response from stdout (unknown field)",
      };
  }
  const kind = fields.get("kind");
  if (kind?.kind !== "string" || kind.value !== RESPONSE_KIND) {
    return { ok: false, reason: `kind was not ${RESPONSE_KIND}` };
  }
  const keyType = fields.get("cacheKeyType");
  const cacheKeyType = keyType?.kind === "string" ? keyType.value : "";
  if (!isCacheKeyType(cacheKeyType)) {
    return {
      ok: false,
      reason: `invalid cacheKeyType ${JSON.stringify(cacheKeyType.slice(0, 20))}: the response is not used`,
    };
  }
  const duration = fields.get("cacheDuration");
  let cacheDurationMs: number | undefined;
  if (duration !== undefined && duration.kind !== "null") {
    cacheDurationMs = duration.kind === "string" ? parseGoDuration(duration.value) : undefined;
    if (cacheDurationMs === undefined) {
      return {
        ok: false,
        reason: "error decoding credential provider plugin response from stdout (cacheDuration)",
      };
    }
  }
  const auth = readAuth(fields.get("auth"));
  if (typeof auth === "string") {
    return { ok: false, reason: `error decoding credential provider plugin response from stdout (${auth})` };
  }
  return {
    ok: true,
    response: { cacheKeyType, ...(cacheDurationMs !== undefined ? { cacheDurationMs } : {}), auth },
  };
}
