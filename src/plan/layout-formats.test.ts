// Every string the layout schema checks by pattern is explained when it does not match: what it should be, what
// is wrong with this value, and a corrected value where one can be derived (which then does match).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORMATS, explainMismatch, formatOfPattern, matchesFormat } from "./layout-formats.js";
import type { StringFormat } from "./layout-formats.js";
import { LAYOUT_SCHEMA } from "./layout-schema.js";

function patternsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) patternsOf(item, out);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "pattern" && typeof value === "string") out.push(value);
      else patternsOf(value, out);
    }
  }
  return out;
}

describe("layout string formats", () => {
  it("every pattern of the layout schema has a format that explains it", () => {
    const patterns = patternsOf(LAYOUT_SCHEMA);
    expect(patterns.length).toBeGreaterThan(15);
    for (const pattern of patterns) expect(formatOfPattern(pattern), pattern).toBeDefined();
  });

  const cases: Array<[StringFormat, string, string, string | undefined]> = [
    [
      FORMATS.dnsLabel,
      "Tools_NS",
      `"Tools_NS" is not a DNS-1123 label (it has uppercase letters and '_'): expected lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
      "tools-ns",
    ],
    [
      FORMATS.dnsLabel,
      "-apps-",
      `"-apps-" is not a DNS-1123 label (it starts with '-'; it ends with '-'): expected`,
      "apps",
    ],
    [FORMATS.dnsLabel, "my app", `"my app" is not a DNS-1123 label (it has a space)`, "my-app"],
    [FORMATS.dnsLabel, "___", `"___" is not a DNS-1123 label (it has '_')`, undefined],
    [FORMATS.dnsSubdomain, "Pull.Secret_", `(it has uppercase letters and '_')`, "pull.secret"],
    [FORMATS.dnsSubdomain, "a..b", `(a dot-separated part is empty or starts or ends with '-')`, "a.b"],
    [FORMATS.clusterName, "_prod", `"_prod" is not a cluster name (it starts with '_')`, "prod"],
    [
      FORMATS.awsRegion,
      "EU-West-1",
      `"EU-West-1" is not an AWS region: expected a region code such as eu-west-1`,
      "eu-west-1",
    ],
    [
      FORMATS.awsAccountId,
      "1234-5678-9012",
      `is not an AWS account id: expected exactly 12 digits`,
      "123456789012",
    ],
    [FORMATS.gcpProject, "My_Project", `(it has uppercase letters and '_')`, "my-project"],
    [
      FORMATS.registryHost,
      "https://harbor.example.com/v2/",
      `is not a registry host: expected host[:port] without a scheme or path`,
      "harbor.example.com",
    ],
    [FORMATS.acrName, "myacr.azurecr.io", `is not an Azure Container Registry name (it has '.')`, "myacr"],
    [
      FORMATS.githubOwner,
      "ghcr.io/acme",
      `is not a GitHub user or organisation name (it has '.' and '/')`,
      "acme",
    ],
    [FORMATS.username, "bot:secret", `is not a registry username (it has ':')`, undefined],
    [
      FORMATS.envName,
      "$GHCR-TOKEN",
      `is not an environment variable name (it has '$' and '-')`,
      "GHCR_TOKEN",
    ],
    [FORMATS.envName, "1TOKEN", `(it starts with a digit)`, undefined],
    [FORMATS.date, "2026/12/31", `is not a date: expected YYYY-MM-DD`, undefined],
    [FORMATS.guid, "not-a-guid", `is not an object id: expected a GUID`, undefined],
  ];

  it.each(cases)("%#: %s", (format, value, message, fixed) => {
    expect(matchesFormat(format, value)).toBe(false);
    const explained = explainMismatch(format, value);
    expect(explained.message).toContain(message);
    expect(explained.fixed).toBe(fixed);
    if (fixed !== undefined) expect(matchesFormat(format, fixed), fixed).toBe(true);
  });

  it("a suggested value always matches its format and differs from the value", () => {
    for (const format of Object.values(FORMATS) as StringFormat[]) {
      if (!format.fix) continue;
      fc.assert(
        fc.property(fc.string({ maxLength: 80 }), (value) => {
          const { fixed } = explainMismatch(format, value);
          if (fixed === undefined) return;
          expect(fixed).not.toBe(value);
          expect(matchesFormat(format, fixed), `${format.name}: ${JSON.stringify(value)} -> ${fixed}`).toBe(
            true,
          );
        }),
        { numRuns: 300 },
      );
    }
  });
});
