// The GHCR token probe as users meet it: `secret inspect --probe` and `check` on ghcr.io images (its warnings,
// built from the keychain check uses), against a loopback fake of GitHub's REST API (test/support/github-api.ts).
// Tokens are planted canaries: no output holds one.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gitHubTokenWarnings } from "../../src/cli/commands/check/github-probe.js";
import { parseNormalizedReference } from "../../src/reference/index.js";
import { pullSecretKeychain } from "../../src/registry/index.js";
import { parseDockerConfigText } from "../../src/dockerconfig/index.js";
import { startFakeGitHubApi } from "../support/github-api.js";
import type { FakeGitHubApi } from "../support/github-api.js";
import { parseJsonOutput, runPullwarden } from "./run-cli.js";
import { dockerConfig, kubectlEntry } from "./secret-fixtures.js";

const REPO_SCOPED = "ghp_CANARYrepoScopedCANARYrepoScoped0001";
const READ_ONLY = "ghp_CANARYreadOnlyCANARYreadOnlyCANARY02";
const FINE_GRAINED = `github_pat_CANARY${"f".repeat(76)}`;

let api: FakeGitHubApi;
beforeAll(async () => {
  api = await startFakeGitHubApi({
    [REPO_SCOPED]: { scopes: "repo, user", expiration: "2026-06-03 00:00:00 UTC" },
    [READ_ONLY]: { scopes: "read:packages", expiration: "2026-12-01 00:00:00 UTC" },
    [FINE_GRAINED]: { scopes: null },
  });
});
afterAll(async () => api?.stop());
beforeEach(() => {
  api.requests.length = 0;
});

function expectNoToken(output: string): void {
  for (const token of [REPO_SCOPED, READ_ONLY, FINE_GRAINED]) {
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.slice(4, 20));
    expect(output).not.toContain(Buffer.from(`bot:${token}`).toString("base64"));
  }
}

const payload = dockerConfig({
  "ghcr.io": kubectlEntry("bot", REPO_SCOPED),
  "https://ghcr.io": kubectlEntry("bot", REPO_SCOPED),
  "ghcr.io/acme": kubectlEntry("bot", READ_ONLY),
  "ghcr.io/fine": kubectlEntry("bot", FINE_GRAINED),
  "registry.example.com": kubectlEntry("bot", READ_ONLY),
});

describe("secret inspect --probe", () => {
  it("adds what the GitHub API says beside each ghcr.io entry; a missing read:packages is an error (exit 1)", async () => {
    const result = await runPullwarden(["secret", "inspect", "--probe", "--github-api-url", api.url, "-"], {
      stdin: payload,
    });
    expectNoToken(result.stdout + result.stderr);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "github api:  scopes repo, user, expires 2026-06-03T00:00:00.000Z (in 2 days)",
    );
    expect(result.stdout).toMatch(
      /error +github-token-missing-read-packages: the token's scopes \(repo, user\)/,
    );
    expect(result.stdout).toMatch(
      /warning github-token-expires-soon: the token expires 2026-06-03T00:00:00Z/,
    );
    expect(result.stdout).toContain("github api:  scopes read:packages, expires 2026-12-01T00:00:00.000Z");
    // Each distinct token once; the fine-grained PAT (refused offline) and the other registry's token never sent.
    expect(api.requests.map((r) => r.token).sort()).toEqual(["token#1", "token#2"]);
  });

  it("-o json: githubToken on the probed entries, counted in the summary", async () => {
    const result = await runPullwarden(
      ["secret", "inspect", "--probe", "--github-api-url", api.url, "-o", "json", "-"],
      { stdin: payload },
    );
    expectNoToken(result.stdout + result.stderr);
    const report = parseJsonOutput<{
      sources: {
        entries: { key: string; githubToken?: { scopes: string[]; findings: { code: string }[] } }[];
      }[];
      summary: { errors: number };
    }>(result);
    const probed = report.sources[0]!.entries.map((entry) => [
      entry.key,
      entry.githubToken?.findings.map((finding) => finding.code) ?? null,
    ]);
    expect(probed).toEqual([
      ["ghcr.io", ["github-token-missing-read-packages", "github-token-expires-soon"]],
      ["https://ghcr.io", ["github-token-missing-read-packages", "github-token-expires-soon"]],
      ["ghcr.io/acme", []],
      ["ghcr.io/fine", null],
      ["registry.example.com", null],
    ]);
    expect(report.summary.errors).toBeGreaterThanOrEqual(3);
  });

  it("without --probe nothing is sent, and --github-api-url alone is a usage error", async () => {
    const plain = await runPullwarden(["secret", "inspect", "-"], { stdin: payload });
    expect(plain.stdout).not.toContain("github api:");
    const misuse = await runPullwarden(["secret", "inspect", "--github-api-url", api.url, "-"], {
      stdin: payload,
    });
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toContain("--github-api-url applies to --probe");
    expect(api.requests).toEqual([]);
  });

  it("an API base that would carry the token in clear text is refused (exit 2)", async () => {
    const result = await runPullwarden(
      ["secret", "inspect", "--probe", "--github-api-url", "http://api.github.com", "-"],
      { stdin: payload },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("must be an https:// URL");
  });

  it("an API that does not answer usefully is info, never a failure of the inspect", async () => {
    const stalled = await startFakeGitHubApi({ [READ_ONLY]: { scopes: null, status: 503 } });
    try {
      const result = await runPullwarden(
        ["secret", "inspect", "--probe", "--github-api-url", stalled.url, "-"],
        { stdin: dockerConfig({ "ghcr.io": kubectlEntry("bot", READ_ONLY) }) },
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /info +github-api-unanswered: could not read the token's scopes .*HTTP 503/,
      );
    } finally {
      await stalled.stop();
    }
  });
});

describe("check: warnings about the GitHub tokens sent to ghcr.io", () => {
  const keychainOf = (text: string) =>
    pullSecretKeychain([
      { label: "secret apps/pull (s.yaml:1)", config: parseDockerConfigText(text, { source: "s.yaml" }) },
    ]);
  const image = (text: string) => ({ reference: parseNormalizedReference(text) });

  it("each credential kubelet would send for a ghcr.io image, named as the table names it", async () => {
    const warnings = await gitHubTokenWarnings(
      [image("ghcr.io/acme/app:1"), image("ghcr.io/other/app:1"), image("registry.example.com/x:1")],
      keychainOf(payload),
      { apiUrl: new URL(api.url), now: () => new Date("2026-06-01T00:00:00Z") },
    );
    expectNoToken(warnings.join("\n"));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^GitHub token of secret apps\/pull \(s\.yaml:1\), key ghcr\.io, user bot \(and 1 other credential\(s\) with the same token\): the token's scopes \(repo, user\) do not include read:packages: .*; fix: create a classic personal access token/,
      ),
      expect.stringMatching(
        /^GitHub token of secret apps\/pull \(s\.yaml:1\), key ghcr\.io, user bot \(and 1 other credential\(s\) with the same token\): the token expires/,
      ),
    ]);
    // ghcr.io/acme/app matches ghcr.io/acme (read-only, no finding) and ghcr.io; the other image ghcr.io only.
    expect(api.requests.map((r) => r.token).sort()).toEqual(["token#1", "token#2"]);
  });

  it("no ghcr.io image: nothing is asked", async () => {
    expect(
      await gitHubTokenWarnings([image("registry.example.com/x:1")], keychainOf(payload), {
        apiUrl: new URL(api.url),
        now: () => new Date(),
      }),
    ).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it("--no-github-probe with --github-api-url is a usage error", async () => {
    const result = await runPullwarden([
      "check",
      "ghcr.io/acme/app:1",
      "--no-github-probe",
      "--github-api-url",
      api.url,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--github-api-url contradicts --no-github-probe");
  });

  it("doctor: --github-api-url applies to --probe (exit 2, before any connection)", async () => {
    const result = await runPullwarden(["doctor", "web-1", "--github-api-url", api.url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--github-api-url applies to --probe");
  });
});
