// `pullwarden secret inspect` in-process on an example of every problem it knows, checking the problem codes
// of `-o json`, the exit code (1 when an error-level problem exists, else 0) and redaction of secret values.
import { describe, expect, it } from "vitest";
import { STACK_TRACE, TEST_NOW, parseJsonOutput, runPullwarden } from "./run-cli.js";
import type { CliResult } from "./run-cli.js";
import {
  NULL_GUID,
  TOKENS,
  acrRefreshToken,
  b64,
  dockerConfig,
  ecrPassword,
  jwt,
  kubectlEntry,
  secretYaml,
  unixSeconds,
  yamlStream,
} from "./secret-fixtures.js";

interface Problem {
  severity: "error" | "warning" | "info";
  code: string;
  message: string;
  key?: string;
  position?: { line?: number; column?: number };
}

interface Report {
  sources: {
    label: string;
    format: string;
    secret?: { name?: string; namespace?: string; type: string; key: string };
    problems: Problem[];
    entries: {
      key: string;
      coverage?: { normalizedKey: string; canMatch: boolean };
      registry: { kind: string };
      credential?: {
        username: string;
        password: string;
        token: { kind: string; expiresAt?: string };
        acceptance: { verdict: string };
      };
      problems: Problem[];
    }[];
  }[];
  summary: { errors: number; warnings: number; infos: number; entries: number };
}

function allProblems(report: Report): Problem[] {
  return report.sources.flatMap((s) => [...s.problems, ...s.entries.flatMap((e) => e.problems)]);
}

async function inspectJson(
  input: string,
  extra: string[] = [],
): Promise<{ result: CliResult; report: Report }> {
  const result = await runPullwarden(["secret", "inspect", "-", "-o", "json", ...extra], { stdin: input });
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect([0, 1], `exit ${result.code}: ${result.stderr}`).toContain(result.code);
  const report = parseJsonOutput<Report>(result);
  // The documented contract: exit 1 exactly when an error-level problem exists.
  expect(result.code).toBe(report.summary.errors > 0 ? 1 : 0);
  expect(report.summary.errors).toBe(allProblems(report).filter((p) => p.severity === "error").length);
  return { result, report };
}

const DAY = 24 * 3600 * 1000;
const past = new Date(TEST_NOW.getTime() - 30 * DAY);
const soon = new Date(TEST_NOW.getTime() + 2 * DAY);

const ACR = "contoso.azurecr.io";
const ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

interface ProblemCase {
  title: string;
  input: string;
  code: string;
  severity: Problem["severity"];
  /** Values that must not appear in output without --show-secrets. */
  secrets?: string[];
}

const urlSafeAuth = b64("bot:~~~p").replace(/\+/g, "-").replace(/\//g, "_");

const PROBLEM_CASES: ProblemCase[] = [
  {
    title: "URL-safe base64 in auth",
    input: dockerConfig({ "reg.example.com": { auth: urlSafeAuth } }),
    code: "auth-url-safe-base64",
    severity: "error",
  },
  {
    title: "auth disagreeing with username/password",
    input: dockerConfig({
      "reg.example.com": { username: "bot", password: "field-pass", auth: b64("bot:auth-pass") },
    }),
    code: "auth-disagrees",
    severity: "warning",
    secrets: ["field-pass", "auth-pass"],
  },
  {
    title: "username/password without auth",
    input: dockerConfig({ "reg.example.com": { username: "bot", password: "no-auth-pass" } }),
    code: "auth-missing",
    severity: "warning",
    secrets: ["no-auth-pass"],
  },
  {
    title: "registry-1.docker.io key",
    input: dockerConfig({ "registry-1.docker.io": kubectlEntry("acme", "dockerhub-pass") }),
    code: "key-registry-1-docker-io",
    severity: "error",
    secrets: ["dockerhub-pass"],
  },
  {
    title: "http:// key",
    input: dockerConfig({ "http://reg.example.com": kubectlEntry("bot", "http-pass") }),
    code: "key-http-scheme",
    severity: "warning",
    secrets: ["http-pass"],
  },
  {
    title: "fine-grained PAT on ghcr.io",
    input: secretYaml({ payload: dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.fineGrainedPat) }) }),
    code: "credential-rejected-by-registry",
    severity: "error",
    secrets: [TOKENS.fineGrainedPat],
  },
  {
    title: "GitHub App installation token (ghs_) on ghcr.io",
    input: secretYaml({
      payload: dockerConfig({ "ghcr.io": kubectlEntry("x-access-token", TOKENS.installation) }),
    }),
    code: "credential-rejected-by-registry",
    severity: "error",
    secrets: [TOKENS.installation],
  },
  {
    title: "expired ACR refresh token with the null-GUID username",
    input: secretYaml({
      payload: dockerConfig({ [ACR]: kubectlEntry(NULL_GUID, acrRefreshToken(ACR, past)) }),
    }),
    code: "credential-expired",
    severity: "error",
    secrets: [acrRefreshToken(ACR, past)],
  },
  {
    title: "expired generic JWT",
    input: dockerConfig({
      "reg.example.com": kubectlEntry("bot", jwt({ sub: "bot", exp: unixSeconds(past) })),
    }),
    code: "credential-expired",
    severity: "error",
    secrets: [jwt({ sub: "bot", exp: unixSeconds(past) })],
  },
  {
    title: "expired ECR token",
    input: secretYaml({ payload: dockerConfig({ [ECR]: kubectlEntry("AWS", ecrPassword(past)) }) }),
    code: "credential-expired",
    severity: "error",
    secrets: [ecrPassword(past)],
  },
  {
    title: "valid ECR token (a static secret that dies in 12 h)",
    input: secretYaml({
      payload: dockerConfig({
        [ECR]: kubectlEntry("AWS", ecrPassword(new Date(TEST_NOW.getTime() + 6 * 3600_000))),
      }),
    }),
    code: "static-short-lived-token",
    severity: "warning",
  },
  {
    title: "ACR refresh token that is still valid",
    input: dockerConfig({
      [ACR]: kubectlEntry(NULL_GUID, acrRefreshToken(ACR, new Date(TEST_NOW.getTime() + 2 * 3600_000))),
    }),
    code: "static-short-lived-token",
    severity: "warning",
  },
  {
    title: "JWT expiring within a week",
    input: dockerConfig({
      "reg.example.com": kubectlEntry("bot", jwt({ sub: "bot", exp: unixSeconds(soon) })),
    }),
    code: "credential-expires-soon",
    severity: "warning",
  },
  {
    title: ".dockerconfigjson in a Secret of type kubernetes.io/dockercfg",
    input: secretYaml({
      type: "kubernetes.io/dockercfg",
      payload: dockerConfig({ "reg.example.com": kubectlEntry("bot", "mismatch-pass") }),
    }),
    code: "secret-key-type-mismatch",
    severity: "error",
    secrets: ["mismatch-pass"],
  },
  {
    title: ".dockerconfigjson in an Opaque Secret",
    input: secretYaml({
      type: "Opaque",
      payload: dockerConfig({ "reg.example.com": kubectlEntry("bot", "p1") }),
    }),
    code: "secret-type-mismatch",
    severity: "error",
  },
  {
    title: "legacy .dockercfg under type kubernetes.io/dockercfg",
    input: secretYaml({
      type: "kubernetes.io/dockercfg",
      key: ".dockercfg",
      payload: JSON.stringify({ "reg.example.com": kubectlEntry("bot", "legacy-pass") }),
    }),
    code: "legacy-dockercfg-format",
    severity: "info",
    secrets: ["legacy-pass"],
  },
  {
    title: "unpadded base64 in auth",
    input: dockerConfig({ "reg.example.com": { auth: b64("bot:pass").replace(/=+$/, "") } }),
    code: "auth-unpadded-base64",
    // kubelet accepts it, skopeo/containerd/docker do not; the catalogue rates it a warning.
    severity: "warning",
  },
];

describe("secret inspect reports every problem with its code", () => {
  it.each(PROBLEM_CASES.map((c) => [c.title, c] as const))("%s", async (_title, c) => {
    const { report } = await inspectJson(c.input);
    const problems = allProblems(report).filter((p) => p.code === c.code);
    expect(
      problems.map((p) => p.code),
      JSON.stringify(allProblems(report)),
    ).toContain(c.code);
    expect(problems[0]?.severity).toBe(c.severity);
    expect(problems[0]?.message).toMatch(/\S/);
    expect(problems[0]?.message).not.toContain("\n");
  });

  it("a clean secret (classic PAT on ghcr.io) has no problem and exits 0", async () => {
    const { result, report } = await inspectJson(
      secretYaml({
        name: "ghcr-pull",
        namespace: "apps",
        payload: dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) }),
      }),
    );
    expect(result.code).toBe(0);
    expect(allProblems(report)).toEqual([]);
    expect(report.sources[0]?.secret).toEqual({
      name: "ghcr-pull",
      namespace: "apps",
      type: "kubernetes.io/dockerconfigjson",
      key: ".dockerconfigjson",
    });
    expect(report.sources[0]?.entries[0]).toMatchObject({
      key: "ghcr.io",
      coverage: { normalizedKey: "ghcr.io", canMatch: true },
      registry: { kind: "ghcr" },
      credential: {
        username: "bot",
        token: { kind: "github-classic-pat" },
        acceptance: { verdict: "accepted" },
      },
    });
  });

  it("classifies the expired ACR and ECR tokens and reads their expiry", async () => {
    const { report } = await inspectJson(
      yamlStream(
        secretYaml({
          name: "acr",
          payload: dockerConfig({ [ACR]: kubectlEntry(NULL_GUID, acrRefreshToken(ACR, past)) }),
        }),
        secretYaml({ name: "ecr", payload: dockerConfig({ [ECR]: kubectlEntry("AWS", ecrPassword(past)) }) }),
      ),
    );
    const [acr, ecr] = report.sources.map((s) => s.entries[0]);
    expect(acr?.registry.kind).toBe("acr");
    expect(acr?.credential?.token.kind).toBe("acr-refresh-token");
    expect(acr?.credential?.token.expiresAt).toBe(past.toISOString().replace(/\.\d{3}Z$/, ".000Z"));
    expect(acr?.credential?.acceptance.verdict).toBe("expired");
    expect(ecr?.registry.kind).toBe("ecr");
    expect(ecr?.credential?.token.kind).toBe("ecr-token");
    expect(ecr?.credential?.acceptance.verdict).toBe("expired");
    expect(report.summary.errors).toBe(2);
  });

  it("the same token is judged against the clock it is given", async () => {
    const input = dockerConfig({ [ACR]: kubectlEntry(NULL_GUID, acrRefreshToken(ACR, soon)) });
    const before = await runPullwarden(["secret", "inspect", "-", "-o", "json"], { stdin: input });
    const after = await runPullwarden(["secret", "inspect", "-", "-o", "json"], {
      stdin: input,
      now: new Date(soon.getTime() + DAY),
    });
    expect(before.code).toBe(0);
    expect(after.code).toBe(1);
    expect(allProblems(parseJsonOutput<Report>(after)).map((p) => p.code)).toContain("credential-expired");
  });

  it("problems in a raw file carry the line of the key", async () => {
    const text = [
      "{",
      '  "auths": {',
      '    "ghcr.io": { "auth": "' + b64("bot:" + TOKENS.classicPat) + '" },',
      '    "registry-1.docker.io": { "auth": "' + b64("acme:pw-line") + '" }',
      "  }",
      "}",
    ].join("\n");
    const { report } = await inspectJson(text);
    const problem = allProblems(report).find((p) => p.code === "key-registry-1-docker-io");
    expect(problem?.position?.line).toBe(4);
  });

  it("a multi-document stream: each Secret is a source labelled with its line; other kinds are skipped", async () => {
    const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
    const stream = yamlStream(
      secretYaml({ name: "a", payload: dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) }) }),
      deployment,
      secretYaml({ name: "b", payload: dockerConfig({ "registry-1.docker.io": kubectlEntry("x", "y") }) }),
    );
    const { result, report } = await inspectJson(stream);
    expect(result.code).toBe(1);
    const second = stream.split("\n").indexOf("---", 1 + stream.split("\n").indexOf("---", 1)) + 2;
    expect(report.sources.map((s) => s.label)).toEqual(["secret a (stdin:2)", `secret b (stdin:${second})`]);
  });

  it("text output names each problem with its severity and code, and ends with a summary", async () => {
    const result = await runPullwarden(["secret", "inspect"], {
      stdin: dockerConfig({ "registry-1.docker.io": kubectlEntry("acme", "text-pass") }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^\s+error\s+key-registry-1-docker-io: /m);
    expect(result.stdout).toMatch(/1 source\(s\), 1 entry: 1 error\(s\), 0 warning\(s\), 0 info\n$/);
    // No colour when stdout is not a terminal.
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("colour only on a terminal, and never with NO_COLOR", async () => {
    const input = dockerConfig({ "registry-1.docker.io": kubectlEntry("acme", "x") });
    const tty = await runPullwarden(["secret", "inspect"], { stdin: input, tty: true });
    expect(tty.stdout).toContain("\u001b[31m");
    const noColor = await runPullwarden(["secret", "inspect"], {
      stdin: input,
      tty: true,
      env: { NO_COLOR: "1" },
    });
    expect(noColor.stdout).not.toContain("\u001b[");
  });
});

describe("redaction", () => {
  const withSecrets = PROBLEM_CASES.filter((c) => c.secrets?.length);

  it.each(withSecrets.map((c) => [c.title, c] as const))(
    "%s: no secret value without --show-secrets, in text or JSON",
    async (_title, c) => {
      for (const output of [["-o", "json"], ["-o", "text"], []]) {
        const result = await runPullwarden(["secret", "inspect", "-", ...output], { stdin: c.input });
        for (const secret of c.secrets ?? []) {
          expect(result.stdout).not.toContain(secret);
          expect(result.stderr).not.toContain(secret);
        }
        // Nor the auth field that encodes it.
        for (const auth of c.input.match(/"auth":"([^"]+)"/g) ?? []) {
          expect(result.stdout).not.toContain(auth.slice(8, -1));
        }
      }
    },
  );

  it.each(withSecrets.map((c) => [c.title, c] as const))(
    "%s: --show-secrets shows the password",
    async (_t, c) => {
      const result = await runPullwarden(["secret", "inspect", "-", "-o", "json", "--show-secrets"], {
        stdin: c.input,
      });
      const passwords = parseJsonOutput<Report>(result).sources.flatMap((s) =>
        s.entries.map((e) => e.credential?.password),
      );
      // The password kubelet would send (auth wins over the password field when they disagree).
      expect(passwords.some((p) => p !== undefined && (c.secrets ?? []).includes(p))).toBe(true);
    },
  );

  it.each([
    ["https://bot:CANARY-k3y-pw@r.example.com", "https://***@r.example.com"],
    ["bot:CANARY-k3y-pw@r.example.com/team", "***@r.example.com/team"],
    ["https://bot:CANARY/k3y-pw@r.example.com", "https://***@r.example.com"],
    ["https://bot:123?CANARY-k3y-pw@r.example.com", "https://***@r.example.com"],
  ])(
    "a password in a key's user info (%s) is never shown, not even with --show-secrets",
    async (key, shown) => {
      const input = dockerConfig({ [key]: kubectlEntry("bot", "entry-pass") });
      for (const extra of [
        ["-o", "json"],
        ["-o", "text"],
        ["-o", "json", "--show-secrets"],
        ["--show-secrets"],
      ]) {
        const result = await runPullwarden(["secret", "inspect", "-", ...extra], { stdin: input });
        expect(result.stdout + result.stderr).not.toMatch(/CANARY|k3y-pw|123/);
        expect(result.stdout).toContain(shown);
      }
      const { report } = await inspectJson(input);
      expect(report.sources[0]?.entries[0]?.key).toBe(shown);
    },
  );

  it("the redacted form keeps only the token prefix and the length", async () => {
    const { report } = await inspectJson(dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) }));
    expect(report.sources[0]?.entries[0]?.credential?.password).toBe(
      `ghp_…(${TOKENS.classicPat.length} chars)`,
    );
  });
});

describe("inputs", () => {
  it("reads a file argument, stdin via '-', and stdin by default", async () => {
    const input = dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) });
    const dash = await runPullwarden(["secret", "inspect", "-", "-o", "json"], { stdin: input });
    const implicit = await runPullwarden(["secret", "inspect", "-o", "json"], { stdin: input });
    expect(dash.code).toBe(0);
    expect(implicit).toEqual(dash);
    const file = await runPullwarden(["secret", "inspect", "examples/pull-secrets.yaml", "-o", "json"]);
    expect(file.stderr).not.toMatch(STACK_TRACE);
    expect([0, 1]).toContain(file.code);
  });

  it("a docker config.json with credsStore/credHelpers is read (helpers are info, not run)", async () => {
    const { report } = await inspectJson(
      JSON.stringify({
        auths: { "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) },
        credsStore: "desktop",
        credHelpers: { [ECR]: "ecr-login" },
      }),
    );
    expect(report.sources[0]?.format).toBe("config.json");
    expect(allProblems(report).map((p) => p.code)).toContain("credential-helpers-ignored");
  });

  it("a Secret manifest in JSON is read like YAML", async () => {
    const manifest = JSON.stringify({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "j" },
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": b64(dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) })) },
    });
    const { report } = await inspectJson(manifest);
    expect(report.sources[0]?.secret?.name).toBe("j");
  });

  it("a file with no pull secret is invalid input (exit 3)", async () => {
    const result = await runPullwarden(["secret", "inspect"], {
      stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: stdin: no pull secret found/);
  });
});
