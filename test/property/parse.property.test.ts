/**
 * Properties of the command-line parser (src/commands/parse-command-line.ts) with the real
 * command table (src/commands/all-commands.ts), over text built from every verb, flag and
 * short flag mixed with valid names, numbers and shell syntax, and over arbitrary text:
 * - the answer is a parsed command or a UserError with a code and a plain message, never another
 *   error (that would reach the user as "internal error");
 * - a parsed command's arguments pass its own schema, and every value that can reach an argv (the
 *   names and job ids of every command, every string of an operation) is a normalised Ganeti name
 *   or a positive integer: nothing that starts an option or carries shell syntax.
 *
 * Inside properties we assert with node:assert: vitest's expect costs ~20 µs a call.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/commands/all-commands.js';
import { ganetiNameProblem } from '../../src/commands/names.js';
import { parseCommandLine, type ParsedCommand } from '../../src/commands/parse-command-line.js';
import { createRegistry } from '../../src/commands/registry.js';
import { UserError } from '../../src/core/errors.js';
import { NORMALISED_NAME, UNSAFE_WORD, nastyString, typedValidName } from './arbitraries.js';

const registry = createRegistry(allCommands);

/** Arguments that hold instance or node names, in any command. */
const NAME_KEYS = new Set(['instance', 'node', 'to', 'target']);

const flagTokens = allCommands.flatMap((c) =>
  Object.entries(c.params.flags ?? {}).flatMap(([name, f]) => [
    `--${name}`,
    ...(f.short === undefined ? [] : [`-${f.short}`]),
  ]),
);

/** One word of a command line: mostly things the parser knows, with enough noise to go wrong. */
const word = fc.oneof(
  { weight: 3, arbitrary: typedValidName },
  { weight: 2, arbitrary: fc.constantFrom(...flagTokens) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...flagTokens), typedValidName).map(([f, v]) => `${f}=${v}`),
  },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 2 ** 32 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '--',
      '-',
      '',
      'migrate',
      'failover',
      'running',
      'stopped',
      '@U012ABC',
      '1e3',
      '0x10',
    ),
  },
  { weight: 1, arbitrary: typedValidName.map((n) => `-${n}`) },
  { weight: 2, arbitrary: nastyString(16) },
);

/** A command line as a user types it: a verb (in any case), then words, quoted when they must be. */
const commandLine = fc
  .tuple(fc.mixedCase(fc.constantFrom(...registry.verbs)), fc.array(word, { maxLength: 6 }))
  .map(([verb, words]) =>
    [
      verb,
      ...words.map((w) =>
        /^[^\s"'\u201c\u201d\u2018\u2019]+$/.test(w) ? w : `'${w.replaceAll("'", `'"'"'`)}'`,
      ),
    ].join(' '),
  );

function parseOrUserError(text: string): ParsedCommand | UserError {
  try {
    return parseCommandLine(text, registry);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
}

/** Checks a successful parse: the schema agrees, and nothing that can reach an argv is unsafe. */
function expectSafe(parsed: ParsedCommand): void {
  const validated = parsed.command.validate(parsed.args);
  for (const [key, value] of Object.entries(validated)) {
    if (NAME_KEYS.has(key)) {
      assert.equal(ganetiNameProblem(String(parsed.args[key])), null);
      assert.match(String(value), NORMALISED_NAME);
    }
    if (key === 'id') assert.ok(Number.isSafeInteger(value) && (value as number) > 0, String(value));
    if (parsed.command.kind === 'operation' && typeof value === 'string') {
      // create's sizes, OS, IP and tags are not names; each has a format of its own, and
      // none of them can be read as an option or as shell syntax.
      if (parsed.command.name !== 'create' || NAME_KEYS.has(key)) assert.match(value, NORMALISED_NAME);
      assert.doesNotMatch(value, UNSAFE_WORD);
    }
  }
}

function expectClearRefusal(error: UserError): void {
  assert.match(error.code, /^[a-z_]+$/);
  assert.notEqual(error.userMessage, '');
  assert.doesNotMatch(error.userMessage, /undefined|\[object|NaN/);
  assert.ok(error.hint);
}

describe('parseCommandLine (property)', () => {
  it('parses generated command lines into safe arguments or refuses them clearly', () => {
    let parsed = 0;
    fc.assert(
      fc.property(commandLine, (text) => {
        const result = parseOrUserError(text);
        if (result instanceof UserError) expectClearRefusal(result);
        else {
          parsed += 1;
          expectSafe(result);
        }
      }),
      { numRuns: 5_000 },
    );
    // The generator is only useful if a fair share of lines get through to the checks.
    expect(parsed).toBeGreaterThan(250);
  });

  it('answers arbitrary text with a command or a clear UserError', () => {
    fc.assert(
      fc.property(
        // Mostly short: an unknown verb costs an edit distance to every verb ("did you mean").
        fc.oneof(nastyString(30), fc.string({ unit: 'binary', maxLength: 30 })),
        (text) => {
          const result = parseOrUserError(text);
          if (result instanceof UserError) expectClearRefusal(result);
          else expectSafe(result);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('refuses a name that starts with "-" for what it is, after "--" or as a flag value', () => {
    const dashed = typedValidName.map((n) => `-${n}`);
    const text = fc.oneof(
      fc
        .tuple(fc.constantFrom('info', 'start', 'reboot', 'drain', 'offline', 'evacuate', 'recover'), dashed)
        .map(([verb, name]) => `${verb} -- ${name}`),
      fc
        .tuple(
          fc.constantFrom('failover', 'migrate'),
          fc.constantFrom('--to ', '-n ', '--to=', '-n='),
          dashed,
        )
        .map(([verb, flag, name]) => `${verb} inst1 ${flag}${name}`),
    );
    fc.assert(
      fc.property(text, (t) => {
        const result = parseOrUserError(t);
        assert.ok(result instanceof UserError, t);
        assert.equal(result.code, 'bad_arguments', t);
        assert.match(result.userMessage, /starts with "-"/, t);
      }),
      { numRuns: 2_000 },
    );
  });
});
