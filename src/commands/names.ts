import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { closest, formatDidYouMean } from './suggest.js';

/**
 * Ganeti's own rule for instance and node names (netutils.Hostname.GetNormalizedName):
 * lower-case letters, digits, `.`, `-`, `_`, 1..255 characters, no empty label. We also refuse
 * a leading `-`, which a gnt-* command would read as an option.
 */
const GANETI_NAME = /^[a-z0-9_][a-z0-9._-]{0,254}$/;

export function ganetiNameProblem(input: string): string | null {
  // ASCII only: toLowerCase() would turn the Kelvin sign into "k" and accept a look-alike.
  const name = input.replace(/[A-Z]+/g, (s) => s.toLowerCase()).replace(/\.$/, '');
  if (name.length === 0) return 'is empty';
  if (name.length > 255) return `is ${name.length} characters long; Ganeti names have at most 255`;
  if (name.startsWith('-')) return 'starts with "-"';
  // Before the trailing dot goes, as in Ganeti: `inst1..` has an empty last label.
  if (input.includes('..') || name.startsWith('.')) return 'has an empty part between dots';
  if (!GANETI_NAME.test(name)) {
    const bad = [...new Set([...name].filter((ch) => !/[a-z0-9._-]/.test(ch)))].slice(0, 5);
    return `contains ${bad.map((b) => JSON.stringify(b)).join(', ')}; names may contain only letters, digits, ".", "-" and "_"`;
  }
  return null;
}

/** A zod schema for an instance or node name as typed by a user (not yet resolved). */
export function ganetiName(kind: 'instance' | 'node') {
  return z.string({ message: `needs a ${kind} name` }).transform((s, ctx) => {
    const problem = ganetiNameProblem(s);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        message: `\`${s.slice(0, 80)}\` is not a valid ${kind} name: it ${problem}`,
      });
      return z.NEVER;
    }
    return s.toLowerCase().replace(/\.$/, '');
  });
}

/** Positive Ganeti job id. */
export const jobId = z.coerce
  .number({ message: 'needs a job id (a number, as in `/ganeti jobs`)' })
  .int('must be a whole number')
  .positive('must be a positive number')
  .max(2 ** 31, 'is too large to be a Ganeti job id');

function shortName(fqdn: string): string {
  const dot = fqdn.indexOf('.');
  return dot === -1 ? fqdn : fqdn.slice(0, dot);
}

/**
 * Resolves what a user typed to a full Ganeti name: an exact match, or a short name
 * (`inst1` for `inst1.example.org`) when exactly one name has it. Throws a UserError with
 * "did you mean" otherwise.
 */
export function resolveName(input: string, known: readonly string[], kind: 'instance' | 'node'): string {
  if (known.includes(input)) return input;
  const byPrefix = known.filter((k) => k.startsWith(`${input}.`));
  if (byPrefix.length === 1 && byPrefix[0]) return byPrefix[0];
  if (byPrefix.length > 1) {
    throw new UserError(
      'ambiguous_name',
      `\`${input}\` matches several ${kind}s: ${byPrefix.map((b) => `\`${b}\``).join(', ')}.`,
      {
        hint: 'Type more of the name.',
      },
    );
  }
  const near = closest(input, known.map(shortName).concat(known));
  const full = [...new Set(near.map((n) => known.find((k) => k === n || shortName(k) === n) ?? n))].slice(
    0,
    3,
  );
  throw new UserError(
    'unknown_' + kind,
    `There is no ${kind} \`${input}\` in the cluster.${formatDidYouMean(full)}`,
    {
      hint:
        kind === 'instance' ? 'See `/ganeti instances` for the list.' : 'See `/ganeti nodes` for the list.',
    },
  );
}
