/**
 * `pullwarden apply NAME`: put a pull secret into namespaces and add it to ServiceAccounts' imagePullSecrets,
 * idempotently and without touching what pullwarden does not own. The payload comes from the same flags as
 * `secret create`; namespaces from -n (repeatable, comma lists) or --namespace-selector (default: the context's
 * namespace, as kubectl). `pullwarden apply -f LAYOUT` applies the Kubernetes part of what `plan -f LAYOUT`
 * decides (its `spec`: every pull secret and ServiceAccount binding) through `runApplySpec`.
 */
import { UsageError } from "../../../errors.js";
import type { ApplyOptions, ApplyResult, DryRun } from "../../../apply/index.js";
import type { NamespaceSelection, PullSetupSpec } from "../../../desired/index.js";
import type { KubeClient, KubeConnectionOptions } from "../../../kube/index.js";
import type { Plan } from "../../../plan/index.js";
import { plural } from "../../../text/index.js";
import { clusterConnection } from "../../flags/cluster.js";
import { assertNamespace, assertSecretName } from "../../flags/names.js";
import { buildCheckedPayload, givenPayloadFlags, resolveCredentialSource } from "../../flags/payload.js";
import { splitList } from "../../flags/values.js";
import type { CliIo } from "../../io.js";
import { readLayout, reportLayoutError } from "../plan/layout-input.js";
import type { ApplyFlags } from "./definition.js";
import { progressReporter, renderApplyJson, renderApplyText } from "./render.js";

/**
 * What applying a desired state reads of the flags (`apply -f`, and callers of `runApplySpec`): the cluster,
 * the dry run, what may be changed, and the output.
 */
export type ApplySpecFlags = Partial<
  Pick<
    ApplyFlags,
    | "context"
    | "kubeconfig"
    | "requestTimeout"
    | "dryRun"
    | "diff"
    | "prune"
    | "adopt"
    | "restartStuck"
    | "output"
  >
>;

/** `true` is a bare --dry-run: kubectl's deprecated spelling of client. */
function parseDryRun(value: string | true | undefined, io: CliIo): DryRun {
  switch (value) {
    case undefined:
    case "none":
      return "none";
    case "client":
    case "server":
      return value;
    case true:
      io.stderr.write("warning: --dry-run is deprecated and can be replaced with --dry-run=client.\n");
      return "client";
    default:
      throw new UsageError(`--dry-run must be none, client or server, not ${JSON.stringify(value)}`);
  }
}

/** Checks the cluster-side flags; returns the explicit namespaces (undefined: selector or context default). */
function checkSelection(options: ApplyFlags): { names: string[] | undefined; accounts: string[] } {
  const names = splitList(options.namespace);
  if (names.length > 0 && options.namespaceSelector !== undefined) {
    throw new UsageError("use -n/--namespace or --namespace-selector, not both");
  }
  if (options.namespaceSelector !== undefined && options.namespaceSelector.trim() === "") {
    throw new UsageError("--namespace-selector needs a label selector, e.g. team=web");
  }
  for (const name of names) assertNamespace(name);
  const accounts = splitList(options.serviceAccount);
  for (const account of accounts) assertSecretName(account, "service account name");
  return { names: names.length > 0 ? names : undefined, accounts };
}

async function connect(connection: KubeConnectionOptions): Promise<KubeClient> {
  const { KubeClient } = await import("../../../kube/index.js");
  return KubeClient.connect(connection);
}

function applyOptions(options: ApplySpecFlags, client: KubeClient, dryRun: DryRun): ApplyOptions {
  return {
    client,
    dryRun,
    adopt: options.adopt === true,
    restartStuck: options.restartStuck === true,
    ...(options.prune ? { prune: true } : {}),
  };
}

async function report(
  run: (onProgress: ApplyOptions["onProgress"]) => Promise<ApplyResult>,
  options: ApplySpecFlags,
  io: CliIo,
): Promise<number> {
  const progress = progressReporter(io);
  let result: ApplyResult;
  try {
    result = await run(progress.update);
  } finally {
    progress.end();
  }
  const diff = options.diff
    ? (await import("../../../apply/index.js")).renderDiff(result.actions)
    : undefined;
  if (options.output === "json") renderApplyJson(result, io, diff);
  else renderApplyText(result, io, diff);
  return result.exitCode;
}

export async function runApply(name: string | undefined, options: ApplyFlags, io: CliIo): Promise<number> {
  if (options.filename !== undefined) return runApplyLayout(options.filename, name, options, io);
  if (name === undefined || name === "") {
    throw new UsageError(
      "apply needs the name of the secret: pullwarden apply NAME --docker-server ... -n NAMESPACE",
      {
        hint: "or apply a whole layout: pullwarden apply -f LAYOUT; pullwarden apply --help shows every flag",
      },
    );
  }
  assertSecretName(name);
  const dryRun = parseDryRun(options.dryRun, io);
  const { names, accounts } = checkSelection(options);
  const connection = clusterConnection(options, io); // usage errors before the payload is read
  const payload = await buildCheckedPayload(options, io);
  const client = await connect(connection);
  const namespaces: NamespaceSelection =
    options.namespaceSelector !== undefined
      ? { kind: "selector", labelSelector: options.namespaceSelector }
      : { kind: "names", names: names ?? [client.target.namespace] };
  const { applyResolvedPullSetup } = await import("../../../apply/index.js");
  return report(
    (onProgress) =>
      applyResolvedPullSetup([{ name, payload: payload.text, namespaces, serviceAccounts: accounts }], {
        ...applyOptions(options, client, dryRun),
        ...(onProgress ? { onProgress } : {}),
      }),
    options,
    io,
  );
}

/**
 * Applies a whole desired state (e.g. `plan.spec` from a layout, for `apply -f LAYOUT`): credential sources are
 * resolved as `secret create` reads them; `--prune` then covers every secret pullwarden owns in the cluster.
 */
export async function runApplySpec(spec: PullSetupSpec, options: ApplySpecFlags, io: CliIo): Promise<number> {
  const dryRun = parseDryRun(options.dryRun, io);
  const client = await connect(clusterConnection(options, io));
  const { applyPullSetup } = await import("../../../apply/index.js");
  return report(
    (onProgress) =>
      applyPullSetup(spec, {
        ...applyOptions(options, client, dryRun),
        ...(options.prune ? { prune: "all-owned" as const } : {}),
        resolveCredentials: async (source, secretName) =>
          (await resolveCredentialSource(source, secretName, io)).text,
        ...(onProgress ? { onProgress } : {}),
      }),
    options,
    io,
  );
}

// ---------------------------------------------------------------------------------------------------------
// apply -f LAYOUT

function given(value: unknown): boolean {
  return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
}

/** -f takes the secrets, their namespaces and ServiceAccounts from the layout: flags that say them too are refused. */
function refuseWithLayout(name: string | undefined, options: ApplyFlags): void {
  const hint = "pullwarden apply NAME --docker-server ... -n NAMESPACE applies one secret from flags instead";
  if (name !== undefined && name !== "") {
    throw new UsageError(`-f LAYOUT takes the secrets' names from the layout: drop ${JSON.stringify(name)}`, {
      hint,
    });
  }
  const payload = givenPayloadFlags(options);
  if (payload.length > 0) {
    throw new UsageError(
      `-f LAYOUT takes the credentials from the layout: ${payload.join(", ")} cannot be combined with it`,
      { hint },
    );
  }
  const selection = [
    given(options.namespace) && "-n/--namespace",
    given(options.namespaceSelector) && "--namespace-selector",
    given(options.serviceAccount) && "--service-account",
  ].filter((flag): flag is string => typeof flag === "string");
  if (selection.length > 0) {
    throw new UsageError(
      `-f LAYOUT takes the namespaces and ServiceAccounts from the layout: ${selection.join(", ")} cannot be combined with it`,
      { hint: "change the layout's namespaces (and their serviceAccounts), or apply one secret with NAME" },
    );
  }
}

/** The parts of the plan that are not Kubernetes objects apply writes: cloud grants, node config, workload patches. */
function notApplied(plan: Plan): string[] {
  const parts: string[] = [];
  for (const decision of plan.decisions) {
    if (decision.method === "identity" && decision.namespaces.length > 0) {
      parts.push(`the cloud identity grant for ${decision.registry}`);
    } else if (decision.method === "credential-provider" && decision.namespaces.length > 0) {
      parts.push(`the kubelet credential provider for ${decision.registry}`);
    }
  }
  for (const namespace of plan.namespaces) {
    for (const ref of namespace.podReferences) {
      parts.push(`the Pod spec references of ${ref.kind}/${ref.name} in ${namespace.name}`);
    }
  }
  return parts;
}

async function runApplyLayout(
  file: string,
  name: string | undefined,
  options: ApplyFlags,
  io: CliIo,
): Promise<number> {
  if (file === "") {
    throw new UsageError("-f needs a layout file (- for stdin)", {
      hint: "pullwarden init writes a starter layout",
    });
  }
  refuseWithLayout(name, options);
  clusterConnection(options, io); // usage errors before the layout is read
  const source = file === "-" ? "stdin" : file;
  const text = await readLayout(file, io);
  const planModule = await import("../../../plan/index.js");
  let plan: Plan;
  try {
    plan = planModule.planFromLayoutText(text, { source, now: io.now() });
  } catch (error) {
    if (error instanceof planModule.LayoutError) return reportLayoutError(error, io);
    throw error;
  }
  for (const warning of plan.warnings) io.stderr.write(`warning: ${warning}\n`);
  const rest = notApplied(plan);
  if (rest.length > 0) {
    io.stderr.write(
      `note: apply -f writes only the pull secrets and ServiceAccount bindings; not applied: ${rest.join("; ")} (pullwarden plan -f ${file} -o DIR writes the steps for them)\n`,
    );
  }
  for (const decision of plan.decisions) {
    if (decision.rotation && decision.secretName !== undefined && decision.namespaces.length > 0) {
      io.stderr.write(
        `note: secret ${decision.secretName} holds a token that lives ${decision.rotation.tokenLifetime}: run pullwarden apply -f ${file} (or plan's rotation script) again every ${plural(decision.rotation.everyHours, "hour")}\n`,
      );
    }
  }
  // cluster.rotation: controller: the controller mints these secrets from its custom resources, which apply -f
  // does not write (they are not a pull secret or a binding); plan writes them as one manifest. They carry the
  // controller's writer label, so --prune leaves them (and their ServiceAccount entries) alone.
  const controllerSecrets = plan.decisions.filter(
    (d) => d.method === "controller-secret" && d.secretName !== undefined && d.namespaces.length > 0,
  );
  if (controllerSecrets.length > 0) {
    io.stderr.write(
      `note: ${controllerSecrets.map((d) => `secret ${d.secretName ?? ""} (${d.registry})`).join(", ")} ${controllerSecrets.length === 1 ? "is" : "are"} written by the pullwarden controller (cluster.rotation: controller), not by apply -f: apply its resources with pullwarden plan -f ${file} -o DIR, then kubectl apply -f DIR/*-controller-resources.yaml\n`,
    );
  }
  if (plan.spec.secrets.length === 0) {
    io.stderr.write(`note: ${source} needs no pull secret in any namespace\n`);
  }
  return runApplySpec(plan.spec, options, io);
}
