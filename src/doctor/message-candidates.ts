/**
 * Causes supported by the runtime messages alone (what `explain` can say from text): one candidate per cause
 * seen for an image, scored by how specific its wording is (the cause's `message.score`), plus the causes an
 * ambiguous wording is also used for (registries blur 401/403/404 on purpose), scored lower.
 */
import { baselineFix, causeDefinition } from "./causes/index.js";
import type { CauseId } from "./causes/ids.js";
import type { DiagnosisContext, ImageContext, Signal } from "./context.js";
import type { Candidate } from "./model.js";
import { candidate } from "./model.js";
import { plural } from "../text/index.js";

const ALTERNATIVE_FACTOR = 0.55;
const MAX_EVIDENCE_LINES = 4;

/** How strongly a message alone supports its cause. */
function scoreOf(cause: CauseId): number {
  return causeDefinition(cause).message?.score ?? 0.5;
}

function evidenceFor(signals: readonly Signal[], context: readonly Signal[] = []): string[] {
  const containers = new Set(signals.map((s) => s.container));
  const waiting = context
    .filter((s) => s.origin === "waiting" && containers.has(s.container))
    .map((s) => s.line);
  const lines = [...new Set([...waiting, ...signals.map((s) => s.line)])];
  const shown = lines.slice(0, MAX_EVIDENCE_LINES);
  if (lines.length > shown.length)
    shown.push(`(${plural(lines.length - shown.length, "more message")} of the same kind)`);
  const first = signals[0]?.recognition;
  if (first) shown.push(`meaning: ${first.meaning}`);
  return shown;
}

/** Registry-specific causes are alternatives only for their own registry. */
function fitsRegistry(cause: CauseId, image: ImageContext | undefined): boolean {
  const kind = image?.registry?.kind;
  const registries = causeDefinition(cause).message?.registries;
  return kind === undefined || registries === undefined || registries.includes(kind);
}

function forGroup(
  ctx: DiagnosisContext,
  image: ImageContext | undefined,
  signals: readonly Signal[],
): Candidate[] {
  // A Pod-wide message (a missing Secret) is fixed for the image that fails, when only one does.
  const failing = ctx.images.filter((i) => i.failing);
  const fixImage = image ?? (failing.length === 1 ? failing[0] : undefined);
  const byCause = new Map<CauseId, Signal[]>();
  for (const signal of signals) {
    const cause = signal.recognition.cause;
    if (cause === "unrecognised") continue;
    const list = byCause.get(cause) ?? [];
    list.push(signal);
    byCause.set(cause, list);
  }
  const specific = [...byCause.keys()].filter(
    (c) => c !== "image-pull-failed" && causeDefinition(c).informational !== true,
  );
  const out: Candidate[] = [];
  for (const [cause, group] of byCause) {
    // The generic "pull failed" says nothing once a specific message is known.
    if (cause === "image-pull-failed" && (specific.length > 0 || ctx.unrecognised.length > 0)) continue;
    const recognition = group[0]?.recognition;
    const containers = [
      ...new Set(group.map((s) => s.container).filter((c): c is string => c !== undefined)),
    ];
    const explains = causeDefinition(cause).message?.explains;
    out.push(
      candidate(cause, scoreOf(cause), {
        image: image?.image,
        containers,
        evidence: evidenceFor(group, signals),
        fix: baselineFix(cause, {
          ctx,
          ...(fixImage ? { image: fixImage } : {}),
          ...(recognition ? { recognition } : {}),
        }),
        ...(explains ? { explains } : {}),
        lastFailureOnly: true,
      }),
    );
    for (const alternative of recognition?.alternatives ?? []) {
      if (byCause.has(alternative) || !fitsRegistry(alternative, image)) continue;
      out.push(
        candidate(alternative, scoreOf(cause) * ALTERNATIVE_FACTOR, {
          image: image?.image,
          containers,
          evidence: [
            ...evidenceFor(group, signals).filter((line) => !line.startsWith("meaning: ")),
            `the same wording is also used for another cause: ${causeDefinition(alternative).title}`,
          ],
          fix: baselineFix(alternative, { ctx, ...(fixImage ? { image: fixImage } : {}), recognition }),
          lastFailureOnly: true,
        }),
      );
    }
  }
  return out;
}

export function messageCandidates(ctx: DiagnosisContext): Candidate[] {
  const out: Candidate[] = [];
  for (const image of ctx.images) out.push(...forGroup(ctx, image, image.signals));
  // Pod-wide messages; a bare "pull failed" adds nothing once an image has its own diagnosis.
  const imageHasOwn = out.length > 0;
  out.push(
    ...forGroup(
      ctx,
      undefined,
      ctx.podSignals.filter((s) => !(imageHasOwn && s.recognition.cause === "image-pull-failed")),
    ),
  );
  // A failing container whose every message is unknown (or absent) still gets a generic, low-ranked entry.
  for (const image of ctx.images) {
    if (!image.failing || image.signals.length > 0) continue;
    if (image.refError !== undefined) continue;
    const waiting = image.containers.find((c) => c.waiting)?.waiting;
    const unknown = ctx.unrecognised.filter((s) => image.containers.some((c) => c.name === s.container));
    if (unknown.length > 0) continue;
    out.push(
      candidate("image-pull-failed", scoreOf("image-pull-failed"), {
        image: image.image,
        containers: image.containers.map((c) => c.name),
        evidence: waiting
          ? [`container ${image.containers[0]?.name ?? "?"}: waiting, reason ${waiting.reason}`]
          : [],
        fix: baselineFix("image-pull-failed", { ctx, image }),
        lastFailureOnly: true,
      }),
    );
  }
  return out;
}
