import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeGoBase64, decodeKubeletAuth, decodeLenientBase64, encodeStdBase64 } from "./go-base64.js";
import { utf8Encode } from "./go-strings.js";

describe("encodeStdBase64", () => {
  it("matches Buffer's standard padded encoding", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(encodeStdBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
      }),
    );
  });
  it.each([
    ["test-user:test-password", "dGVzdC11c2VyOnRlc3QtcGFzc3dvcmQ="],
    ["u:p", "dTpw"],
    ["", ""],
  ])("%j", (text, b64) => {
    expect(encodeStdBase64(utf8Encode(text))).toBe(b64);
  });
});

describe("decodeGoBase64 (Go StdEncoding / RawStdEncoding, not strict)", () => {
  const ok = (s: string, mode: "std" | "raw") => {
    const r = decodeGoBase64(s, mode);
    return r.ok ? Buffer.from(r.bytes).toString("latin1") : r.failure;
  };
  it.each([
    ["Zm9vOmJhcg==", "std", "foo:bar"],
    ["Zm9vOmJhcg", "std", "length-or-padding"],
    ["Zm9vOmJhcg", "raw", "foo:bar"],
    ["Zm9vOmJhcg==", "raw", "alphabet"],
    ["Zm9v\r\nOmJh\ncg==", "std", "foo:bar"],
    ["Zm9vOmJhcg=", "std", "length-or-padding"],
    ["Zm9vOmJhcg===", "std", "length-or-padding"],
    ["YQ==YQ==", "std", "length-or-padding"],
    ["Zm9v OmJhcg==", "std", "alphabet"],
    ["-_-_", "std", "url-safe"],
    ["Z", "raw", "length-or-padding"],
    ["YR==", "std", "a"], // non-zero trailing bits are accepted (not Strict)
    ["", "std", ""],
  ] as const)("%j (%s) → %j", (input, mode, expected) => {
    expect(ok(input, mode)).toBe(expected);
  });

  it("round-trips encodeStdBase64 in std mode, and raw mode without the padding", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const b64 = encodeStdBase64(bytes);
        expect(decodeGoBase64(b64, "std")).toEqual({ ok: true, bytes: Uint8Array.from(bytes) });
        expect(decodeGoBase64(b64.replace(/=+$/, ""), "raw")).toEqual({
          ok: true,
          bytes: Uint8Array.from(bytes),
        });
      }),
    );
  });
});

describe("decodeLenientBase64", () => {
  it("accepts whitespace, missing padding and the URL-safe alphabet", () => {
    expect(Buffer.from(decodeLenientBase64(" Zm9v\tOmJh cg ") ?? []).toString()).toBe("foo:bar");
    expect(decodeLenientBase64("-_8")).toEqual(Uint8Array.from([0xfb, 0xff]));
    expect(decodeLenientBase64("not base64!")).toBeUndefined();
  });
});

// kubernetes/kubernetes pkg/credentialprovider/config_test.go TestDecodeDockerConfigFieldAuth, plus the
// unpadded fallback added to decodeDockerConfigFieldAuth (StdEncoding iff the trimmed field ends with "=").
describe("decodeKubeletAuth (kubelet decodeDockerConfigFieldAuth)", () => {
  it.each([
    ["Zm9vOmJhcg==", { username: "foo", password: "bar" }],
    ["Zm9vOmJhcg", { username: "foo", password: "bar" }],
    ["Zm9vOmJhcjpiYXo=", { username: "foo", password: "bar:baz" }],
    ["OnA=", { username: "", password: "p" }],
  ])("%j decodes", (input, creds) => {
    const r = decodeKubeletAuth(input);
    expect(r.ok && r.auth).toMatchObject(creds);
  });
  it.each([
    ["cGFudHM=", "no-colon"],
    ["pants", "length-or-padding"],
    ["Zm9vOmJhcg=", "length-or-padding"],
    ["Zm9v-mJhcg", "url-safe"],
    ["Zm9v OmJhcg==", "alphabet"],
  ])("%j fails (%s)", (input, failure) => {
    expect(decodeKubeletAuth(input)).toEqual({ ok: false, failure });
  });
  it("reports whether skopeo's strict StdEncoding would also accept it", () => {
    expect(decodeKubeletAuth("Zm9vOmJhcg==")).toMatchObject({ ok: true, padded: true });
    expect(decodeKubeletAuth("Zm9vOmJhcg")).toMatchObject({ ok: true, padded: false });
    expect(decodeKubeletAuth("dTpw")).toMatchObject({ ok: true, padded: true });
  });
  it("flags decoded bytes that are not UTF-8", () => {
    expect(decodeKubeletAuth(encodeStdBase64(Uint8Array.from([0x75, 0x3a, 0xff])))).toMatchObject({
      ok: true,
      auth: { username: "u", password: "\ufffd", utf8: false },
    });
  });
});
