/**
 * The doctor's output: one line per check, `PASS`, `WARN`, `FAIL` or `SKIP`, what was checked,
 * and for the last three what to do about it. Every line goes through a redactor that blanks the
 * configured secrets, as a last guard: the checks themselves never put a secret in a line.
 */

/** `SKIP`: not checked, because a setting it needs is broken (reported by its own FAIL line). */
export type CheckStatus = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

export interface CheckResult {
  status: CheckStatus;
  /** What was checked, e.g. `redis persistence`, `ssh 198.51.100.11:22 host key`. */
  what: string;
  /** What was found. */
  detail: string;
  /** What to do about it (WARN, FAIL and SKIP only). */
  hint?: string;
}

export const pass = (what: string, detail: string): CheckResult => ({ status: 'PASS', what, detail });
export const warn = (what: string, detail: string, hint?: string): CheckResult =>
  hint === undefined ? { status: 'WARN', what, detail } : { status: 'WARN', what, detail, hint };
export const fail = (what: string, detail: string, hint?: string): CheckResult =>
  hint === undefined ? { status: 'FAIL', what, detail } : { status: 'FAIL', what, detail, hint };
export const skip = (what: string, detail: string): CheckResult => ({ status: 'SKIP', what, detail });

/** `FAIL  what  detail; hint` (no hint on PASS lines). */
export function formatCheck(result: CheckResult): string {
  const hint = result.status !== 'PASS' && result.hint ? `; ${result.hint}` : '';
  return `${result.status}  ${result.what}  ${result.detail}${hint}`;
}

/** Shorter values are never looked for (a one-letter password would blank every such letter). */
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of the secrets (and their URL-encoded forms) with `***`. */
export function createRedactor(secrets: Iterable<string>): (text: string) => string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    for (const form of [secret, encodeURIComponent(secret)])
      if (form.length >= MIN_SECRET_LENGTH) needles.add(form);
  }
  // Longest first, so a secret that contains another is blanked whole.
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((out, needle) => out.split(needle).join('***'), text);
}

export interface Report {
  /** Prints one check's line at once. */
  add(result: CheckResult): void;
  /** Adds a secret to blank in every later line (key material read during the run). */
  addSecret(secret: string): void;
  readonly results: readonly CheckResult[];
  /** `17 checks: 15 PASS, 1 WARN, 1 FAIL`, and whether the setup passed (no FAIL). */
  finish(): boolean;
}

export function createReport(write: (text: string) => void, secrets: readonly string[]): Report {
  const results: CheckResult[] = [];
  const known = [...secrets];
  let redact = createRedactor(known);
  return {
    results,
    add(result) {
      results.push(result);
      write(`${redact(formatCheck(result))}\n`);
    },
    addSecret(secret) {
      known.push(secret);
      redact = createRedactor(known);
    },
    finish() {
      const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
      const failed = count('FAIL');
      const parts = (['PASS', 'WARN', 'FAIL', 'SKIP'] as const)
        .filter((s) => s === 'PASS' || s === 'FAIL' || count(s) > 0)
        .map((s) => `${count(s)} ${s}`);
      const verdict = failed === 0 ? 'the setup looks right' : 'fix the FAIL lines above and run it again';
      write(`${results.length} checks: ${parts.join(', ')}: ${verdict}\n`);
      return failed === 0;
    },
  };
}
