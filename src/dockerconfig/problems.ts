/**
 * Problems are findings about an input, returned as values (never thrown). Messages describe what is wrong
 * and where, never a secret value: no password, auth, token or decoded username appears in a message, and
 * registry keys are shown with any user info redacted.
 */
import type { InputPosition } from "../errors.js";
import { PROBLEM_CODES } from "./problem-codes.js";
import type { ProblemCode, Severity } from "./problem-codes.js";

export type { ProblemCode, Severity } from "./problem-codes.js";

export interface Problem {
  severity: Severity;
  /** Stable kebab-case id from PROBLEM_CODES. */
  code: ProblemCode;
  /** One line, no secret values. */
  message: string;
  /** The registry key concerned (user info redacted). */
  key?: string;
  /** Where in the input, when known (line and column 1-based, offset 0-based in UTF-16 code units). */
  position?: InputPosition;
  /** The input the problem was found in, when several are involved (merge, secrets). */
  source?: string;
}

export interface ProblemDetails {
  key?: string;
  position?: InputPosition | undefined;
  source?: string;
  /** Overrides the catalogue's default severity (documented at each call site). */
  severity?: Severity;
}

export function makeProblem(code: ProblemCode, message: string, details: ProblemDetails = {}): Problem {
  const problem: Problem = { severity: details.severity ?? PROBLEM_CODES[code].severity, code, message };
  if (details.key !== undefined) problem.key = redactKey(details.key);
  if (details.position !== undefined) problem.position = details.position;
  if (details.source !== undefined) problem.source = details.source;
  return problem;
}

/** True when any problem has severity "error". */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Problems ordered by severity (errors first), stable otherwise. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

/**
 * Where the user info of a registry key is (from the start of the authority to its `@`), if it has any.
 * `beyondAuthority`: a password holding `/`, `?` or `#` (`user:pa/ss@host`) ends the authority early for URL
 * parsers, so the part up to the last `@` after a `:` is still a credential, and kubelet's reading of the key
 * (host, normalised key) may carry a piece of it.
 */
function userInfoSpan(key: string): { start: number; end: number; beyondAuthority: boolean } | undefined {
  const schemeEnd = key.indexOf("://");
  const start = schemeEnd >= 0 ? schemeEnd + 3 : 0;
  let authorityEnd = key.length;
  for (const stop of ["/", "?", "#"]) {
    const i = key.indexOf(stop, start);
    if (i >= 0 && i < authorityEnd) authorityEnd = i;
  }
  const lastAt = key.lastIndexOf("@");
  if (lastAt > authorityEnd && key.slice(start, lastAt).includes(":")) {
    return { start, end: lastAt, beyondAuthority: true };
  }
  const at = key.lastIndexOf("@", authorityEnd - 1);
  return at < start ? undefined : { start, end: at, beyondAuthority: false };
}

/**
 * A registry key with any `user:password@` part replaced by `***@`, so that a credential pasted into a key
 * never reaches a message. The one redaction of keys: every message, report and renderer shows keys through it
 * (and strings computed from a key through `redactDerivedKey`).
 */
export function redactKey(key: string): string {
  const span = userInfoSpan(key);
  return span ? key.slice(0, span.start) + "***" + key.slice(span.end) : key;
}

/**
 * A string computed from `key` (kubelet's normalised key, its host) for display: `***` when the key's user info
 * reaches beyond its authority (the computed string may then hold a piece of the password), else redacted.
 */
export function redactDerivedKey(key: string, derived: string): string {
  return userInfoSpan(key)?.beyondAuthority ? "***" : redactKey(derived);
}

const MAX_SHOWN = 80;

/** A key or field name for a message: redacted, JSON-quoted (so control characters are visible), truncated. */
export function quoteKey(key: string): string {
  const redacted = redactKey(key);
  const shown = redacted.length > MAX_SHOWN ? redacted.slice(0, MAX_SHOWN) + "…" : redacted;
  return JSON.stringify(shown);
}

/**
 * An unexpected field name for a message: shown when it looks like a field name (letters, `_`, `-`, up to 32),
 * otherwise described without its text, since a stray JSON key may well be a pasted secret.
 */
export function quoteFieldName(name: string): string {
  return /^[A-Za-z_-]{1,32}$/.test(name) ? JSON.stringify(name) : "(a name that is not shown)";
}
