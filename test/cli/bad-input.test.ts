// Bad input (issue 2, "Bad input"): each gets a one-line `error:` naming the problem (with its position where
// there is one), optionally a `hint:` line, the documented exit code (3: invalid input, docs/exit-codes.md),
// no stack trace, and nothing on stdout. Fixtures: testdata/secret/ (README there); big and binary inputs are
// generated here. Property tests feed arbitrary text and bytes to `secret inspect`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/index.js";
import { STACK_TRACE, parseJsonOutput, runPullwarden, spawnPullwarden } from "./run-cli.js";
import type { CliResult } from "./run-cli.js";
import { TOKENS, dockerConfig, kubectlEntry, secretYaml } from "./secret-fixtures.js";

const FIXTURES = join(REPO_ROOT, "testdata", "secret");
const fixture = (name: string) => join(FIXTURES, name);

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pullwarden-bad-input-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function scratch(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Exit `code`, nothing on stdout, `error: …` on one line (+ an optional `hint: …` line), no stack trace. */
function expectOneLineError(result: CliResult, pattern: RegExp, code = 3): void {
  expect(result.code, `stderr: ${result.stderr}`).toBe(code);
  expect(result.stdout).toBe("");
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.stderr).not.toContain("internal error");
  const lines = result.stderr.replace(/\n$/, "").split("\n");
  expect(lines[0]).toMatch(/^error: \S/);
  expect(lines[0]).toMatch(pattern);
  expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: \S/);
}

/** The commands that read a pull-credential file. */
const READERS: [string, (path: string) => string[]][] = [
  ["secret inspect", (path) => ["secret", "inspect", path]],
  ["secret inspect -o json", (path) => ["secret", "inspect", path, "-o", "json"]],
  ["secret match", (path) => ["secret", "match", "ghcr.io/acme/app", path]],
  [
    "secret create --merge",
    (path) => ["secret", "create", "x", "--merge", path, "--dry-run=client", "-o", "yaml"],
  ],
];
/** Commands that take raw JSON only. */
const RAW_READERS: [string, (path: string) => string[]][] = [
  ...READERS,
  [
    "secret create --from-file",
    (path) => ["secret", "create", "x", `--from-file=${path}`, "--dry-run=client"],
  ],
];

describe("malformed and invalid files", () => {
  it.each(RAW_READERS)("malformed JSON (%s): names it, with line and column", async (_label, args) => {
    const result = await runPullwarden(args(fixture("malformed.json")));
    expectOneLineError(result, /malformed\.json:3:42: malformed JSON: trailing comma/);
  });

  it.each(READERS)("malformed YAML (%s): file:line:column", async (_label, args) => {
    const result = await runPullwarden(args(fixture("malformed.yaml")));
    expectOneLineError(result, /malformed\.yaml:\d+:\d+: \S/);
  });

  it.each(READERS)("duplicate keys in YAML (%s): file:line:column", async (_label, args) => {
    const result = await runPullwarden(args(fixture("duplicate-keys.yaml")));
    expectOneLineError(result, /duplicate-keys\.yaml:5:3: Map keys must be unique/);
  });

  it.each(RAW_READERS)("`auths` not an object (%s): names it, with line and column", async (_label, args) => {
    const result = await runPullwarden(args(fixture("auths-not-object.json")));
    expectOneLineError(result, /auths-not-object\.json:2:12: "auths" must be a JSON object, found an array/);
  });

  it.each(READERS)(
    "invalid base64 in a Secret's data (%s): names the key and where",
    async (_label, args) => {
      const result = await runPullwarden(args(fixture("data-not-base64.yaml")));
      // The Secret starts on line 1 of the file; the error must say which file and document it is about.
      expectOneLineError(result, /data\[\.dockerconfigjson\] is not base64/);
      expect(result.stderr).toMatch(/data-not-base64\.yaml:\d+/);
    },
  );

  it("a Secret manifest given to --from-file (raw JSON only): the hint speaks CLI, not library API", async () => {
    const result = await runPullwarden([
      "secret",
      "create",
      "x",
      `--from-file=${fixture("duplicate-keys.yaml")}`,
      "--dry-run=client",
    ]);
    expectOneLineError(result, /expected a \.dockerconfigjson payload, not a manifest/);
    expect(result.stderr).toMatch(/hint: .*--merge /);
    expect(result.stderr).not.toContain("dockerConfigFromSecret");
  });

  it("with several --merge files, the error names the file that is broken", async () => {
    const good = scratch("good.json", dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) }));
    for (const bad of ["malformed.json", "auths-not-object.json", "data-not-base64.yaml"]) {
      const result = await runPullwarden([
        "secret",
        "create",
        "x",
        "--merge",
        good,
        fixture(bad),
        "--dry-run=client",
      ]);
      expectOneLineError(result, /\S/);
      expect(result.stderr, bad).toContain(bad);
    }
  });
});

describe("duplicate keys in JSON", () => {
  it("secret inspect reports duplicate-key with the line of the repeated key", async () => {
    const result = await runPullwarden(["secret", "inspect", fixture("duplicate-keys.json"), "-o", "json"]);
    expect(result.stderr).toBe("");
    const report = parseJsonOutput<{
      sources: {
        problems: { code: string; position?: { line?: number } }[];
        entries: { problems: { code: string; position?: { line?: number } }[] }[];
      }[];
    }>(result);
    const problems = report.sources.flatMap((s) => [...s.problems, ...s.entries.flatMap((e) => e.problems)]);
    const duplicate = problems.find((p) => p.code === "duplicate-key");
    expect(duplicate?.position?.line).toBe(4);
  });

  it("secret create --from-file refuses it (which password was meant is ambiguous), writing nothing", async () => {
    const result = await runPullwarden([
      "secret",
      "create",
      "x",
      `--from-file=${fixture("duplicate-keys.json")}`,
      "--dry-run=client",
      "-o",
      "yaml",
    ]);
    expectOneLineError(result, /reg\.example\.com.*more than once|duplicate/);
    expect(result.stderr).toMatch(/line 4|:4:/);
  });
});

describe("unpadded base64 in auth", () => {
  it("secret inspect reports auth-unpadded-base64", async () => {
    const result = await runPullwarden(["secret", "inspect", fixture("unpadded-auth.json"), "-o", "json"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain('"code": "auth-unpadded-base64"');
  });

  it("secret create --from-file refuses it (skopeo, docker and containerd reject it), writing nothing", async () => {
    const result = await runPullwarden([
      "secret",
      "create",
      "x",
      `--from-file=${fixture("unpadded-auth.json")}`,
      "--dry-run=client",
      "-o",
      "yaml",
    ]);
    expectOneLineError(result, /padding/);
  });
});

describe("a UTF-8 byte order mark (kubelet's JSON decoder rejects it)", () => {
  it("secret inspect reports utf8-bom as an error for a raw file too, as it does inside a Secret", async () => {
    const raw = await runPullwarden(["secret", "inspect", fixture("bom.json"), "-o", "json"]);
    expect(raw.stdout).toContain('"code": "utf8-bom"');
    expect(raw.code).toBe(1);
  });

  it("secret create --from-file neither strips it silently nor writes the secret", async () => {
    const result = await runPullwarden([
      "secret",
      "create",
      "x",
      `--from-file=${fixture("bom.json")}`,
      "--dry-run=client",
      "-o",
      "json",
    ]);
    expectOneLineError(result, /byte order mark/);
  });
});

describe("binary, huge and deeply nested input", () => {
  /** Deterministic pseudo-random bytes (xorshift), so a failure is reproducible. */
  function garbage(size: number, seed: number): Buffer {
    const bytes = Buffer.alloc(size);
    let x = seed >>> 0 || 1;
    for (let i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
    return bytes;
  }

  it.each(RAW_READERS)("binary garbage (%s): not UTF-8, with the offset", async (_label, args) => {
    const path = scratch("garbage.bin", garbage(4096, 42));
    const result = await runPullwarden(args(path));
    expectOneLineError(result, /garbage\.bin: not UTF-8 text \(invalid byte at offset \d+\)/);
  });

  it("binary garbage on stdin", async () => {
    const result = await runPullwarden(["secret", "inspect"], { stdin: garbage(4096, 7) });
    expectOneLineError(result, /stdin: not UTF-8 text/);
  });

  it.each([
    ["gzip", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03])],
    ["UTF-16 JSON", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"auths":{}}', "utf16le")])],
    ["a NUL inside JSON", Buffer.from('{"auths":{"a.io":{"auth":"\u0000"}}}')],
  ])("%s is refused", async (_label, bytes) => {
    const result = await runPullwarden(["secret", "inspect"], { stdin: bytes });
    expectOneLineError(result, /not UTF-8|not JSON text|NUL/);
  });

  const FIFTY_MB = 50 * 1024 * 1024;
  let big: string;
  beforeAll(() => {
    const head = Buffer.from('{"auths":{"reg.example.com":{"auth":"');
    const tail = Buffer.from('"}}}');
    const body = Buffer.alloc(FIFTY_MB - head.length - tail.length, 0x41);
    big = scratch("fifty.json", Buffer.concat([head, body, tail]));
  });

  it.each(RAW_READERS)("a 50 MB file (%s) is refused fast, by its size", async (_label, args) => {
    const started = performance.now();
    const result = await runPullwarden(args(big));
    const elapsed = performance.now() - started;
    expectOneLineError(result, /fifty\.json: input is 50\.0 MiB, over the \d+\.\d MiB limit/);
    expect(elapsed).toBeLessThan(1000);
  });

  it("50 MB on stdin is refused without reading it all", async () => {
    const started = performance.now();
    const result = await runPullwarden(["secret", "inspect"], { stdin: Buffer.alloc(FIFTY_MB, 0x41) });
    expectOneLineError(result, /stdin: input is more than the \d+\.\d MiB limit/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  const DEPTH = 100_000;
  it.each([
    ["arrays", "[".repeat(DEPTH) + "]".repeat(DEPTH)],
    ["objects", '{"a":'.repeat(DEPTH) + "1" + "}".repeat(DEPTH)],
    ["inside auths", '{"auths":' + '{"a":'.repeat(DEPTH) + "{}" + "}".repeat(DEPTH + 1)],
    [
      "inside a JSON manifest",
      '{"apiVersion":"v1","kind":"Secret","data":' + "[".repeat(DEPTH) + "]".repeat(DEPTH) + "}",
    ],
    [
      "in YAML flow style",
      "apiVersion: v1\nkind: Secret\ndata: " + "[".repeat(DEPTH) + "]".repeat(DEPTH) + "\n",
    ],
  ])("100 000 levels of nesting (%s) are refused with a position", async (label, text) => {
    const path = scratch(`deep-${label.replace(/\W+/g, "-")}.json`, text);
    // --from-file takes raw JSON only; YAML is refused there as malformed JSON (tested above).
    for (const [, args] of text.startsWith("apiVersion") ? READERS : RAW_READERS) {
      const result = await runPullwarden(args(path));
      const isManifestGivenToFromFile =
        text.startsWith("{") &&
        text.includes('"apiVersion"') &&
        args(path).some((a) => a.startsWith("--from-file"));
      // --from-file refuses a manifest before parsing it, pointing to --merge.
      expectOneLineError(result, isManifestGivenToFromFile ? /not a manifest/ : /nest/);
      if (!args(path).some((a) => a.startsWith("--from-file"))) {
        expect(result.stderr).toMatch(/line \d+, column \d+|:\d+:\d+:|document \d+/);
      }
    }
  });
});

describe("real process: exit codes and no stack traces", () => {
  it.each([
    [["secret", "inspect", fixture("malformed.json")], 3, /malformed\.json:3:42: malformed JSON/],
    [["secret", "inspect", fixture("duplicate-keys.yaml")], 3, /Map keys must be unique/],
    [
      ["secret", "match", "Nginx:latest", fixture("duplicate-keys.json")],
      3,
      /parsing image reference "Nginx:latest"/,
    ],
    [["secret", "inspect", "/nonexistent/file.json"], 3, /no such file/],
    [["secret", "inspect", REPO_ROOT], 3, /is a directory/],
    [["secret", "create", "x", "--docker-username=u"], 2, /--dry-run=client|either --from-file/],
    [["secret", "nope"], 2, /unknown command|error/],
  ] as const)("%j → exit %d", async (args, code, pattern) => {
    const result = await spawnPullwarden(args);
    expectOneLineError(result, pattern, code);
  });

  it("a 50 MB stdin through a real pipe: exit 3 and no EPIPE crash", async () => {
    const result = await spawnPullwarden(["secret", "inspect", "-"], {
      stdin: Buffer.alloc(50 * 1024 * 1024, 0x41),
    });
    expectOneLineError(result, /input is more than the \d+\.\d MiB limit/);
  });

  it("PULLWARDEN_DEBUG=1 is the only way to get a stack trace (and the detector sees one)", async () => {
    const result = await spawnPullwarden(["secret", "inspect", fixture("malformed.json")], {
      env: { PULLWARDEN_DEBUG: "1" },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(STACK_TRACE);
  });
});

describe("invalid image references for secret match", () => {
  it.each([
    "nginx:",
    "Nginx",
    "docker.io/Nginx",
    "a b",
    "",
    ":1",
    "nginx@sha256:abc",
    "ghcr.io/acme/app:tag with space",
    "x".repeat(300),
    "ghcr.io//double",
  ])("%j: exit 3, one line naming the reference", async (image) => {
    const result = await runPullwarden(["secret", "match", image, "-"], {
      stdin: dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) }),
    });
    expectOneLineError(result, /^error: parsing image reference "/);
  });
});

describe("properties: secret inspect never crashes on arbitrary input", () => {
  /** What every run must satisfy, whatever the input. */
  async function checkInspect(input: string | Uint8Array, json: boolean): Promise<void> {
    const result = await runPullwarden(["secret", "inspect", "-", ...(json ? ["-o", "json"] : [])], {
      stdin: input,
    });
    if (result.code === 5 || STACK_TRACE.test(result.stderr) || result.stderr.includes("internal error")) {
      throw new Error(`exit ${result.code}\n${result.stderr}`);
    }
    expect([0, 1, 3]).toContain(result.code);
    if (result.code === 3) {
      expectOneLineError(result, /\S/);
    } else {
      expect(result.stdout.length).toBeGreaterThan(0);
      if (json) JSON.parse(result.stdout);
    }
  }

  // A fixed seed keeps CI reproducible; PULLWARDEN_FUZZ_SEED / PULLWARDEN_FUZZ_RUNS explore further by hand.
  const seed = Number(process.env["PULLWARDEN_FUZZ_SEED"] ?? 20260601);
  const scale = Number(process.env["PULLWARDEN_FUZZ_RUNS"] ?? 1);
  const params = { seed, endOnFailure: true };

  it("arbitrary strings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 300 }), fc.boolean(), checkInspect),
      { ...params, numRuns: 60 * scale },
    );
  });

  it("arbitrary bytes", async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), checkInspect), {
      ...params,
      numRuns: 40 * scale,
    });
  });

  it("arbitrary JSON where a docker config is expected", async () => {
    const field = fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 }), fc.base64String({ maxLength: 40 }));
    const entry = fc.dictionary(
      fc.constantFrom("auth", "username", "password", "email", "identitytoken", "Auth", "x"),
      field,
    );
    const key = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        "ghcr.io",
        "https://index.docker.io/v1/",
        "registry-1.docker.io",
        "*.azurecr.io",
        "[::1]:5000",
      ),
    );
    const config = fc.oneof(
      fc.record({ auths: fc.dictionary(key, fc.oneof(entry, fc.jsonValue({ maxDepth: 2 }))) }),
      fc.dictionary(key, entry),
      fc.jsonValue({ maxDepth: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(config, fc.boolean(), (value, json) => checkInspect(JSON.stringify(value), json)),
      { ...params, numRuns: 60 * scale },
    );
  });

  it("a valid Secret with random edits", async () => {
    const valid = secretYaml({
      name: "regcred",
      namespace: "apps",
      payload: dockerConfig({ "ghcr.io": kubectlEntry("bot", TOKENS.classicPat) }),
    });
    const edit = fc.record({
      at: fc.nat({ max: valid.length }),
      remove: fc.nat({ max: 4 }),
      insert: fc.string({ unit: "binary-ascii", maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.boolean(), (edits, json) => {
        let text = valid;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.remove);
        return checkInspect(text, json);
      }),
      { ...params, numRuns: 50 * scale },
    );
  });
});
