// Issue 10 row 4: `doctor`, `audit --cluster` and `apply` against API servers that accept the connection and never
// answer (plain TCP that never finishes the TLS handshake, TLS that never responds, a response that stops
// mid-body) end with exit 4 and one line naming the server, within `--request-timeout` (kubectl's flag and
// format; the default bounds the TLS handshake at 10 s as kubectl). A write that never gets an answer is sent
// once, not retried into a longer wait. Plus the flags' usage errors, and doctor's --timeout as a duration.
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KUBE_TIMEOUTS } from "../../src/kube/index.js";
import { runPullwarden } from "../cli/run-cli.js";
import type { CliResult } from "../cli/run-cli.js";
import { writeKubeconfig } from "../support/kubeconfig.js";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import { PARTIAL_LIST, startHostileServer } from "../kube/hostile-servers.js";
import type { HostileKind, HostileServer } from "../kube/hostile-servers.js";
import { freePort, makeScratchDir, removeScratchDir } from "../support/index.js";

const PASSWORD_ENV = { GHCR_TOKEN: "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB" };
const APPLY_PAYLOAD = [
  "--docker-server",
  "ghcr.io",
  "--docker-username",
  "pullbot",
  "--docker-password-env",
  "GHCR_TOKEN",
];

const COMMANDS: Record<string, readonly string[]> = {
  doctor: ["doctor", "app-1", "-n", "default"],
  "audit --cluster": ["audit", "--cluster"],
  apply: ["apply", "ghcr-pull", "-n", "default", ...APPLY_PAYLOAD],
};

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function hostile(kind: HostileKind): Promise<HostileServer> {
  const server = await startHostileServer(kind);
  servers.push(server);
  return server;
}

async function timed(args: readonly string[]): Promise<CliResult & { ms: number }> {
  const started = performance.now();
  const result = await runPullwarden(args, { env: PASSWORD_ENV });
  return { ...result, ms: performance.now() - started };
}

const ADDRESS_HINT =
  "check the cluster's server address and port in the kubeconfig (kubectl config view --minify) and that it is up (kubectl cluster-info)";
const HEALTH_HINT =
  "the API server or a proxy in front of it is stuck: check its health with kubectl get --raw='/readyz?verbose'";
const MORE_TIME = "if it is only slow, allow more time with --request-timeout (e.g. 2m; 0: no limit)";

/** What each hostile server makes the first request fail with; `request` is what the command asked first. */
function expectedError(kind: HostileKind, url: string, request: string): string {
  const detail =
    kind === "tcp-silent"
      ? "the TLS handshake did not finish"
      : kind === "tls-silent"
        ? `${request}: no response`
        : `${request}: the response stopped after ${PARTIAL_LIST.length} bytes`;
  const hint = kind === "tcp-silent" ? ADDRESS_HINT : HEALTH_HINT;
  return `error: the Kubernetes API server ${url} did not answer within 1s (${detail})\nhint: ${hint}; ${MORE_TIME}\n`;
}

/** The first request of each command (audit lists kinds four at a time: the first to fail is reported). */
const FIRST_REQUEST: Record<string, string> = {
  doctor: "list pods in default",
  "audit --cluster": "list \\w+",
  apply: "list namespaces",
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe.each(["tcp-silent", "tls-silent", "headers-then-stall"] as const)(
  "an API server that %s",
  (kind) => {
    it.each(Object.keys(COMMANDS))(
      "%s: exit 4 within --request-timeout 1s, one line naming the server",
      async (name) => {
        const server = await hostile(kind);
        const result = await timed([
          ...(COMMANDS[name] as string[]),
          "--kubeconfig",
          server.kubeconfigPath,
          "--request-timeout",
          "1s",
        ]);
        expect(result.code, result.stderr).toBe(4);
        const expected = expectedError(kind, server.url, "REQUEST");
        const pattern = new RegExp(`^${escape(expected).replace("REQUEST", FIRST_REQUEST[name] as string)}$`);
        expect(result.stderr).toMatch(pattern);
        expect(result.stdout).toBe("");
        expect(result.ms).toBeGreaterThanOrEqual(950);
        expect(result.ms).toBeLessThan(10_000);
      },
    );
  },
);

describe("the default bounds", () => {
  it("no --request-timeout: a TLS handshake that never finishes ends after 10s, as kubectl's", async () => {
    const server = await hostile("tcp-silent");
    const result = await timed([...(COMMANDS["doctor"] as string[]), "--kubeconfig", server.kubeconfigPath]);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `error: the Kubernetes API server ${server.url} did not answer within 10s (the TLS handshake did not finish)\nhint: ${ADDRESS_HINT}\n`,
    );
    expect(result.ms).toBeGreaterThanOrEqual(9_950);
    expect(result.ms).toBeLessThan(20_000);
  }, 40_000);

  it.each(["doctor", "audit", "apply"])("%s --help states the request bound's default", async (command) => {
    const help = await runPullwarden([command, "--help"]);
    expect(help.stdout.replace(/\s+/g, " ")).toContain(
      `0 for no limit (default ${DEFAULT_KUBE_TIMEOUTS.requestMs / 1000}s;`,
    );
  });
});

describe("apply: writes that never get an answer", () => {
  let api: TestCluster;
  beforeAll(async () => {
    api = await startCluster({ namespaces: ["team-a", "team-b"] });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it("each write is sent once and fails at the bound; reads go on; exit 4", async () => {
    // The proxy in front of the real server reads each write and never answers it.
    let stalled = 0;
    const stop = api.intercept((request) => {
      if (request.method === "GET") return undefined;
      stalled++;
      return "stall";
    });
    const result = await timed([
      "apply",
      "ghcr-pull",
      "-n",
      "team-a,team-b",
      "--service-account",
      "default",
      ...APPLY_PAYLOAD,
      "--kubeconfig",
      api.kubeconfigPath,
      "--request-timeout",
      "1s",
    ]).finally(stop);
    expect(result.code, result.stderr).toBe(4);
    for (const ns of ["team-a", "team-b"]) {
      expect(result.stderr).toContain(
        `did not answer within 1s (create secrets ghcr-pull in ${ns}: no response)`,
      );
    }
    expect(result.stderr).not.toContain(PASSWORD_ENV.GHCR_TOKEN);
    // One create per namespace, no retry; the bindings wait for their secrets and are not sent.
    expect(stalled).toBe(2);
    expect(await api.objects.get("secrets", "team-a", "ghcr-pull")).toBeUndefined();
    expect(result.ms).toBeLessThan(10_000);
  });
});

describe("usage", () => {
  let scratch: string;
  let down: string;
  beforeAll(async () => {
    // A kubeconfig whose server is gone: a run that gets past the flags ends with "connection refused".
    scratch = makeScratchDir("timeouts-usage");
    const port = await freePort();
    down = writeKubeconfig(join(scratch, "kubeconfig"), {
      server: `https://127.0.0.1:${port}`,
      users: [{ name: "admin", token: "t" }],
      currentUser: "admin",
      namespace: "default",
    });
  });
  afterAll(() => removeScratchDir(scratch));

  it.each(Object.keys(COMMANDS))("%s --request-timeout takes kubectl's formats", async (name) => {
    for (const value of ["30", "1m30s", "0"]) {
      const result = await runPullwarden(
        [...(COMMANDS[name] as string[]), "--kubeconfig", down, "--request-timeout", value],
        { env: PASSWORD_ENV },
      );
      expect(result.stderr).toContain(": connection refused\n");
      expect(result.code).toBe(4);
    }
    const bad = await runPullwarden(
      [...(COMMANDS[name] as string[]), "--kubeconfig", down, "--request-timeout", "soon"],
      { env: PASSWORD_ENV },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'error: --request-timeout "soon": expected a number of seconds or a duration such as 30s, 2m or 1h (0: no limit)\n',
    );
  });

  it("audit: --request-timeout needs --cluster", async () => {
    const result = await runPullwarden(["audit", "examples/", "--request-timeout", "1s"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: --request-timeout needs --cluster\n");
  });

  it("doctor --probe --timeout takes durations, bare seconds still work", async () => {
    for (const value of ["30s", "2m", "15"]) {
      const result = await runPullwarden([
        ...(COMMANDS["doctor"] as string[]),
        "--probe",
        "--timeout",
        value,
        "--kubeconfig",
        down,
      ]);
      expect(result.code, result.stderr).toBe(4);
    }
    for (const [value, message] of [
      ["0", 'error: --timeout "0": expected a number of seconds or a duration such as 30s, 2m or 1h\n'],
      ["61m", 'error: --timeout "61m": at most 3600 seconds\n'],
    ] as const) {
      const bad = await runPullwarden([
        ...(COMMANDS["doctor"] as string[]),
        "--probe",
        "--timeout",
        value,
        "--kubeconfig",
        down,
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe(message);
    }
  });
});
