/** Helpers shared by the `gnt-* list --no-headers --separator='|' -o …` parsers. */

/** Calls `each` with every non-blank line of list output (a trailing CR dropped) and its 1-based number. */
function forEachLine(stdout: string, each: (lineNo: number, line: string) => void): void {
  // A plain loop: 10,000-instance lists go through here every poll (bench/scale.ts).
  const raw = stdout.split('\n');
  for (let index = 0; index < raw.length; index += 1) {
    let line = raw[index] ?? '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() !== '') each(index + 1, line);
  }
}

/** Splits list output into non-blank lines, each with its 1-based line number. */
export function listLines(stdout: string): Array<{ lineNo: number; line: string }> {
  const out: Array<{ lineNo: number; line: string }> = [];
  forEachLine(stdout, (lineNo, line) => out.push({ lineNo, line }));
  return out;
}

/** One `|`-separated line's columns, insisting on exactly `fields.length` of them. */
function splitLine(command: string, fields: readonly string[], lineNo: number, line: string): string[] {
  const parts = line.split('|');
  if (parts.length !== fields.length) {
    throw new Error(
      `${command}: line ${lineNo} has ${parts.length} fields, expected ${fields.length} ` +
        `(${fields.join(',')}): ${JSON.stringify(line)}`,
    );
  }
  return parts;
}

/**
 * Splits one `|`-separated line into a record keyed by field name, insisting on exactly
 * `fields.length` columns.
 */
export function splitFields<F extends readonly string[]>(
  command: string,
  fields: F,
  lineNo: number,
  line: string,
): Record<F[number], string> {
  const parts = splitLine(command, fields, lineNo, line);
  const record: Partial<Record<F[number], string>> = {};
  for (let index = 0; index < fields.length; index += 1)
    record[fields[index] as F[number]] = parts[index] ?? '';
  return record as Record<F[number], string>;
}

/**
 * Each non-blank line split at `|`, with exactly `fields.length` columns: the allocation-light
 * form of listLines + splitFields for the lists that grow with the cluster (10,000 instances).
 */
export function splitRows(command: string, fields: readonly string[], stdout: string): string[][] {
  const rows: string[][] = [];
  forEachLine(stdout, (lineNo, line) => rows.push(splitLine(command, fields, lineNo, line)));
  return rows;
}

/** Where each field is in a row of splitRows. */
export function fieldIndex<F extends readonly string[]>(fields: F): Record<F[number], number> {
  return Object.fromEntries(fields.map((field, i) => [field, i])) as Record<F[number], number>;
}

/** Parses a Ganeti `Y`/`N` flag; anything else is an error naming the field. */
export function parseFlag(command: string, field: string, value: string): boolean {
  if (value === 'Y') return true;
  if (value === 'N') return false;
  throw new Error(`${command}: field ${field} should be Y or N, got ${JSON.stringify(value)}`);
}

/** True for one or more ASCII digits (no regex: list parsers call this for every row). */
function isDigits(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Parses a whole non-negative number; anything else is an error naming the field. */
export function parseCount(command: string, field: string, value: string): number {
  if (!isDigits(value)) {
    throw new Error(`${command}: field ${field} should be a number, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** Splits a comma-separated list field (`snodes`, `tags`); empty means none. */
export function splitCommaList(value: string): string[] {
  if (value === '') return [];
  const items = value.split(',');
  // Ganeti joins with a bare comma; trim only when there is something to trim.
  return value.includes(' ') ? items.map((item) => item.trim()) : items;
}

/** Like {@link parseCount}, but Ganeti's "no data" markers (`?`, `*`, `-`, empty) give null. */
export function parseOptionalCount(command: string, field: string, value: string): number | null {
  if (value === '?' || value === '*' || value === '-' || value === '') return null;
  return parseCount(command, field, value);
}
