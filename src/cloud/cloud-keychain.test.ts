import { describe, expect, it } from "vitest";
import { parseNormalizedReference } from "../reference/index.js";
import { cloudKeychain, cloudTokenTargetFor } from "./cloud-keychain.js";
import type { CloudTokenTarget } from "./cloud-token.js";

describe("cloudTokenTargetFor: which cloud mints for a registry host", () => {
  it.each<[string, CloudTokenTarget | undefined]>([
    [
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
      { provider: "ecr", server: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", region: "eu-west-1" },
    ],
    [
      "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
      { provider: "ecr", server: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", region: "cn-north-1" },
    ],
    [
      "123456789012.dkr-ecr-fips.us-gov-west-1.on.aws",
      { provider: "ecr", server: "123456789012.dkr-ecr-fips.us-gov-west-1.on.aws", region: "us-gov-west-1" },
    ],
    ["contoso.azurecr.io", { provider: "acr", server: "contoso.azurecr.io", registryName: "contoso" }],
    ["contoso.azurecr.cn", { provider: "acr", server: "contoso.azurecr.cn", registryName: "contoso" }],
    ["public.ecr.aws", undefined],
    ["ghcr.io", undefined],
    ["docker.io", undefined],
    ["127.0.0.1:5000", undefined],
  ])("%s", (host, expected) => {
    expect(cloudTokenTargetFor(host)).toEqual(expected);
  });
});

describe("cloudKeychain", () => {
  const image = (text: string) => ({ reference: parseNormalizedReference(text) });
  const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

  it("mints once per registry, and labels the attempt with the identity and expiry, never the token", async () => {
    const minted: string[] = [];
    const keychain = cloudKeychain(async (target) => {
      minted.push(target.server);
      return {
        server: target.server,
        username: "AWS",
        password: "CANARY-ecr-token",
        expiresAt: new Date("2026-06-01T12:00:00Z"),
        source: "ecr:GetAuthorizationToken (eu-west-1)",
        identity: "arn:aws:sts::123456789012:assumed-role/ci/session",
      };
    });
    const [first] = await keychain.attemptsFor(image(`${ECR}/app:1`));
    await keychain.attemptsFor(image(`${ECR}/other:2`));
    expect(minted).toEqual([ECR]);
    expect(first).toEqual({
      id: `cloud\u0000${ECR}`,
      label: {
        kind: "cloud",
        source: "ecr:GetAuthorizationToken (eu-west-1)",
        username: "AWS",
        identity: "arn:aws:sts::123456789012:assumed-role/ci/session",
        expiresAt: "2026-06-01T12:00:00.000Z",
      },
      credential: { username: "AWS", password: "CANARY-ecr-token" },
    });
    expect(JSON.stringify(first?.label)).not.toContain("CANARY");
  });

  it("a failed mint rejects with the source's error; an image on no cloud is refused", async () => {
    const keychain = cloudKeychain(() => Promise.reject(new Error("AccessDenied for role ci")));
    await expect(keychain.attemptsFor(image(`${ECR}/app:1`))).rejects.toThrow("AccessDenied for role ci");
    await expect(keychain.attemptsFor(image("ghcr.io/a/b:1"))).rejects.toThrow("not an ECR or ACR registry");
  });
});
