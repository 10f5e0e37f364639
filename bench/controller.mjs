#!/usr/bin/env node
// Benchmark (not a test): the controller (src/controller/runtime, in process) against a real control plane
// (kube-apiserver v1.37.2 behind the suites' recording proxy) and a real registry (Debian docker-registry,
// htpasswd, TLS): N namespaces selected by label, one static credential, one binding with the default
// ServiceAccount. Measures, in the same run:
// - time to converge and API requests per namespace (first pass, from the proxy's request log);
// - propagation latency of a namespace created later (p50/p99 over a series, one at a time);
// - write requests during an idle period (target 0) with relists every 5 s;
// - the process's RSS after converging;
// - the per-namespace loop of the script approach (kubectl create secret + patch serviceaccount) on a sample of
//   namespaces, for the per-namespace ratio.
// The test support (cluster, registry, controller world) is TypeScript: it is bundled on the fly with esbuild
// into node_modules/.cache. Usage: node bench/controller.mjs [namespaces=300] [late=20] [idle-seconds=30] [kubectl-sample=10]
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { root } from "./support/bench-env.mjs";

const namespaceCount = Number(process.argv[2] ?? 300);
const lateCount = Number(process.argv[3] ?? 20);
const idleSeconds = Number(process.argv[4] ?? 30);
const kubectlSample = Number(process.argv[5] ?? 10);
const WRITES = new Set(["create", "update", "patch", "delete", "deletecollection"]);

const cacheDir = join(root, "node_modules/.cache/pullwarden-bench");
mkdirSync(cacheDir, { recursive: true });
const bundle = join(cacheDir, "controller-world.mjs");
await build({
  stdin: {
    contents: [
      `export { startCluster } from "./test/kube/real-cluster.ts";`,
      `export { controllerWorld, createObject, createStaticCredential, binding, getCustom, storedAuths, GROUP_PATH } from "./test/controller/harness.ts";`,
    ].join("\n"),
    resolveDir: root,
    loader: "ts",
  },
  outfile: bundle,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
const h = await import(pathToFileURL(bundle).href);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
async function until(what, check, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

const names = Array.from({ length: namespaceCount }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
const sample = Array.from({ length: kubectlSample }, (_, i) => `peer-${String(i).padStart(3, "0")}`);
const api = await h.startCluster({ namespaces: [...names, ...sample] });
for (const name of names) {
  const ns = await api.objects.get("namespaces", undefined, name);
  await api.objects.put({
    ...ns,
    metadata: { ...ns.metadata, labels: { ...(ns.metadata.labels ?? {}), bench: "yes" } },
  });
}
const user = { username: "robot", password: "bench-password-1" };
const world = await h.controllerWorld(api, user);
await h.createStaticCredential(api);
await h.createObject(
  api,
  `${h.GROUP_PATH}/clusterpullsecretbindings`,
  h.binding("bench", {
    credentials: ["registry"],
    secretName: "bench-pull",
    namespaces: { selector: { matchLabels: { bench: "yes" } } },
    serviceAccounts: ["default"],
  }),
);
// Every namespace's default ServiceAccount first (the controller would bind them as they come).
await until(
  "default ServiceAccounts",
  async () =>
    (await api.objects.list("serviceaccounts")).filter((sa) => sa.metadata.name === "default").length >=
    namespaceCount,
);

try {
  api.clearRequestLog();
  const started = Date.now();
  const controller = await world.start({ relistIntervalMs: 5_000 });
  await until("converged", async () => {
    const b = await h.getCustom(api, "clusterpullsecretbindings", "bench");
    return b.status?.secretsInSync === namespaceCount;
  });
  await until("bound", async () => {
    const log = [...api.requestLog()];
    return log.filter((r) => r.verb === "patch" && r.resource === "serviceaccounts").length >= namespaceCount;
  });
  const convergeMs = Date.now() - started;
  const log = [...api.requestLog()];
  const byVerb = {};
  for (const r of log) byVerb[r.verb] = (byVerb[r.verb] ?? 0) + 1;
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);

  // Propagation of namespaces created later, one at a time.
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
      `secret in ${name}`,
      async () => (await h.storedAuths(api, name, "bench-pull")) !== undefined,
      60_000,
    );
    latencies.push(Date.now() - t);
  }

  // Idle: nothing changes; relists every 5 s.
  await controller.settle();
  api.clearRequestLog();
  await sleep(idleSeconds * 1000);
  const idleLog = [...api.requestLog()];
  const idleWrites = idleLog.filter((r) => WRITES.has(r.verb)).length;

  // The script approach for a sample: kubectl per namespace.
  let peer = "kubectl not found";
  const kubectl = [join(root, ".cache/go-tools/bin/kubectl"), "kubectl"].find(
    (candidate) => spawnSync(candidate, ["version", "--client"], { stdio: "ignore" }).status === 0,
  );
  if (kubectl && sample.length > 0) {
    const run = (args) =>
      new Promise((resolve, reject) => {
        const child = spawn(kubectl, args, { stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr.on("data", (c) => (err += c));
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(err))));
      });
    api.clearRequestLog();
    const t = Date.now();
    for (const ns of sample) {
      const k = ["--kubeconfig", api.kubeconfigPath, "-n", ns];
      await run([
        "create",
        "secret",
        "docker-registry",
        "bench-pull",
        ...k,
        `--docker-server=${world.registry.host}`,
        `--docker-username=${user.username}`,
        `--docker-password=${user.password}`,
      ]);
      await run([
        "patch",
        "serviceaccount",
        "default",
        ...k,
        "--type=json",
        "-p",
        '[{"op":"add","path":"/imagePullSecrets","value":[{"name":"bench-pull"}]}]',
      ]);
    }
    const ms = Date.now() - t;
    peer = `${sample.length} namespaces in ${ms} ms (${(ms / sample.length).toFixed(0)} ms/namespace, ${(api.requestLog().length / sample.length).toFixed(1)} requests/namespace)`;
  }

  console.log(
    JSON.stringify(
      {
        namespaces: namespaceCount,
        convergeMs,
        msPerNamespace: +(convergeMs / namespaceCount).toFixed(1),
        requests: log.length,
        requestsPerNamespace: +(log.length / namespaceCount).toFixed(2),
        byVerb,
        newNamespacePropagationMs: {
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          n: latencies.length,
        },
        idle: { seconds: idleSeconds, writes: idleWrites, requests: idleLog.length },
        rssMb,
        scriptApproach: peer,
      },
      null,
      2,
    ),
  );
} finally {
  await world.stop();
  await api.stop();
  await api.controlPlane.stop();
}
