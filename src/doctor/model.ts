/** The values `diagnose` returns, and the candidates its rules produce before ranking. */
import type { CauseCategory, CauseId } from "./causes/ids.js";

export type Confidence = "high" | "medium" | "low";

export interface Fix {
  /** What to change and why, in one or two sentences. */
  readonly explanation: string;
  /** Exact commands, in order; placeholders in angle brackets; no secret values. */
  readonly commands: readonly string[];
}

export interface Diagnosis {
  /** Stable cause id (docs/doctor.md). */
  readonly id: CauseId;
  readonly title: string;
  readonly category: CauseCategory;
  /** 1 = most likely. */
  readonly rank: number;
  readonly confidence: Confidence;
  /** 0..1, what the rank is computed from. */
  readonly score: number;
  /** Images (as in the Pod spec) and containers concerned; empty when the cause is about the whole Pod. */
  readonly images: readonly string[];
  readonly containers: readonly string[];
  /** Secrets concerned, by name. */
  readonly secrets: readonly string[];
  /** Why: one line per fact, never a secret value. */
  readonly evidence: readonly string[];
  readonly fix: Fix;
  /** Not a failure by itself (e.g. a cached image re-verified); never counted as a finding. */
  readonly informational: boolean;
}

/** What a rule proposes; `diagnose` merges, resolves `explains` and ranks. */
export interface Candidate {
  readonly id: CauseId;
  score: number;
  /** The image concerned; undefined for a Pod-wide cause. */
  readonly image?: string;
  readonly containers: string[];
  readonly secrets: string[];
  /** Overrides the catalogue title with a more precise one. */
  readonly title?: string;
  readonly evidence: string[];
  readonly fix: Fix;
  /** Generic causes this one explains: they are folded into it (their evidence kept) when scored lower. */
  readonly explains?: readonly CauseId[];
  /**
   * Supported only by the messages of kubelet's last failed pulls (the waiting message, events), not by the
   * Secrets, node or probes as they are now: a fix made since may have made it stale (supersede.ts).
   */
  lastFailureOnly?: boolean;
}

export function candidate(
  id: CauseId,
  score: number,
  parts: {
    image?: string | undefined;
    containers?: readonly string[];
    secrets?: readonly string[];
    title?: string;
    evidence: readonly string[];
    fix: Fix;
    explains?: readonly CauseId[];
    lastFailureOnly?: boolean;
  },
): Candidate {
  return {
    id,
    score: Math.max(0, Math.min(1, score)),
    ...(parts.image !== undefined ? { image: parts.image } : {}),
    containers: [...(parts.containers ?? [])],
    secrets: [...(parts.secrets ?? [])],
    ...(parts.title !== undefined ? { title: parts.title } : {}),
    evidence: [...parts.evidence],
    fix: parts.fix,
    ...(parts.explains !== undefined ? { explains: parts.explains } : {}),
    ...(parts.lastFailureOnly ? { lastFailureOnly: true } : {}),
  };
}
