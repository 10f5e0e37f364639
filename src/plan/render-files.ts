/**
 * A plan as numbered, ready-to-run files: cloud commands, the kubelet credential-provider config, secret
 * scripts (values read at run time, never written here), per-namespace manifests with their kustomization,
 * workload patches, a verification script and a README of the steps. Pure: returns the files; the CLI writes
 * them atomically.
 */
import { parseNormalizedReference } from "../reference/index.js";
import { CREDENTIAL_TYPE_LABELS, withArticle } from "./credentials.js";
import { BINDING_PLURAL, CONTROLLER_API_GROUP, CREDENTIAL_PLURAL } from "../desired/index.js";
import {
  AZURE_JSON_PATH,
  NODE_BIN_DIR,
  NODE_CONFIG_PATH,
  NODE_STATIC_CONFIG_PATH,
  PULLWARDEN_PROVIDER_NAME,
} from "./credential-provider.js";
import type {
  CloudStep,
  Plan,
  PlanFile,
  RegistryDecision,
  RenderOptions,
  SecretValue,
  Step,
} from "./plan-types.js";
import {
  controllerResourcesYaml,
  credentialProviderConfigYaml,
  kustomizationYaml,
  pullSecretYaml,
  serviceAccountYaml,
  workloadPatch,
} from "./render-manifests.js";
import {
  KUBELET_PROVIDER_FLAGS,
  nodeProviderScript,
  nodeScriptEnv,
  staticRegistries,
} from "./render-node-provider.js";
import { renderReadme } from "./render-readme.js";
import { plural, shFlag, shPath, shQuote } from "../text/index.js";

const SCRIPT_HEADER = ["#!/usr/bin/env bash"];
const APPLY_SECRET_FUNCTION = [
  "# Labels a secret as pullwarden's (apply --prune and audit recognise it) and creates or updates it.",
  "apply_secret() {",
  "  kubectl label --local -f - app.kubernetes.io/managed-by=pullwarden -o yaml | kubectl apply -f -",
  "}",
];

function script(lines: readonly string[]): string {
  return [...SCRIPT_HEADER, ...lines].join("\n") + "\n";
}

function comment(text: string): string[] {
  // Wrap long comments at ~110 columns.
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let current = "#";
  for (const word of words) {
    if (current.length + word.length + 1 > 110 && current !== "#") {
      lines.push(current);
      current = "#";
    }
    current += ` ${word}`;
  }
  lines.push(current);
  return lines;
}

/**
 * `body` once per namespace: a `for namespace in ...` loop for several, the plain commands for one. `body`
 * gets the shell word for the namespace and returns lines indented by two spaces.
 */
function perNamespace(namespaces: readonly string[], body: (namespace: string) => string[]): string[] {
  if (namespaces.length === 1)
    return body(shQuote(namespaces[0] ?? "")).map((line) => line.replace(/^ {2}/, ""));
  return [`for namespace in ${namespaces.map(shQuote).join(" ")}; do`, ...body('"$namespace"'), "done"];
}

/** `pullwarden secret create ... -o yaml` for one secret in a namespace, password on stdin. */
function secretCreate(decision: RegistryDecision, namespace: string, username: string): string {
  return `pullwarden secret create ${shQuote(decision.secretName ?? "")} -n ${namespace} ${shFlag("--docker-server", decision.host)} ${shFlag("--docker-username", username)} --docker-password-stdin --dry-run=client --no-creation-timestamp -o yaml`;
}

function secretScriptLines(decision: RegistryDecision, plan: Plan): string[] {
  const source = decision.source;
  const registry = plan.layout.registries.find((r) => r.name === decision.registry);
  const credential = registry?.credential;
  const what = credential ? CREDENTIAL_TYPE_LABELS[credential.type] : "credential";
  const lines = [
    "",
    ...comment(
      `${decision.registry} (${decision.host}): secret ${decision.secretName} holding ${withArticle(what)}${credential?.expires ? `, expires ${credential.expires}` : ""}.`,
    ),
  ];
  if (!source) return lines;
  switch (source.kind) {
    case "env":
      lines.push(
        // The message names only the variable, the kind and the host (all shell-safe): no username in a "..." string.
        `: "\${${source.passwordEnv}:?set ${source.passwordEnv} to the ${what} for ${decision.host}}"`,
        ...perNamespace(decision.namespaces, (ns) => [
          `  printf '%s' "$${source.passwordEnv}" |`,
          `    ${secretCreate(decision, ns, source.username)} |`,
          "    apply_secret",
        ]),
      );
      break;
    case "password-file":
      lines.push(
        ...perNamespace(decision.namespaces, (ns) => [
          `  ${secretCreate(decision, ns, source.username)} <${shPath(source.passwordFile)} |`,
          "    apply_secret",
        ]),
      );
      break;
    case "docker-config": {
      const from =
        source.path === undefined ? "--from-docker-config" : `--from-docker-config=${shPath(source.path)}`;
      lines.push(
        ...perNamespace(decision.namespaces, (ns) => [
          `  pullwarden secret create ${shQuote(decision.secretName ?? "")} -n ${ns} ${from} ${shFlag("--registry", decision.host)} --dry-run=client --no-creation-timestamp -o yaml |`,
          "    apply_secret",
        ]),
      );
      break;
    }
    default:
      break;
  }
  return lines;
}

function rotationScriptLines(decision: RegistryDecision): string[] {
  const rotation = decision.rotation;
  if (!rotation) return [];
  return [
    "",
    ...comment(
      `${decision.registry} (${decision.host}): secret ${decision.secretName}; the token lives ${rotation.tokenLifetime}, rewrite it every ${plural(rotation.everyHours, "hour")}.`,
    ),
    `token="$(${rotation.mint})"`,
    ...perNamespace(decision.namespaces, (ns) => [
      `  printf '%s' "$token" |`,
      `    ${secretCreate(decision, ns, rotation.username)} |`,
      "    apply_secret",
    ]),
    "unset token",
  ];
}

const FAIL_FUNCTION = ["status=0", "fail() {", '  echo "FAILED: $*" >&2', "  status=1", "}"];
const CHECK_BINDING_FUNCTION = [
  "# Does ServiceAccount $2 in namespace $1 list secret $3 in imagePullSecrets?",
  "check_binding() {",
  "  if kubectl get serviceaccount \"$2\" -n \"$1\" -o jsonpath='{.imagePullSecrets[*].name}' | tr ' ' '\\n' | grep -qx -- \"$3\"; then",
  '    echo "ok: serviceaccount $2 in $1 lists $3"',
  "  else",
  '    fail "serviceaccount $2 in $1 does not list $3 in imagePullSecrets"',
  "  fi",
  "}",
];

const CLOUD_CLI_LOGINS: Record<CloudStep["tool"], string> = {
  aws: "AWS credentials (aws)",
  az: "an Azure login (az login)",
  gcloud: "a Google Cloud login (gcloud auth login)",
};

function joinAnd(words: readonly string[]): string {
  return words.length <= 1
    ? words.join("")
    : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** Each image a namespace lists, with the decision of the registry that serves it (validation matched them). */
function listedImages(plan: Plan): { namespace: string; image: string; decision: RegistryDecision }[] {
  const listed: { namespace: string; image: string; decision: RegistryDecision }[] = [];
  for (const namespace of plan.namespaces) {
    for (const image of namespace.images) {
      const domain = parseNormalizedReference(image).domain.toLowerCase();
      const decision = plan.decisions.find((d) => d.host === domain && d.namespaces.includes(namespace.name));
      if (decision) listed.push({ namespace: namespace.name, image, decision });
    }
  }
  return listed;
}

/** The verify script, and what it checks and needs, for the README (which must say no more than it does). */
interface Verification {
  readonly script: string;
  /** What is checked, as phrases for "The verify step checks ...". */
  readonly checks: readonly string[];
  /** Logins the script needs besides kubectl. */
  readonly needs: readonly string[];
  readonly imagesListed: boolean;
}

function verification(plan: Plan): Verification {
  const checks: string[] = [];
  const covered: string[] = [];
  const needs = new Set<string>();
  const verified = new Set<string>();
  for (const decision of plan.decisions) {
    for (const step of decision.cloudSteps) {
      const commands = step.verify.filter((command) => !verified.has(command));
      if (commands.length === 0) continue;
      checks.push("", ...comment(`${decision.registry}: ${step.title}.`));
      needs.add(CLOUD_CLI_LOGINS[step.tool]);
      for (const command of commands) {
        verified.add(command);
        checks.push(`${command} || fail ${shQuote(step.title)}`);
      }
    }
  }
  if (verified.size > 0) covered.push("the cloud grants");
  const secretDecisions = plan.decisions.filter((d) => d.secretName !== undefined && d.namespaces.length > 0);
  if (secretDecisions.length > 0) {
    covered.push("every pull secret (`pullwarden secret inspect`)");
    checks.push(
      "",
      "# Each pull secret exists and holds a credential its registry accepts (redacted output).",
    );
    for (const decision of secretDecisions) {
      checks.push(
        ...perNamespace(decision.namespaces, (ns) => [
          `  kubectl get secret ${shQuote(decision.secretName ?? "")} -n ${ns} -o yaml | pullwarden secret inspect - ||`,
          `    fail "secret ${decision.secretName} in" ${ns}`,
        ]),
      );
    }
  }
  const bindings = plan.namespaces.flatMap((n) =>
    n.serviceAccounts.flatMap((sa) =>
      sa.secrets.map((secret) => ({ namespace: n.name, sa: sa.name, secret })),
    ),
  );
  if (bindings.length > 0) {
    covered.push("every ServiceAccount binding");
    checks.push("", "# ServiceAccounts list their pull secrets.");
    for (const b of bindings)
      checks.push(`check_binding ${shQuote(b.namespace)} ${shQuote(b.sa)} ${shQuote(b.secret)}`);
  }

  // Every listed image, whatever the method: with the namespace's secret where there is one; otherwise once per
  // registry, with a token of the kind the nodes' credential mints, or anonymously for a public registry.
  const images = listedImages(plan);
  const imageChecks: string[] = [];
  for (const { namespace, image, decision } of images) {
    if (decision.imageCheck.kind !== "secret" || decision.secretName === undefined) continue;
    imageChecks.push(
      `kubectl get secret ${shQuote(decision.secretName)} -n ${shQuote(namespace)} -o yaml | pullwarden check ${shQuote(image)} --secret - ||`,
      `  fail ${shQuote(`pull ${image} in ${namespace}`)}`,
    );
  }
  if (imageChecks.length > 0) {
    covered.push("each listed image with its namespace's secret (`pullwarden check IMAGE --secret -`)");
    imageChecks.unshift("", "# The registry's own handshake: can the secret pull each image?");
  }
  const unchecked: string[] = [];
  const anonymous: string[] = [];
  const byToken = new Map<CloudStep["tool"], string[]>();
  const nodeStatic: string[] = [];
  for (const decision of plan.decisions) {
    const check = decision.imageCheck;
    if (check.kind === "secret") continue;
    const listed = [...new Set(images.filter((i) => i.decision === decision).map((i) => i.image))];
    if (listed.length === 0) {
      unchecked.push(decision.registry);
      continue;
    }
    const words = listed.map(shQuote).join(" ");
    const failure = `fail ${shQuote(`pull from ${decision.registry} (${decision.host})`)}`;
    if (check.kind === "anonymous") {
      anonymous.push(decision.registry);
      imageChecks.push(
        "",
        `# ${decision.registry}: public; kubelet pulls these anonymously, and so does this check.`,
        `pullwarden check ${words} || ${failure}`,
      );
      continue;
    }
    if (check.kind === "node-static") {
      nodeStatic.push(decision.registry);
      imageChecks.push(
        "",
        ...comment(
          `${decision.registry}: the nodes pull with the credential of ${NODE_STATIC_CONFIG_PATH}; the same credential, read where the layout names it, checks that each listed image exists and can be pulled with it.`,
        ),
        ...("print" in check.password
          ? [
              `${check.password.print} |`,
              `  pullwarden check ${words} ${shFlag("--username", check.username)} --password-stdin ||`,
            ]
          : [
              `pullwarden check ${words} ${shFlag("--username", check.username)} --password-stdin <${shPath(check.password.file)} ||`,
            ]),
        `  ${failure}`,
      );
      continue;
    }
    const holder =
      decision.method === "credential-provider"
        ? "a kubelet credential provider, whose credentials only they hold (a node without it fails the pull: pullwarden doctor POD -n NAMESPACE)"
        : `their cloud identity, which only they hold (${decision.cloudSteps.length > 0 ? "its grant is checked above" : "its grant is not checked here"})`;
    byToken.set(check.tool, [...(byToken.get(check.tool) ?? []), decision.registry]);
    needs.add(CLOUD_CLI_LOGINS[check.tool]);
    imageChecks.push(
      "",
      ...comment(
        `${decision.registry}: the nodes pull with ${holder}. A token of the same kind from your own ${check.tool} login checks that each listed image exists and the registry serves it.`,
      ),
      `${check.mint} |`,
      `  pullwarden check ${words} ${shFlag("--username", check.username)} --password-stdin ||`,
      `  ${failure}`,
    );
  }
  for (const [tool, registries] of byToken) {
    covered.push(
      `the listed images of ${joinAnd(registries)} with a token from your own ${tool} login (\`pullwarden check IMAGE... --password-stdin\`), which shows that they exist and the registry serves them`,
    );
  }
  if (anonymous.length > 0) {
    covered.push(`the listed images of ${joinAnd(anonymous)} anonymously, as kubelet pulls them`);
  }
  if (nodeStatic.length > 0) {
    covered.push(
      `the listed images of ${joinAnd(nodeStatic)} with the credential the nodes' static file holds (\`pullwarden check IMAGE... --password-stdin\`)`,
    );
    needs.add("the registries' credentials where the layout names them");
  }
  const credentials = plan.controllerResources?.credentials ?? [];
  if (credentials.length > 0) {
    covered.push("that the controller reports every ClusterPullCredential Ready");
    checks.push("", "# The controller minted, verified and serves each credential (condition Ready).");
    for (const credential of credentials) {
      const name = credential.metadata.name ?? "";
      checks.push(
        `kubectl get ${CREDENTIAL_PLURAL}.${CONTROLLER_API_GROUP} ${shQuote(name)} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -qx True ||`,
        `  fail ${shQuote(`clusterpullcredential ${name} is not Ready: kubectl describe ${CREDENTIAL_PLURAL}.${CONTROLLER_API_GROUP} ${name}`)}`,
      );
    }
  }
  checks.push(...imageChecks);

  const notes: string[] = [];
  for (const decision of plan.decisions) {
    if (decision.method === "credential-provider") {
      notes.push(
        `echo ${shQuote(`${decision.registry}: served by a kubelet credential provider on the nodes; a failing pull shows in kubelet's log and in pullwarden doctor POD -n NAMESPACE`)}`,
      );
    } else if (decision.method === "anonymous" && unchecked.includes(decision.registry)) {
      notes.push(`echo ${shQuote(`${decision.registry}: public, pulled anonymously; nothing to check`)}`);
    }
  }
  const lines = [
    "# Checks the pull setup; changes nothing. Exit code 0 when every check passed.",
    "set -uo pipefail",
  ];
  if (checks.length > 0) {
    lines.push("", ...FAIL_FUNCTION);
    if (bindings.length > 0) lines.push("", ...CHECK_BINDING_FUNCTION);
    lines.push(...checks);
  }
  if (notes.length > 0) lines.push("", ...notes);
  lines.push("", checks.length > 0 ? 'exit "$status"' : "exit 0");
  return { script: script(lines), checks: covered, needs: [...needs], imagesListed: images.length > 0 };
}

function patchScript(plan: Plan): string | undefined {
  const lines: string[] = [];
  for (const namespace of plan.namespaces) {
    for (const ref of namespace.podReferences) {
      const patch = workloadPatch(ref);
      if (!patch) {
        lines.push(
          "",
          ...comment(
            `${namespace.name}: ${ref.kind}/${ref.name} cannot be patched (its Pod template is immutable). Add to its manifest's Pod spec: imagePullSecrets: [${ref.secrets.map((s) => `{name: ${s}}`).join(", ")}], then recreate it.`,
          ),
        );
        continue;
      }
      lines.push(
        "",
        ...comment(
          `${namespace.name}: ${ref.kind}/${ref.name} runs alone as ServiceAccount ${ref.serviceAccount}.`,
        ),
        `kubectl patch ${ref.kind.toLowerCase()} ${shQuote(ref.name)} -n ${shQuote(namespace.name)} --type=strategic ${shFlag("--patch", JSON.stringify(patch))}`,
      );
    }
  }
  if (lines.length === 0) return undefined;
  return script([
    "# Adds the pull secrets to the Pod templates of workloads that do not share a ServiceAccount. imagePullSecrets",
    "# merge by name: entries already there stay. Changing the template rolls the workload out with the secrets.",
    "set -euo pipefail",
    ...lines,
  ]);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The numbered files of a plan, and the steps the README lists. */
export function renderPlanFiles(plan: Plan, options: RenderOptions): PlanFile[] {
  const files: PlanFile[] = [];
  const steps: Step[] = [];
  let counter = 0;
  const next = (): string => pad(++counter);
  const values = options.secretValues ?? new Map<string, SecretValue>();
  const clusterName = plan.layout.cluster.name;

  // 1. Cloud identity, one script per CLI.
  const tools = [
    {
      tool: "az",
      file: "azure-identity.sh",
      login: "az login as an Owner or User Access Administrator of the registries",
    },
    {
      tool: "aws",
      file: "aws-identity.sh",
      login: "AWS credentials allowed iam:AttachRolePolicy on the node role",
    },
    { tool: "gcloud", file: "gcloud-identity.sh", login: "gcloud auth login as a project IAM admin" },
  ] as const;
  for (const { tool, file, login } of tools) {
    const cloudSteps = plan.decisions.flatMap((d) => d.cloudSteps.filter((s) => s.tool === tool));
    if (cloudSteps.length === 0) continue;
    const number = next();
    const path = `${number}-${file}`;
    const lines = [
      ...comment(
        `Grants the cluster's identity pull access to its registries, so they need no pull secret. Needs: ${login}.`,
      ),
      "set -euo pipefail",
    ];
    const setup = [...new Set(cloudSteps.flatMap((s) => s.setup))];
    if (setup.length > 0) lines.push("", ...setup);
    // One command may serve several registries (the same role, the same policy): written once, with all of them.
    const served = new Map<string, string[]>();
    for (const step of cloudSteps) {
      for (const command of step.commands) {
        served.set(command, [...(served.get(command) ?? []), step.registry]);
      }
    }
    for (const [command, registries] of served) {
      const titles = [...new Set(cloudSteps.filter((s) => s.commands.includes(command)).map((s) => s.title))];
      lines.push("", `# ${registries.join(", ")}: ${titles.join("; ")}`, command);
    }
    files.push({ path, content: script(lines), mode: 0o755 });
    steps.push({
      number,
      title: `Cloud identity (${tool})`,
      run: `./${path}`,
      files: [path],
      details: [`Needs ${login}.`, ...cloudSteps.map((s) => `${s.registry}: ${s.title}.`)],
    });
  }

  // 2. kubelet credential providers: pullwarden's (with the node script), or the clouds' own.
  const pullwardenProvider = plan.credentialProviderConfig?.providers.some(
    (p) => p.name === PULLWARDEN_PROVIDER_NAME,
  );
  if (plan.credentialProviderConfig && pullwardenProvider) {
    const number = next();
    const path = `${number}-kubelet-credential-providers.yaml`;
    const scriptPath = `${number}-node-credential-provider.sh`;
    const statics = staticRegistries(plan);
    files.push({
      path,
      content: credentialProviderConfigYaml(plan.credentialProviderConfig, [
        `kubelet image credential provider for ${clusterName}: ${PULLWARDEN_PROVIDER_NAME} (docs/credential-provider.md).`,
        `${scriptPath} installs it on a node: this file as ${NODE_CONFIG_PATH}, the executable in ${NODE_BIN_DIR}${statics.length > 0 ? `, the registries' credentials in ${NODE_STATIC_CONFIG_PATH} (root-only)` : ""}.`,
        `kubelet flags: ${KUBELET_PROVIDER_FLAGS}`,
        "matchImages: one `*` matches exactly one host label; a host with a port matches only images named with that port.",
        "",
      ]),
      mode: 0o644,
    });
    files.push({ path: scriptPath, content: nodeProviderScript(plan, path), mode: 0o755 });
    const envs = nodeScriptEnv(plan);
    const cloudNeeds = plan.decisions
      .filter((d) => d.method === "credential-provider" && d.source === undefined)
      .flatMap((d) => d.notes.slice(0, 1).map((note) => `${d.registry}: ${note}`));
    const images = listedImages(plan).filter((i) => i.decision.method === "credential-provider");
    steps.push({
      number,
      title: `${PULLWARDEN_PROVIDER_NAME} on every node`,
      run: `${envs.length > 0 ? `sudo --preserve-env=${envs.join(",")} ` : "sudo "}./${scriptPath} on every node (from a copy of this directory), then restart kubelet with ${KUBELET_PROVIDER_FLAGS}`,
      files: [path, scriptPath],
      details: [
        "Roll it out with the tool that builds your nodes (node image, cloud-init, Ansible); a node without it cannot pull from these registries, and kubelet does not start with the flags but without the executable.",
        ...(envs.length > 0
          ? [
              `Export ${envs.join(", ")} first where the script runs (e.g. read -rs ${envs[0]} && export ${envs[0]}); the values end up only in ${NODE_STATIC_CONFIG_PATH}, root-only. Run it again after renewing a credential.`,
            ]
          : []),
        ...cloudNeeds,
        ...(images.length > 0
          ? [
              `On a node, see what kubelet gets (redacted): ${images
                .slice(0, 3)
                .map(
                  (i) =>
                    `pullwarden credential-provider exec --image ${shQuote(i.image)} --config ${NODE_CONFIG_PATH} --bin-dir ${NODE_BIN_DIR}`,
                )
                .join("; ")}`,
            ]
          : []),
      ],
    });
  } else if (plan.credentialProviderConfig) {
    const number = next();
    const path = `${number}-kubelet-credential-providers.yaml`;
    const names = plan.credentialProviderConfig.providers.map((p) => p.name);
    files.push({
      path,
      content: credentialProviderConfigYaml(plan.credentialProviderConfig, [
        `kubelet image credential providers for ${clusterName}. On every node:`,
        `  copy this file to ${NODE_CONFIG_PATH}`,
        `  install ${names.join(" and ")} into ${NODE_BIN_DIR}`,
        `  start kubelet with --image-credential-provider-config=${NODE_CONFIG_PATH}`,
        `                    --image-credential-provider-bin-dir=${NODE_BIN_DIR}`,
        "matchImages: one `*` matches exactly one host label, so FIPS and dual-stack hosts need their own patterns.",
        "",
      ]),
      mode: 0o644,
    });
    steps.push({
      number,
      title: "kubelet credential providers on every node",
      run: `copy ${path} to ${NODE_CONFIG_PATH} on each node, install ${names.join(" and ")} into ${NODE_BIN_DIR}, and restart kubelet with --image-credential-provider-config=${NODE_CONFIG_PATH} --image-credential-provider-bin-dir=${NODE_BIN_DIR}`,
      files: [path],
      details: [
        "Roll it out with the tool that builds your nodes (node image, cloud-init, Ansible); a node without it cannot pull from these registries.",
        ...(names.includes("acr-credential-provider")
          ? [
              `acr-credential-provider reads ${AZURE_JSON_PATH}: {"cloud": "AzurePublicCloud", "tenantId": "…", "aadClientId": "…", "aadClientSecret": "…"} for a service principal with AcrPull, or {"useManagedIdentityExtension": true, "userAssignedIdentityID": "…"} on Azure VMs and Arc machines. Keep it root-only (0600).`,
            ]
          : []),
        ...(names.includes("ecr-credential-provider")
          ? [
              "ecr-credential-provider uses the AWS SDK's default credentials on the node: an instance role, IAM Roles Anywhere, or a shared credentials file (add env AWS_SHARED_CREDENTIALS_FILE to its provider entry).",
            ]
          : []),
      ],
    });
  }

  // 3. Static secrets.
  const staticSecrets = plan.decisions.filter(
    (d) => d.method === "secret" && d.namespaces.length > 0 && !values.has(d.registry),
  );
  if (staticSecrets.length > 0) {
    const number = next();
    const path = `${number}-create-secrets.sh`;
    const lines = [
      ...comment(
        "Creates or updates the pull secrets in every namespace that pulls from their registry. The values are read from the environment and files named below when this runs; none is stored in this directory. Run it again after renewing a credential. Needs pullwarden and kubectl on PATH, kubectl pointed at the cluster.",
      ),
      "set -euo pipefail",
      "",
      ...APPLY_SECRET_FUNCTION,
    ];
    for (const decision of staticSecrets) lines.push(...secretScriptLines(decision, plan));
    files.push({ path, content: script(lines), mode: 0o755 });
    const envs = staticSecrets.flatMap((d) => (d.source?.kind === "env" ? [d.source.passwordEnv] : []));
    steps.push({
      number,
      title: "Pull secrets",
      run: `./${path}`,
      files: [path],
      details: [
        envs.length > 0
          ? `Export ${envs.join(", ")} first (e.g. read -rs ${envs[0]} && export ${envs[0]}).`
          : "",
        `Creates ${staticSecrets.map((d) => `${d.secretName} in ${d.namespaces.join(", ")}`).join("; ")}.`,
      ].filter((d) => d !== ""),
    });
  }

  // 4. Rotated secrets.
  const rotated = plan.decisions.filter((d) => d.method === "rotated-secret" && d.namespaces.length > 0);
  if (rotated.length > 0) {
    const number = next();
    const path = `${number}-rotate-secrets.sh`;
    const everyHours = Math.min(...rotated.map((d) => d.rotation?.everyHours ?? 1));
    const cron = rotated.find((d) => d.rotation?.everyHours === everyHours)?.rotation?.cron ?? "7 * * * *";
    const lines = [
      ...comment(
        `Writes fresh short-lived registry tokens into their pull secrets. Run it now, then every ${plural(everyHours, "hour")} (crontab: ${cron}): the secrets stop working when their tokens expire. Needs pullwarden, kubectl and the cloud CLIs below, logged in.`,
      ),
      "set -euo pipefail",
      "",
      ...APPLY_SECRET_FUNCTION,
    ];
    for (const decision of rotated) lines.push(...rotationScriptLines(decision));
    files.push({ path, content: script(lines), mode: 0o755 });
    steps.push({
      number,
      title: "Short-lived secrets, and their rotation",
      run: `./${path}`,
      files: [path],
      details: [
        // The log stays outside this directory: a file plan did not write would stop plan -o DIR --force.
        `Then schedule it every ${plural(everyHours, "hour")} on a machine with kubectl access and cloud credentials, e.g.: (crontab -l 2>/dev/null; echo "${cron} cd $PWD && ./${path} >>$HOME/pullwarden-rotate.log 2>&1") | crontab -`,
        "A missed run means pulls fail once the tokens expire; pullwarden's controller refreshes them in the cluster instead (cluster.rotation: controller, docs/controller.md).",
      ],
    });
  }

  // 4b. The controller's custom resources, for the short-lived tokens it keeps fresh instead of a script.
  if (plan.controllerResources) {
    const number = next();
    const path = `${number}-controller-resources.yaml`;
    const { credentials, bindings } = plan.controllerResources;
    files.push({
      path,
      content: controllerResourcesYaml(plan.controllerResources, [
        `The pullwarden controller's resources for ${clusterName} (cluster.rotation: controller; docs/controller.md):`,
        "each ClusterPullCredential is minted once per refresh, from its real expiry, and checked against the registry",
        "before it is swapped in; each ClusterPullSecretBinding writes it as a pull secret into its namespaces and",
        "ServiceAccounts. The controller must be installed: helm install pullwarden charts/pullwarden -n pullwarden-system",
        "",
      ]),
      mode: 0o644,
    });
    steps.push({
      number,
      title: "The pullwarden controller's resources",
      run: `kubectl apply -f ${path}`,
      files: [path],
      details: [
        "Needs the controller running in the cluster (helm install pullwarden charts/pullwarden -n pullwarden-system --create-namespace) with a cloud identity allowed to mint the tokens; without it nothing writes the secrets.",
        `kubectl get ${CREDENTIAL_PLURAL},${BINDING_PLURAL} shows expiry, last refresh and readiness: ${[...credentials.map((c) => c.metadata.name ?? ""), ...bindings.map((b) => b.metadata.name ?? "")].join(", ")}.`,
      ],
    });
  }

  // 5. Per-namespace manifests and the kustomization.
  const manifestNumber = pad(counter + 1);
  const resources: string[] = [];
  for (const namespace of plan.namespaces) {
    const documents: string[] = [];
    for (const s of namespace.secrets) {
      const value = values.get(s.registry);
      if (value) documents.push(pullSecretYaml(namespace.name, s.secretName, value));
    }
    for (const sa of namespace.serviceAccounts)
      documents.push(serviceAccountYaml(namespace.name, sa.name, sa.secrets));
    if (documents.length === 0) continue;
    const path = `${manifestNumber}-${namespace.name}.yaml`;
    const holdsSecrets = namespace.secrets.some((s) => values.has(s.registry));
    files.push({
      path,
      content: `# Namespace ${namespace.name}.${holdsSecrets ? " Holds secret values (--include-secrets): do not commit." : ""}\n---\n${documents.join("---\n")}`,
      mode: holdsSecrets ? 0o600 : 0o644,
    });
    resources.push(path);
  }
  if (resources.length > 0) {
    counter++;
    files.push({ path: "kustomization.yaml", content: kustomizationYaml(resources), mode: 0o644 });
    steps.push({
      number: manifestNumber,
      title: "ServiceAccounts with their pull secrets",
      run: "kubectl apply -k .",
      files: [...resources, "kustomization.yaml"],
      details: [
        "kubectl apply sets each listed ServiceAccount's imagePullSecrets to exactly this list; if other tools add entries to the same ServiceAccounts, use `pullwarden apply` (below), which appends instead.",
        "ServiceAccount imagePullSecrets reach a Pod only when it is created: restart workloads already running (kubectl rollout restart deployment -n NAMESPACE).",
      ],
    });
  }

  // 6. Workload patches.
  const patches = patchScript(plan);
  if (patches) {
    const number = next();
    const path = `${number}-patch-workloads.sh`;
    files.push({ path, content: patches, mode: 0o755 });
    steps.push({
      number,
      title: "Pod references for workloads alone on their ServiceAccount",
      run: `./${path}`,
      files: [path],
      details: ["Each patch changes the Pod template, so the workload rolls out with the secrets."],
    });
  }

  // 7. Verification.
  const verifyNumber = next();
  const verifyPath = `${verifyNumber}-verify.sh`;
  const verify = verification(plan);
  files.push({ path: verifyPath, content: verify.script, mode: 0o755 });
  steps.push({
    number: verifyNumber,
    title: "Verify",
    run: `./${verifyPath}`,
    files: [verifyPath],
    details: [
      `Read-only.${verify.needs.length > 0 ? ` Needs ${verify.needs.join(" and ")}.` : ""} For a Pod still in ErrImagePull or ImagePullBackOff afterwards: pullwarden doctor POD -n NAMESPACE.`,
    ],
  });

  files.unshift({
    path: "README.md",
    content: renderReadme(plan, steps, options, { checks: verify.checks, imagesListed: verify.imagesListed }),
    mode: 0o644,
  });
  return files;
}
