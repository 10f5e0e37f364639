/**
 * The Lease loop around the pure decision of ../leader-election.ts: every retry period, read the Lease and
 * acquire or renew it; a leader that could not renew within the renew deadline stops leading at once (writes
 * stop before another replica can take over); on shutdown the leader releases the Lease.
 */
import type { ControllerKubeClient } from "../../kube/index.js";
import { KubeApiError } from "../../kube/index.js";
import type { KubeObject } from "../../kube-model/index.js";
import { decideLease, releasedLease } from "../leader-election.js";
import type { LeaseSpecRecord, LeaseTimings, ObservedLease } from "../leader-election.js";

export interface LeaderElectorOptions {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly timings: LeaseTimings;
  readonly now: () => Date;
  readonly onChange: (leading: boolean) => void;
  readonly log: (entry: Record<string, unknown>) => void;
}

export class LeaderElector {
  leading = false;
  private observed: ObservedLease | undefined;
  private lastRenew = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: ControllerKubeClient,
    private readonly options: LeaderElectorOptions,
  ) {}

  start(): void {
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      this.running = this.attempt();
      await this.running;
      if (!this.stopped) {
        this.timer = setTimeout(() => void tick(), this.options.timings.retryPeriodMs);
      }
    };
    void tick();
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.options.log({ msg: leading ? "became leader" : "stopped leading", lease: this.options.name });
    this.options.onChange(leading);
  }

  private async attempt(): Promise<void> {
    const { namespace, name, identity, timings } = this.options;
    const now = this.options.now();
    try {
      const lease = await this.client.getLease(namespace, name);
      const decision = decideLease(
        lease?.["spec"] as LeaseSpecRecord | undefined,
        lease !== undefined,
        this.observed,
        identity,
        now,
        timings,
      );
      this.observed = decision.observed;
      if (decision.action === "wait") {
        this.setLeading(false);
        return;
      }
      const body: KubeObject = {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: {
          name,
          namespace,
          ...(lease?.metadata.resourceVersion ? { resourceVersion: lease.metadata.resourceVersion } : {}),
        },
        spec: decision.spec,
      };
      if (decision.action === "create") await this.client.createLease(namespace, body);
      else await this.client.replaceLease(namespace, body);
      this.lastRenew = now.getTime();
      this.setLeading(true);
    } catch (error) {
      // A conflict means another replica wrote first: we are not (or no longer) the leader.
      const lost = error instanceof KubeApiError && (error.status === 409 || error.status === 422);
      if (lost || now.getTime() - this.lastRenew > timings.renewDeadlineMs) this.setLeading(false);
      if (!lost) this.options.log({ msg: "lease request failed", error: (error as Error).message });
    }
  }

  /** Stops trying; a leader releases the Lease so a follower takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (!this.leading) return;
    this.setLeading(false);
    try {
      const lease = await this.client.getLease(this.options.namespace, this.options.name);
      const spec = lease?.["spec"] as LeaseSpecRecord | undefined;
      if (lease && spec?.holderIdentity === this.options.identity) {
        await this.client.replaceLease(this.options.namespace, {
          ...lease,
          spec: releasedLease(spec, this.options.now()),
        });
      }
    } catch (error) {
      this.options.log({ msg: "could not release the lease", error: (error as Error).message });
    }
  }
}
