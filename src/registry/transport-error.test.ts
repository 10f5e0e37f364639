import { describe, expect, it } from "vitest";
import { TransportError, classifyNetworkError } from "./transport-error.js";

const err = (code: string | undefined, message = "boom"): Error =>
  Object.assign(new Error(message), code ? { code } : {});

describe("classifyNetworkError", () => {
  it.each([
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "", { kind: "tls", reason: "unknown-authority" }],
    ["SELF_SIGNED_CERT_IN_CHAIN", "", { kind: "tls", reason: "unknown-authority" }],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "", { kind: "tls", reason: "unknown-authority" }],
    ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "", { kind: "tls", reason: "unknown-authority" }],
    [
      "ERR_TLS_CERT_ALTNAME_INVALID",
      "Hostname/IP does not match certificate's altnames",
      { kind: "tls", reason: "hostname-mismatch" },
    ],
    ["CERT_HAS_EXPIRED", "", { kind: "tls", reason: "expired" }],
    [
      "EPROTO",
      "write EPROTO 80AC2B96487F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number",
      { kind: "plain-http", reason: "server-speaks-http" },
    ],
    ["ERR_SSL_WRONG_VERSION_NUMBER", "", { kind: "plain-http", reason: "server-speaks-http" }],
    ["EPROTO", "sslv3 alert handshake failure", { kind: "tls", reason: "other" }],
    ["ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION", "", { kind: "tls", reason: "other" }],
    ["ENOTFOUND", "getaddrinfo ENOTFOUND nope.invalid", { kind: "network", reason: "dns" }],
    ["EAI_AGAIN", "", { kind: "network", reason: "dns" }],
    ["ECONNREFUSED", "", { kind: "network", reason: "refused" }],
    ["ETIMEDOUT", "", { kind: "network", reason: "timeout" }],
    ["ECONNRESET", "socket hang up", { kind: "network", reason: "reset" }],
    ["EPIPE", "", { kind: "network", reason: "reset" }],
    ["EHOSTUNREACH", "", { kind: "network", reason: "unreachable" }],
    ["ENETUNREACH", "", { kind: "network", reason: "unreachable" }],
    ["EWHATEVER", "", { kind: "network", reason: "other" }],
  ])("%s %s", (code, message, expected) => {
    expect(classifyNetworkError(err(code, message))).toEqual({ ...expected, code });
  });

  it("handles codeless and non-Error values", () => {
    expect(classifyNetworkError(err(undefined, "socket hang up"))).toEqual({
      kind: "network",
      reason: "reset",
    });
    expect(classifyNetworkError("weird")).toEqual({ kind: "network", reason: "other" });
    expect(classifyNetworkError(null)).toEqual({ kind: "network", reason: "other" });
  });
});

describe("TransportError", () => {
  it("names method and redacted URL, exits as an environment error", () => {
    const e = new TransportError(
      { kind: "tls", reason: "unknown-authority", code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" },
      "GET",
      "https://user:pw@reg.example/token?account=me&sig=abc",
    );
    expect(e.message).toBe(
      "GET https://reg.example/token: TLS certificate signed by an unknown authority (UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
    );
    expect(e.code).toBe("E_REGISTRY_TLS");
    expect(e.exitCode).toBe(4);
    expect(e.url).toBe("https://reg.example/token");
  });
});
