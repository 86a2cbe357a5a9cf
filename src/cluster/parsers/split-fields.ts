/** Helpers shared by the `gnt-* list --no-headers --separator='|' -o …` parsers. */

/** Splits list output into non-blank lines, each with its 1-based line number. */
export function listLines(stdout: string): Array<{ lineNo: number; line: string }> {
  // A plain loop: 10,000-instance lists go through here every poll (bench/scale.ts).
  const out: Array<{ lineNo: number; line: string }> = [];
  const raw = stdout.split('\n');
  for (let index = 0; index < raw.length; index += 1) {
    let line = raw[index] ?? '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() !== '') out.push({ lineNo: index + 1, line });
  }
  return out;
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
  const parts = line.split('|');
  if (parts.length !== fields.length) {
    throw new Error(
      `${command}: line ${lineNo} has ${parts.length} fields, expected ${fields.length} ` +
        `(${fields.join(',')}): ${JSON.stringify(line)}`,
    );
  }
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
  const lines = stdout.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    let line = lines[index] ?? '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const parts = line.split('|');
    if (parts.length !== fields.length) {
      throw new Error(
        `${command}: line ${index + 1} has ${parts.length} fields, expected ${fields.length} ` +
          `(${fields.join(',')}): ${JSON.stringify(line)}`,
      );
    }
    rows.push(parts);
  }
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
