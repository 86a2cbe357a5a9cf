/**
 * POSIX sh quoting for argv arrays (builders return argv, quoting happens once,
 * in the transport). sshd hands the command string to the login shell, so every element must
 * arrive as exactly one word with no shell syntax left in it.
 */

/** Tokens made only of these characters mean the same quoted or not, so logs stay readable. */
const SAFE_TOKEN = /^[A-Za-z0-9_./=:,@%+-]+$/;

/**
 * In command position a bare word can still be syntax: `A=b` is an assignment and `time`/`if`
 * are keywords (bash's `time` would shadow /usr/bin/time). Quoting removes both meanings.
 */
const COMMAND_WORD_SYNTAX = new Set(
  'case coproc do done elif else esac fi for function if in select then time until while'.split(' '),
);

/**
 * Quotes one argument for a POSIX shell. Single quotes switch off every special character;
 * a single quote itself cannot appear inside them, so it becomes `'\''` (close, escaped quote,
 * reopen).
 *
 * @throws Error when the argument contains a NUL byte: C strings end there, so the remote
 *   program would silently receive a shorter argument than the one we checked.
 */
export function quoteArg(arg: string): string {
  return SAFE_TOKEN.test(arg) ? arg : forceQuote(arg);
}

function forceQuote(arg: string): string {
  if (arg.includes('\0')) {
    throw new Error('argument contains a NUL byte, which cannot be passed to a remote command');
  }
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * Joins argv into one command string for `sh -c`, quoting every element so that user text
 * never becomes shell syntax: `['echo', 'inst1; reboot']` → `echo 'inst1; reboot'`.
 *
 * @throws Error on an empty argv or a NUL byte in any element.
 */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('cannot run an empty argv');
  return argv
    .map((arg, index) =>
      index === 0 && (arg.includes('=') || COMMAND_WORD_SYNTAX.has(arg)) ? forceQuote(arg) : quoteArg(arg),
    )
    .join(' ');
}
