/**
 * Properties of the tokenizer (src/commands/tokenize.ts) over generated command text:
 * - any string at all gives tokens or a UserError (too long, or an unclosed quote), never another
 *   error: Slack text is arbitrary and the answer must be a message, not "internal error";
 * - words with no quotes, whitespace or Slack escapes come back exactly, split at any whitespace;
 * - any token (except one holding a curly quote, which Slack clients type for a straight one)
 *   survives quoting, Slack's own escaping (`&amp;` `&lt;` `&gt;`) and tokenizing unchanged;
 * - an unquoted token never holds whitespace, so whitespace never hides inside a name.
 *
 * Inside properties we assert with node:assert: vitest's expect costs ~20 µs a call.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { MAX_COMMAND_LENGTH, tokenize, unescapeSlackText } from '../../src/commands/tokenize.js';
import { UserError } from '../../src/core/errors.js';
import { anyChar, nastyString } from './arbitraries.js';

const RUNS = 5_000;
const CURLY_QUOTES = /[\u201c\u201d\u2018\u2019]/;

/** What Slack does to slash-command text before it reaches us. */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Single-quotes a token the way a user would, with `'"'"'` for a single quote inside. */
const quote = (token: string) => `'${token.replaceAll("'", `'"'"'`)}'`;

/** Whitespace the tokenizer splits on (JavaScript's `\s`), including the non-ASCII kinds. */
const whitespace = fc.string({
  unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff'),
  minLength: 1,
  maxLength: 3,
});

/** A word with no quotes, whitespace or characters Slack escapes. */
const plainWord = fc.string({
  unit: anyChar.filter((c) => !/[\s"'&<>\u201c\u201d\u2018\u2019]/.test(c)),
  minLength: 1,
  maxLength: 12,
});

function tokenizeOrUserError(text: string): string[] | UserError {
  try {
    return tokenize(text);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
}

describe('tokenize (property)', () => {
  it('answers any text with tokens or a UserError that says what is wrong', () => {
    const text = fc.oneof(
      nastyString(60),
      fc.string({ unit: 'binary', maxLength: 60, size: 'medium' }),
      fc.string({
        unit: fc.constantFrom('"', "'", '\u201c', '\u2019', ' ', 'a', '<', '>', '&', '|'),
        maxLength: 30,
        size: 'medium',
      }),
      // Around the length limit; padding with one letter keeps generation cheap.
      fc
        .tuple(nastyString(20), fc.integer({ min: MAX_COMMAND_LENGTH - 5, max: MAX_COMMAND_LENGTH + 5 }))
        .map(([head, length]) => head.padEnd(length, 'x')),
    );
    fc.assert(
      fc.property(text, (raw) => {
        const result = tokenizeOrUserError(raw);
        if (result instanceof UserError) {
          assert.ok(['too_long', 'unterminated_quote'].includes(result.code), result.code);
          assert.equal(result.code === 'too_long', raw.length > MAX_COMMAND_LENGTH);
          assert.doesNotMatch(result.userMessage, /undefined|\[object/);
          assert.ok(result.hint);
        } else {
          assert.ok(raw.length <= MAX_COMMAND_LENGTH);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gives back plain words exactly, whatever whitespace separates them', () => {
    fc.assert(
      fc.property(
        fc.array(plainWord, { maxLength: 10 }),
        fc.array(whitespace, { minLength: 11, maxLength: 11 }),
        (words, gaps) => {
          const text = gaps[0] + words.map((w, i) => w + gaps[i + 1]).join('');
          fc.pre(text.length <= MAX_COMMAND_LENGTH);
          assert.deepEqual(tokenize(text), words);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('gives back any quoted token unchanged after Slack has escaped the text', () => {
    const token = fc.string({
      unit: anyChar.filter((c) => !CURLY_QUOTES.test(c)),
      maxLength: 16,
      size: 'medium',
    });
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), whitespace, (tokens, gap) => {
        const text = slackEscape(tokens.map(quote).join(gap));
        fc.pre(text.length <= MAX_COMMAND_LENGTH);
        assert.deepEqual(tokenize(text), tokens);
      }),
      { numRuns: RUNS },
    );
  });

  it('never leaves whitespace inside a token that was typed without quotes', () => {
    const unquoted = fc.string({
      unit: anyChar.filter((c) => !/["'\u201c\u201d\u2018\u2019]/.test(c)),
      maxLength: 80,
      size: 'medium',
    });
    fc.assert(
      fc.property(unquoted, (text) => {
        for (const token of tokenize(text)) {
          assert.notEqual(token, '');
          assert.doesNotMatch(token, /\s/);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('unescapeSlackText (property)', () => {
  it('undoes Slack’s escaping of any text exactly', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          nastyString(40),
          fc.string({
            unit: fc.constantFrom('&', 'a', 'm', 'p', 'l', 't', 'g', ';', '<', '>', '@', 'U', '|'),
            maxLength: 30,
            size: 'medium',
          }),
        ),
        (text) => {
          assert.equal(unescapeSlackText(slackEscape(text)), text);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
