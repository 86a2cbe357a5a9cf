/**
 * The two kinds of errors: errors meant for users carry a `code`
 * and a `userMessage` (plus a fix-it `hint` where we know the fix); anything else is an
 * internal error that users see only as "internal error, reference <id>".
 *
 * Retry policy lives in the type (docs/architecture.md, "Errors and retries"): only `retryable`
 * errors are retried, and only for operations that are safe to repeat.
 */
export class UserError extends Error {
  readonly code: string;
  readonly userMessage: string;
  readonly hint: string | undefined;
  readonly retryable: boolean = false;

  constructor(code: string, userMessage: string, options: { hint?: string; cause?: unknown } = {}) {
    super(userMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.code = code;
    this.userMessage = userMessage;
    this.hint = options.hint;
  }
}

/** The cluster could not be reached (SSH connect, auth, timeout). Safe to retry for reads. */
export class ClusterUnavailableError extends UserError {
  override readonly retryable = true;
  constructor(userMessage: string, options: { hint?: string; cause?: unknown } = {}) {
    super('cluster_unavailable', userMessage, options);
    this.name = 'ClusterUnavailableError';
  }
}

/** A Ganeti command ran and failed; `userMessage` carries Ganeti's own error text. */
export class GanetiCommandError extends UserError {
  readonly exitCode: number | null;
  constructor(userMessage: string, exitCode: number | null, options: { hint?: string } = {}) {
    super('ganeti_error', userMessage, options);
    this.name = 'GanetiCommandError';
    this.exitCode = exitCode;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
