// `pullwarden secret match IMAGE [FILE|-]` in-process: the credentials kubelet would try for an image, in
// kubelet's order (wire-specs.md §2): every matching key, most specific first; the Docker Hub fallback to the
// `index.docker.io` key only when nothing else matched; `registry-1.docker.io` never; anonymous otherwise.
import { describe, expect, it } from "vitest";
import { STACK_TRACE, parseJsonOutput, runPullwarden } from "./run-cli.js";
import { TOKENS, dockerConfig, kubectlEntry, secretYaml, yamlStream } from "./secret-fixtures.js";

interface MatchJson {
  image: string;
  normalizedImage: string;
  anonymousFallback: boolean;
  matches: {
    order: number;
    via: "key-match" | "docker-hub-fallback";
    normalizedKey: string;
    entry: { source: string; key: string; credential?: { username: string; password: string } };
  }[];
}

async function match(image: string, input: string, extra: string[] = []): Promise<MatchJson> {
  const result = await runPullwarden(["secret", "match", image, "-", "-o", "json", ...extra], {
    stdin: input,
  });
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.code, result.stderr).toBe(0);
  return parseJsonOutput<MatchJson>(result);
}

/** One entry per key; the username names the key so the order is easy to read. */
function configWithKeys(keys: string[]): string {
  return dockerConfig(Object.fromEntries(keys.map((key) => [key, kubectlEntry(`user-for-${key}`, "pw")])));
}

describe("secret match ordering", () => {
  it("every matching key, most specific first (reverse string order), globs included", async () => {
    const config = configWithKeys([
      "reg.example.io",
      "*.example.io",
      "https://reg.example.io/team/",
      "reg.example.io/team/app",
      "reg.example.io:5000",
      "other.example.io",
      "reg.example.io/teamx",
    ]);
    const result = await match("reg.example.io/team/app/api:1.2", config);
    expect(result.normalizedImage).toBe("reg.example.io/team/app/api");
    expect(result.anonymousFallback).toBe(false);
    expect(result.matches.map((m) => [m.order, m.normalizedKey, m.via])).toEqual([
      [1, "reg.example.io/team/app", "key-match"],
      [2, "reg.example.io/team/", "key-match"],
      [3, "reg.example.io", "key-match"],
      [4, "*.example.io", "key-match"],
    ]);
    expect(result.matches[1]?.entry.key).toBe("https://reg.example.io/team/");
  });

  it("a key path is a raw string prefix: reg.io/foo also matches reg.io/foobar", async () => {
    const result = await match("reg.example.io/foobar/x", configWithKeys(["reg.example.io/foo"]));
    expect(result.matches.map((m) => m.normalizedKey)).toEqual(["reg.example.io/foo"]);
  });

  it("ports must be spelled the same: no port never matches :5000, and :5000 never matches no port", async () => {
    const config = configWithKeys(["reg.example.io", "reg.example.io:5000"]);
    expect((await match("reg.example.io:5000/app", config)).matches.map((m) => m.normalizedKey)).toEqual([
      "reg.example.io:5000",
    ]);
    expect((await match("reg.example.io/app", config)).matches.map((m) => m.normalizedKey)).toEqual([
      "reg.example.io",
    ]);
  });

  it("a glob matches one host label per '*', never zero or two", async () => {
    const config = configWithKeys(["*.azurecr.io"]);
    expect((await match("contoso.azurecr.io/app", config)).matches).toHaveLength(1);
    expect((await match("azurecr.io/app", config)).anonymousFallback).toBe(true);
    expect((await match("a.b.azurecr.io/app", config)).anonymousFallback).toBe(true);
  });

  it("secrets of a multi-document file form one keyring, in document order for the same key", async () => {
    const stream = yamlStream(
      secretYaml({
        name: "first",
        payload: dockerConfig({ "ghcr.io": kubectlEntry("first", TOKENS.classicPat) }),
      }),
      secretYaml({
        name: "second",
        payload: dockerConfig({ "ghcr.io": kubectlEntry("second", TOKENS.classicPat) }),
      }),
    );
    const result = await match("ghcr.io/acme/app:1", stream, ["--show-secrets"]);
    expect(result.matches.map((m) => m.entry.credential?.username)).toEqual(["first", "second"]);
    expect(result.matches.map((m) => m.entry.source)).toEqual([
      "secret first (stdin:2)",
      expect.stringContaining("secret second"),
    ]);
  });
});

describe("Docker Hub", () => {
  it("nginx falls back to the https://index.docker.io/v1/ key", async () => {
    const result = await match("nginx", configWithKeys(["https://index.docker.io/v1/", "ghcr.io"]));
    expect(result.normalizedImage).toBe("docker.io/library/nginx");
    expect(result.matches).toEqual([
      expect.objectContaining({ order: 1, via: "docker-hub-fallback", normalizedKey: "index.docker.io" }),
    ]);
  });

  it.each([
    "nginx:1.27",
    "library/nginx",
    "docker.io/library/nginx",
    "index.docker.io/library/nginx",
    "acme/app",
  ])("%s uses the fallback too", async (image) => {
    const result = await match(image, configWithKeys(["https://index.docker.io/v1/"]));
    expect(result.matches.map((m) => m.via)).toEqual(["docker-hub-fallback"]);
  });

  it("a docker.io key matches directly, and then the fallback is not used", async () => {
    const result = await match("nginx", configWithKeys(["docker.io", "https://index.docker.io/v1/"]));
    expect(result.matches.map((m) => [m.normalizedKey, m.via])).toEqual([["docker.io", "key-match"]]);
  });

  it("registry-1.docker.io never matches: kubelet pulls anonymously", async () => {
    for (const image of ["nginx", "docker.io/library/nginx", "registry-1.docker.io/library/nginx"]) {
      const result = await match(image, configWithKeys(["registry-1.docker.io"]));
      if (image.startsWith("registry-1")) {
        // An image that names registry-1.docker.io itself is a different registry host for kubelet.
        expect(result.normalizedImage).toBe("registry-1.docker.io/library/nginx");
        expect(result.matches.map((m) => m.normalizedKey)).toEqual(["registry-1.docker.io"]);
      } else {
        expect(result.matches).toEqual([]);
        expect(result.anonymousFallback).toBe(true);
      }
    }
  });

  it("the fallback is only for Docker Hub images", async () => {
    const result = await match("quay.io/acme/app", configWithKeys(["https://index.docker.io/v1/"]));
    expect(result.anonymousFallback).toBe(true);
  });
});

describe("anonymous, output and errors", () => {
  it("nothing matches: anonymous, exit 0, and the text output says so", async () => {
    const config = configWithKeys(["ghcr.io"]);
    expect(await match("quay.io/acme/app", config)).toEqual({
      image: "quay.io/acme/app",
      normalizedImage: "quay.io/acme/app",
      matches: [],
      anonymousFallback: true,
    });
    const text = await runPullwarden(["secret", "match", "quay.io/acme/app"], { stdin: config });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("no credential matches: kubelet pulls anonymously");
  });

  it("the text output lists the credentials in order and says kubelet stops at the first success", async () => {
    const text = await runPullwarden(["secret", "match", "reg.example.io/team/app"], {
      stdin: configWithKeys(["reg.example.io", "reg.example.io/team"]),
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^image reg\.example\.io\/team\/app → kubelet looks up reg\.example\.io\/team\/app\n/,
    );
    const first = text.stdout.indexOf("\n1. ");
    const second = text.stdout.indexOf("\n2. ");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(text.stdout.slice(first, second)).toContain("key reg.example.io/team");
    expect(text.stdout).toContain("kubelet tries these in order and stops at the first pull that succeeds.");
  });

  it("passwords are redacted unless --show-secrets", async () => {
    const config = dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) });
    for (const args of [["-o", "json"], []]) {
      const result = await runPullwarden(["secret", "match", "ghcr.io/a/b", "-", ...args], { stdin: config });
      expect(result.stdout).not.toContain(TOKENS.classicPat);
      expect(result.stdout).toContain("ghp_…");
    }
    const shown = await match("ghcr.io/a/b", config, ["--show-secrets"]);
    expect(shown.matches[0]?.entry.credential?.password).toBe(TOKENS.classicPat);
  });

  it.each([
    ["https://bot:CANARY-k3y-pw@r.example.com", "https://***@r.example.com", "r.example.com"],
    ["bot:CANARY/k3y-pw@r.example.com", "***@r.example.com", "***"],
  ])(
    "a password in a key's user info (%s) is never shown, in text or JSON (key and normalizedKey)",
    async (key, shownKey, shownNormalized) => {
      const config = dockerConfig({
        [key]: kubectlEntry("bot", "entry-pass"),
        "r.example.com": kubectlEntry("plain", "plain-pass"),
      });
      for (const args of [["-o", "json"], [], ["--show-secrets"], ["-o", "json", "--show-secrets"]]) {
        const result = await runPullwarden(["secret", "match", "r.example.com/a/b", "-", ...args], {
          stdin: config,
        });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout + result.stderr).not.toMatch(/CANARY|k3y-pw/);
      }
      const json = await match("r.example.com/a/b", config);
      const redacted = json.matches.find((m) => m.entry.key === shownKey);
      // kubelet ignores user info when it parses the key: the first key still matches the image's host.
      if (shownNormalized === "r.example.com") {
        expect(redacted).toMatchObject({ normalizedKey: shownNormalized, via: "key-match" });
      } else {
        expect(json.matches.map((m) => m.entry.key)).toEqual(["r.example.com"]);
      }
    },
  );

  // Invalid image references (exit 3, one line): test/cli/bad-input.test.ts.

  it("a missing image argument is a usage error", async () => {
    const result = await runPullwarden(["secret", "match"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
  });
});
