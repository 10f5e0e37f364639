/**
 * `sharePings`: a `Transport` decorator (as go-containerregistry wraps its RoundTrippers in its transport
 * package) that answers every ping of a registry with one request.
 */
import type { Transport, TransportRequest, TransportResponse } from "./transport.js";

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
 * serves every check made through the returned transport (each check's trace still shows it). A failed ping is
 * shared too, so an unreachable registry fails every image at once instead of waiting out one timeout per image.
 * Closing the returned transport closes `transport`.
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
