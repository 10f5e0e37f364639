// A password pasted into a registry key's user info (`https://user:PASSWORD@host`) is shown nowhere: every
// command that reads pull secrets and every output format shows keys through the one key redaction
// (src/dockerconfig/problems.ts redactKey). The canary sits in keys kubelet can match (user info inside the
// authority), cannot parse (a password with '/'), and in keys whose kubelet-normalised form would carry it.
import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/index.js";
import { dockerSecret, evidence, failedEvent, pod, probe } from "../doctor/fixtures.js";
import { TEST_NOW, runPullwarden } from "./run-cli.js";
import { dockerConfig, jwt, kubectlEntry, secretYaml, unixSeconds, yamlStream } from "./secret-fixtures.js";

const CANARY = "CANARY-key-pw";
const KEYS = [
  `https://bot:${CANARY}@r.example.com`,
  `bot:${CANARY}@other.example.com/team`,
  `https://bot:${CANARY}/x@third.example.com`,
  `https://bot:1234?${CANARY}@fourth.example.com`,
];
const expired = jwt({ sub: "bot", exp: unixSeconds(new Date(TEST_NOW.getTime() - 86_400_000)) });
const payload = dockerConfig(Object.fromEntries(KEYS.map((key) => [key, kubectlEntry("bot", expired)])));
const secret = secretYaml({ name: "regcred", namespace: "apps", payload });
const podManifest = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: apps}
spec:
  imagePullSecrets: [{name: regcred}]
  containers:
    - {name: a, image: r.example.com/org/app:1}
    - {name: b, image: unrelated.example.com/org/app:1}
`;
const manifests = yamlStream(secret, podManifest);

/** Every form the canary could leak in: as is, base64 of itself and of `bot:CANARY`. */
function expectNoCanary(text: string): void {
  for (const leak of [
    CANARY,
    Buffer.from(CANARY).toString("base64").slice(0, 12),
    Buffer.from(`bot:${CANARY}`).toString("base64").slice(0, 16),
    "1234",
  ]) {
    expect(text).not.toContain(leak);
  }
}

describe("a password in a key's user info is never shown", () => {
  it.each([
    [["secret", "inspect", "-"]],
    [["secret", "inspect", "-", "-o", "json"]],
    [["secret", "inspect", "-", "--show-secrets"]],
    [["secret", "match", "r.example.com/org/app", "-"]],
    [["secret", "match", "r.example.com/org/app", "-", "-o", "json", "--show-secrets"]],
    [["secret", "create", "x", "--merge", "-", "--dry-run=client", "-o", "yaml"]],
  ])("pullwarden %j", async (args) => {
    const result = await runPullwarden(args, { stdin: secret });
    expect(result.stdout + result.stderr).not.toBe("");
    expectNoCanary(result.stdout + result.stderr);
  });

  it.each(["text", "json", "sarif", "junit", "html"])("pullwarden audit -o %s", async (format) => {
    const result = await runPullwarden(["audit", "-", "-o", format], { stdin: manifests });
    expect(result.stdout).toContain("regcred");
    expectNoCanary(result.stdout + result.stderr);
  });
});

describe("doctor", () => {
  it("names the keys of a Pod's pull secrets redacted, in every diagnosis and probe", () => {
    const image = "r.example.com/org/app:1";
    const auths = Object.fromEntries(KEYS.map((key) => [key, { username: "bot", password: "pull-pass" }]));
    const diagnoses = diagnose(
      evidence({
        pod: pod({ containers: [{ image, reason: "ErrImagePull" }], imagePullSecrets: ["regcred"] }),
        events: [failedEvent(image, `failed to pull and unpack image "${image}": 401 Unauthorized`)],
        secrets: [dockerSecret("regcred", "shop", auths)],
        probes: [
          probe(
            image,
            { kind: "secret", secret: "regcred", key: "https://***@r.example.com" },
            {
              outcome: "unauthorized",
            },
          ),
        ],
      }),
    );
    expect(diagnoses.length).toBeGreaterThan(0);
    expectNoCanary(JSON.stringify(diagnoses));
    expect(JSON.stringify(diagnoses)).toContain("***@");
  });
});
