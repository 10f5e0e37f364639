/**
 * What is true now over what failed then. The Pod's waiting message and events tell of kubelet's last failed
 * pull; kubelet keeps the Pod in ImagePullBackOff until its next attempt (the back-off doubles from 10 s up to
 * 5 minutes) and reads the pull secrets again at that attempt, so a fix made meanwhile (a Secret corrected or
 * created) leaves those messages stale. This step of `diagnose` weighs the candidates against the evidence of
 * now (the Secrets as read, `--probe` answers):
 *
 * 1. An image that a probe pulls now with the credentials kubelet sends (anonymously when it sends none) fails
 *    for no credential cause, nor because it does not exist: those candidates are folded into
 *    `fixed-awaiting-retry`, their messages kept as what failed before. Causes a probe from here cannot rule out
 *    for the node (network, TLS, platform, layers) stay, a bare back-off (its detail expired) is claimed fixed
 *    by nothing, and everything stays when a pull secret is one kubelet fails on (it fails the pull before any
 *    request).
 * 2. kubelet's "Unable to retrieve some image pull secrets (X)" while every Secret it names exists now is
 *    stale: without a probe it becomes `fixed-awaiting-retry`, unconfirmed (check with --probe); when probes
 *    ran and the image still fails, it goes, and the probes' causes speak.
 * 3. A credential cause known only from the messages, when one of the Pod's pull secrets was written after the
 *    last failure and no probe ran, stays but ranks lower: a fix may have landed since, and --probe tells.
 */
import { causeDefinition } from "./causes/index.js";
import type { CauseId } from "./causes/ids.js";
import { CREDENTIAL_CATEGORIES } from "./causes/ids.js";
import { iso, parsedFailingImages } from "./causes/shared/images.js";
import { probeLine } from "./causes/shared/probes.js";
import { secretRef } from "./causes/shared/pull-secrets.js";
import type { DiagnosisContext, ImageContext, Signal } from "./context.js";
import type { ProbeEvidence, SecretEvidence } from "./evidence.js";
import { doctorCommand, recreatePodCommands } from "./fix-commands.js";
import type { Candidate, Fix } from "./model.js";
import { candidate } from "./model.js";

/** How much a cause known only from the last failure counts once a pull secret changed after it. */
const CHANGED_SINCE_FACTOR = 0.6;
/** A probe pulled the image with what kubelet sends: the fix is confirmed. */
const CONFIRMED_SCORE = 0.95;
/** The Secret kubelet could not read exists now; whether its credential works is not known. */
const UNCONFIRMED_SCORE = 0.6;

const BACK_OFF_LINE =
  "kubelet retries a failed pull after a back-off that doubles from 10s up to 5 minutes (ImagePullBackOff), reading the Pod's pull secrets again at each attempt";

/** Causes a successful pull rules out: which credential is sent and whether it is taken, and whether the image exists. */
function ruledOutByPull(id: CauseId): boolean {
  const cause = causeDefinition(id);
  if (cause.informational) return false;
  return CREDENTIAL_CATEGORIES.has(cause.category) || id === "image-not-found" || id === "image-pull-failed";
}

/** The time of the newest failure event among `signals` (the waiting message carries no time). */
function lastFailureAt(signals: readonly Signal[]): Date | undefined {
  let latest: Date | undefined;
  for (const signal of signals) {
    const when = signal.event?.lastSeen ?? signal.event?.firstSeen;
    if (when && (!latest || when > latest)) latest = when;
  }
  return latest;
}

/** The probe answers showing kubelet's pull of the image would work now; empty when none does (or no probe ran). */
function pullsNow(ctx: DiagnosisContext, image: ImageContext): ProbeEvidence[] {
  if ((ctx.podSecrets ?? []).some((s) => s.docker?.kubelet === "fails")) return [];
  const probes = (ctx.evidence.probes ?? []).filter((p) => p.image === image.image);
  // kubelet tries every credential it has for the image, and pulls anonymously only when it has none.
  const withSecrets = probes.filter((p) => p.credential.kind === "secret");
  const sent = withSecrets.length > 0 ? withSecrets : probes.filter((p) => p.credential.kind === "anonymous");
  return sent.filter((p) => p.result.outcome === "ok");
}

/** The Secrets named by kubelet's stale "Unable to retrieve some image pull secrets" messages, when all exist now. */
function retrievableNow(ctx: DiagnosisContext): SecretEvidence[] | undefined {
  const signals = ctx.podSignals.filter((s) => s.recognition.cause === "pull-secret-missing");
  if (signals.length === 0 || ctx.evidence.secrets === undefined) return undefined;
  const names = new Set(
    signals.flatMap((s) => (s.recognition.details["secrets"] ?? "").split(",").map((n) => n.trim())),
  );
  names.delete("");
  const found = [...names].map((name) =>
    ctx.evidence.secrets?.find((s) => s.name === name && s.state === "found"),
  );
  if (names.size === 0 || found.some((s) => s === undefined)) return undefined;
  return found as SecretEvidence[];
}

/** "Secret shop/registry-pull was last written T, after kubelet's last failed pull (T')", or created. */
function writtenLine(secret: SecretEvidence, lastFailure: Date | undefined): string | undefined {
  const when = secret.contentChangedAt ?? secret.createdAt;
  if (!when) return undefined;
  const what =
    secret.contentChangedAt && secret.contentChangedAt > (secret.createdAt ?? when)
      ? "last written"
      : "created";
  const after =
    lastFailure && when > lastFailure ? `, after kubelet's last failed pull (${iso(lastFailure)})` : "";
  return `Secret ${secretRef(secret)} was ${what} ${iso(when)}${after}`;
}

/** The lines of a superseded candidate worth keeping: what it was, and the messages of the failure. */
function beforeLines(folded: readonly Candidate[]): string[] {
  return folded.flatMap((c) => [
    `before the fix: ${c.title ?? causeDefinition(c.id).title} [${c.id}]`,
    ...c.evidence.filter((line) => line.startsWith("event ") || line.startsWith("container ")),
  ]);
}

function retryNowFix(ctx: DiagnosisContext, confirmed: boolean): Fix {
  const recreate = recreatePodCommands(ctx.evidence.pod, ctx.evidence.source);
  if (confirmed) {
    return {
      explanation:
        "Nothing left to fix: kubelet pulls at its next retry, at most 5 minutes away, with the pull secrets as they are now. Not to wait, make a new Pod, which pulls at once (delete the Pod of a controller, or restart the workload).",
      commands: recreate,
    };
  }
  return {
    explanation:
      "kubelet uses the Secret at its next retry, at most 5 minutes away. Check first that its credential can pull the image (--probe asks the registry with it); not to wait, make a new Pod, which pulls at once.",
    commands: [doctorCommand(ctx.evidence.pod, true), ...recreate],
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Weighs the candidates against what is true now (see the file comment); returns the candidates to rank. */
export function supersedeStaleFailures(ctx: DiagnosisContext, candidates: readonly Candidate[]): Candidate[] {
  const failing = parsedFailingImages(ctx);
  const allSignals = [...ctx.podSignals, ...failing.flatMap((i) => i.signals)];
  const podLastFailure = lastFailureAt(allSignals);
  const pulling = new Map(failing.map((image) => [image.image, pullsNow(ctx, image)] as const));
  const everyImagePulls = failing.length > 0 && failing.every((i) => (pulling.get(i.image) ?? []).length > 0);
  const probed = failing.some((i) => (ctx.evidence.probes ?? []).some((p) => p.image === i.image));
  const existing = retrievableNow(ctx);

  const removed = new Set<Candidate>();
  const added: Candidate[] = [];

  // 1. Pulls now: fold what a pull rules out into fixed-awaiting-retry, per image (Pod-wide ones into the first).
  let podWideTaken = false;
  for (const image of failing) {
    const ok = pulling.get(image.image) ?? [];
    if (ok.length === 0) continue;
    const folded = candidates.filter(
      (c) =>
        !removed.has(c) &&
        ruledOutByPull(c.id) &&
        (c.image === image.image || (c.image === undefined && everyImagePulls && !podWideTaken)),
    );
    // A failure whose detail is gone (the events expired) may have been the node's network: no claim of a fix.
    if (!folded.some((c) => c.id !== "image-pull-failed")) continue;
    if (folded.some((c) => c.image === undefined)) podWideTaken = true;
    for (const c of folded) removed.add(c);
    const lastFailure = lastFailureAt([...image.signals, ...ctx.podSignals]);
    const secrets = unique(ok.flatMap((p) => (p.credential.kind === "secret" ? [p.credential.secret] : [])));
    const written = secrets
      .map((name) => ctx.podSecrets?.find((s) => s.name === name))
      .map((s) => (s ? writtenLine(s, lastFailure) : undefined))
      .filter((line): line is string => line !== undefined);
    added.push(
      candidate("fixed-awaiting-retry", CONFIRMED_SCORE, {
        image: image.image,
        containers: image.containers.map((c) => c.name),
        secrets: unique([...secrets, ...folded.flatMap((c) => c.secrets)]),
        title:
          secrets.length > 0
            ? `Fixed since kubelet's last failed pull: the credential in ${secrets.join(", ")} can pull the image now, and kubelet pulls it at its next retry`
            : "Fixed since kubelet's last failed pull: the image can be pulled anonymously now, and kubelet pulls it at its next retry",
        evidence: [...ok.map(probeLine), ...written, ...beforeLines(folded), BACK_OFF_LINE],
        fix: retryNowFix(ctx, true),
      }),
    );
  }

  // 2. kubelet could not read a Secret that exists now.
  if (existing) {
    for (const c of candidates) {
      if (removed.has(c) || c.id !== "pull-secret-missing" || !c.lastFailureOnly) continue;
      removed.add(c);
      if (probed) continue; // the probes' answers say what is wrong now
      const first = failing[0];
      added.push(
        candidate("fixed-awaiting-retry", UNCONFIRMED_SCORE, {
          ...(first && failing.length === 1 ? { image: first.image } : {}),
          containers: c.containers,
          secrets: existing.map((s) => s.name),
          title: `The pull secret ${existing.map((s) => s.name).join(", ")} exists now (kubelet could not read it at its last attempt): kubelet uses it at its next retry`,
          evidence: [
            ...existing.map((s) => writtenLine(s, podLastFailure) ?? `Secret ${secretRef(s)} exists now`),
            ...beforeLines([c]),
            BACK_OFF_LINE,
          ],
          fix: retryNowFix(ctx, false),
        }),
      );
    }
  }

  // 3. A pull secret written after the last failure: the failure it reports may be fixed.
  const kept = candidates
    .filter((c) => !removed.has(c))
    .map((c) => {
      if (!c.lastFailureOnly || !ruledOutByPull(c.id)) return c;
      const image = c.image === undefined ? undefined : failing.find((i) => i.image === c.image);
      if (c.image !== undefined && !image) return c;
      const images = image ? [image] : failing;
      if (images.some((i) => (ctx.evidence.probes ?? []).some((p) => p.image === i.image))) return c;
      const lastFailure = lastFailureAt(image ? [...image.signals, ...ctx.podSignals] : allSignals);
      if (!lastFailure) return c;
      const changed = (ctx.podSecrets ?? []).filter(
        (s) => s.state === "found" && s.contentChangedAt !== undefined && s.contentChangedAt > lastFailure,
      );
      if (changed.length === 0) return c;
      const names = changed.map((s) => s.name).join(", ");
      return {
        ...c,
        score: c.score * CHANGED_SINCE_FACTOR,
        evidence: [
          ...c.evidence,
          ...changed.map(
            (s) =>
              `${writtenLine(s, lastFailure) ?? `Secret ${secretRef(s)} changed`}: a fix may have landed since, and this failure may be stale`,
          ),
        ],
        fix: {
          explanation: `${names} changed after this failure: check first whether that fixed it (--probe asks the registry with it now; if it pulls, kubelet pulls at its next retry, at most 5 minutes away). If not: ${c.fix.explanation}`,
          commands: [doctorCommand(ctx.evidence.pod, true), ...c.fix.commands],
        },
      };
    });
  return [...kept, ...added];
}
