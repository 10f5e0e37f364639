#!/usr/bin/env node
// Benchmark (not a test): the built controller (`node dist/bin/main.js controller run`, its own process, so its
// RSS is the controller's alone) against a real control plane (kube-apiserver v1.37.2 behind the suites'
// recording proxy) and two real registries (Debian docker-registry, htpasswd, TLS): N namespaces selected by
// label, two static credentials, two bindings (two Secrets per namespace) with the default ServiceAccount.
// Measures, in the same run:
// - time to converge (every Secret in sync, every default ServiceAccount bound) and API requests per namespace;
// - propagation latency of a namespace created later (p50/p99 over a series, one at a time);
// - write requests during an idle period (target 0), with relists every 30 s;
// - the controller's RSS (VmRSS of its process) after converging at N, and again at a larger count;
// - the same workload done by the per-namespace loop of the script approach (kubectl create secret ×2 +
//   patch serviceaccount per namespace) on other namespaces.
// The test support (cluster, registries, controller world) is TypeScript: it is bundled on the fly with esbuild
// into node_modules/.cache. The built CLI is copied first, so a rebuild during the run changes nothing.
// Usage: node bench/controller.mjs [namespaces=1000] [late=100] [idle-seconds=600] [kubectl-namespaces=namespaces] [large=5000]
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { importTestSupport, requireBuiltCli, root } from "./support/bench-env.mjs";

const namespaceCount = Number(process.argv[2] ?? 1000);
const lateCount = Number(process.argv[3] ?? 100);
const idleSeconds = Number(process.argv[4] ?? 600);
const kubectlCount = Number(process.argv[5] ?? namespaceCount);
const largeCount = Number(process.argv[6] ?? 5000);
const WRITES = new Set(["create", "update", "patch", "delete", "deletecollection"]);
const CONTROLLER_NAMESPACE = "pullwarden-system";

requireBuiltCli();
const cacheDir = join(root, "node_modules/.cache/pullwarden-bench");
mkdirSync(cacheDir, { recursive: true });
const cliCopy = join(cacheDir, `controller-cli-${process.pid}`);
cpSync(join(root, "dist/bin"), cliCopy, { recursive: true });
const h = await importTestSupport(
  "controller-world",
  [
    `export { startCluster } from "./test/kube/real-cluster.ts";`,
    `export { startRegistry } from "./test/support/registry.ts";`,
    `export { controllerWorld, createObject, createStaticCredential, credential, binding, getCustom, storedAuths, pullSecret, dockerConfigJson, GROUP_PATH } from "./test/controller/harness.ts";`,
  ].join("\n"),
);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
async function until(what, check, timeoutMs = 1_800_000, everyMs = 20) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(everyMs);
  }
}
async function inBatches(items, size, fn) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
const log = (line) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const benchNames = (prefix, from, to) =>
  Array.from({ length: to - from }, (_, i) => `${prefix}-${String(from + i).padStart(4, "0")}`);
const names = benchNames("bench", 0, namespaceCount);
const peers = benchNames("peer", 0, kubectlCount);

const api = await h.startCluster({});
async function createNamespaces(list, labels) {
  await inBatches(list, 25, (name) =>
    api.objects.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } }),
  );
}
log(`creating ${names.length + peers.length} namespaces`);
await createNamespaces(names, { bench: "yes" });
await createNamespaces(peers, { peer: "yes" });
const user = { username: "robot", password: "bench-password-1" };
const world = await h.controllerWorld(api, user);
const second = await h.startRegistry({
  auth: "htpasswd",
  tls: true,
  users: [{ username: "robot2", password: "bench-password-2" }],
});
const caBundle = join(cacheDir, `registries-ca-${process.pid}.pem`);
writeFileSync(
  caBundle,
  [world.registry.caFile, second.caFile].map((f) => readFileSync(f, "utf8")).join("\n"),
);
await api.objects.seed(
  h.pullSecret(
    CONTROLLER_NAMESPACE,
    "registry-login-2",
    h.dockerConfigJson(second.host, { username: "robot2", password: "bench-password-2" }),
  ),
);
await h.createStaticCredential(api, "registry-a");
await h.createObject(
  api,
  `${h.GROUP_PATH}/clusterpullcredentials`,
  h.credential("registry-b", { source: { static: { secretRef: { name: "registry-login-2" } } } }),
);
for (const [binding, credential] of [
  ["bench-a", "registry-a"],
  ["bench-b", "registry-b"],
]) {
  await h.createObject(
    api,
    `${h.GROUP_PATH}/clusterpullsecretbindings`,
    h.binding(binding, {
      credentials: [credential],
      secretName: `${binding}-pull`,
      namespaces: { selector: { matchLabels: { bench: "yes" } } },
      serviceAccounts: ["default"],
    }),
  );
}
log("waiting for every default ServiceAccount");
await until(
  "default ServiceAccounts",
  async () =>
    (await api.objects.list("serviceaccounts")).filter((sa) => sa.metadata.name === "default").length >=
    names.length + peers.length,
  1_800_000,
  1000,
);

let controller;
let controllerLog = "";
const rssMb = () => {
  const status = readFileSync(`/proc/${controller.pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
};
const inSync = async (count) => {
  for (const b of ["bench-a", "bench-b"])
    if ((await h.getCustom(api, "clusterpullsecretbindings", b)).status?.secretsInSync !== count)
      return false;
  return true;
};
const boundCount = async () =>
  (await api.objects.list("serviceaccounts")).filter(
    (sa) =>
      sa.metadata.name === "default" &&
      ["bench-a-pull", "bench-b-pull"].every((n) => (sa.imagePullSecrets ?? []).some((s) => s.name === n)),
  ).length;

try {
  api.clearRequestLog();
  const started = Date.now();
  controller = spawn(
    process.execPath,
    [
      join(cliCopy, "main.js"),
      "controller",
      "run",
      "--kubeconfig",
      api.kubeconfigPath,
      "--namespace",
      CONTROLLER_NAMESPACE,
      "--no-leader-elect",
      "--relist-interval",
      "30s",
      "--http-address",
      "127.0.0.1:0",
      "--ca-file",
      caBundle,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const keep = (chunk) => (controllerLog = (controllerLog + chunk).slice(-20_000));
  controller.stdout.on("data", keep);
  controller.stderr.on("data", keep);
  controller.on(
    "exit",
    (code) => code !== 0 && code !== null && log(`controller exited ${code}: ${controllerLog}`),
  );

  log("converging");
  await until("converged", () => inSync(namespaceCount), 1_800_000, 200);
  await until("bound", async () => (await boundCount()) >= namespaceCount, 1_800_000, 500);
  const convergeMs = Date.now() - started;
  const convergeLog = [...api.requestLog()];
  const byVerb = {};
  for (const r of convergeLog)
    byVerb[`${r.verb} ${r.resource ?? ""}`] = (byVerb[`${r.verb} ${r.resource ?? ""}`] ?? 0) + 1;
  const rssAtN = rssMb();
  log(`converged in ${convergeMs} ms, RSS ${rssAtN} MB`);

  // Propagation of namespaces created later, one at a time (both Secrets there).
  const latencies = [];
  for (let i = 0; i < lateCount; i++) {
    const name = `late-${i}`;
    const t = Date.now();
    await api.objects.seed({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels: { bench: "yes" } },
    });
    await until(
      `secrets in ${name}`,
      async () =>
        (await h.storedAuths(api, name, "bench-a-pull")) !== undefined &&
        (await h.storedAuths(api, name, "bench-b-pull")) !== undefined,
      60_000,
      5,
    );
    latencies.push(Date.now() - t);
  }
  log(`propagation p50 ${percentile(latencies, 50)} ms`);

  // Idle: nothing changes; relists every 30 s.
  await sleep(5_000);
  api.clearRequestLog();
  log(`idle for ${idleSeconds} s`);
  await sleep(idleSeconds * 1000);
  const idleLog = [...api.requestLog()];
  const idleWrites = idleLog.filter((r) => WRITES.has(r.verb));

  // The script approach: kubectl per namespace, the same two Secrets and the ServiceAccount patch.
  let scriptApproach = "kubectl not found";
  const kubectl = [join(root, ".cache/go-tools/bin/kubectl"), "kubectl"].find(
    (candidate) => spawnSync(candidate, ["version", "--client"], { stdio: "ignore" }).status === 0,
  );
  if (kubectl && peers.length > 0) {
    const run = (args) =>
      new Promise((resolve, reject) => {
        const child = spawn(kubectl, args, { stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr.on("data", (c) => (err += c));
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(err))));
      });
    const configs = [
      [world.registry.host, user],
      [second.host, { username: "robot2", password: "bench-password-2" }],
    ].map(([host, u], i) => {
      const file = join(cacheDir, `script-config-${process.pid}-${i}.json`);
      writeFileSync(file, h.dockerConfigJson(host, u));
      return file;
    });
    log(`kubectl loop over ${peers.length} namespaces`);
    api.clearRequestLog();
    const t = Date.now();
    for (const ns of peers) {
      const k = ["--kubeconfig", api.kubeconfigPath, "-n", ns];
      for (const [i, file] of configs.entries())
        await run([
          "create",
          "secret",
          "generic",
          `bench-${"ab"[i]}-pull`,
          ...k,
          "--type=kubernetes.io/dockerconfigjson",
          `--from-file=.dockerconfigjson=${file}`,
        ]);
      await run([
        "patch",
        "serviceaccount",
        "default",
        ...k,
        "--type=json",
        "-p",
        '[{"op":"add","path":"/imagePullSecrets","value":[{"name":"bench-a-pull"},{"name":"bench-b-pull"}]}]',
      ]);
    }
    const ms = Date.now() - t;
    scriptApproach = {
      namespaces: peers.length,
      ms,
      msPerNamespace: +(ms / peers.length).toFixed(1),
      requestsPerNamespace: +(api.requestLog().length / peers.length).toFixed(2),
      kubectlProcessesPerNamespace: 3,
    };
  }

  // The larger count: more labelled namespaces, converge again, RSS.
  let large;
  if (largeCount > namespaceCount + lateCount) {
    const more = benchNames("bench", namespaceCount, largeCount - lateCount);
    log(`growing to ${largeCount} namespaces`);
    const t = Date.now();
    await createNamespaces(more, { bench: "yes" });
    await until("converged (large)", () => inSync(largeCount), 3_600_000, 1000);
    await until("bound (large)", async () => (await boundCount()) >= largeCount, 3_600_000, 2000);
    await sleep(5_000);
    large = { namespaces: largeCount, rssMb: rssMb(), convergeAfterCreateMs: Date.now() - t - 5_000 };
  }

  console.log(
    JSON.stringify(
      {
        namespaces: namespaceCount,
        credentials: 2,
        convergeMs,
        msPerNamespace: +(convergeMs / namespaceCount).toFixed(2),
        requests: convergeLog.length,
        requestsPerNamespace: +(convergeLog.length / namespaceCount).toFixed(2),
        byVerb,
        newNamespacePropagationMs: {
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          max: Math.max(...latencies),
          n: latencies.length,
        },
        idle: {
          seconds: idleSeconds,
          writes: idleWrites.length,
          writeRequests: idleWrites
            .map((r) => `${r.verb} ${r.resource} ${r.namespace ?? ""}/${r.name ?? ""}`)
            .slice(0, 20),
          requests: idleLog.length,
        },
        controllerRssMb: { [namespaceCount]: rssAtN, ...(large ? { [largeCount]: large.rssMb } : {}) },
        large,
        scriptApproach,
      },
      null,
      2,
    ),
  );
} finally {
  if (controller && controller.exitCode === null) {
    // A Pod gets terminationGracePeriodSeconds (30 s by default) between SIGTERM and SIGKILL.
    const exited = new Promise((r) => controller.once("exit", () => r(true)));
    const t = Date.now();
    controller.kill("SIGTERM");
    if (await Promise.race([exited, sleep(30_000).then(() => false)])) {
      log(`controller exited ${Date.now() - t} ms after SIGTERM`);
    } else {
      log(
        `controller did not exit within 30 s of SIGTERM: SIGKILL; its last output:\n${controllerLog.slice(-3_000)}`,
      );
      controller.kill("SIGKILL");
      await exited;
    }
  }
  await world.stop();
  await second.stop();
  await api.stop();
  await api.controlPlane.stop();
}
