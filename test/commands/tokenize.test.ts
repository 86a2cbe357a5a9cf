import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_LENGTH, tokenize, unescapeSlackText } from '../../src/commands/tokenize.js';
import { UserError } from '../../src/core/errors.js';

describe('tokenize', () => {
  it('splits on any whitespace and drops empty tokens', () => {
    expect(tokenize('  instances   web*\t--node  node1 ')).toEqual(['instances', 'web*', '--node', 'node1']);
  });

  it('keeps quoted text together and removes the quotes', () => {
    expect(tokenize(`audit --target "inst1 x" 'a b'`)).toEqual(['audit', '--target', 'inst1 x', 'a b']);
  });

  it('treats the curly quotes Slack clients insert as quotes', () => {
    expect(tokenize('help \u201cinfo\u201d \u2018x y\u2019')).toEqual(['help', 'info', 'x y']);
  });

  it('keeps an empty quoted argument as an empty token', () => {
    expect(tokenize('info ""')).toEqual(['info', '']);
  });

  it('refuses an unterminated quote with a hint', () => {
    expect(() => tokenize('info "inst1')).toThrowError(/quote is opened but never closed/);
  });

  it(`refuses text longer than ${MAX_COMMAND_LENGTH} characters before looking at it`, () => {
    const error = (() => {
      try {
        tokenize('x'.repeat(10_000));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('too_long');
    expect((error as UserError).userMessage).toContain('10000 characters');
  });

  it('leaves shell metacharacters as plain text inside tokens', () => {
    expect(tokenize('info inst1;reboot $(id) `id`')).toEqual(['info', 'inst1;reboot', '$(id)', '`id`']);
  });
});

describe('unescapeSlackText', () => {
  it('turns Slack auto-links back into the typed name', () => {
    expect(unescapeSlackText('info <http://inst1.example.org|inst1.example.org>')).toBe(
      'info inst1.example.org',
    );
    expect(unescapeSlackText('info <http://inst1.example.org>')).toBe('info inst1.example.org');
  });

  it('turns user mentions into bare ids and decodes HTML entities', () => {
    expect(unescapeSlackText('audit --user <@U012ABC|alice> &lt;x&gt; &amp;')).toBe(
      'audit --user @U012ABC <x> &',
    );
  });
});
