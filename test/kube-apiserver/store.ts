// The object store: objects per resource, one global resourceVersion counter (like etcd's revision), and a
// bounded history of change events that watches replay from a given resourceVersion.
import type { KubeObject } from "./types.js";
import { deepCopy } from "./types.js";

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

export interface ChangeEvent {
  type: ChangeType;
  /** storeKey of the resource (`group/plural`). */
  key: string;
  rv: number;
  object: KubeObject;
  /** The object before the change (MODIFIED, DELETED). */
  prev?: KubeObject;
}

export type Listener = (event: ChangeEvent) => void;

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

export class ObjectStore {
  private rv: number;
  /** All events with rv > floor are in `history`. */
  private floor: number;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private readonly history: ChangeEvent[] = [];
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly historySize: number,
    startRv = 1000,
  ) {
    this.rv = startRv;
    this.floor = startRv;
  }

  currentRv(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch can start from. */
  oldestWatchableRv(): number {
    return this.floor;
  }

  get(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.data.get(key)?.get(objectKey(namespace, name));
    return obj ? deepCopy(obj) : undefined;
  }

  has(key: string, namespace: string | undefined, name: string): boolean {
    return this.data.get(key)?.has(objectKey(namespace, name)) ?? false;
  }

  /** Objects of a resource (in one namespace, or all), sorted by namespace then name like etcd keys. */
  list(key: string, namespace?: string): KubeObject[] {
    const bucket = this.data.get(key);
    if (!bucket) return [];
    const out: KubeObject[] = [];
    for (const obj of bucket.values()) {
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push(deepCopy(obj));
    }
    return out.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }

  /** Stores a new object, stamping the next resourceVersion. */
  create(key: string, obj: KubeObject): KubeObject {
    const stored = deepCopy(obj);
    const rv = ++this.rv;
    stored.metadata.resourceVersion = String(rv);
    this.bucket(key).set(objectKey(stored.metadata.namespace, stored.metadata.name ?? ""), stored);
    this.emit({ type: "ADDED", key, rv, object: deepCopy(stored) });
    return deepCopy(stored);
  }

  /** Replaces an existing object, stamping the next resourceVersion. */
  update(key: string, obj: KubeObject): KubeObject {
    const k = objectKey(obj.metadata.namespace, obj.metadata.name ?? "");
    const prev = this.bucket(key).get(k);
    const stored = deepCopy(obj);
    const rv = ++this.rv;
    stored.metadata.resourceVersion = String(rv);
    this.bucket(key).set(k, stored);
    this.emit({
      type: "MODIFIED",
      key,
      rv,
      object: deepCopy(stored),
      prev: prev ? deepCopy(prev) : undefined,
    });
    return deepCopy(stored);
  }

  /** Removes an object; the DELETED event carries it with the deletion's resourceVersion. */
  delete(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = objectKey(namespace, name);
    const prev = this.bucket(key).get(k);
    if (!prev) return undefined;
    this.bucket(key).delete(k);
    const rv = ++this.rv;
    const gone = deepCopy(prev);
    gone.metadata.resourceVersion = String(rv);
    this.emit({ type: "DELETED", key, rv, object: gone, prev: deepCopy(prev) });
    return deepCopy(prev);
  }

  /** Events after `rv`, or "expired" when the history no longer reaches back that far. */
  eventsSince(rv: number): ChangeEvent[] | "expired" {
    if (rv < this.floor) return "expired";
    return this.history.filter((e) => e.rv > rv).map((e) => deepCopy(e));
  }

  /** Forgets the whole event history (a compaction): any watch from an older resourceVersion gets 410. */
  compact(): void {
    this.history.length = 0;
    this.floor = this.rv;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  keys(): string[] {
    return [...this.data.keys()];
  }

  private bucket(key: string): Map<string, KubeObject> {
    let b = this.data.get(key);
    if (!b) {
      b = new Map();
      this.data.set(key, b);
    }
    return b;
  }

  private emit(event: ChangeEvent): void {
    this.history.push(event);
    while (this.history.length > this.historySize) {
      const dropped = this.history.shift();
      if (dropped) this.floor = dropped.rv;
    }
    for (const fn of [...this.listeners]) fn(event);
  }
}

function sortKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ""}\u0000${o.metadata.name ?? ""}`;
}
