/**
 * `explain`: the causes that pasted text alone supports. The text (describe output, an events table, Pod
 * YAML/JSON, or bare messages) becomes partial Evidence (describe-text.ts) and goes through the same
 * `diagnose` as live evidence; what the text cannot show (Secrets, the ServiceAccount, the node's identity)
 * becomes "what doctor would check next". Messages whose wording is unknown are never guessed at: the few that
 * look like pull errors are shown as written (redacted); the rest of the text that was not recognised (a
 * pasted Secret, a log) is only counted, never echoed.
 */
import { CAUSE_KNOWLEDGE, causeDefinition } from "./causes/index.js";
import type { CauseId } from "./causes/ids.js";
import { buildContext } from "./context.js";
import type { Signal } from "./context.js";
import { diagnose } from "./diagnose.js";
import { parseDiagnosticText } from "./describe-text.js";
import type { PodFromText, TextFormat } from "./describe-text.js";
import type { Evidence } from "./evidence.js";
import type { Diagnosis } from "./model.js";
import { doctorCommand } from "./fix-commands.js";
import { displayLine } from "./redact.js";
import type { RuntimeId } from "./runtime-messages.js";

export interface ExplainOptions {
  /** The time of the explanation (ages are relative to it); the text itself has no clock. */
  readonly now: Date;
}

export interface ExplainedMessage {
  /** Where the message was: `event Failed`, `container web waiting`, `line`. */
  readonly where: string;
  readonly cause: CauseId | "unrecognised";
  readonly runtime: RuntimeId;
  readonly wording: string;
  /** The message, redacted, on one line. */
  readonly message: string;
}

export interface ExplainedPod {
  /** Absent for bare messages. */
  readonly pod?: {
    readonly name: string;
    readonly namespace?: string;
    readonly node?: string;
    readonly serviceAccount?: string;
    readonly controller?: string;
  };
  readonly diagnoses: readonly Diagnosis[];
  readonly messages: readonly ExplainedMessage[];
  /**
   * Pull-failure messages whose wording is not in the table, shown as written (redacted): the first
   * MAX_UNRECOGNISED_SHOWN that look like pull errors and are no longer than MAX_UNRECOGNISED_LENGTH.
   */
  readonly unrecognised: readonly ExplainedMessage[];
  /** Unrecognised text that is not shown, only counted; absent when everything was shown. */
  readonly notShown?: NotShown;
  /** What `doctor` would look at to confirm the causes or find the precise one. */
  readonly nextChecks: readonly string[];
  readonly doctorCommand: string;
}

export interface NotShown {
  /** Lines of unrecognised text not shown. */
  readonly lines: number;
  /** How many of the messages not shown look like pull errors (they count as findings). */
  readonly pullFailures: number;
}

export interface ExplainReport {
  readonly format: TextFormat;
  readonly pods: readonly ExplainedPod[];
  /**
   * Distinct causes reported (informational ones excluded) plus unrecognised messages that look like pull
   * failures. 0 when the text shows no image-pull failure.
   */
  readonly findings: number;
}

function where(signal: Signal): string {
  if (signal.origin === "waiting") return `container ${signal.container ?? "?"} waiting`;
  const reason = signal.event?.reason;
  return reason ? `event ${reason}` : "message";
}

/** Messages shown on one line are cut to this; an unrecognised one that long is counted instead of shown. */
const MAX_MESSAGE_SHOWN = 2000;
const MAX_UNRECOGNISED_LENGTH = MAX_MESSAGE_SHOWN;
const MAX_UNRECOGNISED_SHOWN = 5;

function toMessage(signal: Signal, max = MAX_MESSAGE_SHOWN): ExplainedMessage {
  return {
    where: where(signal),
    cause: signal.recognition.cause,
    runtime: signal.recognition.runtime,
    wording: signal.recognition.wording,
    message: displayLine(signal.recognition.message, max),
  };
}

/** Text that looks like an image-pull failure even when its wording is unknown. */
const PULL_LIKE =
  /pull|image|registry|manifest|rpc error|ErrImage|BackOff|unauthori[sz]ed|denied|forbidden|x509|dial tcp|not found/i;

/**
 * Which unrecognised messages are shown: pasted text that is no pull error (a Secret's YAML, a log) is never
 * echoed, nor is an unrecognised message too long to read, nor more than a few of them.
 */
function splitUnrecognised(signals: readonly Signal[]): {
  shown: ExplainedMessage[];
  notShown: NotShown;
  pullFailures: number;
} {
  const shown: ExplainedMessage[] = [];
  let lines = 0;
  let pullFailuresNotShown = 0;
  let pullFailures = 0;
  for (const signal of signals) {
    // One character over the limit tells a message that fits from one that was cut.
    const message = toMessage(signal, MAX_UNRECOGNISED_LENGTH + 1);
    const pullLike = PULL_LIKE.test(message.message);
    if (pullLike) pullFailures++;
    if (
      pullLike &&
      message.message.length <= MAX_UNRECOGNISED_LENGTH &&
      shown.length < MAX_UNRECOGNISED_SHOWN
    ) {
      shown.push(message);
      continue;
    }
    lines += signal.recognition.message.split("\n").length;
    if (pullLike) pullFailuresNotShown++;
  }
  return { shown, notShown: { lines, pullFailures: pullFailuresNotShown }, pullFailures };
}

const GENERIC_NEXT = [
  "the container's waiting message and the Pod's events (newer kubelets keep the previous pull error in the waiting message)",
  "every Secret in the Pod's imagePullSecrets, and which of their entries kubelet would try for the image",
  "the ServiceAccount's imagePullSecrets against the Pod's",
  "the node's provider, architecture and container runtime",
];

function nextChecks(diagnoses: readonly Diagnosis[], hasUnknown: boolean): string[] {
  const checks: string[] = [];
  for (const d of diagnoses.filter((x) => !x.informational).slice(0, 4)) {
    for (const check of causeDefinition(d.id).checks) if (!checks.includes(check)) checks.push(check);
  }
  if (checks.length === 0 && hasUnknown) checks.push(...GENERIC_NEXT);
  return checks;
}

function doctorCommandFor(pod: PodFromText["pod"], diagnoses: readonly Diagnosis[]): string {
  const probe = diagnoses.some((d) =>
    ["authorization", "credential", "image", "pull-secret", "node-identity"].includes(d.category),
  );
  return doctorCommand(pod, probe);
}

function explainPod(parsed: PodFromText, now: Date): ExplainedPod {
  const evidence: Evidence = {
    source: "text",
    now,
    pod: parsed.pod,
    events: parsed.events,
    ...(parsed.node ? { node: parsed.node } : {}),
  };
  const diagnoses = diagnose(evidence);
  const ctx = buildContext(evidence, CAUSE_KNOWLEDGE);
  const signals = [...ctx.images.flatMap((i) => i.signals), ...ctx.podSignals];
  const unrecognised = splitUnrecognised(ctx.unrecognised);
  const pod = parsed.pod;
  return {
    ...(pod.name
      ? {
          pod: {
            name: pod.name,
            ...(pod.namespace ? { namespace: pod.namespace } : {}),
            ...(pod.nodeName ? { node: pod.nodeName } : {}),
            ...(pod.serviceAccountName ? { serviceAccount: pod.serviceAccountName } : {}),
            ...(pod.owner ? { controller: `${pod.owner.kind}/${pod.owner.name}` } : {}),
          },
        }
      : {}),
    diagnoses,
    messages: signals.map((signal) => toMessage(signal)),
    unrecognised: unrecognised.shown,
    ...(unrecognised.notShown.lines > 0 ? { notShown: unrecognised.notShown } : {}),
    nextChecks: nextChecks(diagnoses, unrecognised.pullFailures > 0),
    doctorCommand: doctorCommandFor(pod, diagnoses),
  };
}

/** Causes (informational ones excluded) and unrecognised pull errors, shown or not. */
function findingsOf(pod: ExplainedPod): number {
  return (
    pod.diagnoses.filter((d) => !d.informational).length +
    pod.unrecognised.length +
    (pod.notShown?.pullFailures ?? 0)
  );
}

/** Explains pasted text; never throws on any string. */
export function explainText(text: string, options: ExplainOptions): ExplainReport {
  const parsed = parseDiagnosticText(text);
  const pods = parsed.pods.map((p) => explainPod(p, options.now));
  const findings = pods.reduce((n, p) => n + findingsOf(p), 0);
  return { format: parsed.format, pods, findings };
}
