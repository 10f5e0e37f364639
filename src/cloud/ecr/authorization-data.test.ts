import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CloudCredentialError } from "../../errors.js";
import { loginFromAuthorizationData } from "./authorization-data.js";

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
const WHO = "role arn:aws:iam::123456789012:role/puller";

describe("loginFromAuthorizationData", () => {
  it("decodes AWS:<password> and keeps ECR's expiresAt", () => {
    const expiresAt = new Date("2026-06-01T12:00:00Z");
    expect(
      loginFromAuthorizationData([{ authorizationToken: b64("AWS:pa:ss=word"), expiresAt }], undefined, WHO),
    ).toEqual({ username: "AWS", password: "pa:ss=word", expiresAt });
  });

  it("no expiresAt: none is assumed", () => {
    expect(
      loginFromAuthorizationData([{ authorizationToken: b64("AWS:pw") }], undefined, WHO).expiresAt,
    ).toBeUndefined();
  });

  it("several entries: the one whose proxyEndpoint names the account", () => {
    const entries = ["111111111111", "222222222222"].map((account) => ({
      authorizationToken: b64(`AWS:${account}-pw`),
      proxyEndpoint: `https://${account}.dkr.ecr.eu-west-1.amazonaws.com`,
    }));
    expect(loginFromAuthorizationData(entries, "222222222222", WHO).password).toBe("222222222222-pw");
    expect(() => loginFromAuthorizationData(entries, "333333333333", WHO)).toThrow(
      "ECR GetAuthorizationToken answered 2 authorizationData entries, none for account 333333333333",
    );
  });

  it.each<[string, unknown]>([
    ["no authorizationData", undefined],
    ["no authorizationData", []],
    ["no authorizationToken", [{}]],
    ["no authorizationToken", [{ authorizationToken: "" }]],
    ["an authorizationToken that is not standard base64 (url-safe)", [{ authorizationToken: "QVdT-nB3_" }]],
    [
      "an authorizationToken that is not standard base64 (length-or-padding)",
      [{ authorizationToken: "QVdTOnB3" + "Q" }],
    ],
    ["an authorizationToken that is not user:password", [{ authorizationToken: b64("AWSpassword") }]],
    ["an authorizationToken that is not user:password", [{ authorizationToken: b64(":password") }]],
    ["an authorizationToken that is not user:password", [{ authorizationToken: b64("AWS:") }]],
    [
      "an expiresAt that is not a time",
      [{ authorizationToken: b64("AWS:pw"), expiresAt: new Date(Number.NaN) }],
    ],
    ["an expiresAt that is not a time", [{ authorizationToken: b64("AWS:pw"), expiresAt: "tomorrow" }]],
  ])("malformed: %s (E_ECR_RESPONSE, the token never shown)", (why, entries) => {
    let error: unknown;
    try {
      loginFromAuthorizationData(entries as never, undefined, WHO);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CloudCredentialError);
    expect(error).toMatchObject({ code: "E_ECR_RESPONSE", identity: WHO, exitCode: 4 });
    expect((error as Error).message).toBe(`ECR GetAuthorizationToken answered ${why}`);
  });

  it("any token: a login whose parts rebuild it, or an error that does not contain it", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (token) => {
        try {
          const login = loginFromAuthorizationData([{ authorizationToken: token }], undefined, WHO);
          expect(login.username.length).toBeGreaterThan(0);
          expect(login.password.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(CloudCredentialError);
          if (token.length >= 4) expect((error as Error).message).not.toContain(token);
        }
      }),
    );
  });
});
