import { describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import { ACR_SCOPE, acrTarget, AUTHORITY_HOSTS } from "./clouds.js";

describe("acrTarget", () => {
  it.each([
    ["myreg.azurecr.io", { loginServer: "myreg.azurecr.io", registryName: "myreg", cloud: "public" }],
    [
      "https://MyReg.azurecr.io/",
      { loginServer: "myreg.azurecr.io", registryName: "myreg", cloud: "public" },
    ],
    [
      "myreg.azurecr.io/team/app:1.0",
      { loginServer: "myreg.azurecr.io", registryName: "myreg", cloud: "public" },
    ],
    ["chinareg.azurecr.cn", { loginServer: "chinareg.azurecr.cn", registryName: "chinareg", cloud: "china" }],
    ["govreg.azurecr.us", { loginServer: "govreg.azurecr.us", registryName: "govreg", cloud: "usgov" }],
    [
      "myreg-abc123.azurecr.io",
      { loginServer: "myreg-abc123.azurecr.io", registryName: "myreg", cloud: "public" },
    ],
  ])("%s", (server, target) => {
    expect(acrTarget(server)).toEqual(target);
  });

  it("a host that is not an ACR login server needs its cloud named (a custom domain, a test registry)", () => {
    expect(acrTarget("127.0.0.1:5443", "public")).toEqual({
      loginServer: "127.0.0.1:5443",
      registryName: "127.0.0.1:5443",
      cloud: "public",
    });
    expect(() => acrTarget("registry.example.com")).toThrow(
      '"registry.example.com" is not an Azure Container Registry login server (NAME.azurecr.io, .azurecr.cn or .azurecr.us)',
    );
  });

  it.each([
    [
      "legacy.azurecr.de",
      undefined,
      "legacy.azurecr.de is in Azure Germany, which closed in October 2021: no token can be minted for it",
    ],
    ["myreg.azurecr.io", "china", "myreg.azurecr.io is in the Azure public cloud, not china"],
    [
      "",
      "public",
      '"" is not an Azure Container Registry login server (NAME.azurecr.io, .azurecr.cn or .azurecr.us)',
    ],
    [
      "x.azurecr.io.evil.com",
      undefined,
      '"x.azurecr.io.evil.com" is not an Azure Container Registry login server (NAME.azurecr.io, .azurecr.cn or .azurecr.us)',
    ],
  ] as const)("refuses %j (cloud %s)", (server, cloud, message) => {
    let error: unknown;
    try {
      acrTarget(server, cloud);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "E_ACR_CLOUD_UNSUPPORTED", message, exitCode: 3 });
  });

  it("one scope in every cloud, an authority host per cloud", () => {
    expect(ACR_SCOPE).toBe("https://containerregistry.azure.net/.default");
    expect(AUTHORITY_HOSTS).toEqual({
      public: "https://login.microsoftonline.com",
      china: "https://login.chinacloudapi.cn",
      usgov: "https://login.microsoftonline.us",
    });
  });
});
