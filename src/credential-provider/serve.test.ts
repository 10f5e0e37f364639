import { describe, expect, it } from "vitest";
import { EnvironmentError, InputError } from "../errors.js";
import type { AcrCredentialInput, EcrCredentialInput } from "./cloud-identity.js";
import { encodeCredentialProviderResponse } from "./encode-response.js";
import type { CredentialProviderRequest } from "./protocol.js";
import { serveCredentialRequest } from "./serve.js";
import type { CloudSources, ServeOptions } from "./serve.js";
import { parseStaticCredentials } from "./static-credentials.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const V1 = "credentialprovider.kubelet.k8s.io/v1" as const;
const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const SA_TOKEN = "eyJhbGciOiJSUzI1NiJ9.sa-token-canary.sig";

/** A recording port standing in for src/cloud's SDK sources (their own tests run them against fakes of the wire). */
function cloud(overrides: Partial<CloudSources> = {}) {
  const calls: { ecr: EcrCredentialInput[]; acr: AcrCredentialInput[]; loads: number } = {
    ecr: [],
    acr: [],
    loads: 0,
  };
  const sources: CloudSources = {
    ecr: (input) => {
      calls.ecr.push(input);
      return Promise.resolve({
        username: "AWS",
        password: "ecr-token",
        expiresAt: new Date(NOW.getTime() + 12 * 3600_000),
      });
    },
    acr: (input) => {
      calls.acr.push(input);
      return Promise.resolve({ username: "00000000-0000-0000-0000-000000000000", password: "acr-refresh" });
    },
    ...overrides,
  };
  const load = () => {
    calls.loads += 1;
    return Promise.resolve(sources);
  };
  return { calls, load };
}

function options(load: ServeOptions["cloudSources"], extra: Partial<ServeOptions> = {}): ServeOptions {
  return { cloudSources: load, env: {}, now: () => NOW, ...extra };
}

function req(image: string, extra: Partial<CredentialProviderRequest> = {}): CredentialProviderRequest {
  return { apiVersion: V1, image, ...extra };
}

describe("serveCredentialRequest", () => {
  it("answers a static registry from the file, without loading the cloud sources", async () => {
    const { calls, load } = cloud();
    const staticCredentials = parseStaticCredentials(
      JSON.stringify({ auths: { "ghcr.io": { username: "octo", password: "ghp_x" } } }),
      "static.json",
    );
    const served = await serveCredentialRequest(
      req("ghcr.io/org/app:1.0"),
      options(load, { staticCredentials }),
    );
    expect(encodeCredentialProviderResponse(served.response)).toBe(
      `{"kind":"CredentialProviderResponse","apiVersion":"${V1}","cacheKeyType":"Registry","auth":{"ghcr.io":{"username":"octo","password":"ghp_x"}}}\n`,
    );
    expect(calls.loads).toBe(0);
  });

  it("caches a static JWT credential until shortly before its exp, and takes --cache-duration otherwise", async () => {
    const { load } = cloud();
    const exp = Math.floor(NOW.getTime() / 1000) + 3600;
    const jwt = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ exp })).toString("base64url")}.x`;
    const staticCredentials = parseStaticCredentials(
      JSON.stringify({
        auths: {
          "harbor.example.com": { username: "robot", password: jwt },
          "ghcr.io": { username: "o", password: "p" },
        },
      }),
      "static.json",
    );
    const harbor = await serveCredentialRequest(
      req("harbor.example.com/a/b"),
      options(load, { staticCredentials }),
    );
    expect(harbor.response.cacheDuration).toBe("45m0s");
    const ghcr = await serveCredentialRequest(
      req("ghcr.io/a/b"),
      options(load, { staticCredentials, staticCacheDuration: "30m", staticCacheKeyType: "Image" }),
    );
    expect(ghcr.response).toMatchObject({ cacheKeyType: "Image", cacheDuration: "30m" });
  });

  it("answers an image it does not serve with an empty auth, not cached, in the request's version", async () => {
    const { calls, load } = cloud();
    const served = await serveCredentialRequest(
      req("quay.io/org/app", { apiVersion: "credentialprovider.kubelet.k8s.io/v1alpha1" }),
      options(load),
    );
    expect(encodeCredentialProviderResponse(served.response)).toBe(
      '{"kind":"CredentialProviderResponse","apiVersion":"credentialprovider.kubelet.k8s.io/v1alpha1","cacheKeyType":"Registry","cacheDuration":"0s","auth":{}}\n',
    );
    expect(served.servedBy).toBe("none");
    expect(calls.loads).toBe(0);
  });

  it("ECR with the node identity: Registry, the host kept as the key, cached until 15 minutes before expiry", async () => {
    const { calls, load } = cloud();
    const served = await serveCredentialRequest(req(`${ECR}/team/app:1`), options(load));
    expect(served.response).toEqual({
      apiVersion: V1,
      cacheKeyType: "Registry",
      cacheDuration: "11h45m0s",
      auth: { [ECR]: { username: "AWS", password: "ecr-token" } },
    });
    expect(calls.ecr[0]?.identity).toEqual({ mode: "node" });
  });

  it("keeps the port of a registry in the auth key (ecr-credential-provider drops it, so kubelet never matches)", async () => {
    const { load } = cloud();
    const served = await serveCredentialRequest(req(`${ECR}:443/team/app`), options(load));
    expect(Object.keys(served.response.auth)).toEqual([`${ECR}:443`]);
  });

  it("ECR with a ServiceAccount token: the role from the annotation, else AWS_ECR_ROLE_ARN, else the node", async () => {
    const { calls, load } = cloud();
    const role = "arn:aws:iam::123456789012:role/pull";
    await serveCredentialRequest(
      req(`${ECR}/a`, {
        serviceAccountToken: SA_TOKEN,
        serviceAccountAnnotations: { "eks.amazonaws.com/ecr-role-arn": role },
      }),
      options(load),
    );
    await serveCredentialRequest(
      req(`${ECR}/a`, { serviceAccountToken: SA_TOKEN }),
      options(load, { env: { AWS_ECR_ROLE_ARN: "arn:aws:iam::1:role/env" } }),
    );
    const served = await serveCredentialRequest(
      req(`${ECR}/a`, { serviceAccountToken: SA_TOKEN }),
      options(load),
    );
    expect(calls.ecr.map((call) => call.identity)).toEqual([
      {
        mode: "web-identity",
        roleArn: role,
        roleFrom: "annotation eks.amazonaws.com/ecr-role-arn",
        token: SA_TOKEN,
      },
      {
        mode: "web-identity",
        roleArn: "arn:aws:iam::1:role/env",
        roleFrom: "environment variable AWS_ECR_ROLE_ARN",
        token: SA_TOKEN,
      },
      { mode: "node" },
    ]);
    expect(served.identity).toBe("node identity");
  });

  it("ACR with a ServiceAccount token needs the client and tenant annotations", async () => {
    const { calls, load } = cloud();
    const annotations = {
      "kubernetes.azure.com/acr-client-id": "cid",
      "kubernetes.azure.com/acr-tenant-id": "tid",
    };
    const served = await serveCredentialRequest(
      req("myreg.azurecr.io/app", { serviceAccountToken: SA_TOKEN, serviceAccountAnnotations: annotations }),
      options(load),
    );
    expect(calls.acr[0]?.identity).toEqual({
      mode: "federated",
      clientId: "cid",
      tenantId: "tid",
      token: SA_TOKEN,
    });
    expect(served.response.auth).toEqual({
      "myreg.azurecr.io": { username: "00000000-0000-0000-0000-000000000000", password: "acr-refresh" },
    });
    // No expiry known: kubelet's defaultCacheDuration applies.
    expect(served.response.cacheDuration).toBeUndefined();
    await expect(
      serveCredentialRequest(req("myreg.azurecr.io/app", { serviceAccountToken: SA_TOKEN }), options(load)),
    ).rejects.toThrow(
      /without annotation kubernetes.azure.com\/acr-client-id and kubernetes.azure.com\/acr-tenant-id/,
    );
  });

  it("serves an ACR under a custom domain named with --acr-login-server (port kept), and nothing else as ACR", async () => {
    const { calls, load } = cloud();
    const served = await serveCredentialRequest(
      req("registry.contoso.com:8443/team/app"),
      options(load, { acrLoginServers: ["registry.contoso.com:8443"] }),
    );
    expect(calls.acr[0]).toMatchObject({
      server: "registry.contoso.com:8443",
      customDomain: true,
      identity: { mode: "node" },
    });
    expect(Object.keys(served.response.auth)).toEqual(["registry.contoso.com:8443"]);
    const other = await serveCredentialRequest(
      req("registry.contoso.com/team/app"),
      options(load, { acrLoginServers: ["registry.contoso.com:8443"] }),
    );
    expect(other.servedBy).toBe("none");
  });

  it("refuses a source that hands back the ServiceAccount token (kubelet would drop the answer)", async () => {
    const { load } = cloud({ ecr: () => Promise.resolve({ username: "x", password: SA_TOKEN }) });
    const error = await serveCredentialRequest(
      req(`${ECR}/a`, { serviceAccountToken: SA_TOKEN }),
      options(load),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).code).toBe("E_PROVIDER_TOKEN_ECHO");
    expect((error as Error).message).not.toContain(SA_TOKEN);
  });

  it("bounds a slow cloud endpoint well inside kubelet's one-minute exec timeout, and aborts the call", async () => {
    let aborted = false;
    const { load } = cloud({
      ecr: (_input, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("aborted"));
          });
        }),
    });
    const error = await serveCredentialRequest(req(`${ECR}/a`), options(load, { cloudDeadlineMs: 50 })).catch(
      (e: unknown) => e,
    );
    expect((error as EnvironmentError).code).toBe("E_PROVIDER_TIMEOUT");
    expect(aborted).toBe(true);
  });

  it("refuses an image that is not a reference", async () => {
    const { load } = cloud();
    await expect(serveCredentialRequest(req("ghcr.io//double-slash"), options(load))).rejects.toBeInstanceOf(
      InputError,
    );
  });
});
