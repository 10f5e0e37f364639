#!/usr/bin/env node
// Benchmark (not a test): `pullwarden audit DIR -o json` against bare parsing of the same files with the same YAML
// library (`yaml` parseAllDocuments + toJS), in the same run, on a generated corpus of 100 objects per namespace.
// Each measurement runs in a fresh child process (so peak memory is its own), alternating, median of the runs.
// Targets (issue 6): audit / bare parse at most 1.5 at 100,000 objects; per-object time at 100k / at 25k at most
// 1.2 (linear). Usage: npm run build && node bench/audit.mjs [runs=3] [largest=100000]
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist/bin/main.js");

// ---- child mode: one measurement, printed as JSON on stderr -------------------------------------------------------
if (process.argv[2] === "--child") {
  const [, , , mode, dir] = process.argv;
  const start = process.hrtime.bigint();
  const report = () => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    process.stderr.write(`${JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
  };
  if (mode === "parse") {
    const { parseAllDocuments } = await import(join(root, "node_modules/yaml/dist/index.js"));
    let objects = 0;
    for (const name of readdirSync(dir).sort()) {
      for (const document of parseAllDocuments(readFileSync(join(dir, name), "utf8")))
        if (document.toJS()) objects++;
    }
    if (objects === 0) throw new Error("parsed nothing");
    report();
  } else {
    process.on("exit", report);
    process.argv = [process.argv[0], cli, "audit", dir, "-o", "json", "--fail-on", "never"];
    await import(cli);
  }
} else {
  await main();
}

// ---- the generated corpus ---------------------------------------------------------------------------------------
function b64(text) {
  return Buffer.from(text).toString("base64");
}

/** 100 objects: a Namespace, ServiceAccounts, pull secrets, workloads of every kind, ConfigMaps, RBAC; some broken. */
function namespaceFile(index) {
  const ns = `team-${String(index).padStart(4, "0")}`;
  const docs = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`];
  const token = `ghp_Bench${String(index).padStart(6, "0")}Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op`;
  const config = JSON.stringify({
    auths: { "ghcr.io": { username: "bench-bot", password: token, auth: b64(`bench-bot:${token}`) } },
  });
  docs.push(
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ghcr-pull\n  namespace: ${ns}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(config)}\n`,
  );
  const shared = JSON.stringify({
    auths: {
      "https://index.docker.io/v1/": {
        username: "acme",
        password: "dckr_pat_SharedAcrossEveryNamespace0",
        auth: b64("acme:dckr_pat_SharedAcrossEveryNamespace0"),
      },
    },
  });
  docs.push(
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: ${ns}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(shared)}\n`,
  );
  for (const sa of ["app", "worker", "batch"]) {
    docs.push(
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${sa}\n  namespace: ${ns}\nimagePullSecrets:\n  - name: ghcr-pull\n`,
    );
  }
  const kinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"];
  for (let i = 0; i < 50; i++) {
    const kind = kinds[i % kinds.length];
    const apiVersion = kind === "Job" ? "batch/v1" : "apps/v1";
    const secrets =
      i % 7 === 0
        ? `      imagePullSecrets:\n        - name: ${i % 14 === 0 ? "ghcr-pul" : "ghcr-pull"}\n`
        : "";
    const image =
      i % 10 === 3
        ? `123456789012.dkr.ecr.eu-west-1.amazonaws.com/svc-${i}:1.${i}`
        : i % 4 === 0
          ? `nginx:1.27`
          : `ghcr.io/acme/svc-${i}:1.${i}`;
    docs.push(
      `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: svc-${i}\n  namespace: ${ns}\n  labels:\n    app: svc-${i}\nspec:\n  selector:\n    matchLabels:\n      app: svc-${i}\n  template:\n    metadata:\n      labels:\n        app: svc-${i}\n    spec:\n      serviceAccountName: ${["app", "worker", "batch"][i % 3]}\n${secrets}      containers:\n        - name: main\n          image: ${image}\n          env:\n            - name: LOG_LEVEL\n              value: info\n            - name: REGION\n              value: eu-west-1\n`,
    );
  }
  docs.push(
    `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\n  namespace: ${ns}\nspec:\n  schedule: "0 2 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: job\n              image: ghcr.io/acme/nightly:3\n`,
  );
  for (let i = 0; i < 10; i++) {
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug-${i}\n  namespace: ${ns}\nspec:\n  containers:\n    - name: shell\n      image: busybox:1.36\n      args: ["sleep", "3600"]\n`,
    );
  }
  for (let i = 0; i < 31; i++) {
    docs.push(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${i}\n  namespace: ${ns}\ndata:\n  app.properties: |\n    feature.flag.${i}=true\n    endpoint=https://api.example.com/v${i}\n  mode: production\n`,
    );
  }
  docs.push(
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: ${ns}\nrules:\n  - apiGroups: [""]\n    resources: ["secrets", "configmaps"]\n    verbs: ["get", "list"]\n`,
  );
  docs.push(
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: reader\n  namespace: ${ns}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: reader\nsubjects:\n  - kind: ServiceAccount\n    name: worker\n    namespace: ${ns}\n`,
  );
  if (docs.length !== 100) throw new Error(`generator: ${docs.length} objects per namespace`);
  return docs.join("---\n");
}

function generate(dir, objects) {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let n = 0; n < objects / 100; n++) {
    const text = namespaceFile(n);
    bytes += text.length;
    writeFileSync(join(dir, `ns-${String(n).padStart(4, "0")}.yaml`), text);
  }
  return bytes;
}

function measure(mode, dir) {
  const args = ["--max-old-space-size=8192", fileURLToPath(import.meta.url), "--child", mode, dir];
  const result = spawnSync(process.execPath, args, {
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const line = result.stderr.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${mode} failed (exit ${result.status}): ${result.stderr.slice(-2000)}`);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  if (!existsSync(cli)) {
    console.error("bench: dist/bin/main.js missing: run `npm run build` first");
    process.exit(4);
  }
  const runs = Number(process.argv[2] ?? 3);
  const largest = Number(process.argv[3] ?? 100_000);
  const sizes = [Math.round(largest / 4), largest];
  const scratch = mkdtempSync(join(tmpdir(), "pullwarden-bench-audit-"));
  const results = {};
  try {
    for (const size of sizes) {
      const dir = join(scratch, String(size));
      const bytes = generate(dir, size);
      const parse = [];
      const auditRuns = [];
      for (let run = 0; run < runs; run++) {
        parse.push(measure("parse", dir));
        auditRuns.push(measure("audit", dir));
      }
      results[size] = {
        bytes,
        parseMs: median(parse.map((r) => r.ms)),
        auditMs: median(auditRuns.map((r) => r.ms)),
        parseRss: Math.max(...parse.map((r) => r.maxRssMiB)),
        auditRss: Math.max(...auditRuns.map((r) => r.maxRssMiB)),
      };
      const r = results[size];
      console.log(
        `${size.toLocaleString("en")} objects, ${size / 100} namespaces, ${(bytes / 1024 / 1024).toFixed(1)} MiB of YAML: ` +
          `bare yaml parse ${(r.parseMs / 1000).toFixed(2)} s (peak ${r.parseRss.toFixed(0)} MiB), ` +
          `pullwarden audit -o json ${(r.auditMs / 1000).toFixed(2)} s (peak ${r.auditRss.toFixed(0)} MiB), ` +
          `ratio ${(r.auditMs / r.parseMs).toFixed(2)} (target <= 1.5)`,
      );
    }
    const [small, large] = sizes.map((size) => results[size]);
    const perObject = (r, n) => (r.auditMs * 1000) / n;
    const linear = perObject(large, sizes[1]) / perObject(small, sizes[0]);
    console.log(
      `per-object audit time: ${perObject(small, sizes[0]).toFixed(1)} µs at ${sizes[0].toLocaleString("en")}, ` +
        `${perObject(large, sizes[1]).toFixed(1)} µs at ${sizes[1].toLocaleString("en")}: ratio ${linear.toFixed(2)} (target <= 1.2)`,
    );
    console.log(
      `(median of ${runs} runs each, alternating; each run a fresh process; Node ${process.version})`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
