// The canary (issue 10, evidence): one known password planted in every input position pullwarden reads (registry
// keys with user info, docker credential helper output, Secret data of every type, env vars in describe output
// and Pod specs, layout password sources, --docker-password/-stdin/-file/-env, --password-stdin) never appears
// in any stdout or stderr of any command in any output format: not raw, not base64 (at any alignment, also
// inside base64 of user:password and base64 of base64). Only `secret create`'s stdout (the Secret asked for)
// and `--show-secrets` may carry it.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster } from "../kube/harness.js";
import type { TestCluster } from "../kube/harness.js";
import {
  freePort,
  imagePullBackOffStatus,
  makeScratchDir,
  startRegistry,
  writeFakeCredentialHelper,
  type FakeCredentialHelper,
  type Registry,
} from "../support/index.js";
import { startFakeGitHubApi } from "../support/github-api.js";
import type { FakeGitHubApi } from "../support/github-api.js";
import { runPullwarden } from "./run-cli.js";
import type { CliResult } from "./run-cli.js";

const USER = "canary-user";
/** Letters, digits and hyphens: the same bytes in JSON, YAML, URLs and shell words. */
const PASSWORD = "Canary-Pa55w0rd-7f3e9c1b";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/**
 * What any base64 encoding of a text containing `secret` must contain, at each of the three alignments: the
 * quanta that hold only the secret's bytes (standard and URL-safe alphabets).
 */
function base64Forms(secret: string): string[] {
  const forms: string[] = [];
  for (let skip = 0; skip < 3; skip++) {
    const encoded = Buffer.concat([Buffer.alloc(skip, 0x41), Buffer.from(secret)]).toString("base64");
    const inner = encoded.slice(skip === 0 ? 0 : 4, -4);
    forms.push(inner, inner.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return forms;
}

/**
 * A second canary for registry keys' user info: '/', '?' and '#' end a URL's authority, so a redaction that
 * parses the key as a URL misses it. Keys hold it raw and percent-encoded.
 */
const KEY_PASSWORD = "Canary/Key?Pa55#w0rd";

/**
 * A third canary shaped as a classic GitHub token, the only kind the GHCR probe sends to the GitHub API (a fake
 * of it here), and as an AWS secret access key for `check --from-cloud`'s SDK path.
 */
const GITHUB_TOKEN = "ghp_Canary0Pa55w0rd7f3e9c1bGitHub0Token0";

/** Each password, its base64 forms and theirs (a Secret's data holding a JSON `auth`), and its URL encoding. */
const FORBIDDEN = [
  ...new Set(
    [PASSWORD, KEY_PASSWORD, GITHUB_TOKEN].flatMap((secret) => [
      secret,
      encodeURIComponent(secret),
      ...base64Forms(secret),
      ...base64Forms(secret).flatMap(base64Forms),
    ]),
  ),
];

function leaks(text: string): string[] {
  return FORBIDDEN.filter((form) => text.includes(form));
}

interface CanaryCase {
  name: string;
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
  /** stdout is the secret asked for (`secret create`, `--show-secrets`): only stderr is checked. */
  stdoutHoldsSecret?: boolean;
  /** Files the command writes that must not hold the secret either. */
  outputDir?: string;
}

let scratch: string;
let api: TestCluster;
let registry: Registry;
let goodHelper: FakeCredentialHelper;
let failingHelper: FakeCredentialHelper;
let githubApi: FakeGitHubApi;
const savedEnv = { ...process.env };
const path = (name: string) => join(scratch, name);

function write(name: string, content: string): string {
  writeFileSync(path(name), content);
  return path(name);
}

/** A kubernetes.io/dockerconfigjson Secret manifest (YAML) of a docker config. */
function pullSecretManifest(name: string, namespace: string, config: unknown): string {
  return [
    "apiVersion: v1",
    "kind: Secret",
    "metadata:",
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    "type: kubernetes.io/dockerconfigjson",
    "data:",
    `  .dockerconfigjson: ${b64(JSON.stringify(config))}`,
    "",
  ].join("\n");
}

/** Every kind of Secret, each holding the canary; a ConfigMap and workloads holding it in plain text. */
function secretsOfEveryType(namespace: string): object[] {
  const secret = (
    name: string,
    type: string,
    data: Record<string, string>,
    stringData?: Record<string, string>,
  ) => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace },
    type,
    data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, b64(value)])),
    ...(stringData ? { stringData } : {}),
  });
  const pem = `-----BEGIN PRIVATE KEY-----\n${PASSWORD}\n-----END PRIVATE KEY-----\n`;
  return [
    secret("opaque", "Opaque", { password: PASSWORD, "config.json": JSON.stringify({ password: PASSWORD }) }),
    secret(
      "opaque-string",
      "Opaque",
      {},
      { DB_PASSWORD: PASSWORD, url: `postgres://${USER}:${PASSWORD}@db:5432/app` },
    ),
    secret("basic", "kubernetes.io/basic-auth", { username: USER, password: PASSWORD }),
    secret("tls", "kubernetes.io/tls", {
      "tls.crt": "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n",
      "tls.key": pem,
    }),
    secret("ssh", "kubernetes.io/ssh-auth", { "ssh-privatekey": pem }),
    // The API server requires the ServiceAccount a token Secret belongs to.
    {
      ...secret("sa-token", "kubernetes.io/service-account-token", { token: PASSWORD }),
      metadata: {
        name: "sa-token",
        namespace,
        annotations: { "kubernetes.io/service-account.name": "default" },
      },
    },
    secret("bootstrap", "bootstrap.kubernetes.io/token", { "token-id": "abcdef", "token-secret": PASSWORD }),
    secret("legacy", "kubernetes.io/dockercfg", {
      ".dockercfg": JSON.stringify({ [`127.0.0.1:5999`]: { auth: b64(`${USER}:${PASSWORD}`) } }),
    }),
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace },
      data: { DB_PASSWORD: PASSWORD, registry_token: PASSWORD },
    },
  ];
}

function podObject(namespace: string, image: string): object {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace, uid: "uid-web", creationTimestamp: "2026-05-31T23:00:00Z" },
    spec: {
      serviceAccountName: "default",
      nodeName: "node-1",
      imagePullSecrets: [{ name: "regcred" }, { name: "legacy" }],
      containers: [
        {
          name: "app",
          image,
          env: [
            { name: "DB_PASSWORD", value: PASSWORD },
            { name: "REGISTRY_URL", value: `https://${USER}:${PASSWORD}@registry.internal` },
          ],
          args: ["--password", PASSWORD],
        },
      ],
    },
    status: imagePullBackOffStatus(image),
  };
}

function describeOutput(image: string): string {
  return `Name:             web
Namespace:        apps
Node:             node-1/10.0.0.5
Status:           Pending
Containers:
  app:
    Image:          ${image}
    Args:
      --password
      ${PASSWORD}
    State:          Waiting
      Reason:       ImagePullBackOff
    Environment:
      DB_PASSWORD:   ${PASSWORD}
      REGISTRY_URL:  https://${USER}:${PASSWORD}@registry.internal
      TOKEN:         <set to the key 'token' in secret 'sa-token'>  Optional: false
Events:
  Type     Reason     Age   From     Message
  ----     ------     ----  ----     -------
  Warning  Failed     10s   kubelet  Failed to pull image "${image}": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://${USER}:${PASSWORD}@127.0.0.1:5999/token: 401 Unauthorized
  Warning  Failed     10s   kubelet  Error: ErrImagePull
`;
}

const cases: CanaryCase[] = [];

beforeAll(async () => {
  scratch = makeScratchDir("secret-canary");
  registry = await startRegistry({
    auth: "htpasswd",
    tls: true,
    users: [{ username: USER, password: PASSWORD }],
  });
  const host = registry.host;
  const image = `${host}/apps/web:1.0`;
  const ca = registry.caFile as string;

  // Pull credentials: the password as a field, inside auth, in a key's user info, as tokens.
  const pullConfig = {
    auths: {
      [host]: { username: USER, password: PASSWORD, auth: b64(`${USER}:${PASSWORD}`) },
      [`https://${USER}:${PASSWORD}@${host}/userinfo`]: { auth: b64(`bot:not-the-canary`) },
      [`https://${USER}:${KEY_PASSWORD}@${host}/raw-userinfo`]: { auth: b64(`bot:not-the-canary`) },
      [`https://${USER}:${encodeURIComponent(KEY_PASSWORD)}@${host}/encoded-userinfo`]: {
        auth: b64(`bot:not-the-canary`),
      },
      [`${host}/tokens`]: { auth: b64(`${USER}:x`), identitytoken: PASSWORD, registrytoken: PASSWORD },
    },
  };
  write("pull.json", JSON.stringify(pullConfig));
  write("pull-secret.yaml", pullSecretManifest("regcred", "apps", pullConfig));
  write("plain-pull.json", JSON.stringify({ auths: { [host]: pullConfig.auths[host] } }));
  const objects = [...secretsOfEveryType("apps"), podObject("apps", image)];
  write("objects.yaml", objects.map((object) => JSON.stringify(object)).join("\n---\n"));
  write(
    "workload.yaml",
    JSON.stringify({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "apps" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            imagePullSecrets: [{ name: "regcred" }],
            containers: [(podObject("apps", image) as { spec: { containers: object[] } }).spec.containers[0]],
          },
        },
      },
    }),
  );
  write("describe.txt", describeOutput(image));
  write("password.txt", `${PASSWORD}\n`);

  // Docker credential helpers: one that answers, one that fails printing its whole answer (a buggy helper).
  const answer = { username: USER, secret: PASSWORD };
  goodHelper = writeFakeCredentialHelper({
    suffix: "canary",
    credentials: { [host]: answer, [`https://${host}`]: answer },
  });
  failingHelper = writeFakeCredentialHelper({
    suffix: "canaryfail",
    dir: goodHelper.dir,
    credentials: {},
    failWith: JSON.stringify({ ServerURL: `${host}/fail`, Username: USER, Secret: PASSWORD }),
    failStderr: `error: keychain answered ${PASSWORD}`,
  });
  mkdirSync(path("docker"), { recursive: true });
  write(
    "docker/config.json",
    JSON.stringify({ credHelpers: { [host]: "canary", "127.0.0.1:5998": "canaryfail" } }),
  );
  write("docker-failing.json", JSON.stringify({ credsStore: "canaryfail" }));

  // A layout whose credentials come from the environment and from a file.
  write(
    "layout.yaml",
    `apiVersion: pullwarden.io/v1alpha1
kind: PullLayout
metadata:
  name: canary
cluster:
  provider: other
  name: canary-cluster
registries:
  - name: from-env
    host: ${host}
    credential:
      type: robot-account
      username: ${USER}
      passwordEnv: CANARY_PASSWORD
  - name: from-file
    host: 127.0.0.1:5998
    credential:
      type: robot-account
      username: ${USER}
      passwordFile: ${path("password.txt")}
namespaces:
  - name: apps
    registries: [from-env, from-file]
`,
  );

  api = await startCluster({
    namespaces: ["apps"],
    objects: [
      ...(secretsOfEveryType("apps") as never[]),
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "regcred", namespace: "apps" },
        type: "kubernetes.io/dockerconfigjson",
        data: { ".dockerconfigjson": b64(JSON.stringify(pullConfig)) },
      } as never,
      podObject("apps", image) as never,
      {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: "web.1", namespace: "apps" },
        involvedObject: {
          kind: "Pod",
          namespace: "apps",
          name: "web",
          uid: "uid-web",
          apiVersion: "v1",
          fieldPath: "spec.containers{app}",
        },
        reason: "Failed",
        message: `Failed to pull image "${image}": failed to authorize: unexpected status from GET request to https://${USER}:${PASSWORD}@${host}/token: 401 Unauthorized`,
        type: "Warning",
        count: 3,
        firstTimestamp: "2026-05-31T23:00:00Z",
        lastTimestamp: "2026-05-31T23:59:00Z",
        source: { component: "kubelet", host: "node-1" },
      } as never,
    ],
  });
  const kubeconfig = api.kubeconfigFor("admin", "apps");
  const env = {
    CANARY_PASSWORD: PASSWORD,
    PATH: `${goodHelper.dir}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
    HOME: scratch,
    DOCKER_CONFIG: path("docker"),
  };
  const tls = ["--ca-file", ca];
  const flagsEntry = ["--docker-server", host, "--docker-username", USER];
  const passwordSources: [string, string[], string | undefined][] = [
    ["--docker-password", ["--docker-password", PASSWORD], undefined],
    ["--docker-password-stdin", ["--docker-password-stdin"], `${PASSWORD}\n`],
    ["--docker-password-file", ["--docker-password-file", path("password.txt")], undefined],
    ["--docker-password-env", ["--docker-password-env", "CANARY_PASSWORD"], undefined],
  ];
  const add = (c: CanaryCase) => cases.push({ ...c, env: { ...env, ...c.env } });

  // secret create: the Secret on stdout is what was asked for; stderr (warnings, errors) never holds it.
  for (const [label, flags, stdin] of passwordSources) {
    for (const output of ["yaml", "json", "name"]) {
      add({
        name: `secret create ${label} -o ${output}`,
        args: ["secret", "create", "x", ...flagsEntry, ...flags, "--dry-run=client", "-o", output],
        stdin,
        stdoutHoldsSecret: true,
      });
    }
  }
  add({
    name: "secret create --from-file (a key with user info is refused)",
    args: ["secret", "create", "x", "--from-file", path("pull.json"), "--dry-run=client"],
    stdoutHoldsSecret: true,
  });
  add({
    name: "secret create --merge",
    args: ["secret", "create", "x", "--merge", path("pull-secret.yaml"), "--dry-run=client"],
    stdoutHoldsSecret: true,
  });
  add({
    name: "secret create --merge (accepted)",
    args: [
      "secret",
      "create",
      "x",
      "--merge",
      path("plain-pull.json"),
      "--docker-server",
      `${host}/other`,
      "--docker-username",
      USER,
      "--docker-password-env",
      "CANARY_PASSWORD",
      "--dry-run=client",
    ],
    stdoutHoldsSecret: true,
  });
  add({
    name: "secret create --from-file (accepted)",
    args: ["secret", "create", "x", "--from-file", path("plain-pull.json"), "--dry-run=client", "-o", "json"],
    stdoutHoldsSecret: true,
  });
  add({
    name: "secret create --from-docker-config (helper answers)",
    args: [
      "secret",
      "create",
      "x",
      "--from-docker-config",
      path("docker/config.json"),
      "--registry",
      host,
      "--dry-run=client",
    ],
    stdoutHoldsSecret: true,
  });
  add({
    name: "secret create --from-docker-config (helper fails, printing its answer)",
    args: [
      "secret",
      "create",
      "x",
      "--from-docker-config",
      path("docker/config.json"),
      "--registry",
      "127.0.0.1:5998",
      "--dry-run=client",
    ],
    stdoutHoldsSecret: true,
  });
  add({
    name: "secret create --from-docker-config (credsStore fails on list)",
    args: ["secret", "create", "x", "--from-docker-config", path("docker-failing.json"), "--dry-run=client"],
    stdoutHoldsSecret: true,
  });

  // secret inspect and match: every input, every format; --show-secrets is the one way to ask for the value.
  for (const input of ["pull.json", "pull-secret.yaml", "objects.yaml", "docker/config.json"]) {
    for (const output of ["text", "json"]) {
      add({
        name: `secret inspect ${input} -o ${output}`,
        args: ["secret", "inspect", path(input), "-o", output],
      });
      add({
        name: `secret inspect ${input} -o ${output} --show-secrets`,
        args: ["secret", "inspect", path(input), "-o", output, "--show-secrets"],
        stdoutHoldsSecret: true,
      });
      for (const target of [image, `${host}/userinfo/app:1`, `${host}/tokens/app:1`]) {
        add({
          name: `secret match ${target} ${input} -o ${output}`,
          args: ["secret", "match", target, path(input), "-o", output],
        });
      }
    }
  }
  add({
    name: "secret inspect - (stdin)",
    args: ["secret", "inspect", "-"],
    stdin: readFileSync(path("pull-secret.yaml"), "utf8"),
  });

  // check: against the real registry, with every credential source, both formats.
  for (const output of ["table", "json"]) {
    add({
      name: `check --secret pull-secret.yaml -o ${output}`,
      args: [
        "check",
        image,
        `${host}/userinfo/app:1`,
        "--secret",
        path("pull-secret.yaml"),
        ...tls,
        "-o",
        output,
      ],
    });
    add({
      name: `check --secret pull.json -o ${output}`,
      args: ["check", image, "--secret", path("pull.json"), ...tls, "-o", output],
    });
    add({
      name: `check --username --password-stdin -o ${output}`,
      args: ["check", image, "--username", USER, "--password-stdin", ...tls, "-o", output],
      stdin: PASSWORD,
    });
    add({
      name: `check --docker-config (helper answers) -o ${output}`,
      args: ["check", image, "--docker-config", path("docker/config.json"), ...tls, "-o", output],
    });
    add({
      name: `check --docker-config (helper fails) -o ${output}`,
      args: [
        "check",
        "127.0.0.1:5998/app:1",
        "--docker-config",
        path("docker/config.json"),
        "--plain-http",
        "--timeout",
        "2",
        "-o",
        output,
      ],
    });
  }

  // The GHCR probe: the canary token is sent to (a fake of) the GitHub API, whose findings never show it, whatever
  // it answers (scopes, a redirect to elsewhere, a 401).
  const ghcrTokens = (token: string) =>
    JSON.stringify({ auths: { "ghcr.io": { auth: b64(`${USER}:${token}`) } } });
  githubApi = await startFakeGitHubApi({
    [GITHUB_TOKEN]: { scopes: "repo, admin:org", expiration: "2026-06-02 00:00:00 UTC" },
  });
  write("ghcr.json", ghcrTokens(GITHUB_TOKEN));
  write("ghcr-unknown.json", ghcrTokens(`${GITHUB_TOKEN.slice(0, -1)}1`));
  for (const output of ["text", "json"]) {
    for (const file of ["ghcr.json", "ghcr-unknown.json"]) {
      add({
        name: `secret inspect ${file} --probe -o ${output}`,
        args: ["secret", "inspect", path(file), "--probe", "--github-api-url", githubApi.url, "-o", output],
      });
    }
  }
  // check --from-cloud: the AWS SDK holds the canary as its secret access key; ECR does not answer.
  const closedPort = await freePort();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: "AKIACANARYEXAMPLE001",
    AWS_SECRET_ACCESS_KEY: GITHUB_TOKEN,
    AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${closedPort}`,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_MAX_ATTEMPTS: "1",
  });
  for (const output of ["table", "json"]) {
    add({
      name: `check --from-cloud (ECR unreachable) -o ${output}`,
      args: ["check", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1", "--from-cloud", "-o", output],
    });
  }

  // audit: manifests and the live cluster, every format.
  for (const output of ["text", "json", "sarif", "junit", "html"]) {
    add({
      name: `audit files -o ${output}`,
      args: [
        "audit",
        path("objects.yaml"),
        path("pull-secret.yaml"),
        path("workload.yaml"),
        "-o",
        output,
        "--show-suppressed",
      ],
    });
    add({
      name: `audit --cluster -o ${output}`,
      args: ["audit", "--cluster", "--kubeconfig", kubeconfig, "-o", output],
    });
  }
  add({ name: "audit --layout", args: ["audit", path("workload.yaml"), "--layout", path("layout.yaml")] });
  add({ name: "audit - (stdin)", args: ["audit", "-"], stdin: readFileSync(path("objects.yaml"), "utf8") });

  // explain: describe output, Pod YAML, Secrets (recognised or not), every format.
  for (const input of ["describe.txt", "objects.yaml", "pull-secret.yaml", "pull.json"]) {
    for (const output of ["text", "json"]) {
      add({ name: `explain ${input} -o ${output}`, args: ["explain", path(input), "-o", output] });
    }
  }

  // plan: the summary, the files it writes (without --include-secrets), and --include-secrets' stdout.
  add({ name: "plan -f layout.yaml", args: ["plan", "-f", path("layout.yaml")] });
  add({
    name: "plan -f layout.yaml -o DIR",
    args: ["plan", "-f", path("layout.yaml"), "-o", path("plan-out")],
    outputDir: path("plan-out"),
  });
  add({
    name: "plan -f layout.yaml -o DIR --include-secrets (stdout and stderr)",
    args: ["plan", "-f", path("layout.yaml"), "-o", path("plan-secrets"), "--include-secrets"],
  });

  // apply: every password source, every format, diff and both dry runs; -f LAYOUT.
  for (const [label, flags, stdin] of passwordSources) {
    for (const extra of [["-o", "text"], ["-o", "json"], ["--diff"], ["--dry-run=server", "-o", "json"]]) {
      add({
        name: `apply ${label} ${extra.join(" ")}`,
        args: [
          "apply",
          "regcred-2",
          ...flagsEntry,
          ...flags,
          "-n",
          "apps",
          "--kubeconfig",
          kubeconfig,
          ...extra,
        ],
        stdin,
      });
    }
  }
  add({
    name: "apply --merge (accepted) --diff -o json",
    args: [
      "apply",
      "regcred-4",
      "--merge",
      path("plain-pull.json"),
      "-n",
      "apps",
      "--kubeconfig",
      kubeconfig,
      "--diff",
      "-o",
      "json",
    ],
  });
  // The Secret in the cluster holds keys with user info: replacing it shows them in the diff.
  for (const extra of [["--diff"], ["--diff", "-o", "json"], ["--dry-run=server", "--diff", "-o", "json"]]) {
    add({
      name: `apply regcred --adopt ${extra.join(" ")} (replacing keys with user info)`,
      args: [
        "apply",
        "regcred",
        ...flagsEntry,
        "--docker-password-env",
        "CANARY_PASSWORD",
        "-n",
        "apps",
        "--kubeconfig",
        kubeconfig,
        "--adopt",
        "--dry-run=client",
        ...extra,
      ],
    });
  }
  add({
    name: "apply --merge --diff",
    args: [
      "apply",
      "regcred-3",
      "--merge",
      path("pull-secret.yaml"),
      "-n",
      "apps",
      "--kubeconfig",
      kubeconfig,
      "--diff",
    ],
  });
  add({
    name: "apply -f layout.yaml",
    args: ["apply", "-f", path("layout.yaml"), "--kubeconfig", kubeconfig],
  });
  add({
    name: "apply -f layout.yaml -o json --diff",
    args: ["apply", "-f", path("layout.yaml"), "--kubeconfig", kubeconfig, "-o", "json", "--diff"],
  });

  // doctor: the Pod, all Pods, with the registry probed, both formats.
  for (const output of ["text", "json"]) {
    add({
      name: `doctor web -o ${output}`,
      args: ["doctor", "web", "-n", "apps", "--kubeconfig", kubeconfig, "-o", output],
    });
    add({
      name: `doctor --all -A -o ${output}`,
      args: ["doctor", "--all", "-A", "--kubeconfig", kubeconfig, "-o", output],
    });
    add({
      name: `doctor web --probe -o ${output}`,
      args: ["doctor", "web", "-n", "apps", "--kubeconfig", kubeconfig, "--probe", ...tls, "-o", output],
    });
  }
}, 120_000);

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  await api?.stop();
  await registry?.stop();
  await githubApi?.stop();
});

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

describe("the canary password never leaks", () => {
  it("the canary's forms are found where they are (the check is not vacuous)", () => {
    const config = b64(JSON.stringify({ auths: { r: { auth: b64(`${USER}:${PASSWORD}`) } } }));
    expect(leaks(config)).not.toEqual([]);
    expect(leaks(`x${b64(`${USER}:${PASSWORD}`)}`)).not.toEqual([]);
    expect(leaks(`password: ${PASSWORD.slice(0, 4)}…(24 chars)`)).toEqual([]);
  });

  it("covers every command", () => {
    const commands = new Set(cases.map((c) => (c.args[0] === "secret" ? `secret ${c.args[1]}` : c.args[0])));
    expect([...commands].sort()).toEqual([
      "apply",
      "audit",
      "check",
      "doctor",
      "explain",
      "plan",
      "secret create",
      "secret inspect",
      "secret match",
    ]);
  });

  it("in any stdout or stderr, of any command, in any format", async () => {
    const found: string[] = [];
    for (const c of cases) {
      const result: CliResult = await runPullwarden(c.args, {
        env: c.env,
        ...(c.stdin === undefined ? {} : { stdin: c.stdin }),
      });
      const streams: [string, string][] = [["stderr", result.stderr]];
      if (!c.stdoutHoldsSecret) streams.push(["stdout", result.stdout]);
      for (const file of c.outputDir ? filesUnder(c.outputDir) : [])
        streams.push([file, readFileSync(file, "utf8")]);
      for (const [stream, text] of streams) {
        const leaked = leaks(text);
        if (leaked.length > 0)
          found.push(
            `${c.name} (exit ${result.code}): ${stream} holds ${leaked.includes(PASSWORD) ? "the password" : "a base64 form of it"}`,
          );
      }
      expect(result.stderr, c.name).not.toMatch(/internal error/);
    }
    expect(found).toEqual([]);
    // The canary is really there: where it is asked for, it is shown.
    const asked = await runPullwarden(["secret", "inspect", path("pull.json"), "--show-secrets"]);
    expect(asked.stdout).toContain(PASSWORD);
    const created = await runPullwarden(
      [
        "secret",
        "create",
        "x",
        "--docker-username",
        USER,
        "--docker-password-stdin",
        "--dry-run=client",
        "-o",
        "yaml",
      ],
      { stdin: PASSWORD },
    );
    expect(leaks(created.stdout)).not.toEqual([]);
    // The helpers' paths ran: the good helper was asked, the failing one failed while printing the canary.
    expect(goodHelper.calls().some((call) => call.startsWith("get"))).toBe(true);
    expect(failingHelper.calls().length).toBeGreaterThan(0);
    // The GHCR probe sent the canary token to the fake GitHub API (and an unknown one, answered 401).
    expect(new Set(githubApi.requests.map((request) => request.token))).toEqual(
      new Set(["token#1", "unknown"]),
    );
  }, 300_000);
});
