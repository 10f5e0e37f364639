// `pullwarden check` output from fabricated engine results: the overall result among attempts, the table, the
// JSON report's shape (docs/check.md) and the credential labels.
import { describe, expect, it } from "vitest";
import { parseImages } from "../../src/cli/commands/check/images.js";
import {
  checkJsonReport,
  describeCredential,
  renderCheckTable,
  resultDetail,
} from "../../src/cli/commands/check/render.js";
import type { ImageReport } from "../../src/cli/commands/check/render.js";
import { createPaint } from "../../src/cli/output.js";
import { redactKey } from "../../src/dockerconfig/index.js";
import { accessFix, selectResult } from "../../src/registry/index.js";
import type { AccessResult, CredentialLabel } from "../../src/registry/index.js";

const base = { image: "r.example/org/app:1", registry: "r.example", message: "m", blurred: false, steps: [] };

const ok: AccessResult = {
  ...base,
  outcome: "ok",
  digest: `sha256:${"ab".repeat(32)}`,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  auth: "basic",
  fix: accessFix("ok"),
};
const rejected: AccessResult = {
  ...base,
  outcome: "unauthorized",
  reason: "credential-rejected",
  status: 401,
  fix: accessFix("unauthorized", "credential-rejected"),
};
const noCredential: AccessResult = {
  ...base,
  outcome: "unauthorized",
  reason: "no-credential",
  status: 401,
  blurred: true,
  note: "401 may also mean the repository does not exist.",
  fix: accessFix("unauthorized", "no-credential"),
};
const notFound: AccessResult = {
  ...base,
  outcome: "not-found",
  what: "tag",
  status: 404,
  fix: accessFix("not-found", "tag"),
};
const refused: AccessResult = {
  ...base,
  outcome: "network",
  reason: "refused",
  code: "ECONNREFUSED",
  fix: accessFix("network", "refused"),
};
const rateLimited: AccessResult = {
  ...base,
  outcome: "rate-limited",
  status: 429,
  retryAfterSeconds: 30,
  fix: accessFix("rate-limited"),
};

describe("selectResult", () => {
  it("the first ok wins, as kubelet stops at the first success", () => {
    expect(selectResult([rejected, ok, ok])).toBe(1);
    expect(selectResult([ok, rejected])).toBe(0);
  });

  it("without an ok: the most informative failure, the earliest on a tie", () => {
    expect(selectResult([noCredential, rejected])).toBe(1);
    expect(selectResult([rejected, notFound])).toBe(1);
    expect(selectResult([refused, noCredential])).toBe(0);
    expect(selectResult([rejected, rejected])).toBe(0);
    expect(selectResult([rateLimited, rejected])).toBe(0);
  });
});

describe("resultDetail", () => {
  it.each([
    [ok, `sha256:${"ab".repeat(6)}… (basic)`],
    [rejected, "credential-rejected (HTTP 401)"],
    [noCredential, "no-credential (HTTP 401) (blurred)"],
    [notFound, "tag not found (HTTP 404)"],
    [refused, "refused (ECONNREFUSED)"],
    [rateLimited, "HTTP 429, retry after 30 s"],
    [
      {
        ...base,
        outcome: "platform-missing",
        platform: { os: "linux", architecture: "s390x" },
        available: [{ os: "linux", architecture: "arm64", variant: "v8" }],
        digest: "sha256:x",
        mediaType: "m",
        fix: "f",
      } satisfies AccessResult,
      "no linux/s390x; has linux/arm64/v8",
    ],
    [
      {
        ...base,
        outcome: "registry-error",
        reason: "server-error",
        status: 503,
        code: "UNAVAILABLE",
        fix: "f",
      },
      "server-error (HTTP 503) UNAVAILABLE",
    ],
    [
      {
        ...base,
        outcome: "bad-realm",
        reason: "forbidden-address",
        realm: "http://169.254.169.254/t",
        fix: "f",
      },
      "forbidden-address http://169.254.169.254/t",
    ],
    [{ ...ok, auth: "anonymous-token" } satisfies AccessResult, `sha256:${"ab".repeat(6)}… (anonymous)`],
  ] as [AccessResult, string][])("%#", (result, detail) => {
    expect(resultDetail(result)).toBe(detail);
  });
});

describe("credential labels", () => {
  it.each([
    [{ kind: "anonymous", anonymous: "no-credential-given" }, "anonymous"],
    [{ kind: "anonymous", anonymous: "no-key-matches" }, "anonymous (no key of the secret matches)"],
    [{ kind: "flags", source: "--username", username: "bob" }, "--username bob"],
    [
      {
        kind: "secret",
        source: "secret ns/pull (s.yaml:1)",
        key: "ghcr.io",
        via: "key-match",
        username: "octo",
      },
      "secret ns/pull (s.yaml:1), key ghcr.io, user octo",
    ],
    [
      {
        kind: "secret",
        source: "s.json",
        key: "https://index.docker.io/v1/",
        via: "docker-hub-fallback",
        username: "",
      },
      "s.json, key https://index.docker.io/v1/ (Docker Hub fallback), user (empty)",
    ],
    [
      { kind: "secret", source: "s.json", key: "r.example", anonymous: "entry-without-credentials" },
      "s.json, key r.example, no usable credential: anonymous",
    ],
    [
      {
        kind: "docker-config",
        source: "/h/.docker/config.json",
        key: "ghcr.io",
        origin: "helper docker-credential-pass",
        username: "octo",
      },
      "/h/.docker/config.json, ghcr.io (helper docker-credential-pass), user octo",
    ],
    [
      {
        kind: "cloud",
        source: "ecr:GetAuthorizationToken (eu-west-1)",
        username: "AWS",
        identity: "arn:aws:sts::123456789012:assumed-role/dev/alice",
        expiresAt: "2026-06-01T12:00:00.000Z",
      },
      "minted by arn:aws:sts::123456789012:assumed-role/dev/alice, with ecr:GetAuthorizationToken (eu-west-1), user AWS, expires 2026-06-01T12:00:00.000Z",
    ],
    [
      {
        kind: "cloud",
        source: "az acr login",
        username: "00000000-0000-0000-0000-000000000000",
        identity: "the az CLI's signed-in account",
      },
      "minted by the az CLI's signed-in account, with az acr login, user 00000000-0000-0000-0000-000000000000",
    ],
  ] as [CredentialLabel, string][])("%j", (label, text) => {
    expect(describeCredential(label)).toBe(text);
  });

  it("keys are shown through the one key redaction, which hides user info", () => {
    expect(redactKey("https://u:p@r.example/v1/")).toBe("https://***@r.example/v1/");
    expect(redactKey("u:p@r.example")).toBe("***@r.example");
    expect(redactKey("r.example/path@x")).toBe("r.example/path@x");
    expect(redactKey("ghcr.io")).toBe("ghcr.io");
  });
});

function reportFor(text: string, attempts: [CredentialLabel, AccessResult | undefined][]): ImageReport {
  const { valid } = parseImages([{ text, file: "images.txt", line: 4 }]);
  const results = attempts.map(([, r]) => r).filter((r): r is AccessResult => r !== undefined);
  const selected = selectResult(results);
  return {
    image: valid[0] as ImageReport["image"],
    result: results[selected] as AccessResult,
    selected: selected + 1,
    attempts: attempts.map(([credential, result], i) => ({
      attempt: i + 1,
      credential,
      result,
      skipped: result ? undefined : "earlier-attempt-ok",
    })),
  };
}

const SPECIFIC: CredentialLabel = {
  kind: "secret",
  source: "secret a (s.yaml:1)",
  key: "r.example/org",
  username: "a",
};
const HOST: CredentialLabel = {
  kind: "secret",
  source: "secret b (s.yaml:9)",
  key: "r.example",
  username: "b",
};
const reports = [
  reportFor("r.example/org/app:1", [
    [SPECIFIC, rejected],
    [HOST, ok],
  ]),
  reportFor("r.example/org/app:2", [[HOST, notFound]]),
  reportFor("r.example/org/app:3", [[{ kind: "anonymous", anonymous: "no-key-matches" }, noCredential]]),
];

describe("renderCheckTable", () => {
  it("rows, attempts, notes, fixes after non-ok rows, and a summary", () => {
    const table = renderCheckTable(reports, { paint: createPaint(false) });
    expect(table.split("\n")).toEqual([
      "IMAGE                OUTCOME       DETAIL                              CREDENTIAL",
      `r.example/org/app:1  ok            sha256:abababababab… (basic)        secret b (s.yaml:9), key r.example, user b`,
      "  attempt 1/2 unauthorized: credential-rejected (HTTP 401), with secret a (s.yaml:1), key r.example/org, user a",
      `  attempt 2/2 ok: sha256:abababababab… (basic), with secret b (s.yaml:9), key r.example, user b`,
      "r.example/org/app:2  not-found     tag not found (HTTP 404)            secret b (s.yaml:9), key r.example, user b",
      `  fix: ${accessFix("not-found", "tag")}`,
      "r.example/org/app:3  unauthorized  no-credential (HTTP 401) (blurred)  anonymous (no key of the secret matches)",
      "  note: 401 may also mean the repository does not exist.",
      `  fix: ${accessFix("unauthorized", "no-credential")}`,
      "",
      "3 image(s): 1 ok, 2 not ok",
      "",
    ]);
  });

  it("an attempt not made says why", () => {
    const table = renderCheckTable(
      [
        reportFor("r.example/org/app:1", [
          [HOST, ok],
          [SPECIFIC, undefined],
        ]),
      ],
      { paint: createPaint(false) },
    );
    expect(table).toContain(
      "  attempt 2/2 not tried (kubelet stops at the first credential that pulls), with secret a",
    );
  });
});

describe("checkJsonReport", () => {
  it("has the documented shape", () => {
    const json = checkJsonReport(reports, {
      platform: { os: "linux", architecture: "arm64" },
      warnings: ["w"],
    });
    expect(Object.keys(json)).toEqual(["schemaVersion", "ok", "platform", "summary", "warnings", "images"]);
    expect(json).toMatchObject({
      schemaVersion: 1,
      ok: false,
      platform: "linux/arm64",
      summary: { images: 3, ok: 1, notOk: 2, outcomes: { ok: 1, "not-found": 1, unauthorized: 1 } },
      warnings: ["w"],
    });
    expect(Object.keys(json.images[0] ?? {})).toEqual([
      "image",
      "file",
      "line",
      "reference",
      "registry",
      "outcome",
      "reason",
      "message",
      "fix",
      "blurred",
      "note",
      "digest",
      "credential",
      "attempt",
      "attempts",
    ]);
    expect(json.images[0]).toMatchObject({
      image: "r.example/org/app:1",
      file: "images.txt",
      line: 4,
      reference: "r.example/org/app:1",
      outcome: "ok",
      reason: null,
      note: null,
      digest: ok.outcome === "ok" ? ok.digest : "",
      credential: HOST,
      attempt: 2,
      attempts: [
        { attempt: 1, credential: SPECIFIC, tried: true, skipped: null, result: rejected },
        { attempt: 2, credential: HOST, tried: true, skipped: null, result: ok },
      ],
    });
    expect(json.images[1]).toMatchObject({ outcome: "not-found", reason: "tag", digest: null });
    expect(json.images[2]).toMatchObject({ reason: "no-credential", blurred: true, note: noCredential.note });
  });
});
