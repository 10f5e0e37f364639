import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { parsePluginArgs } from "./plugin-options.js";

describe("parsePluginArgs", () => {
  it("takes kubelet's args: an optional get-credentials, the static file, the cache settings", () => {
    expect(parsePluginArgs([])).toEqual({ kind: "serve", options: {} });
    expect(
      parsePluginArgs([
        "get-credentials",
        "--static-config",
        "/etc/p.json",
        "--cache-key-type",
        "Global",
        "--cache-duration=1h",
      ]),
    ).toEqual({
      kind: "serve",
      options: { staticConfig: "/etc/p.json", cacheKeyType: "Global", cacheDuration: "1h" },
    });
    expect(
      parsePluginArgs(["--acr-login-server", "Reg.Contoso.com", "--acr-login-server=b.example:5000"]),
    ).toEqual({
      kind: "serve",
      options: { acrLoginServers: ["reg.contoso.com", "b.example:5000"] },
    });
    expect(parsePluginArgs(["--help"])).toEqual({ kind: "help" });
    expect(parsePluginArgs(["--version"])).toEqual({ kind: "version" });
  });

  it.each<[string[], RegExp]>([
    [["--cache-key-type", "image"], /--cache-key-type must be one of Image, Registry, Global/],
    [["--cache-duration=-5m"], /Go duration of at least 0/],
    [["--cache-duration", "10 minutes"], /Go duration/],
    [["--static-config="], /needs a file/],
    [["--bogus"], /Unknown option/],
    [["get-credentials", "extra"], /unexpected argument "extra"/],
    [["serve"], /unexpected argument "serve"/],
  ])("refuses %j", (args, message) => {
    expect(() => parsePluginArgs(args)).toThrow(UsageError);
    expect(() => parsePluginArgs(args)).toThrow(message);
  });
});
