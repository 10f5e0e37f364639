/**
 * What diagnose derives from the Evidence before any cause is looked for: each image the Pod uses (parsed, its
 * registry classified, the containers using it, whether it is failing and whether its failure looks like
 * authentication), the runtime messages that belong to it (the waiting message first, then the events, newest
 * first), and the credentials kubelet would try for it. What it needs to know about causes (how messages are
 * recognised, which causes are informational or about authentication) is given by the cause catalogue
 * (src/doctor/causes), which builds on these types.
 */
import { lookupCredentials } from "../dockerconfig/index.js";
import { classifyRegistryHost } from "../hosts/index.js";
import type { RegistryHostInfo } from "../hosts/index.js";
import type { InspectedEntry } from "../inspect/index.js";
import { normalizeImageName, parseNormalizedReference } from "../reference/index.js";
import type { ImageReference } from "../reference/index.js";
import { IMAGE_PULL_EVENT_REASONS, IMAGE_PULL_WAITING_REASONS } from "../kube-model/index.js";
import type { CauseId } from "./causes/ids.js";
import type { ContainerEvidence, EventEvidence, Evidence, SecretEvidence } from "./evidence.js";
import { displayLine } from "./redact.js";
import type { RuntimeRecognition } from "./runtime-messages.js";

/** What the context needs to know about causes; the cause catalogue (src/doctor/causes) provides it. */
export interface CauseKnowledge {
  /** The cause, runtime and wording of a message. */
  recognize(text: string): RuntimeRecognition;
  /** Not a failure by itself (a cached image re-verified). */
  isInformational(cause: CauseId): boolean;
  /** A secret, credential or identity problem produces it. */
  isAuthentication(cause: CauseId): boolean;
  /** kubelet reports it with the reason only ("Error: ErrImagePull"), naming no image. */
  isNamedByReasonOnly(cause: CauseId): boolean;
}

export interface Signal {
  readonly recognition: RuntimeRecognition;
  readonly origin: "waiting" | "event";
  readonly container?: string;
  readonly event?: EventEvidence;
  /** The evidence line describing where the message was seen. */
  readonly line: string;
}

export interface KeyringMatchInfo {
  readonly secret: SecretEvidence;
  readonly entry: InspectedEntry;
  readonly normalizedKey: string;
  readonly via: "key-match" | "docker-hub-fallback";
}

export type AuthState = "auth" | "blurred" | "other" | "unknown";

export interface ImageContext {
  readonly image: string;
  readonly containers: readonly ContainerEvidence[];
  readonly failing: boolean;
  /** Whether the failure looks like authentication, like something else, or cannot be told (`authState`). */
  readonly auth: AuthState;
  readonly ref?: ImageReference;
  readonly refError?: string;
  /** The registry host as in the reference (`docker.io` for Docker Hub). */
  readonly host?: string;
  readonly registry?: RegistryHostInfo;
  /** The name kubelet looks credentials up with (`docker.io/library/nginx`). */
  readonly lookupName?: string;
  readonly signals: readonly Signal[];
  /** The credentials kubelet would try, from the Pod's usable Secrets; undefined when Secrets are unknown. */
  readonly matches?: readonly KeyringMatchInfo[];
}

export interface DiagnosisContext {
  readonly evidence: Evidence;
  readonly images: readonly ImageContext[];
  /** Messages that belong to the Pod rather than an image (FailedToRetrieveImagePullSecret) or to no known image. */
  readonly podSignals: readonly Signal[];
  /** Unrecognised pull-failure messages (redacted), shown as written by explain. */
  readonly unrecognised: readonly Signal[];
  /** The Pod's Secrets as kubelet sees them, in the Pod's order; undefined when not looked up. */
  readonly podSecrets?: readonly SecretEvidence[];
}

/** Whether the image's failure looks like authentication, like something else, or cannot be told. */
function authState(signals: readonly Signal[], causes: CauseKnowledge): AuthState {
  const seen = signals
    .map((s) => s.recognition.cause)
    .filter(
      (c): c is CauseId => c !== "unrecognised" && c !== "image-pull-failed" && !causes.isInformational(c),
    );
  if (seen.some((c) => causes.isAuthentication(c))) return "auth";
  // Some registries answer 404 to callers without access: a "not found" may still be about credentials.
  if (seen.some((c) => c === "image-not-found")) return "blurred";
  return seen.length > 0 ? "other" : "unknown";
}

export function hasCause(image: ImageContext, cause: CauseId): boolean {
  return image.signals.some((s) => s.recognition.cause === cause || s.recognition.also.includes(cause));
}

const FIELD_PATH = /^spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]*)\}$/;

function ago(date: Date | undefined, now: Date): string {
  if (!date) return "";
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 90) return `, ${seconds}s ago`;
  if (seconds < 5400) return `, ${Math.round(seconds / 60)}m ago`;
  if (seconds < 172_800) return `, ${Math.round(seconds / 3600)}h ago`;
  return `, ${Math.round(seconds / 86_400)}d ago`;
}

function runtimeNote(recognition: RuntimeRecognition): string {
  return recognition.runtime === "unknown" ? "" : ` [${recognition.runtime}]`;
}

function eventLine(event: EventEvidence, recognition: RuntimeRecognition, now: Date): string {
  const count = event.count !== undefined && event.count > 1 ? `x${event.count}` : "";
  const when = ago(event.lastSeen, now);
  const meta = [count, when.replace(/^, /, "")].filter((p) => p !== "").join(", ");
  const reason = event.reason || "message";
  return `${reason}${meta ? ` (${meta})` : ""}: ${displayLine(recognition.message, 700)}${runtimeNote(recognition)}`;
}

/** kubelet's messages about pulls that went fine, or steps that are no failure. */
const BENIGN =
  /Successfully pulled image|Pulling image "|already present on machine(?! and can be accessed)|Successfully assigned |Created container|Started container/;

/**
 * Events about image pulls: kubelet's pull reasons ("Pulling" only says a pull started), or any bare message
 * (no reason) that is no success.
 */
function isPullEvent(event: EventEvidence, recognition: RuntimeRecognition): boolean {
  if (event.reason === "Pulled") return recognition.cause === "cached-image-credentials-verified";
  if (event.reason !== "Pulling" && IMAGE_PULL_EVENT_REASONS.has(event.reason)) return true;
  // A bare message (explain on pasted lines) is considered unless it reports success: the user asked about it.
  return event.reason === "" && (recognition.recognised || !BENIGN.test(recognition.message));
}

/** kubelet names `nginx` as `nginx:latest` in its messages (it applies the default tag first). */
function sameImage(a: string, b: string): boolean {
  try {
    const x = parseNormalizedReference(a);
    const y = parseNormalizedReference(b);
    return (
      x.domain === y.domain &&
      x.path === y.path &&
      (x.tag ?? (x.digest ? undefined : "latest")) === (y.tag ?? (y.digest ? undefined : "latest")) &&
      x.digest === y.digest
    );
  } catch {
    return false;
  }
}

function parseImage(image: string): { ref?: ImageReference; refError?: string; lookupName?: string } {
  try {
    const ref = parseNormalizedReference(image);
    return { ref, lookupName: normalizeImageName(image) };
  } catch (error) {
    return { refError: displayLine(error instanceof Error ? error.message : "invalid image reference", 300) };
  }
}

function usableEntries(
  secrets: readonly SecretEvidence[],
): { secret: SecretEvidence; entry: InspectedEntry; key: string }[] {
  const out: { secret: SecretEvidence; entry: InspectedEntry; key: string }[] = [];
  for (const secret of secrets) {
    if (secret.state !== "found" || secret.docker?.kubelet !== "uses") continue;
    for (const entry of secret.docker.entries) out.push({ secret, entry, key: entry.key });
  }
  return out;
}

export function buildContext(evidence: Evidence, causes: CauseKnowledge): DiagnosisContext {
  const now = evidence.now;
  const containers = evidence.pod.containers;
  const podSecretNames = evidence.pod.imagePullSecrets;
  const podSecrets =
    evidence.secrets === undefined || podSecretNames === undefined
      ? undefined
      : podSecretNames
          .filter((name) => name !== "")
          .map((name) => evidence.secrets?.find((s) => s.name === name && s.referencedBy.includes("pod")))
          .filter((s): s is SecretEvidence => s !== undefined);
  const entries = podSecrets ? usableEntries(podSecrets) : undefined;

  const signalsByImage = new Map<string, Signal[]>();
  const podSignals: Signal[] = [];
  const unrecognised: Signal[] = [];
  const push = (image: string | undefined, signal: Signal) => {
    if (!signal.recognition.recognised) {
      unrecognised.push(signal);
      return;
    }
    if (image === undefined || signal.recognition.cause === "pull-secret-missing") {
      podSignals.push(signal);
      return;
    }
    const list = signalsByImage.get(image) ?? [];
    list.push(signal);
    signalsByImage.set(image, list);
  };

  for (const container of containers) {
    const waiting = container.waiting;
    if (!waiting || !IMAGE_PULL_WAITING_REASONS.has(waiting.reason)) continue;
    const recognition = causes.recognize(waiting.message ?? waiting.reason);
    push(container.image, {
      recognition,
      origin: "waiting",
      container: container.name,
      line: `container ${container.name}: waiting, reason ${waiting.reason}${
        waiting.message ? `: ${displayLine(recognition.message, 700)}${runtimeNote(recognition)}` : ""
      }`,
    });
  }

  // kubelet's bare "Error: ErrImagePull" events name no image: they belong to the one container failing so.
  const failingByReason = containers.filter(
    (c) => c.waiting !== undefined && IMAGE_PULL_WAITING_REASONS.has(c.waiting.reason),
  );
  const soleFailing = failingByReason.length === 1 ? failingByReason[0] : undefined;
  const events = [...evidence.events].sort(
    (a, b) => (b.lastSeen?.getTime() ?? 0) - (a.lastSeen?.getTime() ?? 0),
  );
  for (const event of events) {
    const recognition = causes.recognize(event.message);
    if (!isPullEvent(event, recognition)) continue;
    const fieldMatch = event.fieldPath ? FIELD_PATH.exec(event.fieldPath) : null;
    const byField = fieldMatch ? containers.find((c) => c.name === fieldMatch[1]) : undefined;
    const byImage = recognition.image
      ? (containers.find((c) => c.image === recognition.image) ??
        containers.find((c) => sameImage(c.image, recognition.image as string)))
      : undefined;
    const generic =
      recognition.image === undefined &&
      recognition.cause !== "unrecognised" &&
      causes.isNamedByReasonOnly(recognition.cause);
    const container = byField ?? byImage ?? (generic ? soleFailing : undefined);
    const image = container?.image ?? recognition.image;
    push(image, {
      recognition,
      origin: "event",
      ...(container ? { container: container.name } : {}),
      event,
      line: `event ${eventLine(event, recognition, now)}`,
    });
  }

  const imageNames = [...new Set([...containers.map((c) => c.image), ...signalsByImage.keys()])];
  const images: ImageContext[] = imageNames.map((image) => {
    const users = containers.filter((c) => c.image === image);
    const signals = signalsByImage.get(image) ?? [];
    const parsed = parseImage(image);
    const failing =
      users.some((c) => c.waiting !== undefined && IMAGE_PULL_WAITING_REASONS.has(c.waiting.reason)) ||
      signals.some(
        (s) => s.recognition.cause === "unrecognised" || !causes.isInformational(s.recognition.cause),
      ) ||
      (parsed.refError !== undefined && users.some((c) => !c.running));
    const host = parsed.ref?.domain || undefined;
    const registry = host ? classifyRegistryHost(host) : undefined;
    let matches: KeyringMatchInfo[] | undefined;
    if (entries && parsed.lookupName) {
      const lookup = lookupCredentials(entries, image);
      matches = lookup.ok
        ? lookup.matches.map((m) => ({
            secret: m.entry.secret,
            entry: m.entry.entry,
            normalizedKey: m.normalizedKey,
            via: m.via,
          }))
        : [];
    }
    return {
      image,
      containers: users,
      failing,
      auth: authState(signals, causes),
      ...parsed,
      ...(host ? { host } : {}),
      ...(registry ? { registry } : {}),
      signals,
      ...(matches ? { matches } : {}),
    };
  });

  return {
    evidence,
    images,
    podSignals,
    unrecognised,
    ...(podSecrets ? { podSecrets } : {}),
  };
}
