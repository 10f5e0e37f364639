import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { urlsMatch } from "../dockerconfig/index.js";
import { classifyRegistryHost } from "../hosts/index.js";
import { buildCredentialProviderConfig, ecrPattern } from "./credential-provider.js";
import { ecrHost } from "./layout-parse.js";
import type { RegistryDecl } from "./layout-types.js";

function registry(host: string): RegistryDecl {
  const info = classifyRegistryHost(host);
  return { name: "r", path: "registries[0]", host: info.host, info, secretName: "r-pull" };
}

describe("ECR matchImages", () => {
  it.each([
    ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "*.dkr.ecr.*.amazonaws.com"],
    ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "*.dkr.ecr.*.amazonaws.com.cn"],
    ["123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "*.dkr.ecr-fips.*.amazonaws.com"],
    ["123456789012.dkr-ecr.us-west-2.on.aws", "*.dkr-ecr.*.on.aws"],
    ["123456789012.dkr-ecr-fips.us-east-1.on.aws", "*.dkr-ecr-fips.*.on.aws"],
    [
      "123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn",
      "*.dkr-ecr.*.on.amazonwebservices.com.cn",
    ],
    ["123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu", "*.dkr.ecr.*.amazonaws.eu"],
    ["123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov", "*.dkr.ecr.*.c2s.ic.gov"],
  ])("%s → %s", (host, pattern) => {
    const info = classifyRegistryHost(host);
    if (info.kind !== "ecr") throw new Error(`${host} is not ECR`);
    expect(ecrPattern(info.hostname, info.region, info.dnsSuffix)).toBe(pattern);
    expect(urlsMatch(pattern, `${host}/app`)).toBe(true);
  });

  it("the standard patterns do not match FIPS or dual-stack hosts (why they get their own)", () => {
    for (const host of [
      "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com",
      "123456789012.dkr-ecr.us-east-1.on.aws",
    ]) {
      expect(urlsMatch("*.dkr.ecr.*.amazonaws.com", `${host}/app`)).toBe(false);
    }
  });

  it("every ECR endpoint the layout can name is served by the generated config (property)", () => {
    const regions = fc.constantFrom(
      "us-east-1",
      "eu-west-1",
      "cn-north-1",
      "us-gov-west-1",
      "eusc-de-east-1",
      "us-iso-east-1",
      "us-isob-east-1",
      "eu-isoe-west-1",
      "us-isof-south-1",
      "ap-southeast-4",
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{12}$/),
        regions,
        fc.boolean(),
        fc.boolean(),
        (account, region, fips, dualStack) => {
          const host = ecrHost(account, region, fips, dualStack);
          const decl = registry(host);
          expect(decl.info.kind).toBe("ecr");
          const config = buildCredentialProviderConfig([decl]);
          const patterns = config?.providers[0]?.matchImages ?? [];
          expect(patterns.some((p) => urlsMatch(p, `${host}/team/app`))).toBe(true);
          // Never a pattern broad enough to send ECR tokens elsewhere.
          expect(
            patterns.some((p) => urlsMatch(p, "ghcr.io/team/app") || urlsMatch(p, "evil.example.com/x")),
          ).toBe(false);
        },
      ),
    );
  });
});

describe("ACR matchImages", () => {
  it("one pattern per Azure cloud in use, with azure.json as the argument", () => {
    const config = buildCredentialProviderConfig([
      registry("contoso.azurecr.io"),
      registry("other1.azurecr.io"),
      registry("gov01.azurecr.us"),
    ]);
    expect(config?.providers).toEqual([
      {
        name: "acr-credential-provider",
        matchImages: ["*.azurecr.io", "*.azurecr.us"],
        defaultCacheDuration: "10m",
        apiVersion: "credentialprovider.kubelet.k8s.io/v1",
        args: ["/etc/kubernetes/azure.json"],
      },
    ]);
  });

  it("no registries, no config", () => {
    expect(buildCredentialProviderConfig([])).toBeUndefined();
  });
});
