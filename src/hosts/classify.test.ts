import { describe, expect, it } from "vitest";
import fc from "fast-check";

import { classifyRegistryHost } from "./index.js";
import type { RegistryHostInfo, RegistryKind } from "./index.js";

type Expect = Partial<Record<string, unknown>> & { kind: RegistryKind };

// Private ECR hosts. Shapes from kubernetes/cloud-provider-aws TestRegistryPatternMatch and AWS
// "Making requests to Amazon ECR registries" (dual-stack `<registry-id>.dkr-ecr.<region>.on.aws`).
const ecrCases: Array<[string, Expect]> = [
  [
    "123456789012.dkr.ecr.us-east-1.amazonaws.com",
    {
      kind: "ecr",
      accountId: "123456789012",
      region: "us-east-1",
      partition: "aws",
      dnsSuffix: "amazonaws.com",
      fips: false,
      dualStack: false,
    },
  ],
  ["602401143452.dkr.ecr.eu-west-1.amazonaws.com", { kind: "ecr", region: "eu-west-1", partition: "aws" }],
  ["210987654321.dkr.ecr.ap-southeast-4.amazonaws.com", { kind: "ecr", region: "ap-southeast-4" }],
  ["123456789012.dkr.ecr.lala-land-1.amazonaws.com", { kind: "ecr", region: "lala-land-1" }],
  [
    "918309763551.dkr.ecr.cn-north-1.amazonaws.com.cn",
    { kind: "ecr", region: "cn-north-1", partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" },
  ],
  ["961992271922.dkr.ecr.cn-northwest-1.amazonaws.com.cn", { kind: "ecr", partition: "aws-cn" }],
  [
    "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com",
    { kind: "ecr", region: "us-east-1", partition: "aws", fips: true, dualStack: false },
  ],
  [
    "013241004608.dkr.ecr.us-gov-west-1.amazonaws.com",
    { kind: "ecr", region: "us-gov-west-1", partition: "aws-us-gov", fips: false },
  ],
  [
    "151742754352.dkr.ecr-fips.us-gov-east-1.amazonaws.com",
    { kind: "ecr", region: "us-gov-east-1", partition: "aws-us-gov", fips: true },
  ],
  [
    "123456789012.dkr-ecr.us-east-1.on.aws",
    { kind: "ecr", region: "us-east-1", partition: "aws", dnsSuffix: "on.aws", dualStack: true, fips: false },
  ],
  [
    "123456789012.dkr-ecr-fips.us-west-2.on.aws",
    { kind: "ecr", region: "us-west-2", dualStack: true, fips: true },
  ],
  ["123456789012.dkr-ecr.us-gov-west-1.on.aws", { kind: "ecr", partition: "aws-us-gov", dualStack: true }],
  [
    "123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn",
    { kind: "ecr", region: "cn-north-1", partition: "aws-cn", dualStack: true },
  ],
  [
    "123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu",
    { kind: "ecr", region: "eusc-de-east-1", partition: "aws-eusc", dnsSuffix: "amazonaws.eu" },
  ],
  [
    "725322719131.dkr.ecr.us-iso-east-1.c2s.ic.gov",
    { kind: "ecr", region: "us-iso-east-1", partition: "aws-iso", dnsSuffix: "c2s.ic.gov" },
  ],
  [
    "123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov",
    { kind: "ecr", region: "us-isob-east-1", partition: "aws-iso-b" },
  ],
  [
    "123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk",
    { kind: "ecr", region: "eu-isoe-west-1", partition: "aws-iso-e" },
  ],
  [
    "123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov",
    { kind: "ecr", region: "us-isof-south-1", partition: "aws-iso-f" },
  ],
  // Forms a kubelet/docker key may take.
  [
    "https://123456789012.dkr.ecr.us-west-2.amazonaws.com",
    { kind: "ecr", host: "123456789012.dkr.ecr.us-west-2.amazonaws.com", region: "us-west-2" },
  ],
  [
    "123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app:1.2",
    { kind: "ecr", host: "123456789012.dkr.ecr.us-west-2.amazonaws.com" },
  ],
  [
    "123456789012.DKR.ECR.US-WEST-2.AMAZONAWS.COM",
    { kind: "ecr", host: "123456789012.dkr.ecr.us-west-2.amazonaws.com", region: "us-west-2" },
  ],
  [
    "123456789012.dkr.ecr.us-west-2.amazonaws.com:443",
    {
      kind: "ecr",
      host: "123456789012.dkr.ecr.us-west-2.amazonaws.com:443",
      hostname: "123456789012.dkr.ecr.us-west-2.amazonaws.com",
      port: "443",
    },
  ],
  ["public.ecr.aws", { kind: "ecr-public", region: "us-east-1", dualStack: false }],
  ["https://public.ecr.aws/v2/", { kind: "ecr-public", host: "public.ecr.aws" }],
  ["public.ecr.aws/eks-distro/kubernetes/pause", { kind: "ecr-public" }],
  ["ecr-public.aws.com", { kind: "ecr-public", dualStack: true }],
];

// ACR: cloud-provider-azure containerRegistryUrls / acrRE.
const acrCases: Array<[string, Expect]> = [
  [
    "myregistry.azurecr.io",
    { kind: "acr", registryName: "myregistry", cloud: "public", dnsSuffix: "azurecr.io" },
  ],
  [
    "contosoprod01.azurecr.io/app/web:2",
    { kind: "acr", registryName: "contosoprod01", host: "contosoprod01.azurecr.io" },
  ],
  [
    "https://MyRegistry.AzureCR.io",
    { kind: "acr", registryName: "myregistry", host: "myregistry.azurecr.io" },
  ],
  ["govreg.azurecr.us", { kind: "acr", registryName: "govreg", cloud: "usgov", dnsSuffix: "azurecr.us" }],
  ["chinareg.azurecr.cn", { kind: "acr", registryName: "chinareg", cloud: "china" }],
  ["legacyreg.azurecr.de", { kind: "acr", registryName: "legacyreg", cloud: "germany" }],
  [
    "myregistry-abc123dxfg.azurecr.io",
    { kind: "acr", registryName: "myregistry", domainNameLabelHash: "abc123dxfg", cloud: "public" },
  ],
  ["myregistry.azurecr.io:443", { kind: "acr", port: "443", hostname: "myregistry.azurecr.io" }],
];

const otherCases: Array<[string, Expect]> = [
  ["ghcr.io", { kind: "ghcr", host: "ghcr.io" }],
  ["https://ghcr.io", { kind: "ghcr", host: "ghcr.io" }],
  ["ghcr.io/my-org/app", { kind: "ghcr" }],
  ["GHCR.IO", { kind: "ghcr", host: "ghcr.io" }],
  ["  ghcr.io  ", { kind: "ghcr", host: "ghcr.io" }],
  ["docker.io", { kind: "dockerhub", alias: "docker.io", kubeletMatch: "direct" }],
  [
    "https://index.docker.io/v1/",
    {
      kind: "dockerhub",
      host: "index.docker.io",
      alias: "index.docker.io",
      kubeletMatch: "default-fallback",
    },
  ],
  ["index.docker.io", { kind: "dockerhub", kubeletMatch: "default-fallback" }],
  ["registry-1.docker.io", { kind: "dockerhub", alias: "registry-1.docker.io", kubeletMatch: "never" }],
  ["docker.io/library/nginx", { kind: "dockerhub", alias: "docker.io" }],
  ["gcr.io", { kind: "gcr", service: "container-registry" }],
  ["us.gcr.io", { kind: "gcr", service: "container-registry", location: "us" }],
  ["eu.gcr.io", { kind: "gcr", location: "eu" }],
  ["asia.gcr.io/project/img", { kind: "gcr", location: "asia" }],
  ["k8s.gcr.io", { kind: "gcr", service: "container-registry", location: undefined }],
  ["us-central1-docker.pkg.dev", { kind: "gcr", service: "artifact-registry", location: "us-central1" }],
  ["europe-west4-docker.pkg.dev/proj/repo/img", { kind: "gcr", location: "europe-west4" }],
  ["europe-docker.pkg.dev", { kind: "gcr", service: "artifact-registry", location: "europe" }],
  ["registry.k8s.io", { kind: "generic", host: "registry.k8s.io" }],
  ["quay.io", { kind: "generic" }],
  ["registry.gitlab.com", { kind: "generic" }],
  ["mcr.microsoft.com", { kind: "generic" }],
  ["localhost:5000", { kind: "generic", host: "localhost:5000", hostname: "localhost", port: "5000" }],
  ["http://127.0.0.1:5443/v2/", { kind: "generic", host: "127.0.0.1:5443", port: "5443" }],
  ["[::1]:5000/app", { kind: "generic", host: "[::1]:5000", hostname: "[::1]", port: "5000" }],
  ["harbor.example.com/project", { kind: "generic", host: "harbor.example.com" }],
];

// Near-misses that must not be mistaken for a cloud registry.
const nearMisses: string[] = [
  "azurecr.io",
  ".azurecr.io",
  "x.azurecr.io.evil.com",
  "a.b.azurecr.io",
  "westeurope.data.azurecr.io",
  "my_registry.azurecr.io",
  "myregistry.azurecr.com",
  "myregistry.azurecr.io.",
  "azurecr.io.evil.com",
  "dkr.ecr.us-east-1.amazonaws.com",
  "123456789012.dkr.ecr.amazonaws.com",
  "1234567890123.dkr.ecr.us-east-1.amazonaws.com",
  "12345678901.dkr.ecr.us-east-1.amazonaws.com",
  "12345678901a.dkr.ecr.us-east-1.amazonaws.com",
  "123456789012.dkr.ecr.lala-land-1!.amazonaws.com",
  "123456789012.dkr.ecr.#lala-land-1.amazonaws.com",
  "123456789012.dkr.ecr.us-east-1.amazonaws.hacker.com",
  "123456789012.dkr.ecr.us-east-1.hacker.com",
  "123456789012.dkr.ecr.us-east-1.amazonaws.lol",
  "123456789012.dog.ecr.us-east-1.amazonaws.com",
  "123456789012.dkr.cat.us-east-1.amazonaws.com",
  "123456789012.us-east-1.amazonaws.com",
  "123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.com",
  "evil.com.123456789012.dkr.ecr.us-east-1.amazonaws.com",
  "123456789012.dkr-ecr.us-east-1.api.aws",
  "ecr.us-east-1.api.aws",
  "api.ecr.us-east-1.amazonaws.com",
  "public.ecr.aws.evil.com",
  "evilpublic.ecr.aws",
  "ghcr.io.evil.com",
  "evilghcr.io",
  "ghcr.com",
  "ghcr.io@evil.example",
  "https://ghcr.io@evil.example/v2/",
  "ghcr.io:notaport",
  "ghcr.io:",
  "docker.com",
  "hub.docker.com.evil.com",
  "gcr.io.evil.com",
  "a.b.gcr.io",
  "docker.pkg.dev",
  "evil.us-docker.pkg.dev",
  "pkg.dev",
  "",
  "   ",
  "https://",
  "://",
  "/ghcr.io",
];

function check(input: string, expected: Expect): void {
  const got = classifyRegistryHost(input) as RegistryHostInfo & Record<string, unknown>;
  for (const [key, value] of Object.entries(expected)) {
    expect(got[key], `${key} of ${JSON.stringify(input)}`).toStrictEqual(value);
  }
}

describe("classifyRegistryHost", () => {
  it.each(ecrCases)("ECR: %s", check);
  it.each(acrCases)("ACR: %s", check);
  it.each(otherCases)("other: %s", check);
  it.each(nearMisses)("near-miss %j is generic", (input) => {
    expect(classifyRegistryHost(input).kind).toBe("generic");
  });

  it("strips user info and never reports it", () => {
    const got = classifyRegistryHost("https://user:s3cr3tpassw0rd@ghcr.io/v2/");
    expect(got).toEqual({ kind: "ghcr", host: "ghcr.io", hostname: "ghcr.io" });
    expect(JSON.stringify(got)).not.toContain("s3cr3t");
  });

  it("omits port when none is given", () => {
    expect("port" in classifyRegistryHost("ghcr.io")).toBe(false);
  });

  it("keeps an explicit :443 (kubelet compares ports as strings)", () => {
    expect(classifyRegistryHost("ghcr.io:443")).toEqual({
      kind: "ghcr",
      host: "ghcr.io:443",
      hostname: "ghcr.io",
      port: "443",
    });
  });

  it("never throws and always returns a known kind (property)", () => {
    const kinds = new Set(["acr", "ecr", "ecr-public", "ghcr", "dockerhub", "gcr", "generic"]);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.webUrl(), fc.domain()), (input) => {
        const got = classifyRegistryHost(input);
        expect(kinds.has(got.kind)).toBe(true);
        expect(typeof got.host).toBe("string");
      }),
      { numRuns: 2000 },
    );
  });

  it("is case-insensitive (property on real hosts)", () => {
    const hosts = [...ecrCases, ...acrCases, ...otherCases].map(([h]) => h);
    fc.assert(
      fc.property(fc.constantFrom(...hosts), fc.boolean(), (h, upper) => {
        const variant = upper ? h.toUpperCase() : h.toLowerCase();
        expect(classifyRegistryHost(variant).kind).toBe(classifyRegistryHost(h).kind);
      }),
    );
  });

  it("handles huge input quickly", () => {
    const huge = "a".repeat(1 << 20) + ".azurecr.io";
    const start = Date.now();
    expect(classifyRegistryHost(huge).kind).toBe("generic");
    expect(classifyRegistryHost("1".repeat(1 << 20) + ".dkr.ecr.us-east-1.amazonaws.com").kind).toBe(
      "generic",
    );
    expect(classifyRegistryHost("-".repeat(200) + "-docker.pkg.dev").kind).toBe("generic");
    expect(Date.now() - start).toBeLessThan(2000);
  });

  it("tolerates non-string input from untyped callers", () => {
    expect(classifyRegistryHost(undefined as unknown as string).kind).toBe("generic");
    expect(classifyRegistryHost(42 as unknown as string).kind).toBe("generic");
  });
});
