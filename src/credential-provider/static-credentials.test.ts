import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { parseStaticCredentials, selectStaticEntries, staticAuth } from "./static-credentials.js";

const PAT = "ghp_canarycanarycanarycanarycanarycanary1";
const FILE = JSON.stringify({
  auths: {
    "ghcr.io": { username: "octo", password: PAT },
    "harbor.example.com:8443/team-a": { username: "robot$team-a+pull", password: "robot-secret-a" },
    "harbor.example.com:8443/team-b": {
      auth: Buffer.from("robot$team-b+pull:robot-secret-b").toString("base64"),
    },
    "https://index.docker.io/v1/": { username: "hubuser", password: "dckr_pat_canary" },
    "*.mirror.example.net": { username: "m", password: "mirror-secret" },
  },
});

describe("the static source", () => {
  const credentials = parseStaticCredentials(FILE, "/etc/pullwarden/static.json");

  it("reads a docker config.json's auths with the one parser (auth decoded as kubelet decodes it)", () => {
    expect(credentials.entries.map((entry) => [entry.normalizedKey, entry.username])).toEqual([
      ["ghcr.io", "octo"],
      ["harbor.example.com:8443/team-a", "robot$team-a+pull"],
      ["harbor.example.com:8443/team-b", "robot$team-b+pull"],
      ["index.docker.io", "hubuser"],
      ["*.mirror.example.net", "m"],
    ]);
  });

  it("Image: the entries kubelet's keyring matches for this image only (the port kept, a path a raw prefix)", () => {
    const keys = (image: string) => Object.keys(staticAuth(selectStaticEntries(credentials, image, "Image")));
    expect(keys("harbor.example.com:8443/team-a/app")).toEqual(["harbor.example.com:8443/team-a"]);
    expect(keys("harbor.example.com:8443/team-ab/app")).toEqual(["harbor.example.com:8443/team-a"]);
    expect(keys("harbor.example.com/team-a/app")).toEqual([]);
    expect(keys("registry.mirror.example.net/x")).toEqual(["*.mirror.example.net"]);
    expect(keys("docker.io/library/nginx")).toEqual(["index.docker.io"]);
    expect(keys("quay.io/x/y")).toEqual([]);
  });

  it("Registry: every entry of the image's registry, whatever its path (the answer serves the registry's other images)", () => {
    expect(
      Object.keys(
        staticAuth(selectStaticEntries(credentials, "harbor.example.com:8443/team-a/app", "Registry")),
      ),
    ).toEqual(["harbor.example.com:8443/team-a", "harbor.example.com:8443/team-b"]);
    expect(
      Object.keys(staticAuth(selectStaticEntries(credentials, "docker.io/library/nginx", "Registry"))),
    ).toEqual(["index.docker.io"]);
    expect(selectStaticEntries(credentials, "quay.io/x/y", "Registry")).toEqual([]);
  });

  it("Global: every entry", () => {
    expect(selectStaticEntries(credentials, "quay.io/x/y", "Global")).toHaveLength(5);
  });

  it.each<[string, string, RegExp]>([
    [
      "a credential helper",
      JSON.stringify({ auths: { "ghcr.io": { auth: "dTpw" } }, credsStore: "desktop" }),
      /credential helpers/,
    ],
    [
      "an identity token only",
      JSON.stringify({ auths: { "ghcr.io": { identitytoken: "tok" } } }),
      /has only|no username and password/,
    ],
    ["no entries", JSON.stringify({ auths: {} }), /holds no registry credentials/],
    ["malformed JSON", `{"auths": {"ghcr.io": {"password": "${PAT}"`, /malformed JSON|unterminated|expected/],
    ["an undecodable auth", JSON.stringify({ auths: { "ghcr.io": { auth: "%%%" } } }), /./],
  ])("refuses %s in one line without the secret", (_what, text, message) => {
    let caught: unknown;
    try {
      parseStaticCredentials(text, "static.json");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const error = caught as InputError;
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(PAT);
    expect(error.message).not.toContain("\n");
  });
});
