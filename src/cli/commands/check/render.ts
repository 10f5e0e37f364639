/**
 * Output of `pullwarden check`: the table (for terminals and logs) and the JSON report (`-o json`, documented
 * in docs/check.md; field names and values are stable). Everything shown comes from engine results, which are
 * redacted, and from credential labels, which name sources, keys and usernames only.
 */
import { formatPlatform } from "../../../registry/index.js";
import type {
  AccessResult,
  AttemptReport,
  CredentialLabel,
  ImageCheckReport,
  Platform,
} from "../../../registry/index.js";
import type { Paint } from "../../output.js";
import type { ValidImage } from "./images.js";

/** One image's report: the images are check's own, with where each was written. */
export type ImageReport = ImageCheckReport<ValidImage>;

/** One line naming a credential, for the table. */
export function describeCredential(label: CredentialLabel): string {
  const user = label.username !== undefined ? `user ${label.username || "(empty)"}` : undefined;
  switch (label.kind) {
    case "anonymous":
      return {
        "no-credential-given": "anonymous",
        "no-key-matches": "anonymous (no key of the secret matches)",
        "entry-without-credentials": "anonymous",
        "no-docker-config-entry": "anonymous (no entry in the docker config)",
      }[label.anonymous ?? "no-credential-given"];
    case "flags":
      return `--username ${label.username ?? ""}`;
    case "cloud":
      // Which identity minted the token and until when: never the token.
      return [
        `minted by ${label.identity ?? "?"}`,
        label.source ? `with ${label.source}` : undefined,
        user,
        label.expiresAt ? `expires ${label.expiresAt}` : undefined,
      ]
        .filter(Boolean)
        .join(", ");
    case "docker-config":
      return [label.source, `${label.key ?? "?"} (${label.origin ?? "file"})`, user]
        .filter(Boolean)
        .join(", ");
    case "secret": {
      const key = `key ${label.key ?? "?"}${label.via === "docker-hub-fallback" ? " (Docker Hub fallback)" : ""}`;
      const who = label.anonymous === "entry-without-credentials" ? "no usable credential: anonymous" : user;
      return [label.source, key, who].filter(Boolean).join(", ");
    }
  }
}

export const CHECK_JSON_SCHEMA_VERSION = 1;

/** `reason` of a result (or `what` for not-found), when it has one. */
export function resultReason(result: AccessResult): string | undefined {
  if (result.outcome === "not-found") return result.what;
  return "reason" in result ? result.reason : undefined;
}

function shortDigest(digest: string): string {
  const colon = digest.indexOf(":");
  return colon >= 0 && digest.length > colon + 13 ? `${digest.slice(0, colon + 13)}…` : digest || "no digest";
}

function httpStatus(result: AccessResult): string {
  return "status" in result && result.status !== undefined ? ` (HTTP ${result.status})` : "";
}

/** A short description of a result for the DETAIL column. */
export function resultDetail(result: AccessResult): string {
  let detail: string;
  switch (result.outcome) {
    case "ok": {
      const how = result.auth === "none" || result.auth === "anonymous-token" ? "anonymous" : result.auth;
      const platform = result.platform ? ` ${formatPlatform(result.platform.matched)}` : "";
      detail = `${shortDigest(result.digest)}${platform} (${how})`;
      break;
    }
    case "unauthorized":
      detail = `${result.reason}${httpStatus(result)}`;
      break;
    case "denied":
      detail = `access denied${httpStatus(result)}`;
      break;
    case "not-found":
      detail = `${result.what} not found${httpStatus(result)}`;
      break;
    case "platform-missing":
      detail = `no ${formatPlatform(result.platform)}; has ${result.available.map(formatPlatform).join(", ") || "none"}`;
      break;
    case "tls":
    case "network":
      detail = `${result.reason}${result.code ? ` (${result.code})` : ""}`;
      break;
    case "plain-http":
      detail = result.reason;
      break;
    case "rate-limited":
      detail = `HTTP ${result.status}${result.retryAfterSeconds !== undefined ? `, retry after ${result.retryAfterSeconds} s` : ""}`;
      break;
    case "registry-error":
      detail = `${result.reason}${httpStatus(result)}${result.code ? ` ${result.code}` : ""}`;
      break;
    case "bad-realm":
      detail = `${result.reason}${result.realm ? ` ${result.realm}` : ""}`;
      break;
  }
  return result.blurred ? `${detail} (blurred)` : detail;
}

function attemptLine(attempt: AttemptReport, total: number): string {
  const what = attempt.result
    ? `${attempt.result.outcome}: ${resultDetail(attempt.result)}`
    : attempt.skipped === "earlier-attempt-ok"
      ? "not tried (kubelet stops at the first credential that pulls)"
      : "not tried (no credential can change this failure)";
  return `attempt ${attempt.attempt}/${total} ${what}, with ${describeCredential(attempt.credential)}`;
}

export interface TableOptions {
  paint: Paint;
}

/** The table: one row per image, then its attempts (when several), note and fix (when not ok); a summary. */
export function renderCheckTable(reports: readonly ImageReport[], { paint }: TableOptions): string {
  const header = ["IMAGE", "OUTCOME", "DETAIL", "CREDENTIAL"];
  const rows = reports.map((r) => [
    r.image.input.text,
    r.result.outcome,
    resultDetail(r.result),
    describeCredential(r.attempts[r.selected - 1]?.credential ?? { kind: "anonymous" }),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? "").length)));
  const line = (cells: string[], color?: (text: string, column: number) => string): string =>
    cells
      .map((cell, c) => {
        const padded = c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0);
        return color ? color(padded, c) : padded;
      })
      .join("  ")
      .trimEnd();
  let out = `${line(header, (text) => paint.bold(text))}\n`;
  reports.forEach((report, i) => {
    const ok = report.result.outcome === "ok";
    out += `${line(rows[i] ?? [], (text, c) => (c === 1 && !ok ? paint.red(text) : text))}\n`;
    if (report.attempts.length > 1) {
      for (const attempt of report.attempts) {
        out += `  ${paint.dim(attemptLine(attempt, report.attempts.length))}\n`;
      }
    }
    if (report.result.note) out += `  ${paint.dim("note:")} ${report.result.note}\n`;
    if (!ok) out += `  ${paint.yellow("fix:")} ${report.result.fix}\n`;
  });
  const okCount = reports.filter((r) => r.result.outcome === "ok").length;
  out += `\n${reports.length} image(s): ${okCount} ok, ${reports.length - okCount} not ok\n`;
  return out;
}

export interface JsonReportOptions {
  platform?: Platform;
  warnings: readonly string[];
}

export interface CheckJsonAttempt {
  attempt: number;
  credential: CredentialLabel;
  tried: boolean;
  skipped: string | null;
  result: AccessResult | null;
}

export interface CheckJsonImage {
  image: string;
  file: string | null;
  line: number | null;
  reference: string;
  registry: string;
  outcome: AccessResult["outcome"];
  reason: string | null;
  message: string;
  fix: string;
  blurred: boolean;
  note: string | null;
  digest: string | null;
  credential: CredentialLabel;
  attempt: number;
  attempts: CheckJsonAttempt[];
}

export interface CheckJsonReport {
  schemaVersion: number;
  ok: boolean;
  platform: string | null;
  summary: { images: number; ok: number; notOk: number; outcomes: Record<string, number> };
  warnings: string[];
  images: CheckJsonImage[];
}

export function checkJsonReport(
  reports: readonly ImageReport[],
  options: JsonReportOptions,
): CheckJsonReport {
  const outcomes: Record<string, number> = {};
  for (const r of reports) outcomes[r.result.outcome] = (outcomes[r.result.outcome] ?? 0) + 1;
  const okCount = outcomes["ok"] ?? 0;
  return {
    schemaVersion: CHECK_JSON_SCHEMA_VERSION,
    ok: okCount === reports.length,
    platform: options.platform ? formatPlatform(options.platform) : null,
    summary: { images: reports.length, ok: okCount, notOk: reports.length - okCount, outcomes },
    warnings: [...options.warnings],
    images: reports.map((r) => {
      const result = r.result;
      return {
        image: r.image.input.text,
        file: r.image.input.file === undefined ? null : r.image.input.file,
        line: r.image.input.line ?? null,
        reference: r.image.canonical,
        registry: result.registry,
        outcome: result.outcome,
        reason: resultReason(result) ?? null,
        message: result.message,
        fix: result.fix,
        blurred: result.blurred,
        note: result.note ?? null,
        digest: "digest" in result && result.digest ? result.digest : null,
        credential: r.attempts[r.selected - 1]?.credential ?? { kind: "anonymous" },
        attempt: r.selected,
        attempts: r.attempts.map((a) => ({
          attempt: a.attempt,
          credential: a.credential,
          tried: a.result !== undefined,
          skipped: a.skipped ?? null,
          result: a.result ?? null,
        })),
      };
    }),
  };
}
