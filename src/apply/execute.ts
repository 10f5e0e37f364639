/**
 * The edge that carries out `reconcile`'s actions. Per namespace, in order: secrets, then bindings (skipped for a
 * secret that failed), then Pod restarts (skipped when their binding failed), then pruning. Namespaces run
 * concurrently. Every write is guarded (create fails if the secret appeared, patches `test` what was read,
 * deletes carry preconditions), so on a conflict the object is re-read, the action re-planned with the same
 * pure rules, and written again. When the API server stops answering, what was not attempted is reported as
 * skipped and nothing more is sent.
 */
import { mapWithConcurrency } from "../concurrency.js";
import { DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE } from "../manifest/index.js";
import {
  KubeApiError,
  KubeNamespaceTerminatingError,
  KubeUnreachableError,
  defaultDelayMs,
  isTransient,
} from "../kube/index.js";
import type { SecretObject } from "../kube-model/index.js";
import type { KubeClient } from "../kube/index.js";
import type {
  Action,
  ApplyItemResult,
  DryRun,
  NoteAction,
  SecretWriter,
  WantedSecret,
  WriteAction,
} from "./model.js";
import { isWriteAction } from "./model.js";
import {
  encodePayload,
  isOwned,
  ownerLabels,
  planBind,
  planPrune,
  planSecret,
  planUnbind,
} from "./reconcile.js";

export interface ExecuteOptions {
  readonly dryRun: DryRun;
  readonly adopt?: boolean;
  /** Whose Secrets count as owned and which labels new ones get (default `apply`). */
  readonly writer?: SecretWriter;
  /** Namespaces worked on at once (default 16). */
  readonly concurrency?: number;
  /** Tries per write when it conflicts (default 5). */
  readonly conflictAttempts?: number;
  /** Tries per write when the connection fails or the server is overloaded (default 3). */
  readonly transientAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onNamespaceDone?: (done: number, total: number) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Shared {
  serverDown: KubeUnreachableError | undefined;
}

function noteResult(action: NoteAction): ApplyItemResult {
  const status =
    action.type === "unchanged"
      ? "unchanged"
      : action.type === "warn"
        ? "warning"
        : action.type === "refuse"
          ? "refused"
          : "failed";
  return {
    namespace: action.namespace,
    object: action.object,
    action: action.type,
    status,
    message: action.message,
    ...("hint" in action && action.hint ? { hint: action.hint } : {}),
  };
}

function dryRunSuffix(dryRun: DryRun): string {
  return dryRun === "client" ? " (dry run)" : dryRun === "server" ? " (server dry run)" : "";
}

/** What a write did, in kubectl's words (never a value). */
export function describeWrite(action: WriteAction): string {
  switch (action.type) {
    case "create-secret":
      return "created";
    case "update-secret":
      if (action.adopt) {
        const from = action.previousManager ? ` from ${action.previousManager}` : "";
        return action.dataChanged
          ? `adopted${from} (labelled as pullwarden's, data replaced)`
          : `adopted${from} (labelled as pullwarden's)`;
      }
      return "configured (data updated)";
    case "bind":
      return `patched (imagePullSecrets + ${action.secretName})`;
    case "unbind":
      return `patched (imagePullSecrets - ${action.secretName}, pruned)`;
    case "delete-secret":
      return "deleted (pruned: no longer wanted)";
    case "restart-pod":
      return `deleted: stuck in ${action.reason}; ${action.controller} recreates it with ${action.secretName}`;
  }
}

function secretBody(
  wanted: { namespace: string; name: string; payload: string },
  writer: SecretWriter | undefined,
): SecretObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: wanted.name,
      namespace: wanted.namespace,
      labels: ownerLabels(writer),
    },
    type: DOCKER_CONFIG_JSON_TYPE,
    data: { [DOCKER_CONFIG_JSON_KEY]: encodePayload(wanted.payload) },
  };
}

function isGuardFailure(error: unknown): boolean {
  // A JSON patch whose `test` no longer holds: 422 with the generic "rejected our request" Status.
  return error instanceof KubeApiError && error.status === 422;
}

function namespaceGone(error: unknown): boolean {
  return (
    error instanceof KubeNamespaceTerminatingError ||
    (error instanceof KubeApiError && error.isNamespaceNotFound)
  );
}

export async function executeActions(
  client: KubeClient,
  actions: readonly Action[],
  options: ExecuteOptions,
): Promise<ApplyItemResult[]> {
  const groups = new Map<string, Action[]>();
  for (const action of actions)
    groups.set(action.namespace, [...(groups.get(action.namespace) ?? []), action]);
  const namespaces = [...groups.keys()];
  const resultsByNamespace = new Map<string, ApplyItemResult[]>();
  const shared: Shared = { serverDown: undefined };
  let done = 0;
  await mapWithConcurrency(namespaces, options.concurrency ?? 16, async (namespace) => {
    resultsByNamespace.set(
      namespace,
      await executeNamespace(client, groups.get(namespace) ?? [], options, shared),
    );
    options.onNamespaceDone?.(++done, namespaces.length);
  });
  return namespaces.flatMap((ns) => resultsByNamespace.get(ns) ?? []);
}

async function executeNamespace(
  client: KubeClient,
  actions: readonly Action[],
  options: ExecuteOptions,
  shared: Shared,
): Promise<ApplyItemResult[]> {
  const results: ApplyItemResult[] = [];
  /** Secrets not written here, and whether because they were refused or because the write failed. */
  const failedSecrets = new Map<string, "refused" | "skipped">();
  const failedAccounts = new Set<string>();
  let gone: string | undefined;
  const skip = (
    action: Action,
    message: string,
    status: ApplyItemResult["status"] = "skipped",
  ): ApplyItemResult => ({
    namespace: action.namespace,
    object: action.object,
    action: action.type,
    status,
    message,
  });
  for (const action of actions) {
    if (!isWriteAction(action)) {
      results.push(noteResult(action));
      continue;
    }
    if (gone !== undefined) {
      results.push(skip(action, `not attempted: ${gone}`));
      continue;
    }
    if (shared.serverDown) {
      results.push(skip(action, "not attempted: the API server stopped answering"));
      continue;
    }
    const secretProblem =
      action.type === "bind" || action.type === "restart-pod"
        ? failedSecrets.get(action.secretName)
        : undefined;
    if ((action.type === "bind" || action.type === "restart-pod") && secretProblem) {
      results.push(
        skip(
          action,
          secretProblem === "refused"
            ? `not attempted: secret/${action.secretName} was refused`
            : `not attempted: secret/${action.secretName} could not be written`,
          secretProblem,
        ),
      );
      continue;
    }
    if (action.type === "restart-pod" && failedAccounts.has(action.serviceAccount)) {
      results.push(
        skip(action, `not attempted: serviceaccount/${action.serviceAccount} could not be patched`),
      );
      continue;
    }
    const result = await executeWrite(client, action, options, shared);
    results.push(result.item);
    if (result.item.status === "failed" || result.item.status === "refused") {
      if (action.type === "create-secret" || action.type === "update-secret") {
        failedSecrets.set(action.name, result.item.status === "refused" ? "refused" : "skipped");
      }
      if (action.type === "bind") failedAccounts.add(action.serviceAccount);
    }
    if (result.namespaceGone) gone = `namespace ${action.namespace} ${result.namespaceGone}`;
  }
  return results;
}

interface WriteOutcome {
  readonly item: ApplyItemResult;
  /** Set when the namespace disappeared under us ("no longer exists" / "is being deleted"). */
  readonly namespaceGone?: string;
}

async function executeWrite(
  client: KubeClient,
  initial: WriteAction,
  options: ExecuteOptions,
  shared: Shared,
): Promise<WriteOutcome> {
  const sleep = options.sleep ?? defaultSleep;
  const conflictAttempts = options.conflictAttempts ?? 5;
  const transientAttempts = options.transientAttempts ?? 3;
  const suffix = dryRunSuffix(options.dryRun);
  const wanted: WantedSecret | undefined =
    initial.type === "create-secret" || initial.type === "update-secret"
      ? { namespace: initial.namespace, name: initial.name, payload: initial.payload }
      : undefined;
  const item = (
    action: Action,
    status: ApplyItemResult["status"],
    message: string,
    hint?: string,
  ): ApplyItemResult => ({
    namespace: action.namespace,
    object: action.object,
    action: action.type,
    status,
    message,
    ...(hint ? { hint } : {}),
  });

  let action: Action = initial;
  let conflicts = 0;
  let transients = 0;
  for (;;) {
    if (!isWriteAction(action)) return { item: noteResult(action) };
    if (options.dryRun === "client") return { item: item(action, "changed", describeWrite(action) + suffix) };
    try {
      await write(client, action, options.dryRun === "server", options.writer);
      return { item: item(action, "changed", describeWrite(action) + suffix) };
    } catch (error) {
      if (namespaceGone(error)) {
        const why = error instanceof KubeNamespaceTerminatingError ? "is being deleted" : "no longer exists";
        return {
          item: item(action, "failed", `not written: namespace ${action.namespace} ${why}`),
          namespaceGone: why,
        };
      }
      const conflict =
        (error instanceof KubeApiError && (error.status === 409 || error.isNotFound)) ||
        ((action.type === "bind" || action.type === "unbind") && isGuardFailure(error));
      if (conflict) {
        if (++conflicts >= conflictAttempts) {
          return {
            item: item(
              action,
              "failed",
              `gave up after ${conflicts} conflicting writes: something else keeps changing it (${(error as Error).message})`,
              "re-run when the other writer is done; pullwarden re-reads and converges",
            ),
          };
        }
        await sleep(defaultDelayMs(conflicts + 1));
        try {
          action = await replan(client, action, wanted, options);
        } catch (readError) {
          return {
            item: item(
              action,
              "failed",
              `cannot re-read it after a conflict: ${(readError as Error).message}`,
              hintOf(readError),
            ),
          };
        }
        continue;
      }
      if (isTransient(error) && ++transients < transientAttempts) {
        await sleep(100 * transients);
        continue;
      }
      if (error instanceof KubeUnreachableError) {
        if (shared.serverDown)
          return { item: item(action, "failed", "not written: the API server stopped answering") };
        // One request failing is not the server being down: ask it for its version before giving up on it.
        const down = await client.serverVersion().then(
          () => undefined,
          (probe: unknown) => (probe instanceof KubeUnreachableError ? probe : undefined),
        );
        if (down) {
          if (shared.serverDown)
            return { item: item(action, "failed", "not written: the API server stopped answering") };
          shared.serverDown = down;
        }
      }
      return { item: item(action, "failed", (error as Error).message, hintOf(error)) };
    }
  }
}

function hintOf(error: unknown): string | undefined {
  return (error as { hint?: string } | undefined)?.hint;
}

async function replan(
  client: KubeClient,
  action: WriteAction,
  wanted: WantedSecret | undefined,
  options: ExecuteOptions,
): Promise<Action> {
  switch (action.type) {
    case "create-secret":
    case "update-secret":
      return planSecret(
        wanted as WantedSecret,
        await client.getSecret(action.namespace, action.name),
        options,
      );
    case "bind": {
      const account = await client.getServiceAccount(action.namespace, action.serviceAccount);
      return planBind(
        { namespace: action.namespace, serviceAccount: action.serviceAccount, secretName: action.secretName },
        account,
      );
    }
    case "unbind": {
      const account = await client.getServiceAccount(action.namespace, action.serviceAccount);
      const next = account ? planUnbind(account, action.secretName) : undefined;
      return (
        next ?? {
          namespace: action.namespace,
          object: action.object,
          type: "unchanged",
          message: `no longer lists ${action.secretName}`,
        }
      );
    }
    case "delete-secret": {
      const secret = await client.getSecret(action.namespace, action.name);
      if (!secret)
        return {
          namespace: action.namespace,
          object: action.object,
          type: "unchanged",
          message: "already gone",
        };
      if (!isOwned(secret, options.writer)) {
        return {
          namespace: action.namespace,
          object: action.object,
          type: "unchanged",
          message: "no longer managed by pullwarden: kept",
        };
      }
      return planPrune(secret, options.writer);
    }
    case "restart-pod":
      // The Pod was replaced or is gone: its controller has done the work.
      return {
        namespace: action.namespace,
        object: action.object,
        type: "unchanged",
        message: "already replaced",
      };
  }
}

async function write(
  client: KubeClient,
  action: WriteAction,
  dryRun: boolean,
  writer: SecretWriter | undefined,
): Promise<void> {
  const opts = { dryRun };
  switch (action.type) {
    case "create-secret":
      await client.createSecret(action.namespace, secretBody(action, writer), opts);
      return;
    case "update-secret": {
      const metadata: Record<string, unknown> = { resourceVersion: action.resourceVersion };
      if (action.adopt) metadata["labels"] = ownerLabels(writer);
      const patch: Record<string, unknown> = { metadata };
      if (action.dataChanged) patch["data"] = { [DOCKER_CONFIG_JSON_KEY]: encodePayload(action.payload) };
      await client.mergePatchSecret(action.namespace, action.name, patch, opts);
      return;
    }
    case "bind":
    case "unbind":
      await client.jsonPatchServiceAccount(action.namespace, action.serviceAccount, action.operations, opts);
      return;
    case "delete-secret":
      await client.deleteSecret(
        action.namespace,
        action.name,
        {
          ...(action.uid ? { uid: action.uid } : {}),
          ...(action.resourceVersion ? { resourceVersion: action.resourceVersion } : {}),
        },
        opts,
      );
      return;
    case "restart-pod":
      await client.deletePod(action.namespace, action.pod, action.uid ? { uid: action.uid } : {}, opts);
      return;
  }
}
