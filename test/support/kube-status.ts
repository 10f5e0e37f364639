// An error answer in the shape kube-apiserver sends (a `Status` object, k8s.io/apimachinery/pkg/api/errors),
// for the fault-injecting proxy (kube-proxy.ts) to answer a request with instead of the real server.

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string },
  ) {
    super(message);
  }

  /** The `Status` body, fields in the order the real server writes them. */
  status(): Record<string, unknown> {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/**
 * The 409 of a write that lost an optimistic-concurrency race (errors.NewConflict with the registry's
 * OptimisticLockErrorMsg). `resource` as the server names it: `secrets`, `leases.coordination.k8s.io`.
 */
export function conflict(resource: string, name: string): StatusError {
  const dot = resource.indexOf(".");
  return new StatusError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    dot < 0
      ? { name, kind: resource }
      : { name, group: resource.slice(dot + 1), kind: resource.slice(0, dot) },
  );
}
