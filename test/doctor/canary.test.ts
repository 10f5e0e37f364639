// A canary password planted in every position of every format `explain` reads (Secrets of every type as
// YAML, JSON and Lists, Pod YAML/JSON, describe output, event tables and objects, bare messages) never reaches
// stdout or stderr, raw or base64 (also inside `user:password`), with -o text and -o json. The canary is a
// short, lower-case word on purpose: no token heuristic catches it, only the structure around it does.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { renderDoctor } from "../../src/cli/commands/doctor/render.js";
import type { DoctorReport } from "../../src/cli/commands/doctor/render.js";
import type { CliIo } from "../../src/cli/io.js";
import { runPullwarden } from "../cli/run-cli.js";

const CANARY = "pw7canary9hunter";
const USER = "robot";
const NOW = new Date("2026-06-01T10:00:00Z");

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** Every form the canary may leak in: raw, base64 (std and url-safe, at each byte offset), in `user:pass`. */
function forbiddenForms(secret: string): string[] {
  const forms = new Set([secret, b64(secret), b64(`${USER}:${secret}`), b64(`:${secret}`)]);
  for (let offset = 0; offset < 3; offset++) {
    const encoded = b64(`${"x".repeat(offset)}${secret}`);
    // The characters that encode only the secret's bytes, whatever precedes or follows them.
    const core = encoded.slice(offset === 0 ? 0 : 4, -4);
    forms.add(core);
    forms.add(core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...forms];
}

const PEM_KEY = [
  "-----BEGIN PRIVATE KEY-----",
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
  CANARY,
  b64(CANARY),
  "-----END PRIVATE KEY-----",
].join("\n");

const DOCKER_CONFIG = JSON.stringify({
  auths: {
    "registry.example.com": { username: USER, password: CANARY, auth: b64(`${USER}:${CANARY}`) },
  },
});

/** Secrets of every type kubectl creates, with the canary in data, stringData and the last-applied annotation. */
function secrets(): Record<string, unknown>[] {
  const lastApplied = JSON.stringify({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db", namespace: "shop" },
    stringData: { password: CANARY, note: CANARY },
  });
  const secret = (name: string, type: string, data: Record<string, string>, stringData = {}) => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name,
      namespace: "shop",
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": lastApplied },
    },
    type,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    ...(Object.keys(stringData).length > 0 ? { stringData } : {}),
  });
  return [
    secret(
      "db",
      "Opaque",
      { password: CANARY, username: CANARY, "config.yaml": `db:\n  password: ${CANARY}\n` },
      { token: CANARY, note: CANARY, "app.properties": `db.password=${CANARY}\n` },
    ),
    secret("basic", "kubernetes.io/basic-auth", { username: USER, password: CANARY }),
    secret(
      "tls",
      "kubernetes.io/tls",
      { "tls.crt": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "tls.key": PEM_KEY },
      { "tls.key": PEM_KEY },
    ),
    secret(
      "pull",
      "kubernetes.io/dockerconfigjson",
      { ".dockerconfigjson": DOCKER_CONFIG },
      { ".dockerconfigjson": DOCKER_CONFIG },
    ),
    secret("legacy", "kubernetes.io/dockercfg", {
      ".dockercfg": JSON.stringify({ "registry.example.com": { auth: b64(`${USER}:${CANARY}`) } }),
    }),
    secret("ssh", "kubernetes.io/ssh-auth", { "ssh-privatekey": PEM_KEY }),
    secret("sa-token", "kubernetes.io/service-account-token", { token: CANARY, "ca.crt": CANARY }),
  ];
}

const WAITING_MESSAGE = `Back-off pulling image "registry.example.com/shop/web:1": ErrImagePull: failed to pull and unpack image "registry.example.com/shop/web:1": failed to resolve reference "registry.example.com/shop/web:1": unexpected status from HEAD request to https://${USER}:${CANARY}@registry.example.com/v2/shop/web/manifests/1?password=${CANARY}: 401 Unauthorized (password=${CANARY}, Authorization: token ${CANARY}, "auth":"${b64(`${USER}:${CANARY}`)}")`;

function pod(): Record<string, unknown> {
  const env = [
    { name: "DB_PASSWORD", value: CANARY },
    { name: "API_TOKEN", value: CANARY },
    { name: "PLAIN", value: CANARY },
    { name: "URL", value: `https://${USER}:${CANARY}@db.example.com/app` },
  ];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "web-7d9c8b6f5-x2x7k",
      namespace: "shop",
      annotations: {
        "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify({
          apiVersion: "v1",
          kind: "Pod",
          spec: { containers: [{ name: "web", env }] },
        }),
      },
    },
    spec: {
      containers: [
        {
          name: "web",
          image: "registry.example.com/shop/web:1",
          args: [`--password=${CANARY}`, `--db=postgres://${USER}:${CANARY}@db:5432/app`],
          env,
        },
        { name: "sidecar", image: `${USER}:${CANARY}@registry.example.com/shop/sidecar:1` },
      ],
      imagePullSecrets: [{ name: "pull" }],
    },
    status: {
      containerStatuses: [
        {
          name: "web",
          image: "registry.example.com/shop/web:1",
          state: { waiting: { reason: "ImagePullBackOff", message: WAITING_MESSAGE } },
        },
        {
          name: "sidecar",
          image: `${USER}:${CANARY}@registry.example.com/shop/sidecar:1`,
          state: {
            waiting: {
              reason: "InvalidImageName",
              message: `Failed to apply default image tag "${USER}:${CANARY}@registry.example.com/shop/sidecar:1": couldn't parse image name`,
            },
          },
        },
      ],
    },
  };
}

function event(message: string): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "web.1", namespace: "shop" },
    involvedObject: { kind: "Pod", name: "web-7d9c8b6f5-x2x7k", namespace: "shop" },
    reason: "Failed",
    type: "Warning",
    message,
  };
}

/** `kubectl get -o yaml` style, enough for these objects: block mappings, `- ` lists, quoted scalars. */
function toYaml(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return " []\n";
    return `\n${value.map((item) => `${indent}-${toYaml(item, `${indent}  `).replace(/^\n\s*/, " ")}`).join("")}`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return " {}\n";
    return `\n${entries.map(([k, v]) => `${indent}${/^[A-Za-z0-9_.-]+$/.test(k) ? k : JSON.stringify(k)}:${toYaml(v, `${indent}  `)}`).join("")}`;
  }
  if (typeof value === "string" && value.includes("\n")) {
    return ` |\n${value
      .replace(/\n$/, "")
      .split("\n")
      .map((line) => `${indent}${line}`)
      .join("\n")}\n`;
  }
  return ` ${JSON.stringify(value)}\n`;
}

const yamlDocs = (objects: unknown[]) => objects.map((o) => toYaml(o).replace(/^\n/, "")).join("---\n");
const list = (items: unknown[]) => ({
  apiVersion: "v1",
  kind: "List",
  items,
  metadata: { resourceVersion: "" },
});

const DESCRIBE = `Name:             web-7d9c8b6f5-x2x7k
Namespace:        shop
Service Account:  default
Node:             worker-2/10.0.3.12
Labels:           app=web
Annotations:      kubectl.kubernetes.io/last-applied-configuration:
                    {"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"env":[{"name":"PLAIN","value":"${CANARY}"}],"name":"web"}]}}
Status:           Pending
Controlled By:  ReplicaSet/web-7d9c8b6f5
Containers:
  web:
    Container ID:   
    Image:          registry.example.com/shop/web:1
    Args:
      --password=${CANARY}
      --token
      ${CANARY}
    State:          Waiting
      Reason:       ImagePullBackOff
    Environment:
      DB_PASSWORD:   ${CANARY}
      API_TOKEN:     ${CANARY}
      PLAIN:         ${CANARY}
      URL:           https://${USER}:${CANARY}@db.example.com/app
      FROM_SECRET:   <set to the key 'password' in secret 'db'>  Optional: false
    Mounts:         <none>
  env:
    Container ID:   
    Image:          registry.example.com/shop/env:1
    State:          Running
    Environment:
      SECRET_KEY:  ${CANARY}
Events:
  Type     Reason   Age   From     Message
  ----     ------   ----  ----     -------
  Warning  Failed   10s   kubelet  Failed to pull image "registry.example.com/shop/web:1": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/shop/web:1": failed to resolve reference "registry.example.com/shop/web:1": unexpected status from HEAD request to https://${USER}:${CANARY}@registry.example.com/v2/shop/web/manifests/1: 401 Unauthorized, Authorization: Basic ${b64(`${USER}:${CANARY}`)}, password: ${CANARY}
  Warning  Failed   10s   kubelet  Error: ErrImagePull
`;

const EVENTS_TABLE = `LAST SEEN   TYPE      REASON   OBJECT                       MESSAGE
10s         Warning   Failed   pod/web-7d9c8b6f5-x2x7k      Failed to pull image "registry.example.com/shop/web:1": the registry said no; password=${CANARY} token: ${CANARY} client_secret: ${CANARY}
10s         Warning   Failed   pod/web-7d9c8b6f5-x2x7k      Error: ErrImagePull
`;

const MESSAGES = [
  `Failed to pull image "registry.example.com/shop/web:1": rpc error: code = Unknown desc = strange failure with DB_PASSWORD=${CANARY}`,
  `Failed to pull image "registry.example.com/shop/web:1": {"password":"${CANARY}","identitytoken":"${CANARY}","auth":"${b64(`${USER}:${CANARY}`)}"}`,
  `Failed to pull image "${USER}:${CANARY}@registry.example.com/shop/web:1": rpc error: code = Unknown desc = odd`,
  `image pull failed: Authorization: token ${CANARY}`,
  `image pull failed: api_key: ${CANARY}; --docker-password="${CANARY}"`,
  `password: ${CANARY}`,
  `DB_PASSWORD=${CANARY}`,
  `export REGISTRY_TOKEN='${CANARY}'`,
  PEM_KEY,
  `-----BEGIN RSA PRIVATE KEY-----\n${b64(CANARY)}\n${CANARY}`,
].join("\n");

const FORMATS: [string, string][] = [
  ["Secrets as YAML documents", yamlDocs(secrets())],
  ["Secrets as a YAML List", yamlDocs([list(secrets())])],
  [
    "Secrets as a JSON List (kubectl -o json)",
    JSON.stringify({ ...list(secrets()), kind: "SecretList" }, null, 4),
  ],
  ["one Secret as JSON on one line", JSON.stringify(secrets()[0])],
  ["Pod YAML", yamlDocs([pod()])],
  ["Pod JSON", JSON.stringify(pod(), null, 4)],
  [
    "Pod, Event and Secrets in one List",
    JSON.stringify(list([pod(), event(WAITING_MESSAGE), ...secrets()]), null, 2),
  ],
  ["Pod and Secrets as YAML documents", yamlDocs([pod(), ...secrets()])],
  [
    "Events as YAML",
    yamlDocs([event(WAITING_MESSAGE), event(`Failed to pull image "x": password: ${CANARY}`)]),
  ],
  [
    "Events as a JSON EventList",
    JSON.stringify({ ...list([event(WAITING_MESSAGE)]), kind: "EventList" }, null, 4),
  ],
  ["describe output", DESCRIBE],
  ["describe output followed by a Secret", `${DESCRIBE}\n${yamlDocs([secrets()[0]])}`],
  ["events table", EVENTS_TABLE],
  ["events table followed by a Secret", `${EVENTS_TABLE}${yamlDocs(secrets())}`],
  ["bare messages", MESSAGES],
  [
    "a truncated JSON paste of Secrets",
    JSON.stringify({ ...list(secrets()), kind: "SecretList" }, null, 4).slice(0, -200),
  ],
  ["a broken YAML paste of Secrets", yamlDocs(secrets()).replace("kind: Secret", "kind: [Secret")],
];

describe("explain never prints a planted password", () => {
  const forbidden = forbiddenForms(CANARY);

  it("the fixtures do carry the canary in every form checked", () => {
    const all = FORMATS.map(([, text]) => text).join("\n");
    for (const form of [CANARY, b64(CANARY), b64(`${USER}:${CANARY}`)]) expect(all).toContain(form);
  });

  for (const [name, text] of FORMATS) {
    it.each(["text", "json"])(`${name}, -o %s`, async (output) => {
      const result = await runPullwarden(["explain", "-o", output], { stdin: text, now: NOW });
      expect(result.stderr).toBe("");
      expect([0, 1]).toContain(result.code);
      for (const form of forbidden) {
        expect(result.stdout, `${form} in stdout`).not.toContain(form);
      }
    });
  }

  it("still diagnoses the Pod whose spec carries the secrets", async () => {
    const result = await runPullwarden(["explain", "-o", "json"], {
      stdin: yamlDocs([pod(), ...secrets()]),
      now: NOW,
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      format: string;
      pods: { pod?: { name: string }; diagnoses: { id: string }[] }[];
    };
    expect(report.format).toBe("objects");
    expect(report.pods[0]?.pod?.name).toBe("web-7d9c8b6f5-x2x7k");
    expect(report.pods[0]?.diagnoses.map((d) => d.id)).toContain("registry-unauthorized");
  });

  it("a describe container named env is still a container", async () => {
    const result = await runPullwarden(["explain", "-o", "json"], { stdin: DESCRIBE, now: NOW });
    const report = JSON.parse(result.stdout) as {
      format: string;
      pods: { diagnoses: { images: string[] }[] }[];
    };
    expect(report.format).toBe("describe");
    expect(report.pods[0]?.diagnoses[0]?.images).toEqual(["registry.example.com/shop/web:1"]);
  });

  it("objects other than Pods and Events are not read as messages", async () => {
    const result = await runPullwarden(["explain"], { stdin: yamlDocs(secrets()), now: NOW });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("No image-pull failure in this text.\n");
  });

  it("large unrecognised input is summarised, not echoed", async () => {
    const log = Array.from({ length: 500 }, (_, i) => `line ${i} of a log, secret=${CANARY}`).join("\n");
    const result = await runPullwarden(["explain"], { stdin: log, now: NOW });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "Messages\n  No image-pull failure in this text.\n  500 lines not recognised (not shown)\n",
    );
    const truncated = FORMATS.find(([name]) => name.startsWith("a truncated JSON"))![1];
    const broken = await runPullwarden(["explain"], { stdin: truncated, now: NOW });
    expect(broken.stdout).toMatch(/^ {2}\d+ (more )?lines not recognised \(not shown/m);
  });
});

describe("doctor's rendering goes through the same redaction", () => {
  /** Free text a gatherer or a rule might pass on unredacted: an API error, a note, a gap, an evidence line. */
  function report(): DoctorReport {
    const leak = `https://${USER}:${CANARY}@api.example.com:6443 said password=${CANARY}`;
    return {
      target: "web",
      pods: [
        {
          namespace: "shop",
          name: "web",
          noStatus: false,
          pullTrouble: true,
          diagnoses: [
            {
              id: "registry-unauthorized",
              title: "The registry answered 401 Unauthorized (credentials missing or rejected)",
              category: "credential",
              rank: 1,
              confidence: "medium",
              score: 0.6,
              images: ["registry.example.com/shop/web:1"],
              containers: ["web"],
              secrets: [],
              evidence: [`event Failed: ${leak}`, `DB_PASSWORD: ${CANARY}`],
              fix: { explanation: "Renew the credential.", commands: [] },
              informational: false,
            },
          ],
          gaps: [{ subject: "secret", name: "pull", reason: "error", detail: leak }],
          notes: [leak],
        },
      ],
      groups: [],
      failures: [leak],
      findings: 1,
      requests: 3,
    };
  }

  async function rendered(report: DoctorReport, output: "text" | "json", single: boolean): Promise<string> {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    const io: CliIo = {
      stdin: new PassThrough(),
      stdout,
      stderr: new PassThrough(),
      env: {},
      cwd: "/",
      now: () => NOW,
    };
    renderDoctor(report, io, output, single);
    stdout.end();
    await new Promise((resolve) => setImmediate(resolve));
    return Buffer.concat(chunks).toString("utf8");
  }

  it.each([
    ["text", true],
    ["json", true],
    ["text", false],
  ] as const)(
    "prints what could not be read whole: a name before a colon is no credential key (-o %s, single Pod: %s)",
    async (output, single) => {
      const base = report();
      const pod = base.pods[0]!;
      const printed = await rendered(
        {
          ...base,
          failures: [],
          pods: [
            {
              ...pod,
              notes: [],
              gaps: [
                {
                  subject: "namespace-secrets",
                  reason: "forbidden",
                  permission: "list secrets in namespace shop",
                  detail: "cannot list secrets in shop as dev",
                },
                { subject: "secret", name: "registry-token", reason: "error", detail: `token=${CANARY}` },
              ],
            },
          ],
        },
        output,
        single,
      );
      expect(printed).toContain(
        "namespace-secrets: forbidden: needs permission to list secrets in namespace shop (cannot list secrets in shop as dev)",
      );
      expect(printed).toContain("secret registry-token: could not be read (token=<redacted>)");
      for (const form of forbiddenForms(CANARY)) expect(printed).not.toContain(form);
    },
  );

  it.each([
    ["text", true],
    ["text", false],
    ["json", true],
  ] as const)("-o %s (single Pod: %s)", async (output, single) => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    const io: CliIo = {
      stdin: new PassThrough(),
      stdout,
      stderr: new PassThrough(),
      env: {},
      cwd: "/",
      now: () => NOW,
    };
    renderDoctor(report(), io, output, single);
    stdout.end();
    await new Promise((resolve) => setImmediate(resolve));
    const printed = Buffer.concat(chunks).toString("utf8");
    expect(printed).toContain("api.example.com:6443");
    for (const form of forbiddenForms(CANARY)) expect(printed).not.toContain(form);
  });
});
