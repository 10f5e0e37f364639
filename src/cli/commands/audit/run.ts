// `pullwarden audit [PATH|GLOB|-]...`: broken and insecure pull setups in manifests (or, with --cluster, a live
// cluster), as text, JSON, SARIF, JUnit or HTML. The audit itself is pure (src/audit); this is the I/O edge.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { AuditConfig, AuditObject, AuditResult, NodeIdentity, Severity } from "../../../audit/index.js";
import { ExitCode, UsageError } from "../../../errors.js";
import { VERSION } from "../../../version.js";
import { loadInputs } from "../../../audit/inputs.js";
import type { InputPorts } from "../../../audit/inputs.js";
import { clusterConnection } from "../../flags/cluster.js";
import type { CliIo } from "../../io.js";
import { stdoutPaint } from "../../output.js";
import { MAX_MANIFEST_INPUT_BYTES, expandHome, readBytes, readText } from "../../read-input.js";
import type { AuditFlags } from "./definition.js";
import { renderAuditReport, renderInputProblems } from "./render.js";

/** Looked for in the working directory when --config is not given. */
export const DEFAULT_CONFIG_FILE = ".pullwarden-audit.yaml";

const MAX_CONFIG_BYTES = 1024 * 1024;
const SEVERITY_ORDER: readonly Severity[] = ["error", "warning", "info"];

function failsAt(result: AuditResult, failOn: Severity | "never"): boolean {
  if (failOn === "never") return false;
  const threshold = SEVERITY_ORDER.indexOf(failOn);
  return result.findings.some(
    (finding) => !finding.suppressed && SEVERITY_ORDER.indexOf(finding.severity) <= threshold,
  );
}

async function loadConfig(options: AuditFlags, io: CliIo): Promise<AuditConfig | undefined> {
  const { parseAuditConfig } = await import("../../../audit/index.js");
  let path = options.config;
  if (path === undefined) {
    if (!existsSync(resolve(io.cwd, DEFAULT_CONFIG_FILE))) return undefined;
    path = DEFAULT_CONFIG_FILE;
  }
  const text = await readText(path, io, MAX_CONFIG_BYTES);
  return parseAuditConfig(text, path);
}

async function nodeIdentities(
  options: AuditFlags,
  config: AuditConfig | undefined,
  io: CliIo,
): Promise<NodeIdentity[]> {
  const { layoutIdentities, providerIdentity } = await import("../../../audit/index.js");
  const identities: NodeIdentity[] = [...(config?.nodeIdentities ?? [])];
  if (options.layout !== undefined) {
    const { MAX_LAYOUT_BYTES, planFromLayoutText } = await import("../../../plan/index.js");
    const source = options.layout === "-" ? "stdin" : options.layout;
    const text = await readText(options.layout, io, MAX_LAYOUT_BYTES);
    identities.push(...layoutIdentities(planFromLayoutText(text, { source, now: io.now() }), source));
  }
  if (options.provider) identities.push(providerIdentity(options.provider, `--provider ${options.provider}`));
  for (const pattern of options.nodeCredentials ?? []) {
    identities.push({
      matchImages: [pattern],
      label: "kubelet credential provider declared with --node-credentials",
      source: `--node-credentials ${pattern}`,
    });
  }
  return identities;
}

/** The input walker reads through the CLI's one capped reader (stdin for `-`). */
function inputPorts(io: CliIo): InputPorts {
  return {
    cwd: io.cwd,
    expandHome: (path) => expandHome(path, io),
    readBytes: (pathOrDash) => readBytes(pathOrDash, io, MAX_MANIFEST_INPUT_BYTES),
  };
}

export async function runAudit(paths: readonly string[], options: AuditFlags, io: CliIo): Promise<number> {
  const args = [...paths, ...(options.filename ?? [])];
  if (!options.cluster) {
    for (const flag of ["context", "kubeconfig", "selector"] as const) {
      if (options[flag] !== undefined) throw new UsageError(`--${flag} needs --cluster`);
    }
    if (options.requestTimeout !== undefined) throw new UsageError("--request-timeout needs --cluster");
  } else if (args.length > 0) {
    throw new UsageError("give either files or --cluster, not both");
  }
  const connection = options.cluster ? clusterConnection(options, io) : undefined;
  if (args.length === 0 && !options.cluster) {
    if (io.stdin.isTTY) {
      throw new UsageError("nothing to audit", {
        hint: "give files, directories or globs (pullwarden audit manifests/), - for stdin (helm template . | pullwarden audit -), or --cluster",
      });
    }
    args.push("-");
  }
  const audit = await import("../../../audit/index.js");
  const config = await loadConfig(options, io);
  const identities = await nodeIdentities(options, config, io);
  let incomplete: string[] = [];
  let inputs;
  if (connection) {
    const { loadClusterInputs } = await import("./cluster.js");
    const cluster = await loadClusterInputs(
      connection,
      {
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
        ...(options.selector !== undefined ? { selector: options.selector } : {}),
      },
      io,
    );
    incomplete = cluster.incomplete;
    inputs = {
      objects: cluster.objects,
      problems: cluster.problems,
      texts: new Map<string, string>(),
      files: -1,
    };
  } else {
    inputs = await loadInputs(args, inputPorts(io), audit.loadManifestText);
  }
  const objects: AuditObject[] = inputs.objects;
  // An audit of nothing must not pass a CI gate: `helm template` that failed upstream pipes an empty stdin.
  if (
    !options.cluster &&
    !options.allowEmpty &&
    objects.length === 0 &&
    !inputs.problems.some((problem) => problem.severity === "error")
  ) {
    const where = args.map((arg) => (arg === "-" ? "stdin" : arg)).join(", ");
    const what =
      inputs.files === 0
        ? `no manifest files in ${where} (looked for *.yaml, *.yml and *.json)`
        : `no Kubernetes objects in ${where}`;
    inputs.problems.push({
      severity: "error",
      source: args.join(" "),
      message: `${what}: nothing was audited (pass --allow-empty when an empty input is expected)`,
    });
  }
  if (options.encryptionConfig !== undefined) {
    const extra = await loadInputs([options.encryptionConfig], inputPorts(io), audit.loadManifestText);
    for (const [name, text] of extra.texts) inputs.texts.set(name, text);
    inputs.problems.push(...extra.problems);
    const configs = extra.objects.filter(
      (object) => (object.object as { kind?: unknown } | null)?.kind === "EncryptionConfiguration",
    );
    if (configs.length === 0 && extra.problems.length === 0) {
      inputs.problems.push({
        severity: "error",
        source: options.encryptionConfig,
        message: `${options.encryptionConfig}: no EncryptionConfiguration found`,
      });
    }
    objects.push(...configs);
  }
  const now = io.now();
  const raw = audit.audit(objects, {
    mode: options.cluster ? "cluster" : "files",
    now,
    ...(options.namespace !== undefined && !options.cluster ? { defaultNamespace: options.namespace } : {}),
    incompleteKinds: incomplete,
    nodeIdentities: identities,
    privateRegistries: [...(config?.privateRegistries ?? []), ...(options.privateRegistry ?? [])],
    suppressions: config?.suppressions ?? [],
    disabledRules: [...(config?.disabledRules ?? []), ...(options.disable ?? [])],
  });
  const located = audit.locateFindings(raw.findings, (file) => inputs.texts.get(file));
  const result: AuditResult = {
    ...raw,
    findings: located,
    inputProblems: [...inputs.problems, ...raw.inputProblems],
  };

  if (result.inputProblems.length > 0) io.stderr.write(renderInputProblems(result.inputProblems));
  const tool = { name: "pullwarden", version: VERSION };
  const htmlSections =
    options.cluster && options.output === "html"
      ? (await import("./coverage.js")).coverageSection(objects.map((input) => input.object))
      : "";
  const context = {
    tool,
    now,
    cwd: io.cwd,
    paint: stdoutPaint(io),
    showSuppressed: options.showSuppressed,
    htmlSections,
  };
  io.stdout.write(renderAuditReport(result, options.output, context, audit));
  if (inputs.files === 0 && !result.inputProblems.some((problem) => problem.severity === "error")) {
    io.stderr.write("warning: no manifest files found (looked for *.yaml, *.yml and *.json)\n");
  }
  const failOn = options.failOn ?? config?.failOn ?? "error";
  if (result.inputProblems.some((problem) => problem.severity === "error")) return ExitCode.input;
  return failsAt(result, failOn) ? ExitCode.findings : ExitCode.ok;
}
