// Faults during `pullwarden apply` against a real kube-apiserver, injected by the proxy in front of it
// (test/kube/real-cluster.ts): a 403 in one namespace (real RBAC), conflict storms and real races (another
// writer's real write between apply's read and its write), a namespace really deleted mid-apply, the API server
// going away; plus kubeconfig problems. Each is reported on one line with what to do next, the rest of the work
// is done where safe, the exit code is not 0, and a re-run converges.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { runPullwarden } from "../cli/run-cli.js";
import { conflict } from "../support/kube-status.js";
import { apply, imagePullSecretNames, startCluster, writes } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { waitUntil } from "../support/index.js";

const NAMESPACES = ["team-a", "team-b", "team-c", "team-d", "team-e"];
let api: TestCluster;

beforeEach(async () => {
  api = await startCluster({ namespaces: NAMESPACES });
});
afterEach(async () => {
  await api?.stop();
});

const ALL = ["ghcr-pull", "-n", NAMESPACES.join(","), "--service-account", "default"];

async function converged(namespaces = NAMESPACES): Promise<void> {
  for (const ns of namespaces) {
    expect(await api.objects.get("secrets", ns, "ghcr-pull"), ns).toBeDefined();
    expect(await imagePullSecretNames(api, ns), ns).toEqual(["ghcr-pull"]);
  }
}

describe("403 in one namespace", () => {
  const rules = (namespaces: string[]) => [
    {
      verbs: ["get", "list", "create", "patch", "delete"],
      resources: ["secrets", "serviceaccounts", "pods"],
      namespaces,
    },
  ];

  it("a user without rights in one namespace: the others are done, the message says what to check", async () => {
    await api.addUser("team", { rules: rules(["team-a", "team-b", "team-d", "team-e"]) });
    const result = await apply(api, ALL, { user: "team" });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      "error: team-c: namespace/team-c cannot read what is there, nothing applied: cannot get secrets in team-c as team; check with: kubectl auth can-i get secrets -n team-c\n  hint: ask a cluster admin for a Role that allows it, or use a context with more rights (--context)",
    );
    expect(result.stderr).toContain(
      "apply did not finish everything (see above); fix the cause and re-run: it converges",
    );
    await converged(["team-a", "team-b", "team-d", "team-e"]);
    expect(writes(api).filter((r) => r.namespace === "team-c")).toEqual([]);

    await api.setRbac("team", rules(NAMESPACES));
    api.clearRequestLog();
    const again = await apply(api, ALL, { user: "team" });
    expect(again.code).toBe(0);
    await converged();
    expect(
      writes(api)
        .map((r) => `${r.verb} ${r.resource} ${r.namespace}`)
        .sort(),
    ).toEqual(["create secrets team-c", "patch serviceaccounts team-c"]);
  });

  it("a user who may read everywhere but not write in one namespace: that write fails, its binding is skipped", async () => {
    await api.addUser("deployer", {
      rules: [
        { verbs: ["get", "list"], resources: ["secrets", "serviceaccounts", "pods", "namespaces"] },
        {
          verbs: ["create", "patch"],
          resources: ["secrets", "serviceaccounts"],
          namespaces: ["team-a", "team-b", "team-d", "team-e"],
        },
      ],
    });
    const result = await apply(api, ALL, { user: "deployer" });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      "error: team-c: secret/ghcr-pull cannot create secrets in team-c as deployer; check with: kubectl auth can-i create secrets -n team-c",
    );
    expect(result.stderr).toContain(
      "error: team-c: serviceaccount/default not attempted: secret/ghcr-pull could not be written",
    );
    await converged(["team-a", "team-b", "team-d", "team-e"]);
    expect(await api.objects.get("secrets", "team-c", "ghcr-pull")).toBeUndefined();
  });
});

describe("conflicts", () => {
  it("a short conflict storm is absorbed: re-read, re-plan, write again", async () => {
    let conflicts = 0;
    api.intercept((request) => {
      if (request.verb === "patch" && request.namespace === "team-b" && conflicts < 3) {
        conflicts++;
        return conflict("serviceaccounts", "default");
      }
      return undefined;
    });
    const result = await apply(api, ALL);
    expect(result.code).toBe(0);
    expect(conflicts).toBe(3);
    await converged();
    const rereads = api
      .requestLog()
      .filter((r) => r.verb === "get" && r.resource === "serviceaccounts" && r.namespace === "team-b");
    expect(rereads).toHaveLength(3);
  });

  it("a storm that does not stop: that namespace fails after 5 tries, the rest is done, a re-run converges", async () => {
    const stop = api.intercept((request) =>
      request.verb === "patch" && request.namespace === "team-d"
        ? conflict("serviceaccounts", "default")
        : undefined,
    );
    const result = await apply(api, ALL);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      'error: team-d: serviceaccount/default gave up after 5 conflicting writes: something else keeps changing it (Operation cannot be fulfilled on serviceaccounts "default": the object has been modified; please apply your changes to the latest version and try again)\n  hint: re-run when the other writer is done; pullwarden re-reads and converges',
    );
    await converged(["team-a", "team-b", "team-c", "team-e"]);
    stop();
    api.clearRequestLog();
    const again = await apply(api, ALL);
    expect(again.code).toBe(0);
    await converged();
    expect(writes(api).map((r) => `${r.verb} ${r.resource} ${r.namespace}`)).toEqual([
      "patch serviceaccounts team-d",
    ]);
  });

  it("a real race: another writer appends to imagePullSecrets between read and patch; both entries survive", async () => {
    let raced = false;
    api.intercept(async (request) => {
      if (
        !raced &&
        request.verb === "patch" &&
        request.resource === "serviceaccounts" &&
        request.namespace === "team-a"
      ) {
        raced = true;
        const sa = (await api.objects.get("serviceaccounts", "team-a", "default")) as Record<string, unknown>;
        await api.objects.put({ ...sa, imagePullSecrets: [{ name: "racer" }] } as never);
      }
      return undefined;
    });
    const result = await apply(api, ALL);
    expect(result.code).toBe(0);
    expect(await imagePullSecretNames(api, "team-a")).toEqual(["racer", "ghcr-pull"]);
    const patches = api.requestLog().filter((r) => r.verb === "patch" && r.namespace === "team-a");
    expect(patches.map((r) => r.status)).toEqual([422, 200]);
  });

  it("a secret created by someone else between read and create is re-read and, not being ours, refused", async () => {
    let raced = false;
    api.intercept(async (request) => {
      if (!raced && request.verb === "create" && request.namespace === "team-e") {
        raced = true;
        await api.objects.seed({
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "ghcr-pull", namespace: "team-e" },
          type: "kubernetes.io/dockerconfigjson",
          data: { ".dockerconfigjson": Buffer.from('{"auths":{}}').toString("base64") },
        });
      }
      return undefined;
    });
    const result = await apply(api, ALL);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "refused: team-e: secret/ghcr-pull exists and is not managed by pullwarden",
    );
    expect(result.stderr).toContain(
      "refused: team-e: serviceaccount/default not attempted: secret/ghcr-pull was refused",
    );
    expect(await imagePullSecretNames(api, "team-e")).toEqual([]);
  });
});

describe("a namespace deleted during apply", () => {
  it("is reported, its remaining work skipped, the others done; a re-run reports it gone", async () => {
    // team-b stays Terminating (a finalizer someone else owns holds it, as often happens for real); team-d is
    // deleted and gone (the namespace controller finalizes it) before apply's create reaches the server.
    const teamB = (await api.objects.get("namespaces", undefined, "team-b")) as unknown as {
      metadata: Record<string, unknown>;
    };
    await api.objects.put({
      ...teamB,
      metadata: { ...teamB.metadata, finalizers: ["pullwarden.test/hold"] },
    } as never);
    api.intercept(async (request) => {
      if (request.verb === "create" && request.namespace === "team-b")
        await api.objects.delete("namespaces", undefined, "team-b");
      if (request.verb === "create" && request.namespace === "team-d") {
        await api.objects.delete("namespaces", undefined, "team-d");
        await waitUntil(
          "namespace team-d to be gone",
          async () => (await api.objects.get("namespaces", undefined, "team-d")) === undefined,
          { timeoutMs: 20_000 },
        );
      }
      return undefined;
    });
    const result = await apply(api, ALL);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      "error: team-b: secret/ghcr-pull not written: namespace team-b is being deleted",
    );
    expect(result.stderr).toContain(
      "error: team-b: serviceaccount/default not attempted: namespace team-b is being deleted",
    );
    expect(result.stderr).toContain(
      "error: team-d: secret/ghcr-pull not written: namespace team-d no longer exists",
    );
    await converged(["team-a", "team-c", "team-e"]);

    const again = await apply(api, ALL);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      "refused: team-b: namespace/team-b is being deleted: nothing applied here",
    );
    expect(again.stderr).toContain("refused: team-d: namespace/team-d not found: nothing applied here");
    const without = await apply(api, [
      "ghcr-pull",
      "-n",
      "team-a,team-c,team-e",
      "--service-account",
      "default",
    ]);
    expect(without.code).toBe(0);
  });
});

describe("the API server going away", () => {
  it("mid-apply (connections dropped): reported once, nothing more sent, a re-run converges", async () => {
    let creates = 0;
    const stop = api.intercept((request) => {
      if (request.verb === "create") creates++;
      return creates > 2 ? "close" : undefined;
    });
    const result = await apply(api, ALL);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      `cannot reach the Kubernetes API server at ${api.url}: the connection was closed by the server (ECONNRESET)`,
    );
    expect(result.stderr).toMatch(
      /^error: \d+ changes not made, the API server stopped answering: team-\w+\/(secret|serviceaccount)/m,
    );
    expect(result.stdout).toMatch(/5 namespaces in context admin: \d+ changed/);
    stop();
    const again = await apply(api, ALL);
    expect(again.code).toBe(0);
    await converged();
    // Each secret was created exactly once, whatever the drop left behind.
    const created = api.requestLog().filter((r) => r.verb === "create" && r.status === 201);
    expect(created.map((r) => r.namespace).sort()).toEqual(NAMESPACES);
  });

  it("stopped mid-apply: connection refused, exit 4", async () => {
    api.intercept((request) => {
      if (request.verb === "patch") {
        void api.stop();
        return "close";
      }
      return undefined;
    });
    const result = await apply(api, ALL);
    expect(result.code).toBe(4);
    const unreachable =
      /cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+: (connection refused|the connection was closed by the server \(ECONNRESET\))/g;
    expect(result.stderr.match(unreachable)).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: \d+ changes not made, the API server stopped answering: /m);
  });

  it("down from the start: one line and a hint", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pw-down-"));
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, readFileSync(api.kubeconfigPath));
    const url = api.url;
    await api.stop();
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const result = await runPullwarden(
      [
        "apply",
        "ghcr-pull",
        "--docker-username",
        "u",
        "--docker-password-env",
        "P",
        "--kubeconfig",
        kubeconfig,
        "-n",
        "team-a",
      ],
      { env: { P: "pw" } },
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `error: cannot reach the Kubernetes API server at ${url}: connection refused\nhint: check the cluster is up and reachable: kubectl cluster-info\n`,
    );
  });
});

describe("kubeconfig problems", () => {
  const run = (extra: string[], env: Record<string, string> = {}) =>
    runPullwarden(
      [
        "apply",
        "ghcr-pull",
        "--docker-username",
        "u",
        "--docker-password-env",
        "P",
        "-n",
        "team-a",
        ...extra,
      ],
      {
        env: { P: "pw", ...env },
      },
    );

  it("an unknown context lists the ones there are", async () => {
    const result = await run(["--kubeconfig", api.kubeconfigPath, "--context", "prod"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `error: context "prod" not found in kubeconfig ${api.kubeconfigPath}; available: admin\nhint: list contexts with: kubectl config get-contexts\n`,
    );
  });

  it("a missing, malformed or unreadable kubeconfig is one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pw-kubeconfig-"));
    try {
      const missing = await run(["--kubeconfig", join(dir, "nope")]);
      expect(missing.code).toBe(4);
      expect(missing.stderr).toBe(
        `error: cannot read kubeconfig ${join(dir, "nope")}: no such file\nhint: pass a readable file with --kubeconfig, or fix KUBECONFIG\n`,
      );
      const bad = join(dir, "bad");
      writeFileSync(bad, "clusters: [\n  - name: x\n");
      const malformed = await run(["--kubeconfig", bad]);
      expect(malformed.code).toBe(4);
      expect(malformed.stderr).toMatch(new RegExp(`^error: kubeconfig ${bad}: not valid YAML: .+\\nhint: `));
      const locked = join(dir, "locked");
      writeFileSync(locked, "apiVersion: v1\n");
      chmodSync(locked, 0o000);
      const unreadable = await run(["--kubeconfig", locked]);
      expect(unreadable.code).toBe(4);
      if (process.getuid?.() !== 0)
        expect(unreadable.stderr).toContain(`cannot read kubeconfig ${locked}: permission denied`);
      const none = await run([], { HOME: dir });
      expect(none.code).toBe(4);
      expect(none.stderr).toContain(
        `error: no kubeconfig found: ${join(dir, ".kube/config")} does not exist and KUBECONFIG is not set`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bad flags", () => {
  it("are usage errors (exit 2) before anything is read", async () => {
    const cases: [string[], string][] = [
      [["apply"], "error: apply needs the name of the secret"],
      [["apply", "Bad_Name"], 'error: invalid secret name "Bad_Name"'],
      [
        ["apply", "x", "-n", "a", "--namespace-selector", "t=1"],
        "error: use -n/--namespace or --namespace-selector, not both",
      ],
      [["apply", "x", "-n", "UPPER"], 'error: invalid namespace "UPPER"'],
      [["apply", "x", "--service-account", "a b"], 'error: invalid service account name "a b"'],
      [["apply", "x", "--dry-run=maybe"], "error: option '--dry-run [strategy]' argument 'maybe' is invalid"],
    ];
    for (const [args, message] of cases) {
      const result = await runPullwarden([...args, "--kubeconfig", api.kubeconfigPath]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toContain(message);
    }
    expect(api.requestLog()).toEqual([]);
  });

  it("--dry-run: help names only the strategies that work; a bare --dry-run is client, with kubectl's warning", async () => {
    const help = await runPullwarden(["apply", "--help"]);
    expect(help.stdout).toContain("--dry-run [strategy]");
    expect(help.stdout).not.toContain("unchanged");
    const bare = await runPullwarden([
      "apply",
      "x",
      "--dry-run",
      "-n",
      "team-a",
      "--kubeconfig",
      api.kubeconfigPath,
    ]);
    expect(bare.stderr).toContain(
      "warning: --dry-run is deprecated and can be replaced with --dry-run=client.",
    );
  });

  it("bad secret input is refused (exit 3) and nothing is sent", async () => {
    const result = await runPullwarden(
      [
        "apply",
        "x",
        "--docker-server",
        "ghcr.io",
        // A ':' in the username: the registry reads the part after it as the password.
        "--docker-username",
        "u:x",
        "--docker-password-env",
        "P",
        "--kubeconfig",
        api.kubeconfigPath,
      ],
      { env: { P: "pw" } },
    );
    expect(result.code).toBe(3);
    expect(api.requestLog()).toEqual([]);
  });
});
