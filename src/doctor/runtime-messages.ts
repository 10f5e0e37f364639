/**
 * Recognition of image-pull error messages in the wordings of kubelet, containerd 1.6 / 1.7 / 2.x, CRI-O
 * (containers/image), dockershim (the Docker daemon) and the registries behind them
 * (/work/shared/reference/peers-audit-doctor.md table b). The wordings themselves live with their causes
 * (src/doctor/causes/<id>.ts, `wordings`); here is how a message is matched against them.
 *
 * kubelet's shapes around a runtime error:
 * - event `Failed`: `Failed to pull image "<img>": <runtime error>`, then `Error: ErrImagePull`;
 * - waiting message (kubelet ≥ 1.32): `Back-off pulling image "<img>": ErrImagePull: <previous error>`;
 * - a runtime error is usually gRPC-wrapped: `rpc error: code = Unknown desc = failed to pull and unpack image
 *   "<ref>": failed to resolve reference "<ref>": …` (containerd image_pull.go, client/pull.go);
 * - several credentials tried: kubelet aggregates the errors as `[err1, err2]`.
 *
 * The text is redacted first (redact.ts): every captured fragment comes from redacted text, so recognition
 * never carries a secret. Patterns are linear (no nested quantifiers) and input is capped in length, so any
 * text, however hostile, is answered quickly. Nothing here throws.
 */
import { parseNormalizedReference } from "../reference/index.js";
import type { CauseId } from "./causes/ids.js";
import { MAX_MESSAGE_LENGTH, redactMessage } from "./redact.js";

/**
 * The runtime whose wording was recognised. `containerd-1.7+` covers 1.7 and 2.x (same wording);
 * `containerd` is containerd of any version; `kubelet` is kubelet's own text.
 */
export type RuntimeId =
  | "containerd-1.6"
  | "containerd-1.7+"
  | "containerd-2.x"
  | "containerd"
  | "cri-o"
  | "dockershim"
  | "kubelet"
  | "registry"
  | "unknown";

export interface RuntimeRecognition {
  readonly recognised: boolean;
  readonly cause: CauseId | "unrecognised";
  /** Causes the same wording is also used for (registries blur 401/403/404 on purpose). */
  readonly alternatives: readonly CauseId[];
  readonly runtime: RuntimeId;
  /** Stable id of the wording that matched (a cause's `wordings`), or "unrecognised". */
  readonly wording: string;
  /** What the wording means, in one line. */
  readonly meaning: string;
  /** The image the message is about, when it names one. */
  readonly image?: string;
  /** The registry host the message names (from a URL, a lookup or the image). */
  readonly host?: string;
  /** The HTTP status in the message, when it has one. */
  readonly status?: number;
  /** Wording-specific details: `secrets` (names), `platform`, `what` (tag/repository), `time`… */
  readonly details: Readonly<Record<string, string>>;
  /** Other causes found in the same text (kubelet aggregates one error per credential tried). */
  readonly also: readonly CauseId[];
  /** The message, redacted. */
  readonly message: string;
}

/**
 * A wording of one cause, kept in that cause's definition (src/doctor/causes/<id>.ts). Every message is matched
 * against the wordings of all causes in `priority` order, lowest first; the first that matches gives the cause.
 * Specific before generic: `pull access denied …: authorization failed: no basic auth credentials` is about
 * missing credentials, not about a missing repository. Bands (step 10 inside a band):
 * 1000 kubelet's own text, 2000 registry-specific answers, 3000 TLS, HTTP and network, 4000 image content,
 * 5000 authentication and authorization, 6000 not found, 7000 rate limits and availability, 8000 kubelet's
 * generic states (the detail is elsewhere).
 */
export interface WordingSpec {
  readonly id: string;
  readonly priority: number;
  readonly re: RegExp;
  readonly meaning: string;
  /** Set when the wording itself pins the runtime (version). */
  readonly runtime?: RuntimeId;
  readonly alternatives?: readonly CauseId[];
  readonly details?: (match: RegExpExecArray) => Record<string, string | undefined>;
  readonly status?: (match: RegExpExecArray) => number | undefined;
  /** Refines the cause from the match (e.g. by HTTP status). */
  readonly causeFor?: (match: RegExpExecArray) => CauseId;
}

/** A wording with the cause it belongs to, as `recognizeWith` matches them. */
export interface Wording extends WordingSpec {
  readonly cause: CauseId;
}

/** The HTTP status in a capture group, for `WordingSpec.status`. */
export const statusGroup =
  (group: number) =>
  (match: RegExpExecArray): number | undefined => {
    const value = Number(match[group]);
    return Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;
  };

/** Wrappers that tell the runtime when the wording itself does not. */
const RUNTIME_MARKERS: readonly { runtime: RuntimeId; re: RegExp }[] = [
  { runtime: "containerd-2.x", re: /since containerd v2\.0/ },
  {
    runtime: "containerd-1.6",
    re: /unexpected status: \d{3}|pulling from host \S+ failed with status code/,
  },
  { runtime: "containerd-1.7+", re: /unexpected status from (?:GET|POST|HEAD) request to/ },
  { runtime: "dockershim", re: /Error response from daemon|may require 'docker login'/ },
  {
    runtime: "cri-o",
    re: /initializing source docker:\/\/|pinging container registry|reading manifest \S+ in |unable to retrieve auth token|choosing image instance|no image found in (?:manifest list|image index)|short-name "|too many requests to registry|copying system image|trying to reuse blob|fetching blob|because the registry is unavailable|because the signature validation failed/,
  },
  {
    runtime: "containerd",
    re: /failed to pull and unpack image|failed to resolve reference|failed to authorize:|failed to fetch (?:anonymous|oauth) token|httpReadSeeker|failed to do request:|no match for platform in manifest|pull access denied, repository does not exist or may require authorization|failed to copy:|failed to extract layer|failed to unpack image/,
  },
  {
    runtime: "kubelet",
    re: /Failed to apply default image tag|is not present with pull policy of Never|Unable to retrieve some image pull secrets|already present on machine/,
  },
];

const IMAGE_PATTERNS: readonly RegExp[] = [
  /Failed to pull image "([^"\n]{1,512})"/,
  /Back-off pulling image "([^"\n]{1,512})"/,
  /failed to pull and unpack image "([^"\n]{1,512})"/,
  /failed to resolve reference "([^"\n]{1,512})"/,
  /Container image "([^"\n]{1,512})"/,
  /Failed to apply default image tag "([^"\n]{1,512})"/,
  /image pull failed for (\S{1,512}) because/,
  /initializing source docker:\/\/(\S{1,512}?):? /,
  /pull access denied for ([^,\s]{1,512}),/,
];

const HOST_PATTERNS: readonly RegExp[] = [
  /pulling from host ([^\s\]]{1,256})/,
  /pinging container registry ([^\s:]{1,256}(?::\d{1,5})?):/,
  /lookup ([^\s:]{1,256})(?: on [^\s]{1,64})?: /,
  /https?:\/\/([^/\s?#"]{1,256})/,
];

function exec(re: RegExp, text: string): RegExpExecArray | null {
  re.lastIndex = 0;
  return re.exec(text);
}

function detectRuntime(text: string): RuntimeId {
  for (const marker of RUNTIME_MARKERS) if (exec(marker.re, text)) return marker.runtime;
  return "unknown";
}

/** A wording's pinned runtime is more precise than a wrapper's, except that a family refines to a version. */
function combineRuntime(fromWording: RuntimeId | undefined, fromText: RuntimeId): RuntimeId {
  if (fromWording === undefined) return fromText;
  if (fromWording === "containerd" && fromText.startsWith("containerd")) return fromText;
  return fromWording;
}

function firstCapture(patterns: readonly RegExp[], text: string): string | undefined {
  for (const re of patterns) {
    const match = exec(re, text);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

function hostOfImage(image: string): string | undefined {
  try {
    return parseNormalizedReference(image).domain || undefined;
  } catch {
    return undefined;
  }
}

/** The error kubelet stored in a back-off message (kubelet ≥ 1.32), or undefined for other texts. */
function storedPullError(text: string): string | undefined {
  const backOff =
    /Back-off pulling image "[^"\n]*": (?:ErrImagePull|RegistryUnavailable|SignatureValidationFailed|ErrImageNeverPull|[A-Z][A-Za-z]{2,40}): ([\s\S]+)$/.exec(
      text,
    );
  const stored = backOff?.[1]?.trim();
  return stored ? stored : undefined;
}

/**
 * kubelet tries every matching credential and aggregates the errors (`[err1, err2]`, utilerrors.Aggregate):
 * one segment per runtime error.
 */
function splitAggregate(text: string): string[] {
  const starts: number[] = [];
  const marker = /rpc error: code = |Error response from daemon: |failed to pull and unpack image "/g;
  for (const match of text.matchAll(marker)) {
    const previous = starts[starts.length - 1];
    // "rpc error: … desc = failed to pull and unpack image" is one error: keep markers far enough apart.
    if (previous === undefined || match.index - previous > 40) starts.push(match.index);
  }
  if (starts.length < 2) return [text];
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
}

function firstHit(
  wordings: readonly Wording[],
  text: string,
): { wording: Wording; match: RegExpExecArray } | undefined {
  for (const wording of wordings) {
    const match = exec(wording.re, text);
    if (match) return { wording, match };
  }
  return undefined;
}

const UNRECOGNISED_MEANING =
  "this wording is not in pullwarden's table; the message is shown as written (redacted)";

/**
 * Recognises one message (an event message, a waiting message, or a bare runtime error) with `wordings` in
 * priority order (`recognizeRuntimeMessage`, src/doctor/causes, passes every cause's). Always returns a value;
 * `recognised` is false (cause "unrecognised") for wording not among them.
 */
export function recognizeWith(wordings: readonly Wording[], text: string): RuntimeRecognition {
  const message = redactMessage(typeof text === "string" ? text : "").slice(0, MAX_MESSAGE_LENGTH);
  const error = storedPullError(message) ?? message;
  const runtimeFromText = detectRuntime(message);
  const image = firstCapture(IMAGE_PATTERNS, message);
  const segments = splitAggregate(error);
  const hits = segments
    .map((segment) => firstHit(wordings, segment))
    .filter((hit): hit is { wording: Wording; match: RegExpExecArray } => hit !== undefined)
    .sort((a, b) => wordings.indexOf(a.wording) - wordings.indexOf(b.wording));
  const host = firstCapture(HOST_PATTERNS, error) ?? (image !== undefined ? hostOfImage(image) : undefined);
  const first = hits[0];
  if (!first) {
    return {
      recognised: false,
      cause: "unrecognised",
      alternatives: [],
      runtime: runtimeFromText,
      wording: "unrecognised",
      meaning: UNRECOGNISED_MEANING,
      ...(image !== undefined ? { image } : {}),
      ...(host !== undefined ? { host } : {}),
      details: {},
      also: [],
      message,
    };
  }
  const { wording, match } = first;
  const cause = wording.causeFor?.(match) ?? wording.cause;
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(wording.details?.(match) ?? {})) {
    if (value !== undefined && value !== "") details[key] = value;
  }
  const status = wording.status?.(match);
  const also = [
    ...new Set(hits.slice(1).map((hit) => hit.wording.causeFor?.(hit.match) ?? hit.wording.cause)),
  ].filter((other) => other !== cause);
  return {
    recognised: true,
    cause,
    alternatives: (wording.alternatives ?? []).filter((a) => a !== cause),
    runtime: combineRuntime(wording.runtime, runtimeFromText),
    wording: wording.id,
    meaning: wording.meaning,
    ...(image !== undefined ? { image } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(status !== undefined ? { status } : {}),
    details,
    also,
    message,
  };
}
