/**
 * Generators shared by the property tests (fast-check). Names follow Ganeti's hostname rule as
 * src/commands/names.ts states it; the "nasty" generators lean on the characters a shell, the
 * tokenizer or an option parser would read as syntax, so those cases come up in every run.
 */
import fc from 'fast-check';

/** Characters that are syntax somewhere between Slack, our tokenizer, sh and a gnt-* option parser. */
export const SHELL_SYNTAX = [...';|&$`()<>\n\r\t "\'\\*?[]{}~#=%!^'];

/** Matches an argv element that a shell or an option parser would treat as more than one plain word. */
export const UNSAFE_WORD = /[;|&$`()<>\s"'\\*?[\]{}~#!^]|^-/;

/** What a normalised Ganeti name looks like (names.ts): the form that reaches an argv. */
export const NORMALISED_NAME = /^[a-z0-9_][a-z0-9._-]{0,254}$/;

/** Any single code point except NUL (a C string cannot carry one) and lone surrogates. */
export const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\0');

/** One character, biased towards shell syntax, quotes, control characters and non-ASCII look-alikes. */
export const nastyChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SHELL_SYNTAX) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '\u00a0', // no-break space
      '\u2028', // line separator
      '\ufeff', // byte order mark
      '\u201c', // curly quotes Slack clients insert
      '\u201d',
      '\u2018',
      '\u2019',
      '\u0456', // Cyrillic i
      '\u212a', // Kelvin sign: lower-cases to ASCII "k"
      '\u0130', // dotted capital I: lower-cases to "i" + combining dot
      '\u00e9',
      '\u{1f600}',
      '\x1b',
      '\x7f',
    ),
  },
  { weight: 1, arbitrary: anyChar },
);

/** A string of up to `maxLength` nasty characters. */
export const nastyString = (maxLength = 24) => fc.string({ unit: nastyChar, maxLength, size: 'medium' });

/** One label of a Ganeti name: letters, digits, `_` and `-`. */
const label = fc.stringMatching(/^[a-z0-9_-]{1,20}$/);

/**
 * A name Ganeti accepts, already normalised (lower case, no trailing dot): labels joined by
 * dots, not starting with `-`, at most 255 characters.
 */
export const validName = fc
  .tuple(fc.stringMatching(/^[a-z0-9_][a-z0-9_-]{0,19}$/), fc.array(label, { maxLength: 5 }))
  .map(([first, rest]) => [first, ...rest].join('.'))
  .filter((name) => name.length <= 255);

/** A valid name as a user may type it: any letter case, optionally a trailing dot (a FQDN). */
export const typedValidName = fc
  .tuple(fc.mixedCase(validName), fc.boolean())
  .map(([name, dot]) => (dot ? `${name}.` : name))
  .filter((name) => name.length <= 255);

/** A long valid name (up to the 255-character limit), a single label. */
export const longValidName = fc.stringMatching(/^[a-z0-9_][a-z0-9_-]{200,254}$/);
