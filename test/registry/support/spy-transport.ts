// A Transport wrapper that records every request (method + URL) before passing it on.
import type { Transport, TransportRequest } from "../../../src/registry/index.js";

export interface SpyTransport extends Transport {
  calls: { method: string; url: string; authorization: boolean }[];
}

export function spyTransport(inner: Transport): SpyTransport {
  const calls: SpyTransport["calls"] = [];
  return {
    calls,
    request(r: TransportRequest) {
      calls.push({
        method: r.method,
        url: String(r.url),
        authorization: Object.keys(r.headers ?? {}).some((k) => k.toLowerCase() === "authorization"),
      });
      return inner.request(r);
    },
    close: () => inner.close(),
  };
}
