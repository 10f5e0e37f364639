/**
 * `diagnose(evidence) → Diagnosis[]`: pure, deterministic, ranked causes of a Pod's image-pull failures,
 * each with the evidence lines that support it and the exact fix.
 *
 * How: build the context (context.ts), let every cause of the catalogue (src/doctor/causes) propose candidates
 * with a score: from the messages alone (message-candidates.ts), from the evidence (each cause's `detect`:
 * Secrets, ServiceAccount, node identity, clock, the reference) and from `--probe` answers
 * (probe-candidates.ts), then
 * 1. fold generic causes into the specific ones that explain them (a "no basic auth credentials" message is
 *    explained by "no pull secret entry matches the host"; its line stays in the evidence),
 * 2. merge candidates with the same cause and image,
 * 3. weigh what the last failure's messages say against what is true now (supersede.ts): a fix made since
 *    (a Secret corrected or created, proven by a probe) turns them into `fixed-awaiting-retry`,
 * 4. add the credentials kubelet tries, probe answers and the node's platform where they matter,
 * 5. rank by score (ties: catalogue order, then image).
 */
import { CAUSE_DEFINITIONS, CAUSE_KNOWLEDGE, causeDefinition } from "./causes/index.js";
import type { CauseId } from "./causes/ids.js";
import { CAUSE_IDS, CREDENTIAL_CATEGORIES } from "./causes/ids.js";
import { probeLines } from "./causes/shared/probes.js";
import { credentialLines } from "./causes/shared/pull-secrets.js";
import { buildContext } from "./context.js";
import type { DiagnosisContext } from "./context.js";
import type { Evidence, EvidenceGap } from "./evidence.js";
import { messageCandidates } from "./message-candidates.js";
import type { Candidate, Confidence, Diagnosis } from "./model.js";
import { probeCandidates } from "./probe-candidates.js";
import { supersedeStaleFailures } from "./supersede.js";
import { plural } from "../text/index.js";
import { displayLine } from "./redact.js";

const MAX_EVIDENCE = 14;

function sameSubject(a: Candidate, b: Candidate): boolean {
  return a.image === undefined || b.image === undefined || a.image === b.image;
}

function addLines(target: string[], lines: readonly string[]): void {
  for (const line of lines) if (!target.includes(line)) target.push(line);
}

const ALSO_USED = "the same wording is also used for";

/** The lines of a folded or merged candidate worth keeping: facts, not the generic or alternative commentary. */
function keptLines(from: Candidate): string[] {
  return from.evidence.filter(
    (line) =>
      !line.startsWith(ALSO_USED) && !(from.id === "image-pull-failed" && line.startsWith("meaning: ")),
  );
}

/** Folds explained generic candidates into the ones that explain them. */
function resolveExplains(candidates: Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const removed = new Set<Candidate>();
  for (const winner of sorted) {
    if (removed.has(winner) || !winner.explains || winner.explains.length === 0) continue;
    for (const other of sorted) {
      if (other === winner || removed.has(other)) continue;
      if (!winner.explains.includes(other.id) || other.id === winner.id) continue;
      if (!sameSubject(winner, other) || other.score > winner.score) continue;
      addLines(winner.evidence, keptLines(other));
      addLines(winner.containers, other.containers);
      if (other.lastFailureOnly !== true) winner.lastFailureOnly = false;
      removed.add(other);
    }
  }
  return candidates.filter((c) => !removed.has(c));
}

/** One candidate per cause and image: the best score, everything else merged. */
function merge(candidates: readonly Candidate[]): Candidate[] {
  const byKey = new Map<string, Candidate>();
  for (const c of [...candidates].sort((a, b) => b.score - a.score)) {
    const key = `${c.id}\u0000${c.image ?? ""}`;
    const existing = byKey.get(key);
    if (!existing) {
      byKey.set(key, {
        ...c,
        evidence: [...c.evidence],
        containers: [...c.containers],
        secrets: [...c.secrets],
      });
      continue;
    }
    addLines(existing.evidence, keptLines(c));
    addLines(existing.containers, c.containers);
    addLines(existing.secrets, c.secrets);
    existing.lastFailureOnly = existing.lastFailureOnly === true && c.lastFailureOnly === true;
  }
  return [...byKey.values()];
}

/** Adds to an image's diagnosis the credentials kubelet tries, the probe answers, and the cause's own notes. */
function annotate(ctx: DiagnosisContext, c: Candidate): Candidate {
  const image = c.image === undefined ? undefined : ctx.images.find((i) => i.image === c.image);
  if (!image) return c;
  const cause = causeDefinition(c.id);
  const extra: string[] = [];
  if (CREDENTIAL_CATEGORIES.has(cause.category) && !c.evidence.some((l) => l.startsWith("kubelet tries")))
    extra.push(...credentialLines(image));
  extra.push(...probeLines(ctx, image.image));
  let fix = c.fix;
  const own = cause.annotate?.(ctx);
  if (own) {
    extra.push(...own.evidence);
    const commands = own.commands.filter((command) => !fix.commands.includes(command));
    if (commands.length > 0) fix = { ...fix, commands: [...fix.commands, ...commands] };
  }
  const evidence = [...c.evidence];
  addLines(evidence, extra);
  return { ...c, evidence, fix };
}

function confidenceOf(score: number): Confidence {
  return score >= 0.8 ? "high" : score >= 0.5 ? "medium" : "low";
}

const CATALOGUE_ORDER = new Map<CauseId, number>(CAUSE_IDS.map((id, i) => [id, i]));

function rank(candidates: readonly Candidate[]): Diagnosis[] {
  const sorted = [...candidates].sort(
    (a, b) =>
      b.score - a.score ||
      (CATALOGUE_ORDER.get(a.id) ?? 0) - (CATALOGUE_ORDER.get(b.id) ?? 0) ||
      (a.image ?? "").localeCompare(b.image ?? ""),
  );
  return sorted.map((c, i) => {
    const evidence = c.evidence.slice(0, MAX_EVIDENCE);
    if (c.evidence.length > evidence.length)
      evidence.push(`(${plural(c.evidence.length - evidence.length, "more line")})`);
    const cause = causeDefinition(c.id);
    return {
      id: c.id,
      title: c.title ?? cause.title,
      category: cause.category,
      rank: i + 1,
      confidence: confidenceOf(c.score),
      score: Math.round(c.score * 1000) / 1000,
      images: c.image !== undefined ? [c.image] : [],
      containers: [...c.containers],
      secrets: [...new Set(c.secrets)],
      evidence,
      fix: c.fix,
      informational: cause.informational === true,
    };
  });
}

/** The ranked causes of the Pod's image-pull failures; empty when nothing about pulls is wrong. */
export function diagnose(evidence: Evidence): Diagnosis[] {
  const ctx = buildContext(evidence, CAUSE_KNOWLEDGE);
  const candidates = [
    ...messageCandidates(ctx),
    ...CAUSE_DEFINITIONS.flatMap((cause) => cause.detect?.(ctx) ?? []),
    ...probeCandidates(ctx),
  ].filter((c) => c.score > 0);
  const resolved = supersedeStaleFailures(ctx, merge(resolveExplains(merge(candidates))));
  return rank(resolved.map((c) => annotate(ctx, c)));
}

/**
 * A line about what could not be gathered (RBAC, a deleted object), for the report. It is built from the gap's
 * fields; its one quoted part, the API server's words (`detail`), is redacted here, so the line needs no
 * redaction as a whole (which would take a name before a colon, `namespace-secrets: …`, for a credential key).
 */
export function describeGap(gap: EvidenceGap): string {
  const what = gap.name ? `${gap.subject} ${gap.name}` : gap.subject;
  const why =
    gap.reason === "forbidden"
      ? `forbidden${gap.permission ? `: needs permission to ${gap.permission}` : ""}`
      : gap.reason === "not-found"
        ? "not found (deleted while doctor ran?)"
        : gap.reason === "skipped"
          ? "skipped"
          : "could not be read";
  return `${what}: ${why}${gap.detail ? ` (${displayLine(gap.detail, 300)})` : ""}`;
}

/** Lines about what could not be gathered, for the report. */
export function describeGaps(evidence: Evidence): string[] {
  return (evidence.gaps ?? []).map(describeGap);
}
