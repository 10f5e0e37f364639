/**
 * Best-effort, never-throwing JWT inspection with jose's decoders. Signatures are never verified here:
 * the result describes what the token claims, for diagnosis only.
 */
import { decodeJwt, decodeProtectedHeader } from "jose";

/** Three base64url segments; the signature may be empty (`alg: none`). Linear on any input. */
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Longest claim text copied into results; longer values are cut with an ellipsis. */
const MAX_CLAIM_TEXT = 200;

export interface DecodedJwt {
  alg: string;
  /** The claims set when the payload is a JSON object; undefined otherwise. */
  claims?: Record<string, unknown>;
}

/** True when `token` has the compact-JWS shape and a decodable header object with a string `alg`. */
export function decodeJwtLoosely(token: string): DecodedJwt | undefined {
  if (!JWS_COMPACT.test(token)) return undefined;
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
  if (typeof alg !== "string") return undefined;
  try {
    return { alg, claims: decodeJwt(token) as Record<string, unknown> };
  } catch {
    return { alg };
  }
}

/** A claim string made safe for display: control characters removed, length capped. */
export function claimText(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "");
  return clean.length > MAX_CLAIM_TEXT ? `${clean.slice(0, MAX_CLAIM_TEXT)}…` : clean;
}

/** A NumericDate claim (seconds since the epoch) as a Date, or undefined if absent or not a finite number. */
export function numericDate(value: unknown): Date | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
