/**
 * What a registry says when it says no: the distribution error body `{"errors":[{"code","message","detail"}]}`
 * (codes from distribution `registry/api/errcode/register.go` and the OCI spec), and `Retry-After`.
 */
import { safeSnippet } from "./redact.js";

export interface RegistryErrorEntry {
  /** Upper-case code, e.g. `NAME_UNKNOWN`, `MANIFEST_UNKNOWN`, `DENIED`, `UNAUTHORIZED`. */
  code: string;
  /** The registry's message, redacted and shortened. */
  message: string;
}

/** Parses a (possibly truncated or non-JSON) error body; [] when it holds no error list. */
export function parseRegistryErrors(body: Buffer | string | undefined): RegistryErrorEntry[] {
  if (body === undefined) return [];
  const text = typeof body === "string" ? body : body.toString("utf8");
  if (!text.trim().startsWith("{")) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  const out: RegistryErrorEntry[] = [];
  for (const e of errors.slice(0, 20)) {
    if (typeof e !== "object" || e === null) continue;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code !== "string" || code === "") continue;
    out.push({
      code: code.toUpperCase().slice(0, 64),
      message: typeof message === "string" ? safeSnippet(message, 160) : "",
    });
  }
  return out;
}

/** Whether any entry has `code`. */
export function hasErrorCode(errors: readonly RegistryErrorEntry[], code: string): boolean {
  return errors.some((e) => e.code === code);
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) in whole seconds from `now`: delta-seconds or an HTTP-date (a date in the
 * past gives 0). Undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  // An HTTP-date always names a weekday and "GMT"; Date.parse alone accepts too much.
  if (!/^[A-Za-z]{3},? /.test(text) && !/GMT$/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
