#!/usr/bin/env node
// Benchmark (not a test): `pullwarden doctor --all` over 2,000 Pods with mixed pull failures in 20 namespaces on
// a real control plane (kube-apiserver v1.37.2 behind the suites' recording proxy, https, bearer token), run as
// users run it (the built CLI). Reports the requests the server saw and the wall time, cluster-wide (`--all -A`:
// one list per kind) and by listing the 20 namespaces (`--all -n a,b,…`: a constant number of lists per
// namespace).
// The cluster (test/kube/real-cluster.ts) is bundled on the fly with esbuild into node_modules/.cache, as
// bench/apply.mjs does; seeding writes each Pod's status through the status subresource, as kubelet would.
// Usage: npm run build && node bench/doctor.mjs [pods] [namespaces]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, loadTestCluster, requireBuiltCli } from "./support/bench-env.mjs";

const podCount = Number(process.argv[2] ?? 2000);
const namespaceCount = Number(process.argv[3] ?? 20);
requireBuiltCli();

const startCluster = await loadTestCluster();

const b64 = (s) => Buffer.from(s).toString("base64");
const namespaces = Array.from({ length: namespaceCount }, (_, i) => `team-${String(i).padStart(2, "0")}`);
const api = await startCluster({ namespaces });

const failures = [
  // [waiting reason, message, imagePullSecrets, image]
  ["ImagePullBackOff", "", ["regcred"], "ghcr.io/acme/web:1.4.2"],
  ["ImagePullBackOff", "", ["regcerd"], "ghcr.io/acme/web:1.4.2"],
  ["ImagePullBackOff", "", ["ghcr-pull"], "docker.io/acme/private:1.0"],
  ["InvalidImageName", "", [], "ghcr.io/Acme/web:1.0"],
  [
    "ErrImageNeverPull",
    'Container image "registry.local/app:dev" is not present with pull policy of Never',
    [],
    "registry.local/app:dev",
  ],
  ["ImagePullBackOff", "", [], "registry.corp.example/app:1.0"],
];
const eventMessage = {
  "ghcr.io/acme/web:1.4.2":
    'Failed to pull image "ghcr.io/acme/web:1.4.2": failed to pull and unpack image "ghcr.io/acme/web:1.4.2": failed to resolve reference "ghcr.io/acme/web:1.4.2": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized',
  "docker.io/acme/private:1.0":
    'Failed to pull image "docker.io/acme/private:1.0": failed to pull and unpack image "docker.io/acme/private:1.0": failed to resolve reference "docker.io/acme/private:1.0": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
  "registry.corp.example/app:1.0":
    'Failed to pull image "registry.corp.example/app:1.0": pinging container registry registry.corp.example: Get "https://registry.corp.example/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
};
const objects = [];
for (let n = 0; n < 5; n++) {
  objects.push({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: `node-${n}`, labels: { "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux" } },
    status: { conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: new Date().toISOString() }] },
  });
}
for (const ns of namespaces) {
  objects.push({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "ghcr-pull", namespace: ns },
    type: "kubernetes.io/dockerconfigjson",
    data: {
      ".dockerconfigjson": b64(JSON.stringify({ auths: { "ghcr.io": { auth: b64("bot:bench-token") } } })),
    },
  });
}
for (let i = 0; i < podCount; i++) {
  const ns = namespaces[i % namespaces.length];
  const [reason, message, secrets, image] = failures[i % failures.length];
  const name = `app-${i}`;
  const healthy = i % 10 === 9;
  objects.push({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, uid: `uid-${i}` },
    spec: {
      nodeName: `node-${i % 5}`,
      imagePullSecrets: secrets.map((s) => ({ name: s })),
      containers: [{ name: "app", image, imagePullPolicy: "IfNotPresent" }],
    },
    status: healthy
      ? { phase: "Running", containerStatuses: [{ name: "app", image, state: { running: {} } }] }
      : {
          phase: "Pending",
          containerStatuses: [
            { name: "app", image, state: { waiting: { reason, ...(message ? { message } : {}) } } },
          ],
        },
  });
  if (!healthy && eventMessage[image]) {
    objects.push({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${name}.1`, namespace: ns },
      involvedObject: {
        kind: "Pod",
        name,
        namespace: ns,
        uid: `uid-${i}`,
        fieldPath: "spec.containers{app}",
      },
      reason: "Failed",
      type: "Warning",
      message: eventMessage[image],
      count: 5,
    });
  }
}
await api.objects.seed(...objects);

const home = mkdtempSync(join(tmpdir(), "pullwarden-bench-doctor-"));
function run(args) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, "doctor", ...args, "--kubeconfig", api.kubeconfigPath], {
      env: { PATH: process.env.PATH, HOME: home },
    });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => process.stderr.write(c));
    child.on("close", (code) => resolve({ code, out, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

const results = [];
try {
  for (const [label, args] of [
    ["--all -A", ["--all", "-A", "-o", "json"]],
    [`--all -n (${namespaceCount} namespaces)`, ["--all", "-n", namespaces.join(","), "-o", "json"]],
  ]) {
    api.clearRequestLog();
    const r = await run(args);
    const report = JSON.parse(r.out);
    const log = api.requestLog();
    const byResource = {};
    for (const e of log) byResource[e.resource] = (byResource[e.resource] ?? 0) + 1;
    results.push({
      run: label,
      exit: r.code,
      pods: report.pods.length,
      causes: report.groups.map((g) => `${g.cause}=${g.pods.length}`).join(" "),
      requests: log.length,
      byResource: JSON.stringify(byResource),
      ms: Math.round(r.ms),
    });
  }
} finally {
  await api.stop();
  await api.controlPlane.stop();
  rmSync(home, { recursive: true, force: true });
}
console.log(`doctor bench: ${podCount} Pods in ${namespaceCount} namespaces (90% failing)`);
console.table(results);
