import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDockerConfigJson, parseDockerConfigText } from "../dockerconfig/index.js";
import type { PullCredentialSource } from "../manifest/index.js";
import { inspectPullCredentials } from "./inspect.js";

const now = new Date("2026-11-27T00:00:00Z");

function source(server: string, username: string, password: string): PullCredentialSource {
  const config = parseDockerConfigText(buildDockerConfigJson([{ server, username, password }]), {
    source: "t",
  });
  return { label: "t", location: "t", config, problems: config.problems };
}

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2ln`;
}

describe("inspectPullCredentials", () => {
  it("reports an expired ACR refresh token as an error with a fix", () => {
    const token = jwt({ iss: "Azure Container Registry", exp: now.getTime() / 1000 - 3600 });
    const report = inspectPullCredentials(
      [source("contoso.azurecr.io", "00000000-0000-0000-0000-000000000000", token)],
      { now },
    );
    const [entry] = report.sources[0]?.entries ?? [];
    expect(entry?.credential?.token.kind).toBe("acr-refresh-token");
    expect(entry?.problems.map((p) => p.code)).toEqual(["credential-expired"]);
    expect(entry?.problems[0]?.fix).toBeTruthy();
    expect(report.summary.errors).toBe(1);
  });

  it("warns about a live ECR token in a static secret", () => {
    const ecrPassword = Buffer.from(
      JSON.stringify({
        payload: "x",
        datakey: "y",
        version: "2",
        type: "DATA_KEY",
        expiration: now.getTime() / 1000 + 3600,
      }),
    ).toString("base64");
    const report = inspectPullCredentials(
      [source("123456789012.dkr.ecr.us-east-1.amazonaws.com", "AWS", ecrPassword)],
      {
        now,
      },
    );
    expect(report.sources[0]?.entries[0]?.problems.map((p) => p.code)).toEqual(["static-short-lived-token"]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 1 });
  });

  it("rejects a fine-grained PAT for ghcr.io", () => {
    const pat = `github_pat_${"A".repeat(22)}_${"b".repeat(59)}`;
    const report = inspectPullCredentials([source("ghcr.io", "bot", pat)], { now });
    expect(report.sources[0]?.entries[0]?.problems.map((p) => p.code)).toEqual([
      "credential-rejected-by-registry",
    ]);
  });

  it("never puts the password in the report unless showSecrets", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 40 }).filter((p) => !p.includes(":") && p.trim() === p),
        (password) => {
          const report = inspectPullCredentials([source("registry.example.com", "user", password)], { now });
          expect(JSON.stringify(report)).not.toContain(JSON.stringify(password).slice(1, -1));
          const shown = inspectPullCredentials([source("registry.example.com", "user", password)], {
            now,
            showSecrets: true,
          });
          expect(shown.sources[0]?.entries[0]?.credential?.password).toBe(password);
        },
      ),
      { numRuns: 200 },
    );
  });
});
