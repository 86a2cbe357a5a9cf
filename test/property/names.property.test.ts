/**
 * Properties of the name rule (src/commands/names.ts), Ganeti's own netutils.Hostname rule:
 * lower-cased, only `a-z 0-9 . - _`, 1..255 characters, no empty label (`..` or a leading dot),
 * a trailing dot dropped; we also refuse a leading `-`. Every name that reaches an argv went
 * through this rule, so it must hold for any string at all, not only for the examples in
 * test/commands/names.test.ts:
 * - it never throws, and whatever it accepts was typed in ASCII and normalises to a name an option
 *   parser or a shell reads as one plain word;
 * - every well-formed name is accepted, in any letter case and with a trailing dot;
 * - one bad character, a leading `-` or `.`, a `..`, or one character too many is always refused.
 *
 * Inside properties we assert with node:assert: vitest's expect costs ~20 µs a call, which
 * thousands of runs turn into seconds.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ganetiName, ganetiNameProblem, resolveName } from '../../src/commands/names.js';
import { UserError } from '../../src/core/errors.js';
import {
  NORMALISED_NAME,
  SHELL_SYNTAX,
  UNSAFE_WORD,
  longValidName,
  nastyString,
  typedValidName,
  validName,
} from './arbitraries.js';

const RUNS = 5_000;

/** Characters outside the rule, each of which alone must make a name invalid. */
const badChar = fc.oneof(
  fc.constantFrom(...SHELL_SYNTAX, '/', ',', ':', '@', '+', '\0', '\u00a0', '\u2028', '\ufeff'),
  // Non-ASCII look-alikes, among them two whose lower case is (or starts with) ASCII.
  fc.constantFrom('\u0456', '\u212a', '\u0130', '\u017f', '\uff41', '\u00e9', '\u{1f600}'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !/^[A-Za-z0-9._-]$/.test(c)),
);

/** Inserts `piece` into `name` at a position chosen by `at` (0..1). */
const insertAt = (name: string, piece: string, at: number) => {
  const i = Math.floor(at * (name.length + 1));
  return name.slice(0, i) + piece + name.slice(i);
};
const position = fc.double({ min: 0, max: 1, noNaN: true });

describe('ganetiNameProblem (property)', () => {
  it('never throws, and anything it accepts is ASCII and normalises to one plain word', () => {
    const input = fc.oneof(
      nastyString(40),
      fc.string({ unit: 'binary', maxLength: 40, size: 'medium' }),
      typedValidName,
    );
    fc.assert(
      fc.property(input, (s) => {
        const problem = ganetiNameProblem(s);
        if (problem !== null) {
          assert.notEqual(problem, '');
          return;
        }
        // The documented rule is about what was typed, not about what toLowerCase() makes of it.
        assert.match(s, /^[A-Za-z0-9._-]+$/);
        assert.ok(!s.includes('..'));
        const normalised = s.toLowerCase().replace(/\.$/, '');
        assert.match(normalised, NORMALISED_NAME);
        assert.doesNotMatch(normalised, UNSAFE_WORD);
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts every well-formed name, in any case and with a trailing dot, and normalises it', () => {
    const schema = ganetiName('instance');
    fc.assert(
      fc.property(fc.oneof(typedValidName, longValidName), (typed) => {
        assert.equal(ganetiNameProblem(typed), null);
        const normalised = schema.parse(typed);
        assert.equal(normalised, typed.toLowerCase().replace(/\.$/, ''));
        assert.match(normalised, NORMALISED_NAME);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a name with any one character outside the rule, wherever it is', () => {
    fc.assert(
      fc.property(validName, badChar, position, (name, bad, at) => {
        assert.notEqual(ganetiNameProblem(insertAt(name, bad, at)), null);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a leading "-" or ".", an empty label anywhere, and more than 255 characters', () => {
    const broken = fc.oneof(
      validName.map((n) => `-${n}`),
      validName.map((n) => `.${n}`),
      fc.tuple(validName, position).map(([n, at]) => insertAt(n, '..', at)),
      fc.tuple(longValidName, validName).map(([a, b]) => `${a}.${b}`.padEnd(256, 'x')),
      fc.constantFrom('', '.', '..', '-', '--'),
    );
    const schema = ganetiName('node');
    fc.assert(
      fc.property(broken, (name) => {
        assert.notEqual(ganetiNameProblem(name), null);
        const parsed = schema.safeParse(name);
        assert.equal(parsed.success, false);
        assert.match(parsed.error?.issues[0]?.message ?? '', /is not a valid node name: it /);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('resolveName (property)', () => {
  it('answers with one of the known names or a UserError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(validName, nastyString(20)),
        fc.uniqueArray(validName, { maxLength: 8 }),
        fc.constantFrom('instance' as const, 'node' as const),
        (input, known, kind) => {
          try {
            assert.ok(known.includes(resolveName(input, known, kind)));
          } catch (error) {
            if (!(error instanceof UserError)) throw error;
            assert.notEqual(error.userMessage, '');
            assert.match(error.code, /^(ambiguous_name|unknown_(instance|node))$/);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
