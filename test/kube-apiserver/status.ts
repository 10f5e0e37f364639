// `Status` bodies exactly as k8s.io/apimachinery/pkg/api/errors builds them (same reasons, codes, details and
// message wording), plus the field-error formatting of k8s.io/apimachinery/pkg/util/validation/field.
import type { Json, JsonObject } from "./types.js";

export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** A qualified resource, e.g. `{ group: "", resource: "secrets" }`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** `secrets` or `leases.coordination.k8s.io` (schema.GroupResource.String()). */
export function groupResourceString(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** An error the server answers with a `Status` body. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  /** The `Status` object (kind Status, apiVersion v1), field order as the real server writes it. */
  status(): JsonObject {
    const body: JsonObject = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
    };
    if (this.reason) body.reason = this.reason;
    if (this.details) body.details = detailsJson(this.details);
    body.code = this.code;
    return body;
  }
}

function detailsJson(d: StatusDetails): JsonObject {
  const out: JsonObject = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes && d.causes.length > 0) {
    out.causes = d.causes.map((c) => {
      const cause: JsonObject = {};
      if (c.type) cause.reason = c.type;
      if (c.message) cause.message = c.message;
      if (c.field) cause.field = c.field;
      return cause;
    });
  }
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

/** Go's %q for the strings we quote (names, values): JSON escaping is close enough for ASCII. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(404, "NotFound", `${groupResourceString(gr)} ${quote(name)} not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError(409, "AlreadyExists", `${groupResourceString(gr)} ${quote(name)} already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export const OPTIMISTIC_LOCK_MESSAGE =
  "the object has been modified; please apply your changes to the latest version and try again";

export function conflict(gr: GroupResource, name: string, err: string = OPTIMISTIC_LOCK_MESSAGE): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${groupResourceString(gr)} ${quote(name)}: ${err}`,
    { name, group: gr.group, kind: gr.resource },
  );
}

export function forbidden(gr: GroupResource | undefined, name: string, err: string): ApiError {
  let message: string;
  if (!gr || (!gr.group && !gr.resource)) message = `forbidden: ${err}`;
  else if (!name) message = `${groupResourceString(gr)} is forbidden: ${err}`;
  else message = `${groupResourceString(gr)} ${quote(name)} is forbidden: ${err}`;
  return new ApiError(403, "Forbidden", message, { name, group: gr?.group, kind: gr?.resource });
}

export function unauthorized(message = "Unauthorized"): ApiError {
  return new ApiError(401, "Unauthorized", message);
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

/** 410 with reason Expired: what the watch cache answers for a too-old resourceVersion. */
export function resourceExpired(message: string): ApiError {
  return new ApiError(410, "Expired", message);
}

/** 410 with reason Gone (the deprecated NewGone). */
export function gone(message: string): ApiError {
  return new ApiError(410, "Gone", message);
}

export function methodNotSupported(gr: GroupResource, action: string): ApiError {
  return new ApiError(
    405,
    "MethodNotAllowed",
    `${action} is not supported on resources of kind ${quote(groupResourceString(gr))}`,
    { group: gr.group, kind: gr.resource },
  );
}

export function unsupportedMediaType(accepted: string[]): ApiError {
  return new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
  );
}

export function notAcceptable(accepted: string[]): ApiError {
  return new ApiError(
    406,
    "NotAcceptable",
    `only the following media types are accepted: ${accepted.join(", ")}`,
  );
}

export function internalError(err: string): ApiError {
  return new ApiError(500, "InternalError", `Internal error occurred: ${err}`, {
    causes: [{ message: err }],
  });
}

/** The generic 404 for paths that are not served at all. */
export function pathNotFound(): ApiError {
  return new ApiError(404, "NotFound", "the server could not find the requested resource", {});
}

/**
 * NewGenericServerResponse(422, "", {}, "", err, 0, false): what the patch handler answers when a JSON patch does
 * not apply (a failed `test`, a missing path). The real server drops the underlying message.
 */
export function unprocessable(): ApiError {
  return new ApiError(422, "Invalid", "the server rejected our request due to an error in our request", {});
}

// ---- field errors (k8s.io/apimachinery/pkg/util/validation/field) ----

export type FieldErrorType =
  | "FieldValueRequired"
  | "FieldValueInvalid"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueNotSupported"
  | "FieldValueDuplicate"
  | "FieldValueNotFound";

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The bad value (Invalid, NotSupported, Duplicate): printed with %q for strings, %v for numbers/bools. */
  value?: string | number | boolean | null;
  /** A value printed verbatim instead (Go's %#v of non-string values, e.g. `0x0`). */
  rawValue?: string;
  detail?: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: "Required value",
  FieldValueInvalid: "Invalid value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueNotSupported: "Unsupported value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueNotFound: "Not found",
};

/** field.Error.ErrorBody(): the message without the field path. */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  if (e.type !== "FieldValueRequired" && e.type !== "FieldValueForbidden" && e.type !== "FieldValueTooLong") {
    const v = e.value;
    if (e.rawValue !== undefined) s += `: ${e.rawValue}`;
    else if (v === null || v === undefined) s += ": null";
    else if (typeof v === "string") s += `: ${quote(v)}`;
    else s += `: ${String(v)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

export const required = (field: string, detail = ""): FieldError => ({
  type: "FieldValueRequired",
  field,
  detail,
});
export const invalid = (field: string, value: string | number | boolean | null, detail = ""): FieldError => ({
  type: "FieldValueInvalid",
  field,
  value,
  detail,
});
export const forbiddenField = (field: string, detail: string): FieldError => ({
  type: "FieldValueForbidden",
  field,
  detail,
});
export const tooLong = (field: string, max: number): FieldError => ({
  type: "FieldValueTooLong",
  field,
  detail: `must have at most ${max} bytes`,
});
export const notSupported = (field: string, value: string, valid: string[]): FieldError => ({
  type: "FieldValueNotSupported",
  field,
  value,
  detail: valid.length ? `supported values: ${valid.map((v) => quote(v)).join(", ")}` : "",
});

/** A GroupKind string: `Secret` or `Lease.coordination.k8s.io`. */
export function groupKindString(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

/** errors.NewInvalid: 422 with causes; the message aggregates deduplicated field errors like utilerrors. */
export function invalidObject(group: string, kind: string, name: string, errs: FieldError[]): ApiError {
  const messages: string[] = [];
  for (const e of errs) {
    const m = fieldErrorString(e);
    if (!messages.includes(m)) messages.push(m);
  }
  const qualified = groupKindString(group, kind);
  let message = `${qualified} ${quote(name)} is invalid`;
  if (messages.length === 1) message += `: ${messages[0]}`;
  else if (messages.length > 1) message += `: [${messages.join(", ")}]`;
  return new ApiError(422, "Invalid", message, {
    name,
    group,
    kind,
    causes: errs.map((e) => ({ type: e.type, message: errorBody(e), field: e.field })),
  });
}

/** A successful `Status` (what DELETE answers for resources that do not return the deleted object). */
export function successStatus(details: StatusDetails): JsonObject {
  const d: Record<string, Json> = {};
  if (details.name) d.name = details.name;
  if (details.group) d.group = details.group;
  if (details.kind) d.kind = details.kind;
  if (details.uid) d.uid = details.uid;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: d };
}
