/**
 * Parsers for what Ganeti prints on stderr: the job id of a `--submit`, and the text of a
 * failure (`cli.FormatError`).
 */

/** Parses `JobID: N`, which `--submit` prints on stderr; null when there is none. */
export function parseSubmittedJobId(stderr: string): number | null {
  const match = /^JobID: (\d+)\s*$/m.exec(stderr);
  return match === null ? null : Number(match[1]);
}

/** Prefixes Ganeti puts before a job's failure (`gnt-instance startup`, `gnt-job watch`). */
const JOB_FAILED = /^Job \d+(?: for \S+)? (?:has )?failed: /;

/** The first lines of Ganeti's error reports (`cli.FormatError`), without a `Job N failed:` prefix. */
const ERROR_START =
  /^(?:Failure: |Parameter Error: |Cannot communicate with |Timeout while talking to the master daemon|It seems you don't have permissions|Unhandled (?:protocol error|Ganeti error|exception)|Error checking job status: |Corrupt configuration file: )/;

/**
 * Extracts Ganeti's error text from stderr as one readable line, or null when stderr holds none.
 * Lines before the error (ssh warnings, prompts) are dropped, the leading `Failure: ` goes, the
 * lines are joined with spaces, and the `error type: KIND, error details:` line is left out:
 * `prerequisites not met for this operation: Instance 'x' not known`.
 */
export function parseGanetiFailure(stderr: string): string | null {
  const lines = stderr.split('\n').map((line) => line.replace(/\r$/, ''));
  const start = lines.findIndex((line) => ERROR_START.test(line.replace(JOB_FAILED, '')));
  if (start === -1) return null;
  const text = lines
    .slice(start)
    .map((line, index) => (index === 0 ? line.replace(JOB_FAILED, '').replace(/^Failure: /, '') : line))
    .filter((line) => !/^error type: \S+, error details:$/.test(line.trim()))
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ')
    .replace(/:\s*$/, '');
  return text === '' ? null : text;
}

/** The Ganeti error type (`unknown_entity`, `wrong_state`, …) from a prerequisite failure, if any. */
export function parseGanetiErrorType(stderr: string): string | null {
  return /^error type: (\S+), error details:$/m.exec(stderr)?.[1] ?? null;
}

/**
 * The node named in "This is not the master node, please connect to node 'X'" (a command run
 * on a node that is no longer master); null when stderr does not say so.
 */
export function parseNotMasterHint(stderr: string): string | null {
  return /This is not the master node, please connect to node '([^']+)'/.exec(stderr)?.[1] ?? null;
}

/**
 * The job id a `--submit` printed: `JobID: N` on stderr (failover, migrate, node modify), or
 * `N: NAME` on stdout (startup, shutdown, reboot, which take several instances).
 */
export function parseSubmitOutput(stdout: string, stderr: string): number | null {
  const fromStderr = parseSubmittedJobId(stderr);
  if (fromStderr !== null) return fromStderr;
  const match = /^(\d+): \S+\s*$/m.exec(stdout);
  return match === null ? null : Number(match[1]);
}
