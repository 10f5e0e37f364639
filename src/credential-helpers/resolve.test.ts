import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { interpretGet, interpretList, NOT_FOUND_MESSAGE } from "./protocol.js";
import type { HelperGetResult } from "./protocol.js";
import { registryToConfigKey, resolveDockerConfigCredentials } from "./resolve.js";
import type { HelperPort } from "./resolve.js";

function fakeHelpers(
  store: Record<string, Record<string, { Username: string; Secret: string }>>,
): HelperPort & {
  calls: string[];
} {
  const calls: string[] = [];
  return {
    calls,
    async get(suffix, serverURL): Promise<HelperGetResult> {
      calls.push(`${suffix} get ${serverURL}`);
      const found = store[suffix]?.[serverURL];
      return found
        ? interpretGet(serverURL, 0, JSON.stringify({ ServerURL: serverURL, ...found }))
        : interpretGet(serverURL, 1, `${NOT_FOUND_MESSAGE}\n`);
    },
    async list(suffix) {
      calls.push(`${suffix} list`);
      return Object.keys(store[suffix] ?? {});
    },
  };
}

describe("docker-credential-helpers protocol", () => {
  it("reads a found credential, a not-found answer and a failure", () => {
    expect(interpretGet("ghcr.io", 0, '{"ServerURL":"ghcr.io","Username":"u","Secret":"s"}')).toEqual({
      found: true,
      credentials: { serverURL: "ghcr.io", username: "u", secret: "s" },
    });
    expect(interpretGet("ghcr.io", 1, `  ${NOT_FOUND_MESSAGE}\n`)).toEqual({ found: false });
    expect(interpretGet("ghcr.io", 1, "error getting credentials - err: exit status 1")).toMatchObject({
      failed: true,
    });
    expect(interpretGet("ghcr.io", 0, "not json")).toMatchObject({ failed: true });
    expect(interpretGet("ghcr.io", 0, "[1]")).toMatchObject({ failed: true });
    expect(interpretGet("ghcr.io", 0, '{"Username":1,"Secret":"s"}')).toMatchObject({ failed: true });
  });

  it("reads list output", () => {
    expect(interpretList(0, '{"https://index.docker.io/v1/":"u","ghcr.io":"v"}')).toEqual([
      "https://index.docker.io/v1/",
      "ghcr.io",
    ]);
    expect(interpretList(1, "boom")).toEqual({
      failed: true,
      reason: "exit code 1 (its output is not shown: it may hold the credential)",
    });
  });

  it("never quotes a failing helper's stdout, except the protocol's own messages", () => {
    const answer = '{"ServerURL":"r.example.com","Username":"u","Secret":"CANARY-s3cret"}';
    for (const result of [interpretGet("r.example.com", 1, answer), interpretList(1, answer)]) {
      expect(result).toEqual({
        failed: true,
        reason: "exit code 1 (its output is not shown: it may hold the credential)",
      });
    }
    expect(interpretGet("r.example.com", 2, "")).toEqual({ failed: true, reason: "exit code 2" });
    expect(interpretGet("", 1, "no credentials server URL\n")).toEqual({
      failed: true,
      reason: "exit code 1: no credentials server URL",
    });
  });
});

describe("resolveDockerConfigCredentials", () => {
  it("maps Docker Hub aliases to docker's key", () => {
    expect(registryToConfigKey("docker.io")).toBe("https://index.docker.io/v1/");
    expect(registryToConfigKey("registry-1.docker.io")).toBe("https://index.docker.io/v1/");
    expect(registryToConfigKey("https://GHCR.io/")).toBe("ghcr.io");
  });

  it("prefers credHelpers over credsStore, and the file when no helper is configured", async () => {
    const helpers = fakeHelpers({
      gh: { "ghcr.io": { Username: "octo", Secret: "ghp_x" } },
      desktop: { "https://index.docker.io/v1/": { Username: "hub", Secret: "dckr_pat_x" } },
    });
    const view = {
      entries: [
        { key: "registry.example.com", username: "file-user", password: "file-pass", email: "a@b.c" },
      ],
      credsStore: "desktop",
      credHelpers: { "ghcr.io": "gh" },
    };
    const resolved = await resolveDockerConfigCredentials(
      view,
      ["ghcr.io", "docker.io"],
      helpers,
      "config.json",
    );
    expect(resolved).toEqual([
      { server: "ghcr.io", username: "octo", password: "ghp_x", origin: "helper docker-credential-gh" },
      {
        server: "https://index.docker.io/v1/",
        username: "hub",
        password: "dckr_pat_x",
        origin: "helper docker-credential-desktop",
      },
    ]);
    expect(helpers.calls).toEqual(["gh get ghcr.io", "desktop get https://index.docker.io/v1/"]);
  });

  it("lists the credsStore when no --registry is given", async () => {
    const helpers = fakeHelpers({ desktop: { "quay.io": { Username: "q", Secret: "s" } } });
    const resolved = await resolveDockerConfigCredentials(
      { entries: [], credsStore: "desktop" },
      [],
      helpers,
      "c",
    );
    expect(resolved.map((c) => c.server)).toEqual(["quay.io"]);
  });

  it("turns an ACR identity token into the null-GUID user, and refuses identity tokens elsewhere", async () => {
    const helpers = fakeHelpers({
      acr: { "contoso.azurecr.io": { Username: "<token>", Secret: "refresh-token" } },
      other: { "quay.io": { Username: "<token>", Secret: "refresh-token" } },
    });
    const view = { entries: [], credHelpers: { "contoso.azurecr.io": "acr", "quay.io": "other" } };
    const [acr] = await resolveDockerConfigCredentials(view, ["contoso.azurecr.io"], helpers, "c");
    expect(acr).toMatchObject({
      username: "00000000-0000-0000-0000-000000000000",
      password: "refresh-token",
    });
    const refusal = resolveDockerConfigCredentials(view, ["quay.io"], helpers, "c");
    await expect(refusal).rejects.toBeInstanceOf(InputError);
    await expect(refusal).rejects.toThrow(/only an identity token/);
    await expect(refusal).rejects.not.toThrow(/refresh-token/);
  });

  it("names a registry without credentials", async () => {
    await expect(
      resolveDockerConfigCredentials({ entries: [] }, ["ghcr.io"], fakeHelpers({}), "config.json"),
    ).rejects.toThrow("config.json: no credentials for registry ghcr.io");
  });
});
