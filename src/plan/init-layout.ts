/**
 * `pullwarden init`: the answers (from prompts or flags) → a commented layout. Pure; the command asks the
 * questions and writes the file. The text always passes `parseLayout` (tests hold it to that).
 */
import { classifyRegistryHost } from "../hosts/index.js";
import type { RegistryHostInfo } from "../hosts/index.js";
import { goYamlString } from "../manifest/index.js";
import { FORMATS, formatMismatch, matchesFormat } from "./layout-formats.js";
import { ecrHost } from "./layout-parse.js";
import { LAYOUT_API_VERSION, LAYOUT_KIND, LAYOUT_SCHEMA_URL } from "./layout-schema.js";
import type { ClusterProvider } from "./layout-types.js";

/** The username init writes where it cannot know it; `plan` warns while it is still there. */
export const USERNAME_PLACEHOLDER = "CHANGE-ME";

export interface InitRegistry {
  /** Id in the layout. */
  readonly name: string;
  readonly info: RegistryHostInfo;
  /** The shorthand to write: `acr: NAME`, `ecr: {...}`, `ghcr: OWNER`, else `host: HOST`. */
  readonly form: { readonly key: "acr" | "ghcr" | "host"; readonly value: string } | { readonly key: "ecr" };
  readonly username?: string;
}

export interface InitAnswers {
  readonly provider: ClusterProvider;
  readonly clusterName: string;
  readonly nodesConfigurable: boolean;
  /** `--credential-provider pullwarden`: written only when chosen (the default is the clouds' own plugins). */
  readonly credentialProvider?: "cloud" | "pullwarden";
  /** `--rotation controller`: written only when chosen (the default is the rotation script). */
  readonly rotation?: "script" | "controller";
  readonly aks?: { readonly resourceGroup: string; readonly subscription?: string };
  readonly eks?: { readonly region: string; readonly accountId: string; readonly nodeRole: string };
  readonly gke?: { readonly project: string; readonly nodeServiceAccount?: string };
  readonly registries: readonly InitRegistry[];
  /** Namespace → registry names (all registries when the list is empty). */
  readonly namespaces: readonly { readonly name: string; readonly registries: readonly string[] }[];
}

function baseName(info: RegistryHostInfo): string {
  switch (info.kind) {
    case "acr":
      return info.registryName;
    case "ecr":
      return `ecr-${info.region}`;
    case "ecr-public":
      return "ecr-public";
    case "ghcr":
      return "ghcr";
    case "dockerhub":
      return "dockerhub";
    default: {
      // A registry on an IP address (a local one, 127.0.0.1:5000) has no name in its host.
      if (/^[0-9.]+$/.test(info.hostname) || info.hostname.includes(":")) return "registry";
      const label = (info.hostname.split(".")[0] ?? "registry").replace(/[^a-z0-9-]/g, "-");
      return label.replace(/^-+|-+$/g, "") || "registry";
    }
  }
}

/**
 * Reads a registry as given to `init --registry` or at the prompt: a host (`shopprod.azurecr.io`,
 * `123456789012.dkr.ecr.eu-west-1.amazonaws.com`, `harbor.example.com:8443`), `ghcr.io/OWNER`, or a shorthand
 * (`acr:NAME`, `ghcr:OWNER`, `ecr:ACCOUNT/REGION`). Returns undefined with a reason for anything else.
 */
export function parseRegistrySpec(
  spec: string,
): { info: RegistryHostInfo; form: InitRegistry["form"] } | string {
  const text = spec.trim();
  const short = /^(acr|ghcr|ecr):(.+)$/i.exec(text);
  if (short) {
    const [, kind = "", value = ""] = short;
    if (kind.toLowerCase() === "acr") {
      const problem = formatMismatch(FORMATS.acrName, value);
      if (problem !== undefined) return `acr:${value}: ${problem}`;
      return {
        info: classifyRegistryHost(`${value.toLowerCase()}.azurecr.io`),
        form: { key: "acr", value: value.toLowerCase() },
      };
    }
    if (kind.toLowerCase() === "ghcr") {
      const problem = formatMismatch(FORMATS.githubOwner, value);
      if (problem !== undefined) return `ghcr:${value}: ${problem}`;
      return { info: classifyRegistryHost("ghcr.io"), form: { key: "ghcr", value } };
    }
    const ecr = /^(\d{12})\/([a-z]{2,4}(?:-[a-z]+)+-\d+)$/.exec(value);
    if (!ecr) return `ecr:${value}: expected ecr:ACCOUNT/REGION, e.g. ecr:123456789012/eu-west-1`;
    return {
      info: classifyRegistryHost(ecrHost(ecr[1] ?? "", ecr[2] ?? "", false, false)),
      form: { key: "ecr" },
    };
  }
  const ghcrOwner = /^ghcr\.io\/([A-Za-z0-9][A-Za-z0-9-]{0,38})\/?$/i.exec(text);
  if (ghcrOwner)
    return { info: classifyRegistryHost("ghcr.io"), form: { key: "ghcr", value: ghcrOwner[1] ?? "" } };
  if (!matchesFormat(FORMATS.registryHost, text)) {
    const fixed = FORMATS.registryHost.fix(text);
    return `${JSON.stringify(text)} is not a registry: expected a host[:port] such as harbor.example.com, ghcr.io/OWNER, acr:NAME or ecr:ACCOUNT/REGION${fixed === undefined ? "" : `; did you mean ${JSON.stringify(fixed)}?`}`;
  }
  const info = classifyRegistryHost(text);
  if (info.kind === "acr" && info.registryName.length < 5) {
    return `${text}: ${formatMismatch(FORMATS.acrName, info.registryName) ?? "an ACR name is 5-50 letters and digits"}`;
  }
  if (info.kind === "acr" && info.domainNameLabelHash === undefined && info.dnsSuffix === "azurecr.io") {
    return { info, form: { key: "acr", value: info.registryName } };
  }
  if (info.kind === "ecr") return { info, form: { key: "host", value: info.host } };
  if (info.kind === "ghcr") return { info, form: { key: "host", value: "ghcr.io" } };
  return { info, form: { key: "host", value: info.host } };
}

/** Gives each registry a unique layout name. */
export function nameRegistries(
  specs: readonly { info: RegistryHostInfo; form: InitRegistry["form"]; username?: string }[],
): InitRegistry[] {
  const used = new Map<string, number>();
  return specs.map((spec) => {
    const base = baseName(spec.info).slice(0, 55);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return {
      name: n === 1 ? base : `${base}-${n}`,
      info: spec.info,
      form: spec.form,
      ...(spec.username !== undefined ? { username: spec.username } : {}),
    };
  });
}

/** Registries whose pulls need a stored credential on this provider (init writes a credential block). */
export function needsCredential(info: RegistryHostInfo, provider: ClusterProvider): boolean {
  return ["ghcr", "dockerhub", "generic"].includes(info.kind) || (info.kind === "gcr" && provider !== "gke");
}

function envName(name: string, info: RegistryHostInfo): string {
  if (info.kind === "ghcr") return "GHCR_TOKEN";
  const stem = name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  // An environment variable name cannot start with a digit (a registry named 1password).
  return `${/^[0-9]/.test(stem) ? "REGISTRY_" : ""}${stem}_PASSWORD`;
}

const q = goYamlString;

function registryComment(info: RegistryHostInfo, answers: InitAnswers): string {
  const provider = answers.provider;
  switch (info.kind) {
    case "acr":
      if (provider === "aks") return "Pulled with the AKS kubelet identity (AcrPull): no secret.";
      return answers.nodesConfigurable
        ? "Outside AKS, on configurable nodes: kubelet's acr-credential-provider, no secret."
        : "Outside AKS: a short-lived token in a secret, rotated hourly (or declare an acr-scoped-token credential).";
    case "ecr":
      if (provider === "eks")
        return "Pulled with the EKS node role (AmazonEC2ContainerRegistryPullOnly): no secret.";
      return answers.nodesConfigurable
        ? "Outside EKS, on configurable nodes: kubelet's ecr-credential-provider, no secret."
        : "Outside EKS: a 12-hour ECR token in a secret, rotated every 6 hours.";
    case "ghcr":
      return "ghcr.io accepts only classic personal access tokens: a machine user's, read:packages only, with an expiry.";
    case "ecr-public":
      return "Public images: anonymous pulls, nothing to set up.";
    case "gcr":
      if (provider === "gke") return "Pulled with the GKE nodes' service account: no secret.";
      return "Outside GKE: a pull secret.";
    default:
      return "A pull secret in each namespace that pulls from it.";
  }
}

function providerLines(answers: InitAnswers): string[] {
  switch (answers.provider) {
    case "aks":
      return [
        "  aks:",
        `    resourceGroup: ${q(answers.aks?.resourceGroup ?? "")}`,
        answers.aks?.subscription
          ? `    subscription: ${q(answers.aks.subscription)}`
          : "    # subscription: 00000000-0000-0000-0000-000000000000   # selected before the az commands",
        "    # acrAccess: attach-acr   # or role-assignment: an explicit AcrPull assignment to the kubelet identity",
      ];
    case "eks":
      return [
        "  eks:",
        `    region: ${q(answers.eks?.region ?? "")}`,
        `    accountId: ${JSON.stringify(answers.eks?.accountId ?? "")}   # quoted: YAML reads bare digits as a number`,
        `    nodeRole: ${q(answers.eks?.nodeRole ?? "")}   # the node group's IAM role, name or ARN`,
        "    # ecrPolicy: pull-only   # AmazonEC2ContainerRegistryPullOnly; read-only for ...ReadOnly",
      ];
    case "gke":
      return [
        "  gke:",
        `    project: ${q(answers.gke?.project ?? "")}`,
        answers.gke?.nodeServiceAccount
          ? `    nodeServiceAccount: ${q(answers.gke.nodeServiceAccount)}`
          : "    # nodeServiceAccount: nodes@PROJECT.iam.gserviceaccount.com   # gets roles/artifactregistry.reader",
      ];
    default:
      return [];
  }
}

function registryLines(registry: InitRegistry, answers: InitAnswers): string[] {
  const lines = [`  # ${registryComment(registry.info, answers)}`, `  - name: ${q(registry.name)}`];
  const form = registry.form;
  if (form.key === "ecr") {
    const info = registry.info;
    if (info.kind === "ecr") {
      lines.push(
        "    ecr:",
        `      accountId: ${JSON.stringify(info.accountId)}`,
        `      region: ${q(info.region)}`,
      );
    }
  } else {
    lines.push(`    ${form.key}: ${q(form.value)}`);
  }
  if (needsCredential(registry.info, answers.provider)) {
    const ghcr = registry.info.kind === "ghcr";
    const env = envName(registry.name, registry.info);
    lines.push(
      "    credential:",
      `      type: ${ghcr ? "classic-pat" : "robot-account"}   # ${ghcr ? "fine-grained PATs and GitHub App tokens cannot pull from ghcr.io" : "or password, access-token, dockerhub-pat"}`,
      `      username: ${q(registry.username ?? USERNAME_PLACEHOLDER)}${registry.username ? "" : "   # the machine user that owns the credential"}`,
      `      passwordEnv: ${env}   # read when the secret is created; never written to a file`,
      "      # expires: 2027-01-31   # record the expiry so the plan warns ahead of it",
    );
  }
  return lines;
}

export function renderInitLayout(answers: InitAnswers): string {
  const allNames = answers.registries.map((r) => r.name);
  const lines = [
    "# pullwarden layout: the cluster, the registries its workloads pull from, and the namespaces that pull.",
    "# `pullwarden plan -f THIS-FILE` picks the pull setup for each registry, says why, and with -o DIR writes",
    "# ready-to-run files. Editors complete and check this file with the schema below.",
    `# yaml-language-server: $schema=${LAYOUT_SCHEMA_URL}`,
    `apiVersion: ${LAYOUT_API_VERSION}`,
    `kind: ${LAYOUT_KIND}`,
    "cluster:",
    "  # aks | eks | gke | other (on-premises, kind, k3s, another cloud)",
    `  provider: ${answers.provider}`,
    `  name: ${q(answers.clusterName)}`,
    "  # true when you can change kubelet flags and files on every node: then ECR outside EKS and ACR outside AKS",
    "  # use a kubelet credential provider instead of a rotated secret.",
    `  nodesConfigurable: ${answers.nodesConfigurable ? "true" : "false"}`,
    ...(answers.credentialProvider === "pullwarden"
      ? [
          "  # pullwarden: the nodes run pullwarden-credential-provider for ECR, ACR and every registry whose credential",
          "  # comes from passwordEnv or passwordFile (a root-only file on each node, no pull secret in the cluster).",
          "  credentialProvider: pullwarden",
        ]
      : []),
    ...(answers.rotation === "controller"
      ? [
          "  # controller: the pullwarden controller (installed in the cluster) keeps short-lived ECR and ACR tokens",
          "  # fresh in pull secrets; plan writes its custom resources instead of a rotation script.",
          "  rotation: controller",
        ]
      : []),
    ...providerLines(answers),
    "registries:",
    ...answers.registries.flatMap((r) => registryLines(r, answers)),
    "namespaces:",
  ];
  answers.namespaces.forEach((namespace, index) => {
    const registries = namespace.registries.length > 0 ? namespace.registries : allNames;
    lines.push(`  - name: ${q(namespace.name)}`, `    registries: [${registries.map(q).join(", ")}]`);
    if (index === 0) {
      lines.push(
        "    # serviceAccounts: [default]   # who carries the pull secrets (default: the namespace's default ServiceAccount)",
        "    # workloads:                   # or list the workloads: a ServiceAccount shared by several carries the secrets,",
        "    #   - {kind: Deployment, name: web, serviceAccount: web}   # a workload alone on its own gets them in its Pod spec",
        "    # images: [registry.example.com/team/app:1.0]   # pulled with the secrets by the plan's verify step",
      );
    }
  });
  return lines.join("\n") + "\n";
}
