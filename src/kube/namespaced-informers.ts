/**
 * One resource watched in a fixed list of namespaces, for the controller's scoped mode (docs/controller.md,
 * "Scoped mode"): per-namespace Roles allow list/watch in each namespace, never across all of them, so there is
 * one `ResilientInformer` per namespace behind the same reading interface (`list`, `get`, `synced`).
 *
 * A namespace whose list is refused (403: no Role there; 404: no such namespace) does not hold up the others:
 * it counts as settled for readiness, is reported once through `onRefused` (one line, not once per retry), and
 * its informer keeps retrying with the capped backoff, so a Role granted later is picked up without a restart.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeObject } from "../kube-model/index.js";
import type { ControllerKubeClient, WatchedResource } from "./controller-client.js";
import { KubeApiError } from "./errors.js";
import { ResilientInformer } from "./informer.js";
import type { InformerOptions } from "./informer.js";

type NamespaceableResource = Extract<WatchedResource, { kind: "Secret" | "ServiceAccount" | "Pod" }>;

export interface NamespacedInformerOptions extends InformerOptions {
  /** A namespace's list was refused (403 or 404); called again only after it was listed in between. */
  readonly onRefused?: (namespace: string, error: KubeApiError) => void;
}

function isRefusal(error: unknown): error is KubeApiError {
  return error instanceof KubeApiError && (error.status === 403 || error.status === 404);
}

export class NamespacedInformers {
  private readonly informers: ReadonlyMap<string, ResilientInformer>;
  private readonly settled = new Set<string>();
  private readonly refusedNow = new Set<string>();
  private readonly settle = new Map<string, () => void>();

  constructor(
    kubeConfig: KubeConfig,
    client: ControllerKubeClient,
    resource: NamespaceableResource,
    namespaces: readonly string[],
    private readonly options: NamespacedInformerOptions,
  ) {
    this.informers = new Map(
      [...new Set(namespaces)].map((namespace) => [
        namespace,
        new ResilientInformer(
          kubeConfig,
          client,
          { ...resource, namespace },
          {
            ...options,
            onChange: () => {
              this.refusedNow.delete(namespace);
              this.markSettled(namespace);
              options.onChange();
            },
            onRestart: (error) => {
              if (!isRefusal(error)) {
                options.onRestart?.(error);
                return;
              }
              const first = !this.refusedNow.has(namespace);
              this.refusedNow.add(namespace);
              this.markSettled(namespace);
              if (first) options.onRefused?.(namespace, error);
            },
          },
        ),
      ]),
    );
  }

  /** Namespaces whose list is refused right now. */
  get refused(): ReadonlySet<string> {
    return this.refusedNow;
  }

  /** Every namespace listed or refused at least once. */
  get synced(): boolean {
    return this.settled.size === this.informers.size;
  }

  /** Resolves once every namespace was listed or refused. */
  async start(): Promise<void> {
    await Promise.all(
      [...this.informers].map(
        ([namespace, informer]) =>
          new Promise<void>((resolve) => {
            this.settle.set(namespace, resolve);
            if (this.settled.has(namespace)) resolve();
            void informer.start();
          }),
      ),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  list(): readonly KubeObject[] {
    return [...this.informers.values()].flatMap((i) => i.list());
  }

  get(name: string, namespace?: string): KubeObject | undefined {
    return namespace === undefined ? undefined : this.informers.get(namespace)?.get(name, namespace);
  }

  private markSettled(namespace: string): void {
    this.settled.add(namespace);
    this.settle.get(namespace)?.();
  }
}
