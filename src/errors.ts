/**
 * The one error hierarchy of pullwarden. Every failure is a real `Error` with a stable `code` and an
 * optional `cause`; `exitCodeOf` is the single place that maps errors to process exit codes
 * (documented in docs/exit-codes.md). Expected outcomes (a finding, a failed check) are values, not errors.
 *
 * Messages must never contain secret values: callers describe *what* is wrong and *where*, not the bytes.
 */

export const ExitCode = {
  ok: 0,
  /** Findings at or above the threshold, a failed check, or an error-level problem in inspected input. */
  findings: 1,
  /** Bad flags or arguments: the command line itself is wrong. */
  usage: 2,
  /** The input data (file, stdin, reference) is unreadable, malformed or refused. */
  input: 3,
  /** Something outside pullwarden failed: a credential helper, a file system, a network peer. */
  environment: 4,
  /** A bug in pullwarden. */
  internal: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface PullwardenErrorOptions {
  cause?: unknown;
  /** What the user can do next, printed on its own line after the message. */
  hint?: string;
}

export class PullwardenError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(code: string, message: string, exitCode: ExitCode, options: PullwardenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
  }
}

/** The command line is wrong (unknown flag, missing argument, conflicting flags). Exit 2. */
export class UsageError extends PullwardenError {
  constructor(message: string, options: PullwardenErrorOptions = {}) {
    super("E_USAGE", message, ExitCode.usage, options);
  }
}

/** Position of a problem inside a text input, 1-based, when the parser knows it. */
export interface InputPosition {
  line?: number;
  column?: number;
  offset?: number;
}

/**
 * The data given to pullwarden is malformed or would be misread by real consumers. Exit 3.
 * `source` names the input (a path, `-` for stdin, a flag) and `position` points into it where known.
 */
export class InputError extends PullwardenError {
  readonly source: string | undefined;
  readonly position: InputPosition | undefined;

  constructor(
    code: string,
    message: string,
    options: PullwardenErrorOptions & { source?: string; position?: InputPosition } = {},
  ) {
    super(code, message, ExitCode.input, options);
    this.source = options.source;
    this.position = options.position;
  }
}

/** An invalid image reference. `position` is the 0-based offset of the offending character when known. */
export class InvalidReferenceError extends InputError {
  constructor(
    message: string,
    options: PullwardenErrorOptions & { source?: string; position?: InputPosition } = {},
  ) {
    super("E_REFERENCE", message, options);
  }
}

/** Something outside pullwarden failed (credential helper, file system, network). Exit 4. */
export class EnvironmentError extends PullwardenError {
  constructor(code: string, message: string, options: PullwardenErrorOptions = {}) {
    super(code, message, ExitCode.environment, options);
  }
}

/**
 * A cloud credential source (ECR, ACR, ...) could not mint a registry credential. Exit 4. `identity` names who
 * asked (a role ARN, a chain link, a managed identity; never a secret) when that was known; `retryable` says
 * whether trying again later may succeed (throttling, a 5xx, a timeout), for a controller's back-off.
 */
export class CloudCredentialError extends EnvironmentError {
  readonly identity: string | undefined;
  readonly retryable: boolean;

  constructor(
    code: string,
    message: string,
    options: PullwardenErrorOptions & { identity?: string; retryable?: boolean } = {},
  ) {
    super(code, message, options);
    this.identity = options.identity;
    this.retryable = options.retryable ?? false;
  }
}

/** A bug: an invariant of pullwarden itself does not hold. Exit 5. */
export class InternalError extends PullwardenError {
  constructor(message: string, options: PullwardenErrorOptions = {}) {
    super("E_INTERNAL", message, ExitCode.internal, options);
  }
}

export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof PullwardenError ? error.exitCode : ExitCode.internal;
}
