/**
 * The Kubernetes client of pullwarden: typed helpers over @kubernetes/client-node for the kinds we use,
 * returning plain JSON objects (kube-model/objects.ts) and throwing kube/errors.ts errors with kubectl-like messages.
 * It counts the requests it makes, so commands can report them.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import {
  ApiException,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  PatchStrategy,
  RbacAuthorizationV1Api,
  ServerConfiguration,
  VersionApi,
  createConfiguration,
  setHeaderOptions,
} from "@kubernetes/client-node";
import type { Configuration, HttpInfo, KubeConfig, RequestContext } from "@kubernetes/client-node";
import { redactText } from "../registry/index.js";
import {
  KubeApiError,
  KubeError,
  KubeForbiddenError,
  KubeNamespaceTerminatingError,
  KubeTimeoutError,
  KubeUnreachableError,
  describeRequest,
  displayServer,
} from "./errors.js";
import type { KubeRequestInfo, KubeStatus } from "./errors.js";
import { KubeRequestTimeout, boundedHttpLibrary } from "./http.js";
import type { KubeTimeouts } from "./http.js";
import { loadKubeConfig } from "./kubeconfig.js";
import type { KubeConnectionOptions, KubeTarget, LoadedKubeConfig } from "./kubeconfig.js";
import { KIND_INFO } from "../kube-model/index.js";
import type {
  ClusterObjectKind,
  JsonPatchOperation,
  KubeObject,
  NamespaceObject,
  SecretObject,
  ServiceAccountObject,
  WorkloadKind,
  WorkloadObject,
} from "../kube-model/index.js";

export interface ListOptions {
  /** Omit for every namespace (one cluster-wide list). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Page size, as kubectl's --chunk-size (default 500). */
  readonly limit?: number;
}

export interface WriteOptions {
  /** Send with `dryRun=All`: the server validates and admits but persists nothing. */
  readonly dryRun?: boolean;
}

export interface DeletePreconditions {
  readonly uid?: string;
  readonly resourceVersion?: string;
}

/** Requests made through one client, by kind of verb. */
export interface RequestCounts {
  reads: number;
  writes: number;
}

type ListableKind = ClusterObjectKind | WorkloadKind;

/** A list response as the API server sends it. */
interface WireList {
  readonly items?: readonly Record<string, unknown>[];
  readonly metadata?: { readonly continue?: string };
}

const SYSTEM_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
]);

function describeTransport(code: string | undefined, message: string): string {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
      return "the connection was closed by the server (ECONNRESET)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the host name does not resolve (${code})`;
    case "ETIMEDOUT":
      return "the connection timed out";
    default: {
      const reason = /reason: (.*)$/.exec(message)?.[1] ?? message;
      return code ? `${reason} (${code})` : reason;
    }
  }
}

function isTlsCode(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (code.includes("CERT") ||
      code.startsWith("ERR_TLS") ||
      code.startsWith("ERR_SSL") ||
      code.includes("SIGNATURE"))
  );
}

function parseStatus(body: unknown): KubeStatus | undefined {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object" || value === null) return undefined;
  const status = value as Partial<KubeStatus> & { kind?: string };
  if (status.kind !== "Status") return undefined;
  return {
    code: typeof status.code === "number" ? status.code : 0,
    reason: typeof status.reason === "string" ? status.reason : "",
    message: typeof status.message === "string" ? status.message : "",
    ...(status.details ? { details: status.details } : {}),
  };
}

/** `... User "alice" cannot ...` → alice (the server's name for the caller, which may differ from kubeconfig's). */
function userFromForbidden(message: string): string | undefined {
  return /\bUser "([^"]*)" cannot\b/.exec(message)?.[1];
}

const MAX_OUTSIDE_TEXT = 300;

/**
 * Text pullwarden did not write (a kubeconfig exec credential plugin's stderr, which client-node makes the error
 * message; a library's message) as messages may show it: credentials in the shapes they travel in redacted, one
 * line, at most MAX_OUTSIDE_TEXT characters.
 */
function outsideText(message: string): string {
  const line = redactText(message).replace(/\s+/g, " ").trim();
  return line.length > MAX_OUTSIDE_TEXT ? `${line.slice(0, MAX_OUTSIDE_TEXT)}…` : line;
}

/** Maps any failure of a client-node call to a pullwarden error. */
export function toKubeError(error: unknown, request: KubeRequestInfo, target: KubeTarget): Error {
  if (error instanceof KubeError) return error;
  if (error instanceof KubeRequestTimeout) return new KubeTimeoutError(target.server, request, error, error);
  if (error instanceof ApiException) {
    const status = parseStatus(error.body);
    const code = error.code;
    const serverMessage = status?.message || `HTTP ${code}`;
    if (code === 403) {
      if (
        status?.details?.causes?.some(
          (c) => c.type === "NamespaceTerminating" || c.reason === "NamespaceTerminating",
        )
      ) {
        return new KubeNamespaceTerminatingError(request, status);
      }
      const user = userFromForbidden(serverMessage);
      if (user !== undefined) return new KubeForbiddenError(request, user, status);
      // Forbidden for another reason (admission): the server's message says why.
      return new KubeApiError(
        "E_KUBE_FORBIDDEN",
        serverMessage,
        403,
        status?.reason ?? "Forbidden",
        request,
        status,
      );
    }
    if (code === 401) {
      return new KubeApiError(
        "E_KUBE_UNAUTHORIZED",
        `the API server at ${displayServer(target.server)} rejected the credentials of user "${target.user}" (401 Unauthorized)`,
        401,
        "Unauthorized",
        request,
        status,
        {
          hint: "log in again or refresh the token of this kubeconfig user (kubectl get --raw /version shows the same)",
        },
      );
    }
    const reason = status?.reason || `HTTP${code}`;
    return new KubeApiError(`E_KUBE_${reason.toUpperCase()}`, serverMessage, code, reason, request, status);
  }
  const errno = (error as { code?: unknown } | undefined)?.code;
  const code = typeof errno === "string" ? errno : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (isTlsCode(code)) {
    return new KubeUnreachableError(
      target.server,
      code,
      `TLS verification failed: ${describeTransport(code, message)}`,
      {
        cause: error,
        hint: "check the cluster's certificate-authority in the kubeconfig (kubectl config view --minify)",
      },
    );
  }
  if (
    (code !== undefined && SYSTEM_ERROR_CODES.has(code)) ||
    (error as { type?: unknown })?.type === "system"
  ) {
    return new KubeUnreachableError(target.server, code, describeTransport(code, message), { cause: error });
  }
  return new KubeError("E_KUBE_REQUEST", `${describeRequest(request)} failed: ${outsideText(message)}`, {
    cause: error,
  });
}

/**
 * The body of a response as the API server sent it (what `kubectl get -o json` prints), from client-node's
 * public `...WithHttpInfo` calls: fields client-node's models do not know are kept, timestamps stay as written.
 * (client-node's own models are class instances with Date fields; turning them back into JSON needs its
 * serializer, which it does not export.)
 */
export async function wireJson(response: HttpInfo<unknown>): Promise<Record<string, unknown>> {
  return JSON.parse(await response.body.text()) as Record<string, unknown>;
}

/** An object of a response, with `apiVersion` and `kind` set (list items come without them). */
function asObject<T extends KubeObject>(json: Record<string, unknown>, apiVersion: string, kind: string): T {
  return { ...json, apiVersion, kind, metadata: json["metadata"] ?? {} } as unknown as T;
}

/**
 * client-node's configuration for a kubeconfig (as `makeApiClient` builds it), plus one thing: client-node makes
 * a new TLS agent for every request, so every request pays a TLS handshake. A middleware swaps in one keep-alive
 * agent per distinct TLS setup (CA, client certificate, server name), which makes a 500-namespace apply several
 * times faster. Proxy agents are left as they are. Idle sockets do not keep the process alive. Requests go
 * through the bounded HTTP library (http.ts): none can wait forever.
 */
function keepAliveConfiguration(
  kubeConfig: KubeConfig,
  server: string,
  timeouts: KubeTimeouts,
): Configuration {
  const agents = new Map<string, HttpAgent>();
  const shared = (agent: unknown): unknown => {
    if (!(agent instanceof HttpsAgent) && !(agent instanceof HttpAgent)) return agent;
    if (agent.constructor !== HttpsAgent && agent.constructor !== HttpAgent) return agent;
    const options = (agent as unknown as { options: Record<string, unknown> }).options ?? {};
    const tls = ["ca", "cert", "key", "pfx", "passphrase", "rejectUnauthorized", "servername"].map(
      (k) => options[k],
    );
    const key = `${agent instanceof HttpsAgent ? "https" : "http"}:${JSON.stringify(tls, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString("base64") : v))}`;
    let reused = agents.get(key);
    if (!reused) {
      const keepAlive = { ...options, keepAlive: true, maxSockets: 32 };
      reused = agent instanceof HttpsAgent ? new HttpsAgent(keepAlive) : new HttpAgent(keepAlive);
      agents.set(key, reused);
    }
    return reused;
  };
  return createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    httpApi: boundedHttpLibrary(timeouts),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [
      {
        pre: async (context: RequestContext) => {
          context.setAgent(shared(context.getAgent()) as never);
          return context;
        },
        post: async (response) => response,
      },
    ],
  });
}

export class KubeClient {
  readonly target: KubeTarget;
  readonly requests: RequestCounts = { reads: 0, writes: 0 };
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly batch: BatchV1Api;
  private readonly rbac: RbacAuthorizationV1Api;
  private readonly versionApi: VersionApi;
  /** For subclasses that need more API groups over the same connections (controller-client.ts). */
  protected readonly configuration: Configuration;

  /** `timeouts` bound every request (DEFAULT_KUBE_TIMEOUTS for those not given). */
  constructor(loaded: LoadedKubeConfig, timeouts: KubeTimeouts = {}) {
    this.target = loaded.target;
    const configuration = keepAliveConfiguration(loaded.kubeConfig, loaded.target.server, timeouts);
    this.configuration = configuration;
    this.core = new CoreV1Api(configuration);
    this.apps = new AppsV1Api(configuration);
    this.batch = new BatchV1Api(configuration);
    this.rbac = new RbacAuthorizationV1Api(configuration);
    this.versionApi = new VersionApi(configuration);
  }

  /** Loads the kubeconfig (kubectl's rules) and makes a client for its context, bounded by `options.timeouts`. */
  static connect(options: KubeConnectionOptions = {}): KubeClient {
    return new KubeClient(loadKubeConfig(options), options.timeouts);
  }

  protected async call<T>(request: KubeRequestInfo, fn: () => Promise<T>): Promise<T> {
    if (["get", "list", "watch"].includes(request.verb)) this.requests.reads++;
    else this.requests.writes++;
    try {
      return await fn();
    } catch (error) {
      throw toKubeError(error, request, this.target);
    }
  }

  /** GET /version: the cheapest way to ask whether the API server answers. */
  async serverVersion(): Promise<string> {
    const info = await this.call({ verb: "get", resource: "version" }, () => this.versionApi.getCode());
    return info.gitVersion;
  }

  /** Lists every object of a kind (all pages), in one namespace or, without `namespace`, cluster-wide. */
  async list<T extends KubeObject = KubeObject>(kind: ListableKind, options: ListOptions = {}): Promise<T[]> {
    const info = KIND_INFO[kind];
    const namespace = info.namespaced ? options.namespace : undefined;
    const out: T[] = [];
    let continueToken: string | undefined;
    do {
      const query = {
        ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
        ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}),
        limit: options.limit ?? 500,
        ...(continueToken ? { _continue: continueToken } : {}),
      };
      const page = (await this.call(
        { verb: "list", resource: info.resource, ...(namespace ? { namespace } : {}) },
        async () => wireJson(await this.listPage(kind, namespace, query)),
      )) as WireList;
      for (const item of page.items ?? []) out.push(asObject<T>(item, info.apiVersion, kind));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return out;
  }

  private listPage(
    kind: ListableKind,
    namespace: string | undefined,
    q: Record<string, unknown>,
  ): Promise<HttpInfo<unknown>> {
    const ns = namespace;
    switch (kind) {
      case "Namespace":
        return this.core.listNamespaceWithHttpInfo(q);
      case "Node":
        return this.core.listNodeWithHttpInfo(q);
      case "Pod":
        return ns
          ? this.core.listNamespacedPodWithHttpInfo({ namespace: ns, ...q })
          : this.core.listPodForAllNamespacesWithHttpInfo(q);
      case "ServiceAccount":
        return ns
          ? this.core.listNamespacedServiceAccountWithHttpInfo({ namespace: ns, ...q })
          : this.core.listServiceAccountForAllNamespacesWithHttpInfo(q);
      case "Secret":
        return ns
          ? this.core.listNamespacedSecretWithHttpInfo({ namespace: ns, ...q })
          : this.core.listSecretForAllNamespacesWithHttpInfo(q);
      case "Event":
        return ns
          ? this.core.listNamespacedEventWithHttpInfo({ namespace: ns, ...q })
          : this.core.listEventForAllNamespacesWithHttpInfo(q);
      case "ConfigMap":
        return ns
          ? this.core.listNamespacedConfigMapWithHttpInfo({ namespace: ns, ...q })
          : this.core.listConfigMapForAllNamespacesWithHttpInfo(q);
      case "ReplicationController":
        return ns
          ? this.core.listNamespacedReplicationControllerWithHttpInfo({ namespace: ns, ...q })
          : this.core.listReplicationControllerForAllNamespacesWithHttpInfo(q);
      case "Role":
        return ns
          ? this.rbac.listNamespacedRoleWithHttpInfo({ namespace: ns, ...q })
          : this.rbac.listRoleForAllNamespacesWithHttpInfo(q);
      case "RoleBinding":
        return ns
          ? this.rbac.listNamespacedRoleBindingWithHttpInfo({ namespace: ns, ...q })
          : this.rbac.listRoleBindingForAllNamespacesWithHttpInfo(q);
      case "ClusterRole":
        return this.rbac.listClusterRoleWithHttpInfo(q);
      case "ClusterRoleBinding":
        return this.rbac.listClusterRoleBindingWithHttpInfo(q);
      case "ReplicaSet":
        return ns
          ? this.apps.listNamespacedReplicaSetWithHttpInfo({ namespace: ns, ...q })
          : this.apps.listReplicaSetForAllNamespacesWithHttpInfo(q);
      case "StatefulSet":
        return ns
          ? this.apps.listNamespacedStatefulSetWithHttpInfo({ namespace: ns, ...q })
          : this.apps.listStatefulSetForAllNamespacesWithHttpInfo(q);
      case "DaemonSet":
        return ns
          ? this.apps.listNamespacedDaemonSetWithHttpInfo({ namespace: ns, ...q })
          : this.apps.listDaemonSetForAllNamespacesWithHttpInfo(q);
      case "Job":
        return ns
          ? this.batch.listNamespacedJobWithHttpInfo({ namespace: ns, ...q })
          : this.batch.listJobForAllNamespacesWithHttpInfo(q);
    }
  }

  /** Reads one object; undefined when it does not exist (404). */
  private async read<T extends KubeObject>(
    kind: ListableKind,
    namespace: string | undefined,
    name: string,
    fn: () => Promise<HttpInfo<unknown>>,
  ): Promise<T | undefined> {
    const info = KIND_INFO[kind];
    try {
      const object = await this.call(
        { verb: "get", resource: info.resource, ...(namespace ? { namespace } : {}), name },
        async () => wireJson(await fn()),
      );
      return asObject<T>(object, info.apiVersion, kind);
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404 && !error.isNamespaceNotFound)
        return undefined;
      throw error;
    }
  }

  getNamespace(name: string): Promise<NamespaceObject | undefined> {
    return this.read("Namespace", undefined, name, () => this.core.readNamespaceWithHttpInfo({ name }));
  }

  getSecret(namespace: string, name: string): Promise<SecretObject | undefined> {
    return this.read("Secret", namespace, name, () =>
      this.core.readNamespacedSecretWithHttpInfo({ namespace, name }),
    );
  }

  getServiceAccount(namespace: string, name: string): Promise<ServiceAccountObject | undefined> {
    return this.read("ServiceAccount", namespace, name, () =>
      this.core.readNamespacedServiceAccountWithHttpInfo({ namespace, name }),
    );
  }

  /** The controller of a Pod (for its Pod template); undefined when it no longer exists. */
  getWorkload(kind: WorkloadKind, namespace: string, name: string): Promise<WorkloadObject | undefined> {
    const args = { namespace, name };
    const fn = (): Promise<HttpInfo<unknown>> => {
      switch (kind) {
        case "ReplicaSet":
          return this.apps.readNamespacedReplicaSetWithHttpInfo(args);
        case "StatefulSet":
          return this.apps.readNamespacedStatefulSetWithHttpInfo(args);
        case "DaemonSet":
          return this.apps.readNamespacedDaemonSetWithHttpInfo(args);
        case "Job":
          return this.batch.readNamespacedJobWithHttpInfo(args);
        case "ReplicationController":
          return this.core.readNamespacedReplicationControllerWithHttpInfo(args);
      }
    };
    return this.read(kind, namespace, name, fn);
  }

  async createSecret(
    namespace: string,
    secret: SecretObject,
    options: WriteOptions = {},
  ): Promise<SecretObject> {
    const created = await this.call(
      {
        verb: "create",
        resource: "secrets",
        namespace,
        ...(secret.metadata.name ? { name: secret.metadata.name } : {}),
      },
      async () =>
        wireJson(
          await this.core.createNamespacedSecretWithHttpInfo({
            namespace,
            body: secret as never,
            ...(options.dryRun ? { dryRun: "All" } : {}),
          }),
        ),
    );
    return asObject<SecretObject>(created, "v1", "Secret");
  }

  /** A JSON merge patch (RFC 7386); put `metadata.resourceVersion` in it to make it conditional (409 if stale). */
  async mergePatchSecret(
    namespace: string,
    name: string,
    patch: Record<string, unknown>,
    options: WriteOptions = {},
  ): Promise<SecretObject> {
    const patched = await this.call({ verb: "patch", resource: "secrets", namespace, name }, async () =>
      wireJson(
        await this.core.patchNamespacedSecretWithHttpInfo(
          { namespace, name, body: patch, ...(options.dryRun ? { dryRun: "All" } : {}) },
          setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
        ),
      ),
    );
    return asObject<SecretObject>(patched, "v1", "Secret");
  }

  async deleteSecret(
    namespace: string,
    name: string,
    preconditions: DeletePreconditions = {},
    options: WriteOptions = {},
  ): Promise<void> {
    await this.call({ verb: "delete", resource: "secrets", namespace, name }, () =>
      this.core.deleteNamespacedSecret({
        namespace,
        name,
        ...(options.dryRun ? { dryRun: "All" } : {}),
        body: { preconditions, ...(options.dryRun ? { dryRun: ["All"] } : {}) },
      }),
    );
  }

  /**
   * A JSON patch (RFC 6902). ServiceAccount `imagePullSecrets` is an atomic list for strategic merge patch
   * (a patch replaces it), so appending safely means a JSON patch whose `test` ops guard what was read: if the
   * list changed meanwhile, the server answers 422 and the caller re-reads.
   */
  async jsonPatchServiceAccount(
    namespace: string,
    name: string,
    operations: readonly JsonPatchOperation[],
    options: WriteOptions = {},
  ): Promise<ServiceAccountObject> {
    const patched = await this.call(
      { verb: "patch", resource: "serviceaccounts", namespace, name },
      async () =>
        wireJson(
          await this.core.patchNamespacedServiceAccountWithHttpInfo(
            { namespace, name, body: operations, ...(options.dryRun ? { dryRun: "All" } : {}) },
            setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
          ),
        ),
    );
    return asObject<ServiceAccountObject>(patched, "v1", "ServiceAccount");
  }

  async deletePod(
    namespace: string,
    name: string,
    preconditions: DeletePreconditions = {},
    options: WriteOptions = {},
  ): Promise<void> {
    await this.call({ verb: "delete", resource: "pods", namespace, name }, () =>
      this.core.deleteNamespacedPod({
        namespace,
        name,
        ...(options.dryRun ? { dryRun: "All" } : {}),
        body: { preconditions, ...(options.dryRun ? { dryRun: ["All"] } : {}) },
      }),
    );
  }
}
