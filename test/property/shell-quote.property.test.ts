/**
 * Properties of shell quoting (src/cluster/shell-quote.ts), checked against real shells: sshd
 * hands our command string to the login shell, /bin/sh (dash) or bash, so the only proof that
 * quoting works is what those shells make of it.
 * - any argv of any strings (full Unicode, control characters, quotes, newlines, shell syntax;
 *   only NUL excluded) comes back from `set -- <quoteArgv(argv)>; printf '%s\0' "$@"` exactly;
 * - a first word that would be an assignment or a keyword stays a command name;
 * - a NUL byte anywhere is refused, never silently cut.
 * One shell runs a whole batch of a few hundred argvs, so thousands of argvs cost a few dozen
 * processes; the script goes in on stdin, away from the argument length limit.
 */
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { quoteArg, quoteArgv } from '../../src/cluster/shell-quote.js';
import { anyChar, nastyString } from './arbitraries.js';

const SHELLS = ['/bin/sh', '/bin/bash'];

const element = fc.oneof(
  nastyString(20),
  fc.string({ unit: anyChar, maxLength: 20, size: 'medium' }),
  fc.stringMatching(/^[A-Za-z0-9_./=:,@%+-]{1,12}$/), // what quoteArg leaves unquoted
  fc.constantFrom('', "'", "''", '\\', '--', '-n', '-e', '%s', 'A=b', 'time', 'if', '!', '~', '$@', '*'),
);
const argvArb = fc.array(element, { minLength: 1, maxLength: 6 });
/** One batch: a few hundred argvs, each run by the same shell process. */
const batch = fc.array(argvArb, { minLength: 100, maxLength: 300 });

/** Runs `script` in `shell`, with the script on stdin. */
const run = (shell: string, script: string) =>
  execFileSync(shell, [], { input: script, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** Lets the shell split every quoted argv and print, per argv, its word count then its words. */
function wordsSeenBy(shell: string, argvs: readonly string[][]): string[][] {
  const script = argvs.map((a) => `set -- ${quoteArgv(a)}; printf '%s\\0' "$#" "$@"\n`).join('');
  const fields = run(shell, script).split('\0').slice(0, -1);
  const seen: string[][] = [];
  for (let i = 0; i < fields.length;) {
    const count = Number(fields[i]);
    seen.push(fields.slice(i + 1, i + 1 + count));
    i += 1 + count;
  }
  return seen;
}

describe('quoteArgv (property, through real shells)', () => {
  it.each(SHELLS)('gives %s back every argv exactly, whatever its strings hold', (shell) => {
    let argvs = 0;
    fc.assert(
      fc.property(batch, (b) => {
        argvs += b.length;
        assert.deepEqual(wordsSeenBy(shell, b), b);
      }),
      { numRuns: 20 },
    );
    assert.ok(argvs >= 2_000, `only ${argvs} argvs`);
  });

  it.each(SHELLS)(
    'keeps a first word that looks like an assignment or a keyword a command name in %s',
    (shell) => {
      // Prefixed, so that no generated word is an existing builtin or a path.
      const odd = fc
        .string({ unit: anyChar.filter((c) => !/[\s/]/.test(c)), maxLength: 8 })
        .map((s) => `zz${s}`);
      const first = fc.oneof(
        fc.constantFrom(
          ...'case coproc do done elif else esac fi for function if in select then time until while'.split(
            ' ',
          ),
          ...['!', '{', '}', '[[', ']]', '((', '))'],
        ),
        fc
          .tuple(
            fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/),
            fc.stringMatching(/^[A-Za-z0-9_.:=@%+,-]{0,8}$/),
          )
          .map(([name, value]) => `${name}=${value}`),
        odd,
      );
      fc.assert(
        fc.property(fc.array(first, { minLength: 50, maxLength: 150 }), (words) => {
          // Nothing on PATH: each word must be looked up as a command and not found (exit 127). Read
          // as an assignment, `time` or `!`, it would run the builtin `true` instead (0 or 1).
          const script = words
            .map((w) => `${quoteArgv([w, 'true'])} 2>/dev/null; printf '%s\\n' "$?"\n`)
            .join('');
          const codes = execFileSync(shell, [], {
            input: script,
            encoding: 'utf8',
            env: { PATH: '/nonexistent' },
          });
          assert.deepEqual(
            codes.split('\n').slice(0, -1),
            words.map(() => '127'),
          );
        }),
        { numRuns: 10 },
      );
    },
  );
});

describe('quoteArg (property)', () => {
  it('leaves a word unquoted only when it has no shell syntax, and quotes to one single-quoted word', () => {
    fc.assert(
      fc.property(element, (arg) => {
        const quoted = quoteArg(arg);
        if (quoted === arg) assert.match(arg, /^[A-Za-z0-9_./=:,@%+-]+$/);
        else assert.equal(quoted, `'${arg.replaceAll("'", `'\\''`)}'`);
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses a NUL byte anywhere in any element', () => {
    fc.assert(
      fc.property(argvArb, fc.nat(), fc.nat(), (argv, which, at) => {
        const i = which % argv.length;
        const arg = argv[i] ?? '';
        const cut = at % (arg.length + 1);
        const withNul = argv.with(i, `${arg.slice(0, cut)}\0${arg.slice(cut)}`);
        assert.throws(() => quoteArgv(withNul), /NUL/);
        assert.throws(() => quoteArg(withNul[i] ?? ''), /NUL/);
      }),
      { numRuns: 5_000 },
    );
  });
});
