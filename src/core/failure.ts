import { isUserError } from './errors.js';

/** An error as the user sees it: what went wrong and what to do. */
export interface Failure {
  code: string;
  message: string;
  hint?: string;
  /** For internal errors: the id to find the log line by. */
  reference?: string;
}

/**
 * The one translation point: a UserError keeps its message and hint; anything
 * else becomes `internalMessage` with a reference the logs can be searched for.
 */
export function toFailure(error: unknown, reference: string, internalMessage: string): Failure {
  if (isUserError(error))
    return { code: error.code, message: error.userMessage, ...(error.hint ? { hint: error.hint } : {}) };
  return {
    code: 'internal',
    message: internalMessage,
    hint: 'An admin can find the details in the bot log under this reference.',
    reference,
  };
}
