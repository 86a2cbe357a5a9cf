import { describe, expect, it } from 'vitest';
import { patternMatches } from '../../src/commands/instance-filter.js';
import { globMatch } from '../../src/core/glob.js';

/** The old definition, a regular expression built from the glob: the reference for small inputs. */
const reference = (text: string, pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(text);

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('globMatch', () => {
  it('matches * as any run, ? as one character, and the rest literally', () => {
    expect(globMatch('web1.example.org', 'web*')).toBe(true);
    expect(globMatch('web1', 'web?')).toBe(true);
    expect(globMatch('web12', 'web?')).toBe(false);
    expect(globMatch('a.b', 'a?b')).toBe(true);
    expect(globMatch('a+b', 'a+b')).toBe(true);
    expect(globMatch('WEB1', 'web*', { ignoreCase: true })).toBe(true);
    expect(globMatch('', '*')).toBe(true);
    expect(globMatch('', '?')).toBe(false);
  });

  it('agrees with the regular-expression definition on 5,000 generated names and patterns', () => {
    const next = random(42);
    const pick = (alphabet: string, max: number) =>
      Array.from(
        { length: Math.floor(next() * (max + 1)) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      ).join('');
    for (let i = 0; i < 5_000; i += 1) {
      const text = pick('ab.-', 10);
      const pattern = pick('ab.*?', 8);
      expect(globMatch(text, pattern), `${JSON.stringify(text)} ~ ${JSON.stringify(pattern)}`).toBe(
        reference(text, pattern),
      );
    }
  });

  it('answers a pattern of 255 stars against a 255-character name (a regular expression would not return)', () => {
    const name = `${'a'.repeat(254)}b`;
    expect(globMatch(name, `${'*'.repeat(255)}c`)).toBe(false);
    expect(globMatch(name, `${'*a'.repeat(127)}*b`)).toBe(true);
    expect(patternMatches(`${'x'.repeat(200)}.example.org`, `${'*?'.repeat(120)}z`)).toBe(false);
  });
});

describe('patternMatches (instance filters)', () => {
  it('matches the whole name or the name up to a dot, and plain text as a substring', () => {
    expect(patternMatches('web1.example.org', 'web*')).toBe(true);
    expect(patternMatches('web1.example.org', 'web?')).toBe(true);
    expect(patternMatches('web1.example.org', '*.example.org')).toBe(true);
    expect(patternMatches('web1.example.org', 'eb1')).toBe(true);
    expect(patternMatches('db1.example.org', 'web*')).toBe(false);
  });
});
