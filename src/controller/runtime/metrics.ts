/**
 * The controller's Prometheus metrics (prom-client; base units, `_total` counters, low-cardinality labels: a
 * credential or binding name, never a namespace). One registry per controller, so tests and a second
 * controller in one process do not share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class ControllerMetrics {
  readonly registry = new Registry();
  readonly credentialExpiry = new Gauge({
    name: "pullwarden_credential_expiry_timestamp_seconds",
    help: "When the served credential expires (Unix time); absent for credentials without a known expiry",
    labelNames: ["credential"],
    registers: [this.registry],
  });
  readonly credentialLastRefresh = new Gauge({
    name: "pullwarden_credential_last_refresh_timestamp_seconds",
    help: "When the served credential was swapped in (Unix time)",
    labelNames: ["credential"],
    registers: [this.registry],
  });
  readonly refreshes = new Counter({
    name: "pullwarden_credential_refresh_total",
    help: "Refresh attempts by result: swapped, unchanged, mint_error, verify_error",
    labelNames: ["credential", "result"],
    registers: [this.registry],
  });
  readonly verifyDuration = new Histogram({
    name: "pullwarden_credential_verify_duration_seconds",
    help: "Time to verify a candidate credential against its registry",
    labelNames: ["credential"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly sourceCalls = new Counter({
    name: "pullwarden_source_requests_total",
    help: "Calls to a credential source (a cloud mint or a static Secret read): one per credential per refresh",
    labelNames: ["source"],
    registers: [this.registry],
  });
  readonly bindingSecrets = new Gauge({
    name: "pullwarden_binding_secrets",
    help: "Secrets of a binding by state: in_sync, conflict, held",
    labelNames: ["binding", "state"],
    registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: "pullwarden_reconcile_duration_seconds",
    help: "Time of one reconcile pass",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: "pullwarden_reconcile_errors_total",
    help: "Writes or status updates that failed, by reason",
    labelNames: ["reason"],
    registers: [this.registry],
  });
  readonly kubeWrites = new Counter({
    name: "pullwarden_kube_writes_total",
    help: "Write requests to the API server, by what was written",
    labelNames: ["what"],
    registers: [this.registry],
  });
  readonly writeRetries = new Counter({
    name: "pullwarden_write_retries_total",
    help: "Passes scheduled, after a backoff, to retry Secret or ServiceAccount writes that failed (403, conflicts given up)",
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: "pullwarden_leader_is_leader",
    help: "1 while this replica leads (writes), else 0",
    registers: [this.registry],
  });
  readonly informerRestarts = new Counter({
    name: "pullwarden_informer_restarts_total",
    help: "Informer restarts after a watch or list error",
    labelNames: ["resource"],
    registers: [this.registry],
  });

  readonly stuckPods = new Counter({
    name: "pullwarden_stuck_pods_total",
    help: "Pods stuck in ErrImagePull/ImagePullBackOff for a covered registry: restarted, not_restartable (told by an Event), rate_limited",
    labelNames: ["result"],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }
}
