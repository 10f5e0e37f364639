import { describe, expect, it } from "vitest";
import { CONFIG_CASES } from "../../test/credential-provider/kubelet-config-cases.js";
import { buildCredentialProviderConfig } from "../plan/credential-provider.js";
import { checkKubeletConfig } from "./check-config.js";

describe("checkKubeletConfig: kubelet's decoding and validation (config_test.go cases), and the traps", () => {
  it.each(CONFIG_CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const check = checkKubeletConfig("config.yaml", [{ path: "config.yaml", text: c.yaml }]);
    const errors = check.findings.filter((f) => f.severity === "error").map((f) => `${f.path}: ${f.message}`);
    const warnings = check.findings
      .filter((f) => f.severity === "warning")
      .map((f) => `${f.path}: ${f.message} ${f.fix ?? ""}`);
    if (c.accepted) expect(errors).toEqual([]);
    else expect(errors.length).toBeGreaterThan(0);
    for (const error of c.errors ?? [])
      expect(
        errors.some((e) => error.test(e)),
        `${error} in ${errors.join(" | ")}`,
      ).toBe(true);
    for (const warning of c.warnings ?? []) {
      expect(
        warnings.some((w) => warning.test(w)),
        `${warning} in ${warnings.join(" | ")}`,
      ).toBe(true);
    }
    if (!c.warnings && c.accepted) expect(warnings).toEqual([]);
  });

  it("merges a directory's files in order; a provider name in two files is an error (kubelet 1.34+)", () => {
    const one = CONFIG_CASES[0]?.yaml ?? "";
    const check = checkKubeletConfig("dir", [
      { path: "dir/a.yaml", text: one },
      { path: "dir/b.yaml", text: one },
    ]);
    expect(check.findings.map((f) => f.message)).toEqual([
      'duplicate provider name "pullwarden-credential-provider"',
    ]);
    expect(checkKubeletConfig("dir", []).findings[0]?.message).toMatch(/no configuration files found/);
  });

  it("accepts what plan renders for ECR and ACR registries (one definition of the config, two readers)", () => {
    const config = buildCredentialProviderConfig([
      {
        host: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        info: {
          kind: "ecr",
          host: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
          hostname: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
          accountId: "123456789012",
          region: "eu-west-1",
          partition: "aws",
          dnsSuffix: "amazonaws.com",
          fips: false,
          dualStack: false,
        },
      },
    ] as never);
    const check = checkKubeletConfig("plan.json", [{ path: "plan.json", text: JSON.stringify(config) }]);
    expect(check.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
});
