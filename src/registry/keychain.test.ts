// The kubelet keychain: pull secrets × image → the ordered attempts kubelet makes, their labels (no secret values),
// the docker-config keychain over an injected resolver, and the explicit and anonymous keychains.
import { describe, expect, it } from "vitest";
import { parseDockerConfigText } from "../dockerconfig/index.js";
import { InputError } from "../errors.js";
import { parseNormalizedReference } from "../reference/index.js";
import {
  anonymousKeychain,
  dockerConfigKeychain,
  explicitKeychain,
  pullSecretAttempts,
  pullSecretKeychain,
  pullSecretWarnings,
} from "./keychain.js";
import type { KeychainAttempt, PullSecretSource } from "./keychain.js";

const b64 = (s: string): string => Buffer.from(s).toString("base64");

/** A .dockerconfigjson source: key → `user:password`, or null for an entry without credentials. */
function source(label: string, auths: Record<string, string | null>): PullSecretSource {
  const text = JSON.stringify({
    auths: Object.fromEntries(
      Object.entries(auths).map(([key, userPass]) => [key, userPass === null ? {} : { auth: b64(userPass) }]),
    ),
  });
  const config = parseDockerConfigText(text, { source: label, format: "dockerconfigjson" });
  return { label, config, problems: config.problems };
}

/** What an attempt is, in one line: the label's source, key, via and user, or why anonymous; and what is sent. */
function summary(attempt: KeychainAttempt): string {
  const { label, credential } = attempt;
  const sent =
    credential && "password" in credential ? `${credential.username}:${credential.password}` : "nothing";
  if (label.kind === "anonymous") return `anonymous (${label.anonymous}) sends ${sent}`;
  return `${label.source} ${label.key} [${label.normalizedKey} ${label.via}] ${label.username ?? `(${label.anonymous})`} sends ${sent}`;
}

const A = source("secret apps/host (pull.yaml:1)", { "registry.example.com": "a:pa" });
const B = source("secret apps/team (pull.yaml:9)", {
  "registry.example.com/team": "b:pb",
  "ghcr.io": null,
});
const HUB = source("secret apps/hub (hub.yaml:1)", { "https://index.docker.io/v1/": "h:ph" });
const PORT = source("secret apps/port (port.yaml:1)", { "registry.example.com:443": "p:pp" });
const USERINFO = source("secret apps/pasted (pasted.yaml:1)", { "https://u:secret@r.example/v1/": "u:pu" });

describe("pullSecretAttempts: kubelet's keyring over several pull secrets", () => {
  it.each<[string, PullSecretSource[], string, string[]]>([
    [
      "several secrets: the most specific key first, whichever secret holds it",
      [A, B],
      "registry.example.com/team/app:1",
      [
        "secret apps/team (pull.yaml:9) registry.example.com/team [registry.example.com/team key-match] b sends b:pb",
        "secret apps/host (pull.yaml:1) registry.example.com [registry.example.com key-match] a sends a:pa",
      ],
    ],
    [
      "a path prefix is a raw string prefix: team matches teamwork too",
      [A, B],
      "registry.example.com/teamwork/app",
      [
        "secret apps/team (pull.yaml:9) registry.example.com/team [registry.example.com/team key-match] b sends b:pb",
        "secret apps/host (pull.yaml:1) registry.example.com [registry.example.com key-match] a sends a:pa",
      ],
    ],
    [
      "another repository of the host: the host key only",
      [B, A],
      "registry.example.com/other/app",
      ["secret apps/host (pull.yaml:1) registry.example.com [registry.example.com key-match] a sends a:pa"],
    ],
    [
      "Docker Hub fallback: index.docker.io's credentials for a Docker Hub image nothing else matches",
      [A, HUB],
      "nginx:1.27",
      [
        "secret apps/hub (hub.yaml:1) https://index.docker.io/v1/ [index.docker.io docker-hub-fallback] h sends h:ph",
      ],
    ],
    [
      "no fallback for another registry",
      [HUB],
      "ghcr.io/org/app",
      ["anonymous (no-key-matches) sends nothing"],
    ],
    [
      "an entry without credentials matches and is sent as empty credentials: an anonymous attempt",
      [B],
      "ghcr.io/org/app",
      [
        "secret apps/team (pull.yaml:9) ghcr.io [ghcr.io key-match] (entry-without-credentials) sends nothing",
      ],
    ],
    [
      "port mismatch: kubelet compares the port strings as written, so :443 does not match",
      [PORT],
      "registry.example.com/app",
      ["anonymous (no-key-matches) sends nothing"],
    ],
    [
      "the same port matches",
      [PORT],
      "registry.example.com:443/app",
      [
        "secret apps/port (port.yaml:1) registry.example.com:443 [registry.example.com:443 key-match] p sends p:pp",
      ],
    ],
    [
      "user info in a key is redacted in the label",
      [USERINFO],
      "r.example/app",
      ["secret apps/pasted (pasted.yaml:1) https://***@r.example/v1/ [r.example key-match] u sends u:pu"],
    ],
    ["no secret at all", [], "registry.example.com/app", ["anonymous (no-key-matches) sends nothing"]],
    ["an invalid reference", [A], "Registry.example.com/UPPER", ["anonymous (no-key-matches) sends nothing"]],
  ])("%s", (_, sources, image, expected) => {
    expect(pullSecretAttempts(sources, image).map(summary)).toEqual(expected);
  });

  it("labels carry no password, and attempts of one entry have the same id whatever the image", () => {
    const first = pullSecretAttempts([A, B], "registry.example.com/team/app:1");
    const second = pullSecretAttempts([A, B], "registry.example.com/a/b");
    expect(JSON.stringify(first.map((a) => a.label))).not.toMatch(/pa|pb/);
    expect(first[1]?.id).toBe(second[0]?.id);
    expect(new Set(first.map((a) => a.id)).size).toBe(2);
  });

  it("the keychain resolves an image by its reference as the image text would be", async () => {
    const keychain = pullSecretKeychain([A, HUB]);
    for (const text of [
      "nginx",
      "docker.io/library/nginx:latest",
      "registry.example.com/x/y@sha256:" + "a".repeat(64),
    ]) {
      const attempts = await keychain.attemptsFor({ reference: parseNormalizedReference(text) });
      expect(attempts.map(summary)).toEqual(pullSecretAttempts([A, HUB], text).map(summary));
    }
  });

  it("warns about secrets kubelet may reject, by problem code only", () => {
    const broken = parseDockerConfigText('{"auths":{"r.example":{"auth":"!!!"}}}', {
      source: "secret apps/broken (b.yaml:1)",
      format: "dockerconfigjson",
    });
    const sources = [
      A,
      { label: "secret apps/broken (b.yaml:1)", config: broken, problems: broken.problems },
    ];
    const warnings = pullSecretWarnings(sources);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^secret apps\/broken \(b\.yaml:1\): kubelet may reject or misread this pull secret \([a-z0-9-]+(, [a-z0-9-]+)*\); run pullwarden secret inspect$/,
    );
    expect(pullSecretKeychain(sources).warnings).toEqual(warnings);
  });
});

describe("dockerConfigKeychain: the docker client's lookup by registry host", () => {
  const image = (text: string) => ({ reference: parseNormalizedReference(text) });

  it("asks the resolver once per registry, and an unknown registry is anonymous", async () => {
    const asked: string[] = [];
    const keychain = dockerConfigKeychain({
      path: "/home/u/.docker/config.json",
      resolve(registries) {
        asked.push(...registries);
        if (registries[0] === "ghcr.io") {
          return Promise.resolve([
            {
              server: "ghcr.io",
              username: "octo",
              password: "s3cret",
              origin: "helper docker-credential-pass",
            },
          ]);
        }
        return Promise.reject(new InputError("E_NO_CREDENTIALS", "no credentials"));
      },
    });
    const [ghcr] = await keychain.attemptsFor(image("ghcr.io/org/a:1"));
    await keychain.attemptsFor(image("ghcr.io/org/b:1"));
    const [hub] = await keychain.attemptsFor(image("nginx"));
    expect(asked).toEqual(["ghcr.io", "docker.io"]);
    expect(ghcr).toEqual({
      id: "docker-config\u0000ghcr.io",
      label: {
        kind: "docker-config",
        source: "/home/u/.docker/config.json",
        key: "ghcr.io",
        username: "octo",
        origin: "helper docker-credential-pass",
      },
      credential: { username: "octo", password: "s3cret" },
    });
    expect(hub?.label).toEqual({ kind: "anonymous", anonymous: "no-docker-config-entry" });
    expect(hub?.credential).toBeUndefined();
  });

  it("a failing helper is the caller's error", async () => {
    const failure = new Error("helper failed");
    const keychain = dockerConfigKeychain({ path: "c.json", resolve: () => Promise.reject(failure) });
    await expect(keychain.attemptsFor(image("ghcr.io/a"))).rejects.toBe(failure);
  });
});

describe("explicit and anonymous keychains", () => {
  const image = { reference: parseNormalizedReference("r.example/app") };

  it("one credential for every image, named by its source", async () => {
    const attempts = await explicitKeychain({ username: "ci", password: "pw" }, "--username").attemptsFor(
      image,
    );
    expect(attempts).toEqual([
      {
        id: "explicit",
        label: { kind: "flags", source: "--username", username: "ci" },
        credential: { username: "ci", password: "pw" },
      },
    ]);
  });

  it("nothing: one anonymous attempt", async () => {
    expect(await anonymousKeychain().attemptsFor(image)).toEqual([
      {
        id: "anonymous",
        label: { kind: "anonymous", anonymous: "no-credential-given" },
        credential: undefined,
      },
    ]);
  });
});
