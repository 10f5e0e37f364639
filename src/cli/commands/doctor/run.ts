/**
 * `pullwarden doctor POD -n NS`, `doctor deploy/NAME -n NS`, `doctor --all -n NS[,NS…]` or `doctor --all -A`:
 * why Pods cannot pull their images, from the live cluster. Gathering (src/doctor/gather.ts, through
 * src/cli/commands/doctor/cluster-port.ts) reads a constant number of lists per namespace; the pure core (src/doctor)
 * diagnoses; `--probe` asks the registries with the credentials kubelet would try (src/doctor/probe.ts).
 * Exit 1 when a cause is found, 0 when the Pod(s) have no pull trouble, 2 usage, 3 input (no such Pod or
 * Deployment), 4 environment (kubeconfig, API server, a namespace that cannot be read) — docs/doctor.md.
 */
import type { GitHubProbeOptions } from "../../../cloud/github/probe-token.js";
import { ExitCode, InputError, UsageError } from "../../../errors.js";
import type { KubeClient } from "../../../kube/index.js";
import type { TransportOptions } from "../../../registry/index.js";
import type { DoctorTarget, GatheredPod, ProbeEvidence } from "../../../doctor/index.js";
import { clusterConnection } from "../../flags/cluster.js";
import { assertNamespace, assertSecretName } from "../../flags/names.js";
import { registryTimeoutMs, registryTlsOptions } from "../../flags/registry.js";
import { splitList } from "../../flags/values.js";
import type { CliIo } from "../../io.js";
import type { DoctorFlags } from "./definition.js";
import type { DoctorPodReport, DoctorReport } from "./render.js";

/** The target from the argument and flags; namespaces default to the context's. */
function parseTarget(arg: string | undefined, options: DoctorFlags, contextNamespace: string): DoctorTarget {
  const namespaces = splitList(options.namespace);
  for (const ns of namespaces) assertNamespace(ns);
  if (options.allNamespaces && namespaces.length > 0)
    throw new UsageError("use -n/--namespace or -A, not both");
  if (options.all) {
    if (arg !== undefined) throw new UsageError("--all diagnoses every Pod: give no POD with it");
    return {
      kind: "all",
      namespaces: options.allNamespaces ? undefined : namespaces.length > 0 ? namespaces : [contextNamespace],
    };
  }
  if (options.allNamespaces) throw new UsageError("-A needs --all: pullwarden doctor --all -A");
  if (arg === undefined || arg === "") {
    throw new UsageError("doctor needs a Pod, deploy/NAME or --all", {
      hint: "pullwarden doctor POD -n NAMESPACE, pullwarden doctor deploy/NAME -n NAMESPACE, pullwarden doctor --all -n NAMESPACE",
    });
  }
  if (namespaces.length > 1) throw new UsageError("doctor POD takes one namespace");
  const namespace = namespaces[0] ?? contextNamespace;
  const slash = arg.indexOf("/");
  if (slash >= 0) {
    const kind = arg.slice(0, slash).toLowerCase();
    const name = arg.slice(slash + 1);
    assertSecretName(name, "name");
    if (["deploy", "deployment", "deployments", "deployment.apps", "deployments.apps"].includes(kind)) {
      return { kind: "deployment", namespace, name };
    }
    if (["pod", "pods", "po"].includes(kind)) return { kind: "pod", namespace, name };
    throw new UsageError(`doctor takes a Pod or deploy/NAME, not ${JSON.stringify(arg)}`);
  }
  assertSecretName(arg, "Pod name");
  return { kind: "pod", namespace, name: arg };
}

async function transportOptions(options: DoctorFlags, io: CliIo): Promise<TransportOptions> {
  return { timeoutMs: registryTimeoutMs(options.timeout), ...(await registryTlsOptions(options, io)) };
}

function describeTarget(target: DoctorTarget): string {
  switch (target.kind) {
    case "pod":
      return `pod/${target.name} -n ${target.namespace}`;
    case "deployment":
      return `deployment/${target.name} -n ${target.namespace}`;
    case "all":
      return target.namespaces === undefined ? "--all -A" : `--all -n ${target.namespaces.join(",")}`;
  }
}

export async function runDoctor(arg: string | undefined, options: DoctorFlags, io: CliIo): Promise<number> {
  const probeFlags = options.caFile !== undefined || options.insecureSkipTlsVerify || options.plainHttp;
  if (probeFlags && !options.probe) {
    throw new UsageError("--ca-file, --insecure-skip-tls-verify and --plain-http apply to --probe");
  }
  if (options.githubApiUrl !== undefined && !options.probe) {
    throw new UsageError("--github-api-url applies to --probe");
  }
  // Usage errors before any connection.
  parseTarget(arg, options, "default");
  const connection = clusterConnection(options, io);
  const transport = options.probe ? await transportOptions(options, io) : undefined;
  let github: GitHubProbeOptions | undefined;
  if (options.probe) {
    const { gitHubProbeOptions } = await import("../../flags/github-probe.js");
    github = await gitHubProbeOptions(options, io, transport?.timeoutMs);
  }
  const { KubeClient } = await import("../../../kube/index.js");
  const client: KubeClient = KubeClient.connect(connection);
  const target = parseTarget(arg, options, client.target.namespace);
  const now = io.now();
  const { gatherDoctorEvidence, podStillThere } = await import("../../../doctor/index.js");
  const { doctorClusterReader } = await import("./cluster-port.js");
  const cluster = doctorClusterReader(client);
  const gathered = await gatherDoctorEvidence({ cluster, target, now });

  if (target.kind === "pod" && gathered.pods.length === 0) {
    throw new InputError(
      "E_POD_NOT_FOUND",
      `pods "${target.name}" not found in namespace ${target.namespace}`,
      {
        hint: `kubectl get pods -n ${target.namespace}`,
      },
    );
  }
  if (target.kind === "deployment" && gathered.failures.length > 0 && gathered.pods.length === 0) {
    throw new InputError(
      "E_DEPLOYMENT_NOT_FOUND",
      `deployment "${target.name}" not found in namespace ${target.namespace} (no ReplicaSet is owned by it)`,
      { hint: `kubectl get deployments -n ${target.namespace}` },
    );
  }

  let probes: GatheredPod["objects"]["probes"][] = gathered.pods.map(() => undefined);
  if (options.probe && transport) {
    const { probePods } = await import("../../../doctor/index.js");
    probes = await probePods(
      gathered.pods.map((pod) => ({ pod: pod.objects.pod, secrets: pod.podSecrets })),
      {
        transport,
        plainHttp: options.plainHttp,
        concurrency: 8,
        now: io.now,
        ...(github ? { github } : {}),
      },
    );
  }
  const notes = gathered.pods.map((): string[] => []);
  if (target.kind === "pod" && gathered.pods[0]) {
    const there = await podStillThere(cluster, gathered.pods[0]);
    if (there === false)
      notes[0]?.push("the Pod was deleted while doctor ran: this is the evidence read before it went");
  }

  const { diagnose, evidenceFromObjects, kubeletHasNotReported } = await import("../../../doctor/index.js");
  const { failuresOf, groupByCause, renderDoctor } = await import("./render.js");
  const pods = gathered.pods.map((pod, index): DoctorPodReport => {
    const probe = probes[index];
    const evidence = evidenceFromObjects({ ...pod.objects, ...(probe ? { probes: probe } : {}) });
    const diagnoses = diagnose(evidence);
    const raw = pod.objects.pod as { status?: unknown; metadata?: { deletionTimestamp?: string } };
    const podNotes = notes[index] ?? [];
    if (raw.metadata?.deletionTimestamp) podNotes.push("the Pod is being deleted");
    if (probe) podNotes.push("probes run from where doctor runs, not from the node");
    if (probe) podNotes.push(...gitHubTokenNotes(probe));
    return {
      namespace: evidence.pod.namespace,
      name: evidence.pod.name,
      ...(evidence.pod.owner
        ? { controller: `${evidence.pod.owner.kind.toLowerCase()}/${evidence.pod.owner.name}` }
        : {}),
      ...(evidence.pod.nodeName ? { node: evidence.pod.nodeName } : {}),
      ...(evidence.pod.phase ? { phase: evidence.pod.phase } : {}),
      noStatus: kubeletHasNotReported(raw),
      pullTrouble: pod.pullTrouble,
      diagnoses,
      gaps: evidence.gaps ?? [],
      notes: podNotes,
    };
  });
  const findings = pods.filter((p) => failuresOf(p.diagnoses).length > 0).length;
  const report: DoctorReport = {
    target: describeTarget(target),
    pods,
    groups: target.kind === "pod" ? [] : groupByCause(pods),
    failures: gathered.failures,
    findings,
    requests: client.requests.reads,
  };
  const single = target.kind === "pod" || (target.kind === "deployment" && pods.length <= 3);
  renderDoctor(report, io, options.output, single);
  if (findings > 0) return ExitCode.findings;
  return gathered.failures.length > 0 ? ExitCode.environment : ExitCode.ok;
}

/**
 * What the GitHub API said of the Pod's GitHub tokens for ghcr.io, as notes (each token once): a missing
 * read:packages is a diagnosis of its own (ghcr-read-packages-missing), the rest (expiry, broader scopes, no
 * answer) is worth knowing.
 */
function gitHubTokenNotes(probes: readonly ProbeEvidence[]): string[] {
  const notes = new Set<string>();
  for (const probe of probes) {
    if (probe.credential.kind !== "secret") continue;
    for (const finding of probe.githubTokenFindings ?? []) {
      if (finding.code === "github-token-missing-read-packages") continue;
      notes.add(
        `GitHub token of secret ${probe.credential.secret} (key ${probe.credential.key}): ${finding.message}`,
      );
    }
  }
  return [...notes];
}
