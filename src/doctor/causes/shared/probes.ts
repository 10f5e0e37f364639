/**
 * `doctor --probe` answers as evidence: the line each answer adds, and the candidate a cause builds from one
 * (`CauseDefinition.probe`). Probes run from where doctor runs, not from the node.
 */
import type { DiagnosisContext, ImageContext } from "../../context.js";
import type { ProbeEvidence } from "../../evidence.js";
import type { Candidate, Fix } from "../../model.js";
import { candidate } from "../../model.js";
import { displayLine } from "../../redact.js";
import type { FixContext } from "../definition.js";
import type { CauseId } from "../ids.js";
import { GENERIC_AUTH_CAUSES } from "../ids.js";

/** Said with the network and TLS answers, which the node may not share. */
export const PROBE_NOTE = "probes run from where doctor runs, not from the node";

function probeWho(probe: ProbeEvidence): string {
  switch (probe.credential.kind) {
    case "anonymous":
      return "anonymously";
    case "secret":
      return `with Secret ${probe.credential.secret} key ${probe.credential.key}`;
    default:
      return "with the node's credential";
  }
}

export function probeLine(probe: ProbeEvidence): string {
  return `probe ${probeWho(probe)}: ${probe.result.outcome}: ${displayLine(probe.result.message, 300)}${probe.result.blurred && probe.result.note ? ` (${displayLine(probe.result.note, 200)})` : ""}`;
}

/** The probe lines of an image, for the evidence of every diagnosis about it. */
export function probeLines(ctx: DiagnosisContext, image: string): string[] {
  return (ctx.evidence.probes ?? []).filter((p) => p.image === image).map(probeLine);
}

/** The token kind of the Secret entry a probe used (`github-classic-pat`…), when known. */
export function probeTokenKind(ctx: DiagnosisContext, probe: ProbeEvidence): string | undefined {
  if (probe.credential.kind !== "secret") return undefined;
  const { secret, key } = probe.credential;
  const entry = ctx.evidence.secrets
    ?.find((s) => s.name === secret)
    ?.docker?.entries.find((e) => e.key === key);
  return entry?.credential?.token.kind;
}

/** A candidate from a probe answer: its line first, then `lines`; the cause's baseline fix. */
export function probeCandidate(
  id: CauseId,
  fix: (fc: FixContext) => Fix,
  input: { ctx: DiagnosisContext; image: ImageContext; probe: ProbeEvidence },
  score: number,
  lines: readonly string[] = [],
  explains: readonly CauseId[] = GENERIC_AUTH_CAUSES,
): Candidate {
  const { ctx, image, probe } = input;
  return candidate(id, score, {
    image: image.image,
    containers: image.containers.map((c) => c.name),
    secrets: probe.credential.kind === "secret" ? [probe.credential.secret] : [],
    evidence: [probeLine(probe), ...lines],
    fix: fix({ ctx, image }),
    explains,
  });
}
