/**
 * An informer that keeps going: client-node 1.4's `ListWatch` (list, then watch from the list's resourceVersion;
 * on 410 Gone it relists by itself) wrapped so that
 * - any other error (connection refused while the API server restarts, a 403, a broken stream) restarts it
 *   with a fresh list after a capped, jittered exponential backoff — client-node's informer stops on those
 *   (kubernetes-client/javascript#596, #958, #1933) and would leave the controller blind;
 * - every `relistIntervalMs` it lists again in the background and swaps caches once the new list is in: a watch
 *   can go quiet without an error on a dead connection (#958), and a relist is the stall watchdog;
 * - the cache holds objects exactly as the API server sent them (the list is read as wire JSON, as the watch
 *   is), never client-node's model classes.
 * - a stopped informer tears its watch down even while the watch waits for its response headers (see
 *   `abortableConfig`), so a stalled watch never holds a connection, or shutdown, open.
 * - cached objects lose `metadata.managedFields` (except the custom resources, whose status is written back
 *   whole): the controller never reads them, and they are most of a small object's size (client-go's
 *   informers strip them with a transform for the same reason).
 * `onChange` fires after any add, update or delete, and after a (re)list.
 */
import { ListWatch, Watch } from "@kubernetes/client-node";
import type { KubeConfig, KubernetesListObject, KubernetesObject } from "@kubernetes/client-node";
import type { KubeObject } from "../kube-model/index.js";
import type { ControllerKubeClient, WatchedResource } from "./controller-client.js";
import { watchPath } from "./controller-client.js";

export interface InformerOptions {
  /** Relist this often even when the watch seems fine (default 5 min). */
  readonly relistIntervalMs?: number;
  /** First restart delay after an error (default 1 s), doubling up to `maxBackoffMs` (default 30 s). */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly onChange: () => void;
  /** An error that made it restart (one line; never holds object data). */
  readonly onRestart?: (error: unknown) => void;
}

/**
 * The kubeconfig for one ListWatch's Watch, and a teardown for its request. client-node's ListWatch.stop()
 * aborts a watch only once the watch's response headers came (it gets the AbortController only then): a watch
 * the server never answers (a stall, a half-open connection) would keep its socket, the ListWatch and its cache,
 * and the process alive. client-node makes a new agent for every request; the latest is kept here and destroyed
 * on teardown, which fails the pending request (ListWatch sees an error, after it was stopped).
 */
function abortableConfig(kubeConfig: KubeConfig): { config: KubeConfig; teardown: () => void } {
  let agent: { destroy(): void } | undefined;
  let tornDown = false;
  const config = Object.create(kubeConfig) as KubeConfig;
  config.applyToFetchOptions = async (options) => {
    const init = await kubeConfig.applyToFetchOptions(options);
    agent = init.agent as { destroy(): void } | undefined;
    if (tornDown) agent?.destroy();
    return init;
  };
  return {
    config,
    teardown: () => {
      tornDown = true;
      agent?.destroy();
    },
  };
}

/** The object without `metadata.managedFields`, in place (it is fresh from the wire, nobody else holds it). */
function withoutManagedFields<T>(object: T): T {
  const metadata = (object as { metadata?: Record<string, unknown> } | undefined)?.metadata;
  if (metadata && "managedFields" in metadata) delete metadata["managedFields"];
  return object;
}

export class ResilientInformer {
  private current: ListWatch<KubernetesObject> | undefined;
  private readonly loaded: Promise<void>;
  private markLoaded!: () => void;
  private stopped = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private relistTimer: NodeJS.Timeout | undefined;
  /** Times it restarted after an error (for metrics). */
  restarts = 0;
  synced = false;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly client: ControllerKubeClient,
    readonly resource: WatchedResource,
    private readonly options: InformerOptions,
  ) {
    this.loaded = new Promise((resolve) => (this.markLoaded = resolve));
  }

  /** Starts it; resolves once the first list is in the cache. */
  start(): Promise<void> {
    this.launch();
    this.relistTimer = setInterval(() => this.relist(), this.options.relistIntervalMs ?? 5 * 60_000);
    this.relistTimer.unref();
    return this.loaded;
  }

  /** Objects in the cache (all namespaces). */
  list(): readonly KubeObject[] {
    return (this.current?.list() ?? []) as readonly KubeObject[];
  }

  get(name: string, namespace?: string): KubeObject | undefined {
    return this.current?.get(name, namespace) as KubeObject | undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.relistTimer) clearInterval(this.relistTimer);
    await this.current?.stop();
  }

  /**
   * A ListWatch whose `onListed` runs once its list is in its cache (ListWatch stores the list right after our
   * list function returns, before it opens the watch: a watch that never answers does not hold up the cache).
   */
  private makeListWatch(
    onListed: (informer: ListWatch<KubernetesObject>) => void,
  ): ListWatch<KubernetesObject> {
    const lean = this.resource.kind !== "Custom";
    const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
      const collection = await this.client.listForWatch(this.resource);
      setImmediate(() => {
        if (!this.stopped) onListed(created);
      });
      if (lean) collection.items.forEach(withoutManagedFields);
      return {
        apiVersion: "v1",
        kind: "List",
        metadata: { resourceVersion: collection.resourceVersion },
        items: collection.items as KubernetesObject[],
      };
    };
    const labelSelector = this.resource.kind === "Secret" ? this.resource.labelSelector : undefined;
    const fieldSelector = this.resource.kind === "Pod" ? this.resource.fieldSelector : undefined;
    const { config, teardown } = abortableConfig(this.kubeConfig);
    const watch = new Watch(config);
    if (lean) {
      const open = watch.watch.bind(watch);
      watch.watch = (path, params, callback, done) =>
        open(path, params, (phase, object, raw) => callback(phase, withoutManagedFields(object), raw), done);
    }
    const created = new ListWatch(watchPath(this.resource), watch, list, false, labelSelector, fieldSelector);
    const changed = () => {
      if (created === this.current) this.options.onChange();
    };
    created.on("add", changed);
    created.on("update", changed);
    created.on("delete", changed);
    const stop = created.stop.bind(created);
    created.stop = async () => {
      teardown();
      await stop();
    };
    created.on("error", (error: unknown) => {
      if (created !== this.current || this.stopped) {
        void created.stop();
        return;
      }
      void created.stop();
      this.restarts++;
      this.failures++;
      this.options.onRestart?.(error);
      this.schedule(() => this.launch());
    });
    return created;
  }

  private launch(): void {
    if (this.stopped) return;
    const informer = this.makeListWatch((listed) => {
      if (listed !== this.current) return;
      this.failures = 0;
      if (!this.synced) {
        this.synced = true;
        this.markLoaded();
      }
      this.options.onChange();
    });
    const previous = this.current;
    this.current = informer;
    void previous?.stop();
    void informer.start();
  }

  /** A background relist: the new cache replaces the old one once its list is in. */
  private relist(): void {
    if (this.stopped || !this.synced) return;
    const previous = this.current;
    const informer = this.makeListWatch((listed) => {
      if (this.stopped || previous !== this.current) {
        void listed.stop();
        return;
      }
      this.current = listed;
      void previous?.stop();
      this.options.onChange();
    });
    void informer.start();
  }

  private schedule(fn: () => void): void {
    const base = this.options.backoffMs ?? 1_000;
    const delay = Math.min(base * 2 ** Math.max(0, this.failures - 1), this.options.maxBackoffMs ?? 30_000);
    this.timer = setTimeout(fn, delay * (1 + 0.2 * Math.random()));
    this.timer.unref();
  }
}
