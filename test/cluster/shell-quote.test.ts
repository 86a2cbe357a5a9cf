import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteArg, quoteArgv } from '../../src/cluster/shell-quote.js';

/** Lets a real /bin/sh parse the quoted string and print each word it sees, NUL-terminated. */
function wordsSeenBySh(argv: readonly string[]): string[] {
  const script = `for word in ${argv.map(quoteArg).join(' ')}; do printf '%s\\0' "$word"; done`;
  return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

const NASTY = [
  'inst1; reboot',
  '$(id)',
  '`id`',
  'a\'b"c',
  "'",
  "''",
  'line1\nline2',
  '*',
  '~root',
  '$HOME',
  '\\n',
  'héllo wörld ✓ 日本',
  '',
  ' ',
  '--force',
  '-o name,status',
  '!',
  '&& rm -rf /',
  '> /etc/passwd',
];

describe('quoteArgv', () => {
  it('leaves plain tokens unquoted so logs stay readable', () => {
    expect(quoteArgv(['gnt-instance', 'list', '--no-headers', '--separator=|'])).toBe(
      "gnt-instance list --no-headers '--separator=|'",
    );
    expect(quoteArgv(['gnt-node', 'info', 'node1.example.com', 'user@host:22', '50%', 'a+b,c'])).toBe(
      'gnt-node info node1.example.com user@host:22 50% a+b,c',
    );
  });

  it('single-quotes shell syntax and escapes embedded single quotes', () => {
    expect(quoteArgv(['echo', 'inst1; reboot'])).toBe("echo 'inst1; reboot'");
    expect(quoteArgv(['echo', "it's"])).toBe("echo 'it'\\''s'");
    expect(quoteArgv(['echo', ''])).toBe("echo ''");
  });

  it.each(NASTY)('delivers %j to sh as exactly one unchanged word', (arg) => {
    expect(wordsSeenBySh([arg])).toEqual([arg]);
  });

  // sshd runs the command with the user's login shell: dash and bash must both agree.
  it.each(['/bin/sh', '/bin/bash'])('delivers every nasty argument intact through %s -c', (shell) => {
    const output = execFileSync(shell, ['-c', quoteArgv(['printf', '%s\\0', ...NASTY])], {
      encoding: 'utf8',
    });
    expect(output.split('\0').slice(0, -1)).toEqual(NASTY);
  });

  it('quotes a first word that sh would read as an assignment or a keyword', () => {
    expect(quoteArgv(['A=b', 'id'])).toBe("'A=b' id");
    expect(quoteArgv(['time', 'ls'])).toBe("'time' ls");
    expect(quoteArgv(['ls', 'time', 'A=b'])).toBe('ls time A=b');
  });

  it('refuses NUL bytes, which would silently truncate the remote argument', () => {
    expect(() => quoteArgv(['echo', 'a\0b'])).toThrow(/NUL/);
    expect(() => quoteArgv(['a\0'])).toThrow(/NUL/);
  });

  it('refuses an empty argv', () => {
    expect(() => quoteArgv([])).toThrow(/empty argv/);
  });
});
