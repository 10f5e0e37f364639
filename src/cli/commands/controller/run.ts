/**
 * `pullwarden controller run`: flags → the controller (src/controller/runtime) and its HTTP endpoints; JSON log
 * lines on stdout (never a secret); SIGTERM or SIGINT stop it gracefully (the running pass finishes, the Lease
 * is released, watches close) and it exits 0.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { UsageError } from "../../../errors.js";
import { clusterConnection } from "../../flags/cluster.js";
import { assertNamespace } from "../../flags/names.js";
import { registryTlsOptions } from "../../flags/registry.js";
import { parseDurationFlag } from "../../flags/values.js";
import type { CliIo } from "../../io.js";
import type { ControllerRunFlags } from "./definition.js";

function parseAddress(text: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) {
    throw new UsageError(`--http-address ${JSON.stringify(text)}: expected HOST:PORT, e.g. 0.0.0.0:8080`);
  }
  return { host: (match[1] ?? "").replace(/^\[(.*)\]$/, "$1") || "0.0.0.0", port };
}

/** `--watch-namespaces a,b`: the scoped mode's namespaces (undefined: the whole cluster). */
function parseWatchNamespaces(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = [...new Set(text.split(",").map((n) => n.trim()))].filter((n) => n !== "");
  if (names.length === 0) {
    throw new UsageError("--watch-namespaces is empty", {
      hint: "name the namespaces to serve, e.g. --watch-namespaces team-a,team-b (or leave the flag out to watch the whole cluster)",
    });
  }
  for (const name of names) assertNamespace(name);
  return names;
}

/** How long a graceful stop may take after SIGTERM/SIGINT before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 20_000;

export async function runController(flags: ControllerRunFlags, io: CliIo): Promise<number> {
  const connection = clusterConnection(flags, io);
  const address = parseAddress(flags.httpAddress);
  const timings = {
    leaseDurationMs: parseDurationFlag("--lease-duration", flags.leaseDuration),
    renewDeadlineMs: parseDurationFlag("--renew-deadline", flags.renewDeadline),
    retryPeriodMs: parseDurationFlag("--retry-period", flags.retryPeriod),
  };
  if (timings.renewDeadlineMs >= timings.leaseDurationMs) {
    throw new UsageError("--renew-deadline must be shorter than --lease-duration", {
      hint: "a leader must give up before another replica may take over: e.g. --lease-duration 15s --renew-deadline 10s",
    });
  }
  const relistIntervalMs = parseDurationFlag("--relist-interval", flags.relistInterval);
  const watchNamespaces = parseWatchNamespaces(flags.watchNamespaces);
  const tls = await registryTlsOptions(flags, io);
  const namespace = flags.namespace ?? io.env["POD_NAMESPACE"] ?? "pullwarden-system";
  const identity = flags.identity ?? `${io.env["POD_NAME"] ?? hostname()}_${randomBytes(4).toString("hex")}`;
  const log = (entry: Record<string, unknown>) =>
    io.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);

  const [{ loadKubeConfig }, { Controller, startHealthServer }] = await Promise.all([
    import("../../../kube/index.js"),
    import("../../../controller/runtime/index.js"),
  ]);
  const controller = new Controller(loadKubeConfig(connection), {
    namespace,
    identity,
    leaderElection: flags.leaderElect ? { leaseName: flags.leaseName, timings } : false,
    dryRun: flags.dryRun,
    registry: { ...tls, plainHttp: flags.plainHttp },
    relistIntervalMs,
    restartStuckPods: flags.restartStuckPods,
    ...(watchNamespaces ? { watchNamespaces } : {}),
    log,
  });
  let stopping = false;
  const server = await startHealthServer({
    ...address,
    healthy: () => !stopping,
    ready: () => controller.ready,
    registry: controller.metrics.registry,
  });
  log({
    msg: "controller starting",
    identity,
    namespace,
    httpPort: server.port,
    dryRun: flags.dryRun,
    ...(watchNamespaces ? { watchNamespaces } : {}),
  });
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log({ msg: "stopping", signal });
      // Bounded: the running pass, the Lease release and the watches get SHUTDOWN_DEADLINE_MS, well inside a
      // Pod's default 30 s grace period; past it the process exits anyway (something still holds a connection).
      const graceful = controller.stop().then(() => server.close());
      let deadline: NodeJS.Timeout | undefined;
      void Promise.race([
        graceful.then(() => true),
        new Promise<false>((done) => (deadline = setTimeout(() => done(false), SHUTDOWN_DEADLINE_MS))),
      ]).then((inTime) => {
        clearTimeout(deadline);
        if (!inTime) {
          log({ msg: "shutdown deadline passed: exiting", deadlineMs: SHUTDOWN_DEADLINE_MS });
          void server.close();
          // Only fires when something still holds the event loop once the command has returned.
          setTimeout(() => process.exit(), 1_000).unref();
        }
        resolve();
      });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  // A signal while the caches are still listing (an API server not answering yet) stops it too.
  await Promise.race([controller.start(), stopped]);
  await stopped;
  log({ msg: "stopped" });
  return 0;
}
