#!/usr/bin/env node
// Benchmark (not a test): `pullwarden apply` of one pull secret and one ServiceAccount binding to 500 namespaces
// on a real control plane (kube-apiserver v1.37.2 behind the suites' recording proxy, https, bearer token), run
// as users run it (the built CLI, through @kubernetes/client-node). Counts the requests the server saw and the wall time of a first run and of a
// second, unchanged run, then does the same work for a sample of namespaces with kubectl (create secret +
// patch serviceaccount per namespace, what a script would do) and prints the ratio.
// Targets (issue 4): at most 3 requests per namespace on the first run; zero write requests on the second.
//
// The cluster is TypeScript test support (test/kube/real-cluster.ts): it is bundled on the fly with esbuild
// (installed as a dev dependency) into node_modules/.cache, so the bench needs no test runner; the control plane
// is built by scripts/install-test-deps.sh.
// Usage: npm run build && node bench/apply.mjs [namespaces] [kubectl-sample]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, loadTestCluster, requireBuiltCli, root } from "./support/bench-env.mjs";

const namespaceCount = Number(process.argv[2] ?? 500);
const kubectlSample = Number(process.argv[3] ?? 20);
requireBuiltCli();

const startCluster = await loadTestCluster();

const names = Array.from({ length: namespaceCount }, (_, i) => `bench-${String(i).padStart(3, "0")}`);
const sample = Array.from({ length: kubectlSample }, (_, i) => `peer-${String(i).padStart(3, "0")}`);
const api = await startCluster({ namespaces: [...names, ...sample] });
for (const name of names) {
  const ns = await api.objects.get("namespaces", undefined, name);
  await api.objects.put({
    ...ns,
    metadata: { ...ns.metadata, labels: { ...(ns.metadata.labels ?? {}), bench: "yes" } },
  });
}

const home = mkdtempSync(join(tmpdir(), "pullwarden-bench-apply-"));
const env = {
  PATH: process.env.PATH,
  HOME: home,
  BENCH_PASSWORD: "ghp_benchbenchbenchbenchbenchbenchbench12",
};
const WRITES = new Set(["create", "update", "patch", "delete", "deletecollection"]);

/** Spawns without blocking: the API server answers from this process's event loop. */
function run(file, argv) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - start) / 1e6 }),
    );
  });
}

const applyArgs = [
  cli,
  "apply",
  "bench-pull",
  "--docker-server",
  "ghcr.io",
  "--docker-username",
  "pullbot",
  "--docker-password-env",
  "BENCH_PASSWORD",
  "--namespace-selector",
  "bench=yes",
  "--service-account",
  "default",
  "--kubeconfig",
  api.kubeconfigPath,
];

async function measure(label) {
  api.clearRequestLog();
  const result = await run(process.execPath, applyArgs);
  if (result.code !== 0) throw new Error(`${label}: exit ${result.code}\n${result.stderr}`);
  const log = api.requestLog();
  const byVerb = {};
  for (const r of log) byVerb[r.verb] = (byVerb[r.verb] ?? 0) + 1;
  const writes = log.filter((r) => WRITES.has(r.verb)).length;
  return {
    label,
    ms: result.ms,
    requests: log.length,
    writes,
    byVerb,
    summary: result.stdout.trim().split("\n").at(-1),
  };
}

const rows = [];
try {
  rows.push(await measure("first run"));
  rows.push(await measure("second run (unchanged)"));

  // Check the result really is in the cluster.
  const missing = [];
  for (const ns of names) {
    const sa = await api.objects.get("serviceaccounts", ns, "default");
    if (
      !(await api.objects.get("secrets", ns, "bench-pull")) ||
      !(sa?.imagePullSecrets ?? []).some((e) => e.name === "bench-pull")
    )
      missing.push(ns);
  }
  if (missing.length > 0) throw new Error(`not applied in ${missing.length} namespaces, e.g. ${missing[0]}`);

  // --- the peer: kubectl, per namespace, as a script would do it
  const kubectl = ["kubectl", join(root, ".cache/kubectl/usr/bin/kubectl")].find(
    (candidate) => spawnSync(candidate, ["version", "--client"], { stdio: "ignore" }).status === 0,
  );
  let peer;
  if (kubectl && sample.length > 0) {
    api.clearRequestLog();
    const start = process.hrtime.bigint();
    for (const ns of sample) {
      const k = ["--kubeconfig", api.kubeconfigPath, "-n", ns];
      const create = await run(kubectl, [
        "create",
        "secret",
        "docker-registry",
        "bench-pull",
        ...k,
        "--docker-server=ghcr.io",
        "--docker-username=pullbot",
        `--docker-password=${env.BENCH_PASSWORD}`,
      ]);
      if (create.code !== 0) throw new Error(`kubectl create: ${create.stderr}`);
      const patch = await run(kubectl, [
        "patch",
        "serviceaccount",
        "default",
        ...k,
        "--type=json",
        "-p",
        '[{"op":"add","path":"/imagePullSecrets","value":[{"name":"bench-pull"}]}]',
      ]);
      if (patch.code !== 0) throw new Error(`kubectl patch: ${patch.stderr}`);
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const log = api.requestLog();
    peer = { ms, perNamespaceMs: ms / sample.length, requestsPerNamespace: log.length / sample.length };
  }

  console.log(
    `pullwarden apply: one secret + one ServiceAccount binding, ${namespaceCount} namespaces (kube-apiserver v1.37.2, https)`,
  );
  console.log("");
  console.log("run                        wall ms   requests  per ns  writes  by verb");
  for (const r of rows) {
    const verbs = Object.entries(r.byVerb)
      .map(([v, n]) => `${v} ${n}`)
      .join(", ");
    console.log(
      `${r.label.padEnd(26)} ${r.ms.toFixed(0).padStart(7)}  ${String(r.requests).padStart(9)}  ${(r.requests / namespaceCount).toFixed(3).padStart(6)}  ${String(r.writes).padStart(6)}  ${verbs}`,
    );
  }
  console.log("");
  for (const r of rows) console.log(`${r.label}: ${r.summary}`);
  const [first, second] = rows;
  const firstOk = first.requests / namespaceCount <= 3;
  const secondOk = second.writes === 0;
  console.log("");
  console.log(
    `target first run <= 3 requests/namespace: ${(first.requests / namespaceCount).toFixed(3)} ${firstOk ? "PASS" : "FAIL"}`,
  );
  console.log(`target second run 0 writes: ${second.writes} ${secondOk ? "PASS" : "FAIL"}`);
  if (peer) {
    const pwPerNs = first.ms / namespaceCount;
    console.log("");
    console.log(
      `peer kubectl (create secret + patch serviceaccount, ${sample.length} namespaces): ${peer.perNamespaceMs.toFixed(1)} ms/namespace, ${peer.requestsPerNamespace.toFixed(1)} requests/namespace`,
    );
    console.log(
      `pullwarden first run: ${pwPerNs.toFixed(2)} ms/namespace -> ${(peer.perNamespaceMs / pwPerNs).toFixed(1)}x faster than kubectl (kubectl for ${namespaceCount}: ~${((peer.perNamespaceMs * namespaceCount) / 1000).toFixed(1)} s)`,
    );
  } else {
    console.log("peer kubectl: not found, skipped");
  }
  process.exitCode = firstOk && secondOk ? 0 : 1;
} finally {
  await api.stop();
  await api.controlPlane.stop();
  rmSync(home, { recursive: true, force: true });
}
