/**
 * Runs the access checks of `pullwarden check`: every image's credentials in order, like kubelet, which stops
 * at the first credential that pulls. Checks run in rounds through `checkMany` (round N = the N-th attempt of
 * every image still without an `ok`), all rounds on one keep-alive transport and one token cache, so images of
 * one repository share a token and images of one registry share connections and one ping. The same reference
 * given twice is checked once.
 *
 * The result of an image is its first `ok`; without one, the most informative failure (see FAILURE_RANK),
 * the earliest on a tie. After a failure no credential can change (TLS, plain HTTP, network) the remaining
 * attempts are not made.
 */
import { checkMany, createTokenCache, createTransport } from "../registry/index.js";
import type {
  AccessResult,
  Platform,
  Transport,
  TransportOptions,
  TransportRequest,
  TransportResponse,
} from "../registry/index.js";
import type { CredentialLabel, PlannedAttempt } from "./check-credentials.js";
import type { ValidImage } from "./check-images.js";

/** Why an attempt was not made. */
export type SkipReason = "earlier-attempt-ok" | "registry-unreachable";

export interface AttemptReport {
  /** 1-based position in kubelet's order. */
  attempt: number;
  credential: CredentialLabel;
  /** undefined when the attempt was not made (see `skipped`). */
  result: AccessResult | undefined;
  skipped: SkipReason | undefined;
}

export interface ImageReport {
  image: ValidImage;
  /** The overall result (one of the attempts' results). */
  result: AccessResult;
  /** 1-based number of the attempt that gave `result`. */
  selected: number;
  attempts: AttemptReport[];
}

export interface RunChecksOptions {
  attemptsFor(image: ValidImage): PlannedAttempt[];
  platform?: Platform;
  plainHttp: boolean;
  concurrency: number;
  transport: TransportOptions;
}

/** Higher is more informative: how far the check got, and how much it says about the image itself. */
const FAILURE_RANK: Record<AccessResult["outcome"], number> = {
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

/** `GET <registry>/v2/` without credentials: the ping that starts every check. */
function isPing(request: TransportRequest): boolean {
  const url = typeof request.url === "string" ? request.url : request.url.href;
  return (
    request.method === "GET" &&
    request.body === undefined &&
    /^https?:\/\/[^/?#]+\/v2\/$/.test(url) &&
    !Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === "authorization")
  );
}

/**
 * The ping's answer (open, or which challenge) belongs to the registry, not to an image: one ping per registry
 * serves every check of a run (each check's trace still shows it). A failed ping is shared too, so an
 * unreachable registry fails every image at once instead of waiting out one timeout per image.
 */
export function sharePings(transport: Transport): Transport {
  const pings = new Map<string, Promise<TransportResponse>>();
  return {
    request(request) {
      if (!isPing(request)) return transport.request(request);
      const key = String(request.url);
      let ping = pings.get(key);
      if (!ping) {
        ping = transport.request(request);
        pings.set(key, ping);
      }
      return ping;
    },
    close: () => transport.close(),
  };
}

const UNREACHABLE = new Set<AccessResult["outcome"]>(["tls", "plain-http", "network"]);

interface State {
  image: ValidImage;
  planned: PlannedAttempt[];
  results: AccessResult[];
  stopped: SkipReason | undefined;
}

export async function runChecks(
  images: readonly ValidImage[],
  options: RunChecksOptions,
): Promise<ImageReport[]> {
  const unique = new Map<string, State>();
  for (const image of images) {
    if (!unique.has(image.canonical)) {
      unique.set(image.canonical, {
        image,
        planned: options.attemptsFor(image),
        results: [],
        stopped: undefined,
      });
    }
  }
  const states = [...unique.values()];
  const transport = sharePings(createTransport(options.transport));
  // The engine's clock stays the real one: token lifetimes are wall-clock time.
  const tokenCache = createTokenCache();
  try {
    for (let round = 0; ; round++) {
      const pending = states.filter((s) => s.stopped === undefined && round < s.planned.length);
      if (pending.length === 0) break;
      const results = await checkMany(
        pending.map((s) => ({
          image: s.image.reference,
          credential: s.planned[round]?.credential,
          ...(options.platform ? { platform: options.platform } : {}),
        })),
        { transport, tokenCache, concurrency: options.concurrency, plainHttp: options.plainHttp },
      );
      pending.forEach((s, i) => {
        const result = results[i] as AccessResult;
        s.results.push(result);
        if (result.outcome === "ok") s.stopped = "earlier-attempt-ok";
        else if (UNREACHABLE.has(result.outcome)) s.stopped = "registry-unreachable";
      });
    }
  } finally {
    transport.close();
  }
  return images.map((image) => {
    const state = unique.get(image.canonical) as State;
    const selected = selectResult(state.results);
    return {
      image,
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
