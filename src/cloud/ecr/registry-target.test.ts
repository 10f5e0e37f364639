import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import { ecrApiSettings, ecrRegistryTarget } from "./registry-target.js";

describe("ecrRegistryTarget: region, account and partition from the host", () => {
  it.each([
    ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "eu-west-1", "aws", false, false],
    ["123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1", "aws-us-gov", true, false],
    ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "cn-north-1", "aws-cn", false, false],
    ["123456789012.dkr-ecr.eu-west-1.on.aws", "eu-west-1", "aws", false, true],
    ["123456789012.dkr-ecr-fips.us-east-1.on.aws", "us-east-1", "aws", true, true],
    ["123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn", "cn-north-1", "aws-cn", false, true],
    ["123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov", "us-iso-east-1", "aws-iso", false, false],
    ["123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1", "aws-iso-b", false, false],
    ["123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1", "aws-eusc", false, false],
    ["https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/", "eu-west-1", "aws", false, false],
  ])("%s", (server, region, partition, fips, dualStack) => {
    const target = ecrRegistryTarget(server);
    expect(target).toEqual({ server, region, accountId: "123456789012", partition, fips, dualStack });
    expect(ecrApiSettings(target)).toEqual({
      region,
      useFipsEndpoint: fips,
      useDualstackEndpoint: dualStack,
    });
  });

  it("a source's region must agree with the host's, and so must a registry id", () => {
    const host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    expect(ecrRegistryTarget(host, { region: "eu-west-1" }).region).toBe("eu-west-1");
    expect(() => ecrRegistryTarget(host, { region: "us-east-1" })).toThrow(
      `${host} is an ECR registry in eu-west-1, but its source says region us-east-1`,
    );
    expect(() => ecrRegistryTarget(host, { registryId: "210987654321" })).toThrow(
      `${host} is the registry of account 123456789012, but its source says registry id 210987654321`,
    );
  });

  it("a host that is not ECR's own (a mirror in front of ECR) needs the region; the account is optional", () => {
    expect(ecrRegistryTarget("127.0.0.1:5000", { region: "us-east-1" })).toEqual({
      server: "127.0.0.1:5000",
      region: "us-east-1",
      accountId: undefined,
      partition: undefined,
      fips: false,
      dualStack: false,
    });
    expect(
      ecrRegistryTarget("mirror.example.com", { region: "eu-west-1", registryId: "210987654321" }).accountId,
    ).toBe("210987654321");
    expect(() => ecrRegistryTarget("mirror.example.com")).toThrow(/is not an ECR host .* names no region$/);
    expect(() => ecrRegistryTarget("mirror.example.com", { region: "eu west 1" })).toThrow(
      'mirror.example.com is not an ECR host, and its region "eu west 1" is not an AWS region',
    );
  });

  it("ECR Public is refused with why, a bad registry id as what it is", () => {
    for (const server of ["public.ecr.aws", "ecr-public.aws.com"]) {
      const error = (() => {
        try {
          return ecrRegistryTarget(server);
        } catch (e) {
          return e;
        }
      })() as InputError;
      expect(error).toBeInstanceOf(InputError);
      expect(error.code).toBe("E_ECR_PUBLIC_UNSUPPORTED");
      expect(error.hint).toMatch(/public images pull without credentials/);
    }
    expect(() => ecrRegistryTarget("x.example", { region: "eu-west-1", registryId: "12345" })).toThrow(
      /"12345" for x.example is not a 12-digit AWS account id/,
    );
  });

  it("hostile servers: either a target whose region and account are well-formed, or an InputError on one line", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        (server, region) => {
          try {
            const target = ecrRegistryTarget(server, { region });
            expect(target.region).toMatch(/^[a-z0-9-]+$/);
            if (target.accountId !== undefined) expect(target.accountId).toMatch(/^\d{12}$/);
          } catch (error) {
            expect(error).toBeInstanceOf(InputError);
            expect((error as Error).message).not.toMatch(/\n/);
          }
        },
      ),
    );
  });
});
