/** How Ganeti 3.0 prints values (the captures in test/fixtures). */

const p2 = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-12-02 01:24:04` (ctime, mtime), UTC like the lab. */
export function dateTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** `2026-11-24 02:40:54.553185` (gnt-job info), from epoch ms. */
export function jobTime(ms: number): string {
  const micro = String(Math.round((ms % 1000) * 1000)).padStart(6, '0');
  return `${dateTime(Math.floor(ms / 1000))}.${micro}`;
}

/** `0.568222s`-style durations: seconds with six decimals. */
export const seconds6 = (ms: number): string => (ms / 1000).toFixed(6);

/** `[1795490183, 706080]` (gnt-job list received_ts and friends). */
export const timestampPair = (ms: number): string =>
  `[${Math.floor(ms / 1000)}, ${Math.round((ms % 1000) * 1000)}]`;

/** `Tue Nov 24 02:54:12 2026`: Python's time.ctime, in front of every `gnt-cluster verify` line. */
export function ctime(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${DAYS[d.getUTCDay()] ?? ''} ${MONTHS[d.getUTCMonth()] ?? ''} ${day} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** A Python value, as `repr` prints it in `gnt-job list -o ops`. */
export type PyValue = string | number | bigint | boolean | null | PyValue[] | { [key: string]: PyValue };

export function pyRepr(value: PyValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll(quote, `\\${quote}`);
    return `${quote}${body}${quote}`;
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
    .join(', ')}}`;
}

/** The error report Ganeti's CLI prints for an OpPrereqError (`cli.FormatError`). */
export function prereqFailure(type: string, message: string): string {
  return `Failure: prerequisites not met for this operation:\nerror type: ${type}, error details:\n${message}\n`;
}

/** The report of an OpExecError. */
export function execFailure(message: string): string {
  return `Failure: command execution error:\n${message}\n`;
}
