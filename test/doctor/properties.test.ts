// Properties: recognizeRuntimeMessage and explain never throw on arbitrary text, and never echo a secret planted
// in their input, in the shapes secrets travel in (token prefixes, JWTs, Authorization values, key=value,
// JSON fields, URL user info and query strings), wherever it is planted (an event message, a waiting message,
// a "name" in describe output).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explainText, recognizeRuntimeMessage, redactMessage } from "../../src/doctor/index.js";
import { renderExplainReport } from "../../src/cli/commands/explain/render.js";
import { createPaint } from "../../src/cli/output.js";
import { REPO_ROOT } from "../support/index.js";

const NOW = new Date("2026-06-01T10:00:00Z");
const describeText = readFileSync(
  join(REPO_ROOT, "testdata/doctor/describe/containerd-1.7-ghcr-anonymous-401.txt"),
  "utf8",
);

const anyText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: "binary", maxLength: 400 }),
  fc
    .array(
      fc.constantFrom(
        "\n",
        "  ",
        ":",
        '"',
        "Name:",
        "Events:",
        "  Type     Reason  Age  From  Message",
        "Warning",
        "Failed",
        'Back-off pulling image "',
        "rpc error: code = ",
        "https://",
        "?",
        "=",
        "[",
        "]",
        ", ",
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join("")),
);

/** A fixed amount of each character class, shuffled by fast-check: as random as a real token. */
function body(length: number): fc.Arbitrary<string> {
  const third = Math.ceil(length / 3);
  return fc
    .tuple(
      fc.string({
        unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        minLength: third,
        maxLength: third,
      }),
      fc.string({
        unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"),
        minLength: third,
        maxLength: third,
      }),
      fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: third, maxLength: third }),
    )
    .chain(([u, l, d]) =>
      fc.shuffledSubarray([...u, ...l, ...d], { minLength: 3 * third, maxLength: 3 * third }),
    )
    .map((chars) => chars.join("").slice(0, length));
}

/** [the secret, the text around it that carries it]. */
const planted: fc.Arbitrary<[string, (s: string) => string]> = fc.oneof(
  body(36).map((b) => [`ghp${"_"}${b}`, (s: string) => s] as [string, (s: string) => string]),
  body(82).map(
    (b) =>
      [`github${"_pat_"}${b.slice(0, 22)}_${b.slice(22)}`, (s: string) => s] as [
        string,
        (s: string) => string,
      ],
  ),
  body(36).map((b) => [`ghs${"_"}${b}`, (s: string) => s] as [string, (s: string) => string]),
  body(27).map((b) => [`dckr${"_pat_"}${b}`, (s: string) => s] as [string, (s: string) => string]),
  body(20).map((b) => [`glpat${"-"}${b}`, (s: string) => s] as [string, (s: string) => string]),
  body(16).map((b) => [`AKIA${b.toUpperCase()}`, (s: string) => s] as [string, (s: string) => string]),
  fc
    .tuple(body(30), body(60), body(40))
    .map(([h, p, sig]) => [`eyJ${h}.eyJ${p}.${sig}`, (s: string) => s] as [string, (s: string) => string]),
  body(40).map((b) => [b, (s: string) => `Authorization: Bearer ${s}`] as [string, (s: string) => string]),
  body(40).map((b) => [b, (s: string) => ` Basic ${s}`] as [string, (s: string) => string]),
  body(24).map((b) => [b, (s: string) => ` password=${s}`] as [string, (s: string) => string]),
  body(24).map((b) => [b, (s: string) => `{"auth":"${s}"}`] as [string, (s: string) => string]),
  body(24).map(
    (b) =>
      [b, (s: string) => ` https://robot:${s}@registry.example.com/v2/`] as [string, (s: string) => string],
  ),
  body(24).map(
    (b) =>
      [
        b,
        (s: string) =>
          ` https://auth.example.com/token?scope=repository%3Aa%3Apull&access_token=${s}&service=x`,
      ] as [string, (s: string) => string],
  ),
  body(48).map((b) => [b, (s: string) => ` ${s} `] as [string, (s: string) => string]),
);

const carriers: ((payload: string) => string)[] = [
  // A bare event message.
  (p) =>
    `Failed to pull image "ghcr.io/acme/web:1.4.2": rpc error: code = Unknown desc = ${p}: 401 Unauthorized`,
  // A newer kubelet's waiting message.
  (p) => `Back-off pulling image "ghcr.io/acme/web:1.4.2": ErrImagePull: failed to authorize: ${p}`,
  // Inside a describe Events row.
  (p) => describeText.replace("401 Unauthorized\n", `401 Unauthorized ${p}\n`),
  // As the Pod's name in describe output.
  (p) => describeText.replace("Name:             web-7d9c8b6f5-x2x7k", `Name:             ${p}`),
  // As an image in describe output.
  (p) => describeText.replace("    Image:          ghcr.io/acme/web:1.4.2", `    Image:          ${p}`),
  // In Pod YAML.
  (p) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: web\n    image: ghcr.io/acme/web:1\nstatus:\n  containerStatuses:\n  - name: web\n    state:\n      waiting:\n        reason: ImagePullBackOff\n        message: ${JSON.stringify(`Back-off pulling image "ghcr.io/acme/web:1": ErrImagePull: ${p}`)}\n`,
];

describe("properties", () => {
  it("recognizeRuntimeMessage never throws and returns a redacted message", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const got = recognizeRuntimeMessage(text);
        expect(typeof got.cause).toBe("string");
        expect(got.message).toBe(redactMessage(text));
      }),
      { numRuns: 500 },
    );
  });

  it("explainText never throws, on arbitrary text and on mutated describe output", () => {
    const mutated = fc
      .tuple(fc.nat({ max: describeText.length }), fc.nat({ max: 200 }), anyText)
      .map(([at, cut, insert]) => describeText.slice(0, at) + insert + describeText.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(anyText, mutated), (text) => {
        const report = explainText(text, { now: NOW });
        expect(report.findings).toBeGreaterThanOrEqual(0);
        expect(() => renderExplainReport(report, createPaint(true))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("never echoes a planted secret", () => {
    fc.assert(
      fc.property(planted, fc.constantFrom(...carriers.keys()), ([secret, shape], carrier) => {
        const text = carriers[carrier]!(shape(secret));
        const recognition = recognizeRuntimeMessage(text);
        expect(JSON.stringify(recognition)).not.toContain(secret);
        const report = explainText(text, { now: NOW });
        expect(JSON.stringify(report)).not.toContain(secret);
        expect(renderExplainReport(report, createPaint(false))).not.toContain(secret);
      }),
      { numRuns: 400 },
    );
  });

  it("redaction is idempotent", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          planted.map(([s, shape]) => shape(s)),
        ),
        (text) => {
          const once = redactMessage(text);
          expect(redactMessage(once)).toBe(once);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps ordinary runtime text intact", () => {
    const text =
      'failed to pull and unpack image "docker.io/library/nginx:1.27": failed to copy: httpReadSeeker: failed open: could not fetch content descriptor sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1 (application/vnd.oci.image.layer.v1.tar+gzip) from remote: not found';
    expect(redactMessage(text)).toBe(text);
  });
});

describe("hostile input", () => {
  it.each([
    ["a 1 MB line of spaces between event words", `Warning  Failed  ${" ".repeat(1 << 20)}kubelet`],
    ["many x509 prefixes", "x509: certificate is valid for ".repeat(20_000)],
    ["a huge URL", `https://${"a".repeat(1 << 20)}`],
    ["a long base64 run", "QUJD".repeat(1 << 18)],
    [
      "deep describe",
      `Name: x\nNamespace: y\nContainers:\n${"  c:\n    Image: x\n".repeat(50_000)}Events:\n  Type  Reason  Age  From  Message\n`,
    ],
  ])("%s is answered", (_name, text) => {
    const report = explainText(text, { now: NOW });
    expect(report.findings).toBeGreaterThanOrEqual(0);
  });
});
