/**
 * `checkImages(images, keychain, options)`: can each image be pulled with the credentials its keychain gives?
 * By default as kubelet pulls: every image's attempts in order, stopping at the first credential that pulls.
 * Checks run in rounds through `checkMany` (round N = the N-th attempt of every image still without an `ok`),
 * all rounds on one keep-alive transport whose pings are shared (`sharePings`) and one token cache, so images of
 * one repository share a token and images of one registry share connections and one ping. The same check (the
 * same image, normalised, with the same attempt id) is made once, however many images or keychains ask for it.
 *
 * The result of an image is its first `ok`; without one, the most informative failure (see FAILURE_RANK),
 * the earliest on a tie. After a failure no credential can change (TLS, plain HTTP, network) the remaining
 * attempts are not made. With `attempts: "every"` every attempt is made (for a diagnosis that wants each
 * credential's answer), in one batch.
 */
import { referenceString } from "../reference/index.js";
import { checkMany, DEFAULT_CHECK_CONCURRENCY } from "./check-many.js";
import type { CheckManyItem } from "./check-many.js";
import type { CredentialLabel, Keychain, KeychainAttempt, KeychainImage } from "./keychain.js";
import type { Platform } from "./platform.js";
import { sharePings } from "./share-pings.js";
import { createTokenCache } from "./token-cache.js";
import { createTransport } from "./transport.js";
import type { Transport, TransportOptions } from "./transport.js";
import type { AccessResult } from "./types.js";

/** Why an attempt was not made. */
export type SkipReason = "earlier-attempt-ok" | "registry-unreachable";

export interface AttemptReport {
  /** 1-based position in the keychain's order. */
  attempt: number;
  credential: CredentialLabel;
  /** undefined when the attempt was not made (see `skipped`). */
  result: AccessResult | undefined;
  skipped: SkipReason | undefined;
}

export interface ImageCheckReport<I extends KeychainImage = KeychainImage> {
  image: I;
  /** The overall result (one of the attempts' results). */
  result: AccessResult;
  /** 1-based number of the attempt that gave `result`. */
  selected: number;
  attempts: AttemptReport[];
}

export interface CheckImagesOptions extends TransportOptions {
  /** Also require a manifest for this platform. */
  platform?: Platform;
  /** Talk plain HTTP to the registries. */
  plainHttp?: boolean;
  /** Checks at once (default DEFAULT_CHECK_CONCURRENCY). */
  concurrency?: number;
  /** `until-ok` (default): as kubelet, stop at the first `ok` or an unreachable registry; `every`: make all. */
  attempts?: "until-ok" | "every";
  /** The HTTP client (kept open); by default one is made from the transport options and closed at the end. */
  transport?: Transport;
  /** The clock of the checks (Retry-After, token lifetimes); the real one by default. */
  now?: () => Date;
}

/** Higher is more informative: how far the check got, and how much it says about the image itself. */
export const FAILURE_RANK: Readonly<Record<AccessResult["outcome"], number>> = {
  ok: 100,
  "platform-missing": 90,
  "not-found": 80,
  denied: 70,
  "rate-limited": 60,
  "registry-error": 50,
  "bad-realm": 50,
  unauthorized: 40,
  tls: 30,
  "plain-http": 30,
  network: 30,
};

function rank(result: AccessResult): number {
  // "No credential was sent" says the least: a credential that was sent and rejected is worth more.
  if (result.outcome === "unauthorized" && result.reason === "no-credential") return 20;
  return FAILURE_RANK[result.outcome];
}

/** Index of the overall result: the first ok, else the highest-ranked failure (earliest on a tie). */
export function selectResult(results: readonly AccessResult[]): number {
  const ok = results.findIndex((r) => r.outcome === "ok");
  if (ok >= 0) return ok;
  let best = 0;
  results.forEach((r, i) => {
    if (rank(r) > rank(results[best] as AccessResult)) best = i;
  });
  return best;
}

const UNREACHABLE = new Set<AccessResult["outcome"]>(["tls", "plain-http", "network"]);

interface State<I> {
  image: I;
  /** The normalised reference: what makes two images the same check. */
  name: string;
  planned: readonly KeychainAttempt[];
  results: AccessResult[];
  stopped: SkipReason | undefined;
}

export async function checkImages<I extends KeychainImage>(
  images: readonly I[],
  keychain: Keychain<NoInfer<I>>,
  options: CheckImagesOptions = {},
): Promise<ImageCheckReport<I>[]> {
  const every = options.attempts === "every";
  // Resolved one image after the other, before any check: a keychain's helper runs in a stable order, and its
  // failure stops the run before a registry sees traffic.
  const states: State<I>[] = [];
  for (const image of images) {
    const planned = await keychain.attemptsFor(image);
    if (planned.length === 0) throw new Error("a keychain gave no attempt for an image");
    states.push({ image, name: referenceString(image.reference), planned, results: [], stopped: undefined });
  }
  const transport = sharePings(options.transport ?? createTransport(options));
  const tokenCache = createTokenCache();
  const checked = new Map<string, AccessResult>();
  const checkKey = (state: State<I>, index: number): string =>
    `${state.name}\u0000${(state.planned[index] as KeychainAttempt).id}`;
  try {
    for (;;) {
      const due = states.flatMap((state) => {
        if (state.stopped !== undefined) return [];
        const next = state.results.length;
        const last = every ? state.planned.length : Math.min(next + 1, state.planned.length);
        return Array.from({ length: last - next }, (_, i) => ({ state, index: next + i }));
      });
      if (due.length === 0) break;
      const batch = new Map<string, CheckManyItem>();
      for (const { state, index } of due) {
        const key = checkKey(state, index);
        if (checked.has(key) || batch.has(key)) continue;
        batch.set(key, {
          image: state.image.reference,
          credential: state.planned[index]?.credential,
          ...(options.platform ? { platform: options.platform } : {}),
        });
      }
      const results = await checkMany([...batch.values()], {
        transport,
        tokenCache,
        concurrency: options.concurrency ?? DEFAULT_CHECK_CONCURRENCY,
        plainHttp: options.plainHttp === true,
        ...(options.now ? { now: options.now } : {}),
      });
      [...batch.keys()].forEach((key, i) => checked.set(key, results[i] as AccessResult));
      for (const { state, index } of due) {
        const result = checked.get(checkKey(state, index)) as AccessResult;
        state.results.push(result);
        if (every) continue;
        if (result.outcome === "ok") state.stopped = "earlier-attempt-ok";
        else if (UNREACHABLE.has(result.outcome)) state.stopped = "registry-unreachable";
      }
    }
  } finally {
    if (!options.transport) transport.close();
  }
  return states.map((state) => {
    const selected = selectResult(state.results);
    return {
      image: state.image,
      result: state.results[selected] as AccessResult,
      selected: selected + 1,
      attempts: state.planned.map((planned, i) => ({
        attempt: i + 1,
        credential: planned.label,
        result: state.results[i],
        skipped: i < state.results.length ? undefined : state.stopped,
      })),
    };
  });
}
