/**
 * Errors of the Kubernetes layer. All are environment errors (exit 4, docs/exit-codes.md): the cluster, the
 * kubeconfig or the network is not as needed. Messages are one line and say what to run next; they never
 * contain a Secret's data (the API server's own Status messages do not carry object contents).
 */
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

/** The API server cannot be reached (connection refused or reset, DNS, TLS, timeout). */
export class KubeUnreachableError extends KubeError {
  readonly server: string;
  /** The system error code (ECONNREFUSED, ECONNRESET, ...), when known. */
  readonly reasonCode: string | undefined;

  constructor(
    server: string,
    reasonCode: string | undefined,
    detail: string,
    options: PullwardenErrorOptions = {},
  ) {
    super("E_KUBE_UNREACHABLE", `cannot reach the Kubernetes API server at ${server}: ${detail}`, {
      hint: options.hint ?? "check the cluster is up and reachable: kubectl cluster-info",
      cause: options.cause,
    });
    this.server = server;
    this.reasonCode = reasonCode;
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
