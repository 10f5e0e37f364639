// doctor --probe on a Pod that cannot pull from ghcr.io: besides the registry (an in-memory one answering for
// ghcr.io, as ghcr.io answers a token that lacks the scope: 403 denied), the GitHub API (a loopback fake of its
// documented answers, test/support/github-api.ts) is asked about the Secret's token once; its scopes become the
// evidence of ghcr-read-packages-missing, ranked first, and the rest (the expiry) reaches the Pod's notes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGitHubApiUrl } from "../../src/cloud/github/api-url.js";
import { diagnose, evidenceFromObjects, probePods } from "../../src/doctor/index.js";
import type { PodToProbe } from "../../src/doctor/probe.js";
import type { Transport, TransportRequest, TransportResponse } from "../../src/registry/index.js";
import { startFakeGitHubApi } from "../support/github-api.js";
import type { FakeGitHubApi } from "../support/github-api.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const TOKEN = "ghp_CANARYdoctorCANARYdoctorCANARYdoc0001";
const IMAGE = "ghcr.io/acme/web:1.0";
const b64 = (text: string) => Buffer.from(text).toString("base64");

let github: FakeGitHubApi;
beforeAll(async () => {
  github = await startFakeGitHubApi({
    [TOKEN]: { scopes: "repo", expiration: "2026-06-03 00:00:00 UTC" },
  });
});
afterAll(async () => github?.stop());

/** ghcr.io as it answers a classic PAT without read:packages: Basic accepted by the token endpoint, then denied. */
function ghcrDenying(): Transport & { hosts: Set<string> } {
  const hosts = new Set<string>();
  const answer = (
    url: string,
    status: number,
    headers: Record<string, string[]> = {},
    body = "",
  ): TransportResponse => ({
    status,
    headers,
    body: Buffer.from(body),
    truncated: false,
    url,
    redirects: 0,
    authorizationDropped: false,
  });
  return {
    hosts,
    async request(request: TransportRequest) {
      const url = new URL(String(request.url));
      hosts.add(url.host);
      if (url.pathname === "/v2/") {
        return answer(url.href, 401, {
          "www-authenticate": [
            'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"',
          ],
        });
      }
      if (url.pathname === "/token")
        return answer(url.href, 200, {}, JSON.stringify({ token: "registry-token" }));
      return answer(
        url.href,
        403,
        { "content-type": ["application/json"] },
        JSON.stringify({ errors: [{ code: "DENIED", message: "permission_denied: read_package" }] }),
      );
    },
    close() {},
  };
}

function podAndSecret(): {
  pod: unknown;
  secret: { metadata: { name: string }; type: string; data: Record<string, string> };
} {
  const config = { auths: { "ghcr.io": { auth: b64(`bot:${TOKEN}`) } } };
  return {
    pod: {
      metadata: { name: "web-1", namespace: "shop", uid: "u1", creationTimestamp: "2026-05-31T23:00:00Z" },
      spec: { imagePullSecrets: [{ name: "ghcr-pull" }], containers: [{ name: "web", image: IMAGE }] },
      status: {
        phase: "Pending",
        containerStatuses: [
          { name: "web", image: IMAGE, state: { waiting: { reason: "ImagePullBackOff" } } },
        ],
      },
    },
    secret: {
      metadata: { name: "ghcr-pull" },
      type: "kubernetes.io/dockerconfigjson",
      data: { ".dockerconfigjson": b64(JSON.stringify(config)) },
    },
  };
}

describe("doctor --probe with the GitHub API", () => {
  it("the token's scopes rank ghcr-read-packages-missing first; the expiry is in the evidence", async () => {
    const { pod, secret } = podAndSecret();
    const client = ghcrDenying();
    const pods: PodToProbe[] = [{ pod, secrets: [secret] }];
    const [probes] = await probePods(pods, {
      transport: {},
      client,
      plainHttp: false,
      concurrency: 2,
      now: () => NOW,
      github: { apiUrl: parseGitHubApiUrl(github.url, "--github-api-url"), now: () => NOW },
    });
    // The registry was asked only about ghcr.io; the GitHub API once, about the Secret's token.
    expect([...client.hosts]).toEqual(["ghcr.io"]);
    expect(github.requests).toEqual([{ method: "GET", path: "/user", token: "token#1", scheme: "token" }]);
    const withToken = probes?.find((probe) => probe.credential.kind === "secret");
    expect(withToken).toMatchObject({
      credential: { kind: "secret", secret: "ghcr-pull", key: "ghcr.io" },
      result: { outcome: "denied" },
      githubTokenScopes: ["repo"],
    });
    expect(withToken?.githubTokenFindings?.map((finding) => finding.code)).toEqual([
      "github-token-missing-read-packages",
      "github-token-expires-soon",
    ]);
    const anonymous = probes?.find((probe) => probe.credential.kind === "anonymous");
    expect(anonymous?.githubTokenFindings).toBeUndefined();

    const diagnoses = diagnose(
      evidenceFromObjects({ now: NOW, pod, secrets: { "ghcr-pull": secret }, probes: probes ?? [] }),
    );
    expect(diagnoses[0]).toMatchObject({ id: "ghcr-read-packages-missing", confidence: "high" });
    expect(JSON.stringify(diagnoses)).toContain("the token's scopes are [repo]: no read:packages");
    expect(JSON.stringify({ probes, diagnoses })).not.toContain(TOKEN.slice(4));
  });

  it("without `github`, the GitHub API is not asked", async () => {
    const { pod, secret } = podAndSecret();
    const before = github.requests.length;
    const [probes] = await probePods([{ pod, secrets: [secret] }], {
      transport: {},
      client: ghcrDenying(),
      plainHttp: false,
      concurrency: 2,
      now: () => NOW,
    });
    expect(github.requests.length).toBe(before);
    expect(probes?.some((probe) => probe.githubTokenScopes !== undefined)).toBe(false);
  });
});
