// A real Kubernetes control plane on 127.0.0.1: etcd + kube-apiserver + kube-controller-manager, built from Go
// modules by scripts/build-go-tools.sh (k8s.io/kubernetes v1.37.2, etcd v3.7.0).
//
// - TLS everywhere a client looks: a generated CA signs the API server's certificate (127.0.0.1, localhost) and
//   every user's client certificate (CN = user, O = groups: kube-apiserver's x509 authenticator).
// - RBAC authorization; the default admission plugins (ServiceAccount, NamespaceLifecycle, ...); ServiceAccount
//   token signing with a generated RSA key (issuer https://kubernetes.default.svc), so TokenRequest and bound tokens
//   are real.
// - The controllers that matter for pullwarden (see CONTROLLERS): a namespace gets its `default` ServiceAccount
//   and `kube-root-ca.crt`, deleted namespaces are finalized, ownerReferences are garbage-collected, aggregated
//   ClusterRoles (admin/edit/view) are filled, Deployments make ReplicaSets and Pods. No kubelet, no scheduler:
//   Pods stay Pending unless a test writes their status (status subresource).
// - Ready means /readyz is ok AND the `default` ServiceAccount exists in `default` (the controller manager runs).
//
// Every process is tracked by PID (cleanup.ts): stop() ends them, a process-exit handler or the watchdog kills
// them if a test does not (SIGKILL of the worker included), and the scratch directory goes with them.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import { join } from "node:path";
import { stringify } from "yaml";
import { freePort, LOOPBACK, waitUntil } from "./net.js";
import { runCommand, startServer } from "./processes.js";
import type { ServerProcess } from "./processes.js";
import { makeScratchDir, removeScratchDir } from "./scratch.js";
import { createClientCert, createPki } from "./tls.js";
import type { ClientCert, Pki } from "./tls.js";
import { requireGoTool, requireTool } from "./tools.js";

/** kube-controller-manager controllers started (names from `kube-controller-manager --help`). */
export const CONTROLLERS = [
  "serviceaccount-controller",
  "serviceaccount-token-controller",
  "namespace-controller",
  "garbage-collector-controller",
  "root-ca-certificate-publisher-controller",
  "clusterrole-aggregation-controller",
  "deployment-controller",
  "replicaset-controller",
  "statefulset-controller",
  "daemonset-controller",
  "job-controller",
  "cronjob-controller",
] as const;

export const SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc";

export interface ControlPlaneUser {
  /** Groups (certificate O fields). */
  groups?: string[];
}

export interface ControlPlaneOptions {
  /**
   * Users besides `admin` (group system:masters), each with a client certificate and no rights until a test
   * binds a Role to it. Default: `{ limited: {} }`.
   */
  users?: Record<string, ControlPlaneUser>;
  /**
   * kube-controller-manager controllers to run (default CONTROLLERS). E.g. without the deployment and replicaset
   * controllers, seeded Deployments, ReplicaSets and Pods stay as written (no Pods made that no kubelet runs).
   */
  controllers?: readonly string[];
  /** Extra kube-apiserver flags (e.g. `--watch-cache=false`). */
  apiServerArgs?: string[];
  /** How long startup may take before it fails with the components' logs (default 90 s: 2 shared cores). */
  startTimeoutMs?: number;
}

export type Component = "etcd" | "kube-apiserver" | "kube-controller-manager";

export interface StartupTimes {
  /** Scratch dir, CA, server and client certificates, ServiceAccount signing key. */
  pkiMs: number;
  /** etcd until /health is true. */
  etcdMs: number;
  /** kube-apiserver until /readyz is ok. */
  apiServerMs: number;
  /** From /readyz ok until the `default` ServiceAccount exists in `default`. */
  controllerManagerMs: number;
  totalMs: number;
}

export interface KubeResponse {
  status: number;
  body: string;
  /** The body parsed as JSON, or undefined. */
  json: Record<string, unknown> | undefined;
}

export interface ControlPlane {
  /** `https://127.0.0.1:PORT` of kube-apiserver. */
  url: string;
  caPem: string;
  caFile: string;
  pki: Pki;
  /** http://127.0.0.1:PORT of etcd (plain HTTP on loopback: only kube-apiserver and compact() talk to it). */
  etcdUrl: string;
  dir: string;
  /** A kubeconfig whose current context is `admin` (system:masters); one context per user, named after it. */
  kubeconfigPath: string;
  /** A kubeconfig whose current context is `user` (optionally with a default namespace). */
  kubeconfigFor(user: string, namespace?: string): string;
  /** Adds a user (a new client certificate; no rights until RBAC grants some); returns its kubeconfig. */
  addUser(name: string, spec?: ControlPlaneUser): Promise<string>;
  /** A user's client certificate and key. */
  credentials(user: string): ClientCert;
  /** The users that have a client certificate. */
  users(): string[];
  /** One HTTPS request to kube-apiserver as `user` (default admin); never throws for an HTTP error status. */
  request(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<KubeResponse>;
  /** How long the last start (or restart) took, per step. */
  startup: StartupTimes;
  /** Stops and starts every component on the same ports with the same data (etcd's data dir is kept). */
  restart(): Promise<void>;
  /** Stops one component (e.g. kube-apiserver, for "server down" tests); start() brings it back on its port. */
  stopComponent(component: Component): Promise<void>;
  startComponent(component: Component): Promise<void>;
  /**
   * Compacts etcd at its current revision (physical) and, unless `restartApiServer: false`, restarts
   * kube-apiserver on the same port: its watch cache keeps serving the history it holds after an etcd
   * compaction (a watch from an old resourceVersion still replays, checked on v1.37.2), and re-initializes at
   * the current revision on restart, after which a watch from an older resourceVersion gets
   * `410 Expired "too old resource version: N (M)"`, as after a real API server restart or a long disconnect.
   * Resolves to the revision compacted at.
   */
  compact(options?: { restartApiServer?: boolean }): Promise<number>;
  /** Output of a component so far (the last 256 KiB). */
  logs(component: Component): string;
  /** Stops every process and removes the scratch directory. Idempotent. */
  stop(): Promise<void>;
}

export interface RequestOptions {
  user?: string;
  contentType?: string;
  timeoutMs?: number;
}

function elapsedMs(start: bigint): number {
  return Number((process.hrtime.bigint() - start) / 1_000_000n);
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const bins = {
    etcd: requireGoTool("etcd"),
    "kube-apiserver": requireGoTool("kube-apiserver"),
    "kube-controller-manager": requireGoTool("kube-controller-manager"),
  };
  const t0 = process.hrtime.bigint();
  const dir = makeScratchDir("control-plane");
  const processes = new Map<Component, ServerProcess>();
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const c of ["kube-controller-manager", "kube-apiserver", "etcd"] as const)
      await processes.get(c)?.stop();
    removeScratchDir(dir);
  };

  try {
    const pkiDir = join(dir, "pki");
    mkdirSync(pkiDir);
    const [pki, etcdPort, etcdPeerPort, apiPort] = await Promise.all([
      createPki(pkiDir),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const saKey = join(pkiDir, "service-account.key");
    const [saKeyResult, admin, controllerManager] = await Promise.all([
      runCommand(requireTool("openssl"), ["genrsa", "-out", saKey, "2048"]),
      createClientCert(pki, pkiDir, "admin", ["system:masters"]),
      createClientCert(pki, pkiDir, "system:kube-controller-manager"),
    ]);
    if (saKeyResult.exitCode !== 0) throw new Error(`openssl genrsa failed: ${saKeyResult.stderr}`);
    const users = new Map<string, ClientCert>([
      ["admin", admin],
      ["system:kube-controller-manager", controllerManager],
    ]);
    const extraUsers = options.users ?? { limited: {} };
    await Promise.all(
      Object.entries(extraUsers).map(async ([name, spec]) => {
        users.set(name, await createClientCert(pki, pkiDir, name, spec.groups ?? []));
      }),
    );
    const url = `https://${LOOPBACK}:${apiPort}`;
    const etcdUrl = `http://${LOOPBACK}:${etcdPort}`;
    const kubeconfigDir = join(dir, "kubeconfig");
    mkdirSync(kubeconfigDir);
    const caPemText = readFileSync(pki.caFile, "utf8");
    const caData = Buffer.from(caPemText).toString("base64");

    const kubeconfigYaml = (current: string, namespace?: string): string =>
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          {
            name: "pullwarden-control-plane",
            cluster: { server: url, "certificate-authority-data": caData },
          },
        ],
        users: [...users].map(([name, cert]) => ({
          name,
          user: {
            "client-certificate-data": Buffer.from(cert.certPem).toString("base64"),
            "client-key-data": Buffer.from(cert.keyPem).toString("base64"),
          },
        })),
        contexts: [...users.keys()].map((name) => ({
          name,
          context: { cluster: "pullwarden-control-plane", user: name, ...(namespace ? { namespace } : {}) },
        })),
        "current-context": current,
        preferences: {},
      });
    const kubeconfigFor = (user: string, namespace?: string): string => {
      if (!users.has(user))
        throw new Error(`control plane: no user ${user} (users: ${[...users.keys()].join(", ")})`);
      const file = join(
        kubeconfigDir,
        `${user.replace(/[^A-Za-z0-9._-]/g, "_")}${namespace ? `.${namespace}` : ""}.yaml`,
      );
      writeFileSync(file, kubeconfigYaml(user, namespace), { mode: 0o600 });
      return file;
    };
    const controllerManagerKubeconfig = kubeconfigFor("system:kube-controller-manager");
    const kubeconfigPath = kubeconfigFor("admin");
    const pkiT = elapsedMs(t0);

    const agents = new Map<string, Agent>();
    const agentFor = (user: string): Agent => {
      let agent = agents.get(user);
      if (!agent) {
        const cert = users.get(user);
        if (!cert) throw new Error(`control plane: no user ${user}`);
        agent = new Agent({ ca: caPemText, cert: cert.certPem, key: cert.keyPem, keepAlive: false });
        agents.set(user, agent);
      }
      return agent;
    };
    const request = (
      method: string,
      path: string,
      body?: unknown,
      opts: RequestOptions = {},
    ): Promise<KubeResponse> =>
      new Promise((resolve, reject) => {
        const payload =
          body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        const req = httpsRequest(`${url}${path}`, {
          method,
          agent: agentFor(opts.user ?? "admin"),
          timeout: opts.timeoutMs ?? 10_000,
          headers: {
            accept: "application/json",
            ...(payload !== undefined ? { "content-type": opts.contentType ?? "application/json" } : {}),
          },
        });
        req.on("response", (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json: Record<string, unknown> | undefined;
            try {
              json = JSON.parse(text) as Record<string, unknown>;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: text, json });
          });
          res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error(`timeout: ${method} ${path}`)));
        req.on("error", reject);
        req.end(payload);
      });

    const etcdRequest = (path: string, body: unknown): Promise<Record<string, unknown>> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(`${etcdUrl}${path}`, { method: "POST", timeout: 10_000 });
        req.on("response", (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if ((res.statusCode ?? 0) !== 200) reject(new Error(`etcd ${path}: ${res.statusCode} ${text}`));
            else resolve(JSON.parse(text) as Record<string, unknown>);
          });
        });
        req.on("timeout", () => req.destroy(new Error(`timeout: etcd ${path}`)));
        req.on("error", reject);
        req.end(JSON.stringify(body));
      });

    const etcdArgs = [
      "--name=default",
      `--data-dir=${join(dir, "etcd")}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://${LOOPBACK}:${etcdPeerPort}`,
      `--initial-advertise-peer-urls=http://${LOOPBACK}:${etcdPeerPort}`,
      `--initial-cluster=default=http://${LOOPBACK}:${etcdPeerPort}`,
      "--listen-metrics-urls=",
      "--log-level=warn",
      // A test cluster: no fsync (the disk is shared with other tests; durability across a crash is not tested).
      "--unsafe-no-fsync",
    ];
    const apiServerArgs = [
      `--etcd-servers=${etcdUrl}`,
      `--bind-address=${LOOPBACK}`,
      `--advertise-address=${LOOPBACK}`,
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, "apiserver-certs")}`,
      `--tls-cert-file=${pki.serverCertFile}`,
      `--tls-private-key-file=${pki.serverKeyFile}`,
      `--client-ca-file=${pki.caFile}`,
      "--authorization-mode=RBAC",
      // Default admission plugins (NamespaceLifecycle, LimitRanger, ServiceAccount, DefaultStorageClass, ...);
      // named here so that the test says what it relies on.
      "--enable-admission-plugins=NamespaceLifecycle,ServiceAccount",
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-account-key-file=${saKey}`,
      `--service-account-signing-key-file=${saKey}`,
      "--service-cluster-ip-range=10.96.0.0/24",
      // 127.0.0.1 cannot be the `kubernetes` Service's endpoint (loopback is invalid there): do not reconcile it.
      "--endpoint-reconciler-type=none",
      "--profiling=false",
      "--v=0",
      ...(options.apiServerArgs ?? []),
    ];
    const controllerManagerArgs = [
      `--kubeconfig=${controllerManagerKubeconfig}`,
      "--leader-elect=false",
      "--secure-port=0",
      `--controllers=${(options.controllers ?? CONTROLLERS).join(",")}`,
      "--use-service-account-credentials=true",
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${pki.caFile}`,
      "--profiling=false",
      "--v=0",
    ];
    const argsOf: Record<Component, string[]> = {
      etcd: etcdArgs,
      "kube-apiserver": apiServerArgs,
      "kube-controller-manager": controllerManagerArgs,
    };
    const timeoutMs = options.startTimeoutMs ?? 90_000;
    const describe = (): string =>
      [...processes]
        .map(([c, p]) => `--- ${c} (pid ${p.pid}${p.exited() ? ", exited" : ""}):\n${tail(p.logs())}`)
        .join("\n");
    const abortIf = (): string | undefined => {
      for (const [c, p] of processes) if (p.exited()) return `${c} exited`;
      return undefined;
    };

    const launch = (component: Component): void => {
      processes.set(component, startServer(bins[component], argsOf[component], { cwd: dir }));
    };
    const waitEtcd = (): Promise<void> =>
      waitUntil(
        "etcd /health",
        async () => {
          const res = await etcdRequest("/v3/maintenance/status", {});
          return typeof res.header === "object";
        },
        { timeoutMs, describe, abortIf, intervalMs: 50 },
      );
    // kube-controller-manager exits when the API server goes away while it is still building its controllers
    // (as after a restart that comes moments after a start); the API server's readiness does not depend on it.
    const abortIfStorageOrApiServerExited = (): string | undefined => {
      for (const c of ["etcd", "kube-apiserver"] as const)
        if (processes.get(c)?.exited()) return `${c} exited`;
      return undefined;
    };
    const waitApiServer = (): Promise<void> =>
      waitUntil("kube-apiserver /readyz", async () => (await request("GET", "/readyz")).status === 200, {
        timeoutMs,
        describe,
        abortIf: abortIfStorageOrApiServerExited,
        intervalMs: 100,
      });
    const waitDefaultServiceAccount = (): Promise<void> =>
      waitUntil(
        "the default ServiceAccount in namespace default (kube-controller-manager)",
        async () =>
          (await request("GET", "/api/v1/namespaces/default/serviceaccounts/default")).status === 200,
        { timeoutMs, describe, abortIf, intervalMs: 100 },
      );

    const startup: StartupTimes = { pkiMs: 0, etcdMs: 0, apiServerMs: 0, controllerManagerMs: 0, totalMs: 0 };
    const startAll = async (since: bigint, pkiMs: number): Promise<void> => {
      let t = process.hrtime.bigint();
      launch("etcd");
      await waitEtcd();
      const etcdMs = elapsedMs(t);
      t = process.hrtime.bigint();
      launch("kube-apiserver");
      launch("kube-controller-manager");
      await waitApiServer();
      const apiServerMs = elapsedMs(t);
      t = process.hrtime.bigint();
      await waitDefaultServiceAccount();
      Object.assign(startup, {
        pkiMs,
        etcdMs,
        apiServerMs,
        controllerManagerMs: elapsedMs(t),
        totalMs: elapsedMs(since),
      });
    };
    const stopComponent = async (component: Component): Promise<void> => {
      await processes.get(component)?.stop();
      processes.delete(component);
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    };
    const startComponent = async (component: Component): Promise<void> => {
      if (processes.get(component) && !processes.get(component)?.exited())
        throw new Error(`${component} is already running`);
      launch(component);
      if (component === "etcd") await waitEtcd();
      if (component === "kube-apiserver") {
        await waitApiServer();
        // A controller manager that exited while the API server was away is started again, as kubelet restarts
        // a static Pod; one that was stopped on purpose (not in `processes`) stays stopped.
        if (processes.get("kube-controller-manager")?.exited()) launch("kube-controller-manager");
      }
      if (component === "kube-controller-manager") await waitDefaultServiceAccount();
    };

    await startAll(t0, pkiT);

    const plane: ControlPlane = {
      url,
      caPem: caPemText,
      caFile: pki.caFile,
      pki,
      etcdUrl,
      dir,
      kubeconfigPath,
      kubeconfigFor,
      async addUser(name, spec = {}) {
        if (users.has(name)) throw new Error(`control plane: user ${name} exists`);
        users.set(name, await createClientCert(pki, pkiDir, name, spec.groups ?? []));
        kubeconfigFor("admin");
        return kubeconfigFor(name);
      },
      credentials(user) {
        const cert = users.get(user);
        if (!cert) throw new Error(`control plane: no user ${user}`);
        return cert;
      },
      users: () => [...users.keys()],
      request,
      startup,
      async restart() {
        const t = process.hrtime.bigint();
        for (const c of ["kube-controller-manager", "kube-apiserver", "etcd"] as const)
          await stopComponent(c);
        await startAll(t, 0);
      },
      stopComponent,
      startComponent,
      async compact(compactOptions = {}) {
        const key = Buffer.from(`compact-${randomUUID()}`).toString("base64");
        const status = await etcdRequest("/v3/kv/range", { key });
        const revision = Number((status.header as { revision?: string } | undefined)?.revision ?? 0);
        if (!revision) throw new Error(`etcd gave no revision: ${JSON.stringify(status)}`);
        // Nothing was written since an earlier compaction at this revision: etcd says so, and that is fine.
        await etcdRequest("/v3/kv/compaction", { revision: String(revision), physical: true }).catch(
          (e: unknown) => {
            if (!String(e).includes("required revision has been compacted")) throw e;
          },
        );
        if (compactOptions.restartApiServer ?? true) {
          await stopComponent("kube-apiserver");
          await startComponent("kube-apiserver");
        }
        return revision;
      },
      logs: (component) => processes.get(component)?.logs() ?? "",
      stop,
    };
    return plane;
  } catch (e) {
    await stop();
    throw e;
  }
}
