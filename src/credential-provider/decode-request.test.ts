import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { MAX_REQUEST_BYTES, decodeCredentialProviderRequest } from "./decode-request.js";

const V1 = "credentialprovider.kubelet.k8s.io/v1";
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.canary-sa-token-payload.signature";

function request(fields: Record<string, unknown>): string {
  return JSON.stringify({ kind: "CredentialProviderRequest", apiVersion: V1, ...fields });
}

function refusal(input: string | Uint8Array): InputError {
  try {
    decodeCredentialProviderRequest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    expect(e.code).toBe("E_PROVIDER_REQUEST");
    expect(e.message).not.toContain("\n");
    expect(e.message).not.toContain(TOKEN);
    return e;
  }
  throw new Error("decoded");
}

describe("decodeCredentialProviderRequest", () => {
  it.each(["v1", "v1beta1", "v1alpha1"])("decodes a %s request as kubelet writes it", (version) => {
    const apiVersion = `credentialprovider.kubelet.k8s.io/${version}`;
    // Byte for byte what kubelet v1.37.2 wrote in test/integration/go-tools.test.ts.
    const text = `{"kind":"CredentialProviderRequest","apiVersion":"${apiVersion}","image":"reg.example.com/app:1"}\n`;
    expect(decodeCredentialProviderRequest(Buffer.from(text))).toEqual({
      apiVersion,
      image: "reg.example.com/app:1",
    });
  });

  it("keeps the ServiceAccount token and annotations of a v1 request (KEP-4412)", () => {
    const decoded = decodeCredentialProviderRequest(
      request({
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app",
        serviceAccountToken: TOKEN,
        serviceAccountAnnotations: {
          "eks.amazonaws.com/ecr-role-arn": "arn:aws:iam::123456789012:role/pull",
        },
      }),
    );
    expect(decoded.serviceAccountToken).toBe(TOKEN);
    expect(decoded.serviceAccountAnnotations).toEqual({
      "eks.amazonaws.com/ecr-role-arn": "arn:aws:iam::123456789012:role/pull",
    });
  });

  it("treats null as unset, as Go does", () => {
    expect(decodeCredentialProviderRequest(request({ image: "a/b", serviceAccountToken: null }))).toEqual({
      apiVersion: V1,
      image: "a/b",
    });
  });

  it.each<[string, string, RegExp]>([
    ["an unknown field", request({ image: "a/b", extra: 1 }), /unknown field "extra"/],
    ["a field in the wrong case", request({ Image: "a/b" }), /unknown field "Image".*case-sensitive/],
    [
      "a repeated field",
      `{"kind":"CredentialProviderRequest","apiVersion":"${V1}","image":"a","image":"b"}`,
      /appears twice/,
    ],
    ["a missing image", request({}), /image is missing/],
    ["an empty image", request({ image: "" }), /image is missing/],
    ["a non-string image", request({ image: 5 }), /image must be a string/],
    [
      "the wrong kind",
      request({ kind: "CredentialProviderResponse", image: "a/b" }),
      /kind "CredentialProviderResponse" is not/,
    ],
    ["a missing kind", JSON.stringify({ apiVersion: V1, image: "a/b" }), /kind is missing/],
    [
      "an unknown apiVersion",
      request({ apiVersion: "credentialprovider.kubelet.k8s.io/v2", image: "a" }),
      /not one this plugin speaks/,
    ],
    [
      "another group",
      request({ apiVersion: "kubelet.config.k8s.io/v1", image: "a" }),
      /not one this plugin speaks/,
    ],
    [
      "a missing apiVersion",
      JSON.stringify({ kind: "CredentialProviderRequest", image: "a" }),
      /apiVersion is missing/,
    ],
    [
      "a token in a v1beta1 request",
      request({
        apiVersion: "credentialprovider.kubelet.k8s.io/v1beta1",
        image: "a",
        serviceAccountToken: TOKEN,
      }),
      /exist only in credentialprovider.kubelet.k8s.io\/v1/,
    ],
    [
      "annotations that are not strings",
      request({ image: "a", serviceAccountAnnotations: { k: 1 } }),
      /object of strings/,
    ],
    ["a JSON array", "[]", /must be a JSON object/],
    ["empty stdin", "", /stdin is empty/],
    ["whitespace", " \n", /stdin is empty/],
    ["not JSON", "image=a", /not valid JSON at line 1/],
    ["YAML", "kind: CredentialProviderRequest\n", /not valid JSON/],
    ["deep nesting", `{"image":${"[".repeat(50)}`, /not valid JSON/],
  ])("refuses %s with one line", (_what, input, message) => {
    expect(refusal(input).message).toMatch(message);
  });

  it("never shows a value that could be a secret: an unknown key or apiVersion holding a token", () => {
    const asKey = refusal(`{"${TOKEN}":1}`);
    expect(asKey.message).toMatch(/unknown field \(\d+ characters, not shown\)/);
    expect(refusal(request({ apiVersion: TOKEN, image: "a" })).message).toMatch(/not shown/);
  });

  it("refuses a request over the size limit without parsing it, and bytes that are not UTF-8", () => {
    expect(refusal(Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20)).message).toMatch(/larger than/);
    expect(refusal(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])).message).toMatch(/not UTF-8/);
  });

  it("any input is decoded or refused with one E_PROVIDER_REQUEST line (fast-check)", () => {
    const field = fc.constantFrom(
      "kind",
      "apiVersion",
      "image",
      "serviceAccountToken",
      "serviceAccountAnnotations",
      "Image",
      "x",
    );
    const value = fc.oneof(
      fc.string(),
      fc.constant(TOKEN),
      fc.integer(),
      fc.constant(null),
      fc.dictionary(fc.string(), fc.string()),
      fc.constant(V1),
    );
    const hostile = fc.oneof(
      fc.string(),
      fc.uint8Array({ maxLength: 256 }),
      fc.dictionary(field, value).map((object) => JSON.stringify(object)),
      fc
        .dictionary(field, value)
        .map((object) => JSON.stringify({ kind: "CredentialProviderRequest", apiVersion: V1, ...object })),
    );
    fc.assert(
      fc.property(hostile, (input) => {
        try {
          const decoded = decodeCredentialProviderRequest(input);
          expect(decoded.image.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as InputError).code).toBe("E_PROVIDER_REQUEST");
          expect((error as Error).message).not.toContain("\n");
          expect((error as Error).message).not.toContain(TOKEN);
        }
      }),
      { numRuns: 500 },
    );
  });
});
