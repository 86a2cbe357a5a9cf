/**
 * Properties of the glob matcher (src/core/glob.ts), which authorization (project instance
 * patterns) and instance filters rely on:
 * - it agrees with a plain dynamic-programming definition of `*` (any run) and `?` (one
 *   character), and with the old regular-expression definition, on short names and patterns over
 *   a small alphabet, where disagreements show up;
 * - `ignoreCase` means exactly "compare the lower-cased text and pattern";
 * - it stays right on long inputs made mostly of stars (a user's `****…`), where a backtracking
 *   matcher would never return. Only results are asserted here: timings belong in bench/.
 *
 * Inside properties we assert with node:assert: vitest's expect costs ~20 µs a call.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { globMatch } from '../../src/core/glob.js';
import { referenceMatch } from './reference-glob.js';

/** The old definition (a regular expression built from the pattern), safe only on short inputs. */
const regexMatch = (text: string, pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  ).test(text);

const text = (alphabet: string, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), maxLength });

describe('globMatch (property)', () => {
  it('agrees with the definition and the regular expression on short names and patterns', () => {
    fc.assert(
      fc.property(text('ab.-', 10), text('ab.*?', 8), (name, pattern) => {
        const expected = referenceMatch(name, pattern);
        assert.equal(globMatch(name, pattern), expected);
        assert.equal(regexMatch(name, pattern), expected);
      }),
      { numRuns: 5_000 },
    );
  });

  it('matches a name against itself, against * and against one ? per character', () => {
    fc.assert(
      fc.property(text('abAB.-_1', 20), (name) => {
        assert.ok(globMatch(name, name));
        assert.ok(globMatch(name, '*'));
        assert.ok(globMatch(name, '?'.repeat(name.length)));
        assert.ok(!globMatch(name, '?'.repeat(name.length + 1)));
      }),
      { numRuns: 3_000 },
    );
  });

  it('with ignoreCase, matches exactly what the lower-cased name and pattern match', () => {
    fc.assert(
      fc.property(text('aAbB.*?', 10), text('aAbB.*?', 8), (name, pattern) => {
        assert.equal(
          globMatch(name, pattern, { ignoreCase: true }),
          referenceMatch(name.toLowerCase(), pattern.toLowerCase()),
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it('stays right on long names against long patterns made mostly of stars', () => {
    const longName = fc.string({
      unit: fc.constantFrom('a', 'a', 'a', 'b', '.'),
      minLength: 200,
      maxLength: 255,
      size: 'max',
    });
    const starryPattern = fc.string({
      unit: fc.oneof(
        { weight: 8, arbitrary: fc.constant('*') },
        { weight: 1, arbitrary: fc.constantFrom('a', 'b', 'c', '?', '.') },
      ),
      minLength: 100,
      maxLength: 255,
      size: 'max',
    });
    fc.assert(
      fc.property(longName, starryPattern, (name, pattern) => {
        assert.equal(globMatch(name, pattern), referenceMatch(name, pattern));
      }),
      { numRuns: 300 },
    );
  });

  it('answers a pattern of 255 stars against a long name', () => {
    const name = `${'a'.repeat(254)}b`;
    assert.equal(globMatch(name, '*'.repeat(255)), true);
    assert.equal(globMatch(name, `${'*'.repeat(254)}c`), false);
    assert.equal(globMatch(name, `${'*'.repeat(254)}b`), true);
    assert.equal(globMatch(name, `${'*?'.repeat(127)}c`), false);
  });
});
