/**
 * `pullwarden apply NAME`: put a pull secret into namespaces and add it to ServiceAccounts' imagePullSecrets,
 * idempotently and without touching what pullwarden does not own. The payload comes from the same flags as
 * `secret create`; namespaces from -n (repeatable, comma lists) or --namespace-selector (default: the context's
 * namespace, as kubectl). `runApplySpec` applies a whole `PullSetupSpec` (what `apply -f LAYOUT` feeds in).
 */
import { UsageError } from "../../errors.js";
import type { ApplyOptions, ApplyResult, DryRun } from "../../apply/index.js";
import type { NamespaceSelection, PullSetupSpec } from "../../desired/index.js";
import type { KubeClient } from "../../kube/index.js";
import { progressReporter, renderApplyJson, renderApplyText } from "../apply-render.js";
import type { CliIo } from "../io.js";
import { assertNamespace, assertSecretName } from "../names.js";
import { buildCheckedPayload, resolveCredentialSource } from "../pull-payload.js";
import type { PayloadOptions } from "../pull-payload.js";

export interface ApplyCommandOptions extends PayloadOptions {
  namespace?: string[];
  namespaceSelector?: string;
  serviceAccount?: string[];
  context?: string;
  kubeconfig?: string;
  dryRun?: string;
  diff?: boolean;
  prune?: boolean;
  adopt?: boolean;
  restartStuck?: boolean;
  output?: "text" | "json";
}

function splitList(values: readonly string[] | undefined): string[] {
  return [
    ...new Set(
      (values ?? [])
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter((v) => v !== ""),
    ),
  ];
}

function parseDryRun(value: string | undefined, io: CliIo): DryRun {
  switch (value) {
    case undefined:
    case "none":
      return "none";
    case "client":
    case "server":
      return value;
    case "unchanged":
      io.stderr.write("warning: --dry-run is deprecated and can be replaced with --dry-run=client.\n");
      return "client";
    default:
      throw new UsageError(`--dry-run must be none, client or server, not ${JSON.stringify(value)}`);
  }
}

/** Checks the cluster-side flags; returns the explicit namespaces (undefined: selector or context default). */
function checkSelection(options: ApplyCommandOptions): { names: string[] | undefined; accounts: string[] } {
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

async function connect(options: ApplyCommandOptions, io: CliIo): Promise<KubeClient> {
  const { KubeClient } = await import("../../kube/index.js");
  return KubeClient.connect({
    ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context !== undefined ? { context: options.context } : {}),
    env: io.env,
    cwd: io.cwd,
  });
}

function applyOptions(options: ApplyCommandOptions, client: KubeClient, dryRun: DryRun): ApplyOptions {
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
  options: ApplyCommandOptions,
  io: CliIo,
): Promise<number> {
  const progress = progressReporter(io);
  let result: ApplyResult;
  try {
    result = await run(progress.update);
  } finally {
    progress.end();
  }
  const diff = options.diff ? (await import("../../apply/index.js")).renderDiff(result.actions) : undefined;
  if (options.output === "json") renderApplyJson(result, io, diff);
  else renderApplyText(result, io, diff);
  return result.exitCode;
}

export async function runApply(
  name: string | undefined,
  options: ApplyCommandOptions,
  io: CliIo,
): Promise<number> {
  if (name === undefined || name === "") {
    throw new UsageError(
      "apply needs the name of the secret: pullwarden apply NAME --docker-server ... -n NAMESPACE",
      {
        hint: "pullwarden apply --help shows every flag",
      },
    );
  }
  assertSecretName(name);
  const dryRun = parseDryRun(options.dryRun, io);
  const { names, accounts } = checkSelection(options);
  const payload = await buildCheckedPayload(options, io);
  const client = await connect(options, io);
  const namespaces: NamespaceSelection =
    options.namespaceSelector !== undefined
      ? { kind: "selector", labelSelector: options.namespaceSelector }
      : { kind: "names", names: names ?? [client.target.namespace] };
  const { applyResolvedPullSetup } = await import("../../apply/index.js");
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
export async function runApplySpec(
  spec: PullSetupSpec,
  options: ApplyCommandOptions,
  io: CliIo,
): Promise<number> {
  const dryRun = parseDryRun(options.dryRun, io);
  const client = await connect(options, io);
  const { applyPullSetup } = await import("../../apply/index.js");
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
