/**
 * Errors of the Kubernetes layer. All are environment errors (exit 4, docs/exit-codes.md): the cluster, the
 * kubeconfig or the network is not as needed. Messages are one line and say what to run next; they never
 * contain a Secret's data (the API server's own Status messages do not carry object contents).
 */
import { formatDuration } from "../duration.js";
import { EnvironmentError } from "../errors.js";
import type { PullwardenErrorOptions } from "../errors.js";

/** What pullwarden was doing when the API server answered: the parts of `kubectl auth can-i` and messages. */
export interface KubeRequestInfo {
  /** get, list, create, patch, update, delete. */
  readonly verb: string;
  /** Plural resource with its group for named groups, as kubectl spells it: `secrets`, `replicasets.apps`. */
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** The `Status` body of a failed API request (fields we use). */
export interface KubeStatus {
  readonly code: number;
  readonly reason: string;
  readonly message: string;
  readonly details?: {
    readonly name?: string;
    readonly kind?: string;
    readonly group?: string;
    readonly causes?: readonly {
      readonly type?: string;
      readonly reason?: string;
      readonly message?: string;
    }[];
  };
}

/** Base class: something about the cluster connection or an API request failed. */
export class KubeError extends EnvironmentError {}

/** The kubeconfig is missing, unreadable, malformed, or has no usable context. */
export class KubeConfigError extends KubeError {
  constructor(message: string, options: PullwardenErrorOptions = {}) {
    super("E_KUBECONFIG", message, options);
  }
}

/** A kubeconfig's server URL as messages show it: as written, without user-info (the one place a credential fits). */
export function displayServer(server: string): string {
  return server.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1");
}

/** The API server cannot be reached (connection refused or reset, DNS, TLS, timeout). */
export class KubeUnreachableError extends KubeError {
  readonly server: string;
  /** The system error code (ECONNREFUSED, ECONNRESET, ...), when known. */
  readonly reasonCode: string | undefined;

  constructor(
    server: string,
    reasonCode: string | undefined,
    detail: string,
    // `code` and `message` let a subclass (KubeTimeoutError) say it its own way.
    options: PullwardenErrorOptions & { code?: string; message?: string } = {},
  ) {
    super(
      options.code ?? "E_KUBE_UNREACHABLE",
      options.message ?? `cannot reach the Kubernetes API server at ${displayServer(server)}: ${detail}`,
      {
        hint: options.hint ?? "check the cluster is up and reachable: kubectl cluster-info",
        cause: options.cause,
      },
    );
    this.server = server;
    this.reasonCode = reasonCode;
  }
}

/**
 * Where a request was when a bound fired: opening the TCP connection, the TLS handshake, waiting for the
 * response's headers, or reading its body.
 */
export type KubeRequestPhase = "connect" | "tls-handshake" | "response" | "body";

/**
 * Which bound fired: the whole request (`--request-timeout`), the TCP connect or TLS handshake bound, or the
 * idle bound on a response body (no byte for that long).
 */
export type KubeTimeoutBound = "request" | "connect" | "tls-handshake" | "idle";

export interface KubeTimeoutDetail {
  readonly phase: KubeRequestPhase;
  readonly bound: KubeTimeoutBound;
  readonly limitMs: number;
  /** Body bytes received before the bound fired. */
  readonly bytes: number;
}

/** `list pods in team-a`, `create secrets ghcr-pull in team-b`: what was asked, for messages. */
export function describeRequest(request: KubeRequestInfo): string {
  return `${request.verb} ${request.resource}${request.name ? ` ${request.name}` : ""}${request.namespace ? ` in ${request.namespace}` : ""}`;
}

const CHECK_ADDRESS =
  "check the cluster's server address and port in the kubeconfig (kubectl config view --minify) and that it is up (kubectl cluster-info)";
const CHECK_HEALTH =
  "the API server or a proxy in front of it is stuck: check its health with kubectl get --raw='/readyz?verbose'";
const MORE_TIME = "if it is only slow, allow more time with --request-timeout (e.g. 2m; 0: no limit)";

/**
 * The API server (or whatever listens at its address) accepted the connection but did not answer within a
 * bound: nothing came back, the TLS handshake never finished, or the response stopped coming. Never retried as
 * it is: each try would wait as long again.
 */
export class KubeTimeoutError extends KubeUnreachableError {
  readonly phase: KubeRequestPhase;
  readonly bound: KubeTimeoutBound;
  readonly limitMs: number;

  constructor(server: string, request: KubeRequestInfo, detail: KubeTimeoutDetail, cause?: unknown) {
    const where = displayServer(server);
    const within = formatDuration(detail.limitMs);
    const what = describeRequest(request);
    const stalled = `${what}: the response stopped after ${detail.bytes.toLocaleString("en")} byte${detail.bytes === 1 ? "" : "s"}`;
    const connecting = detail.phase === "connect" || detail.phase === "tls-handshake";
    const message =
      detail.bound === "idle"
        ? `the Kubernetes API server ${where} sent nothing for ${within} in the middle of a response (${stalled})`
        : `the Kubernetes API server ${where} did not answer within ${within} (${
            detail.phase === "connect"
              ? "no TCP connection"
              : detail.phase === "tls-handshake"
                ? "the TLS handshake did not finish"
                : detail.phase === "response"
                  ? `${what}: no response`
                  : stalled
          })`;
    const hint = connecting
      ? detail.bound === "request"
        ? `${CHECK_ADDRESS}; ${MORE_TIME}`
        : CHECK_ADDRESS
      : detail.bound === "request"
        ? `${CHECK_HEALTH}; ${MORE_TIME}`
        : CHECK_HEALTH;
    super(server, "ETIMEDOUT", message, { code: "E_KUBE_TIMEOUT", message, hint, cause });
    this.phase = detail.phase;
    this.bound = detail.bound;
    this.limitMs = detail.limitMs;
  }
}

/** The API server answered with an error `Status`. */
export class KubeApiError extends KubeError {
  readonly status: number;
  /** The Status reason: NotFound, AlreadyExists, Conflict, Invalid, Forbidden, ... */
  readonly reason: string;
  readonly request: KubeRequestInfo;
  readonly statusBody: KubeStatus | undefined;

  constructor(
    code: string,
    message: string,
    status: number,
    reason: string,
    request: KubeRequestInfo,
    statusBody: KubeStatus | undefined,
    options: PullwardenErrorOptions = {},
  ) {
    super(code, message, options);
    this.status = status;
    this.reason = reason;
    this.request = request;
    this.statusBody = statusBody;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** 409 with reason Conflict: the object changed since it was read (optimistic concurrency). */
  get isConflict(): boolean {
    return this.status === 409 && this.reason !== "AlreadyExists";
  }

  get isAlreadyExists(): boolean {
    return this.status === 409 && this.reason === "AlreadyExists";
  }

  /** 404 `namespaces "x" not found`: the namespace itself is gone. */
  get isNamespaceNotFound(): boolean {
    return this.status === 404 && this.statusBody?.details?.kind === "namespaces";
  }
}

/** 403 from RBAC: the user may not do this. `kubectl auth can-i` is the next command to run. */
export class KubeForbiddenError extends KubeApiError {
  readonly user: string;

  constructor(
    request: KubeRequestInfo,
    user: string,
    statusBody: KubeStatus | undefined,
    extraHint?: string,
  ) {
    const where = request.namespace ? `in ${request.namespace}` : "at cluster scope";
    const canI = `kubectl auth can-i ${request.verb} ${request.resource}${request.namespace ? ` -n ${request.namespace}` : ""}`;
    super(
      "E_KUBE_FORBIDDEN",
      `cannot ${request.verb} ${request.resource} ${where} as ${user}; check with: ${canI}${extraHint ?? ""}`,
      403,
      "Forbidden",
      request,
      statusBody,
      {
        hint: "ask a cluster admin for a Role that allows it, or use a context with more rights (--context)",
      },
    );
    this.user = user;
  }
}

/** 403 from NamespaceLifecycle: the namespace is being deleted, nothing new can be created in it. */
export class KubeNamespaceTerminatingError extends KubeApiError {
  constructor(request: KubeRequestInfo, statusBody: KubeStatus | undefined) {
    super(
      "E_KUBE_NAMESPACE_TERMINATING",
      `namespace ${request.namespace ?? "?"} is being deleted: nothing new can be created in it`,
      403,
      "Forbidden",
      request,
      statusBody,
    );
  }
}

/** Statuses worth retrying as they are (the server is overloaded or restarting). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}
