/**
 * What Ganeti's htools (hbal, hcheck, hspace) have in common: `KEY=value` machine-readable
 * output, and an `Error: …` line on stderr (exit 1) when they cannot load the cluster.
 */

/** Why an htools program could not answer. */
export interface HtoolsFailure {
  /**
   * Ganeti's message, e.g. `failed to load data, aborting: Node 'node3.ganeti.test', error while
   * reading attribute 'mtotal': No data for a field`.
   */
  message: string;
  /**
   * The node whose live data is missing: it does not answer and is not marked offline, so
   * the htools refuse to plan around it. Null when the failure has another cause.
   */
  unreachableNode: string | null;
}

/** An htools answer: its report, or why it could not give one (a clear answer, not a crash). */
export type HtoolsOutcome<T> = { ok: true; report: T } | { ok: false; failure: HtoolsFailure };

/**
 * The `Error: …` an htools program printed on stderr (`exitErr`), joined into one line; null when
 * stderr holds none (the "inconsistent data" warnings of a healthy run are not errors).
 */
export function parseHtoolsFailure(stderr: string): HtoolsFailure | null {
  const lines = stderr.split('\n').map((line) => line.replace(/\r$/, ''));
  const start = lines.findIndex((line) => line.startsWith('Error: '));
  if (start === -1) return null;
  const message = lines
    .slice(start)
    .map((line, index) => (index === 0 ? line.slice('Error: '.length) : line).trim())
    .filter((line) => line !== '')
    .join(' ');
  const node = /Node '([^']+)', error while reading attribute '[^']*': No data for a field/.exec(message);
  return { message, unreachableNode: node?.[1] ?? null };
}

/**
 * Parses `--machine-readable` output: one `KEY=value` a line, the value single-quoted when it
 * holds anything but letters, digits, `.` and `_` (htools' `ensureQuoted`).
 * @throws Error on a line of another form, naming the program.
 */
export function parseShellAssignments(program: string, stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  stdout.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match === null) {
      throw new Error(
        `${program}: line ${index + 1} is not KEY=value: ${JSON.stringify(line.slice(0, 200))}`,
      );
    }
    const value = match[2] ?? '';
    const quoted = /^'(.*)'$/.exec(value);
    values.set(match[1] ?? '', quoted ? (quoted[1] ?? '') : value);
  });
  return values;
}

/** Reads KEY from parsed assignments as a number; null when absent. */
export function optionalNumber(program: string, values: Map<string, string>, key: string): number | null {
  const text = values.get(key);
  if (text === undefined) return null;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new Error(`${program}: ${key} should be a number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Like {@link optionalNumber}, but the key must be there. */
export function requiredNumber(program: string, values: Map<string, string>, key: string): number {
  const value = optionalNumber(program, values, key);
  if (value === null) throw new Error(`${program}: ${key} is missing from the output`);
  return value;
}
