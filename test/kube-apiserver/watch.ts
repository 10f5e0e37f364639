// Watch streams: newline-delimited `{"type":...,"object":...}` events over a chunked HTTP/1.1 response, from a
// resourceVersion (replaying the store's bounded history; too old → one ERROR event with a 410 Expired Status),
// or from "now" with synthetic ADDED events for the current state; selectors are applied to both the old and
// new object like the watch cache does (MODIFIED out of the selection becomes DELETED, into it ADDED);
// BOOKMARK events when allowed; `timeoutSeconds` ends the stream.
import type { ServerResponse } from "node:http";
import type { ResourceDef } from "./resources.js";
import { apiVersionOf, storeKey } from "./resources.js";
import type { ObjectFilter } from "./selectors.js";
import { matchesFilter } from "./selectors.js";
import { resourceExpired } from "./status.js";
import type { ChangeEvent, ObjectStore } from "./store.js";
import type { Json, JsonObject, KubeObject } from "./types.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchRequest {
  def: ResourceDef;
  namespace?: string;
  filter: ObjectFilter;
  resourceVersion?: string;
  sendInitialEvents?: boolean;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  /** Turns a stored object into what goes on the wire (a plain object or a one-row Table). */
  encode: (obj: KubeObject) => Json;
  contentType: string;
}

export interface WatchOptions {
  bookmarkIntervalMs: number;
}

/** An open watch: closed by the client, by timeoutSeconds, or by the server's stop(). */
export interface ActiveWatch {
  close(): void;
}

export function startWatch(
  store: ObjectStore,
  req: WatchRequest,
  res: ServerResponse,
  opts: WatchOptions,
): ActiveWatch {
  const key = storeKey(req.def);
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: () => void = () => {};

  res.writeHead(200, {
    "Content-Type": req.contentType,
    "Cache-Control": "no-cache, private",
    "Transfer-Encoding": "chunked",
  });
  res.flushHeaders();

  const send = (type: WatchEventType, object: Json): void => {
    if (closed) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    res.end();
  };

  const inScope = (obj: KubeObject | undefined): boolean =>
    obj !== undefined &&
    (req.namespace === undefined || obj.metadata.namespace === req.namespace) &&
    matchesFilter(req.def, req.filter, obj);

  const deliver = (e: ChangeEvent): void => {
    if (e.key !== key) return;
    const now = inScope(e.object);
    const before = e.type === "ADDED" ? false : inScope(e.prev);
    if (e.type === "DELETED") {
      if (before) send("DELETED", req.encode(e.object));
      return;
    }
    if (e.type === "ADDED") {
      if (now) send("ADDED", req.encode(e.object));
      return;
    }
    if (now && before) send("MODIFIED", req.encode(e.object));
    else if (now) send("ADDED", req.encode(e.object));
    else if (before) send("DELETED", req.encode(e.object));
  };

  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata: JsonObject = { resourceVersion: String(store.currentRv()) };
    if (annotations) metadata.annotations = annotations;
    send("BOOKMARK", { kind: req.def.kind, apiVersion: apiVersionOf(req.def), metadata });
  };

  const rv = req.resourceVersion ?? "";
  const fromNow = rv === "" || rv === "0";
  if (fromNow && req.sendInitialEvents !== false) {
    const current = store.list(key, req.def.namespaced ? req.namespace : undefined).filter(inScope);
    for (const obj of current) send("ADDED", req.encode(obj));
    if (req.sendInitialEvents && req.allowBookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
    unsubscribe = store.subscribe(deliver);
  } else if (fromNow) {
    unsubscribe = store.subscribe(deliver);
  } else {
    const n = Number(rv);
    if (!/^\d+$/.test(rv)) {
      send("ERROR", resourceExpired(`invalid resource version: ${rv}`).status());
      close();
      return { close };
    }
    const backlog = store.eventsSince(n);
    if (backlog === "expired") {
      send(
        "ERROR",
        resourceExpired(`too old resource version: ${n} (${store.oldestWatchableRv()})`).status(),
      );
      close();
      return { close };
    }
    if (req.sendInitialEvents) {
      const current = store.list(key, req.def.namespaced ? req.namespace : undefined).filter(inScope);
      for (const obj of current) send("ADDED", req.encode(obj));
      if (req.allowBookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
    } else {
      for (const e of backlog) deliver(e);
    }
    unsubscribe = store.subscribe(deliver);
  }

  if (req.allowBookmarks && opts.bookmarkIntervalMs > 0) {
    const tick = (): void => {
      if (closed) return;
      bookmark();
      timers.push(setTimeout(tick, opts.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, opts.bookmarkIntervalMs));
  }
  if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 0) {
    timers.push(setTimeout(close, req.timeoutSeconds * 1000));
  }
  res.on("close", close);
  return { close };
}
