import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/commands/all-commands.js';
import { defineCommand } from '../../src/commands/define-command.js';
import { parseCommandLine } from '../../src/commands/parse-command-line.js';
import { createRegistry } from '../../src/commands/registry.js';
import { UserError } from '../../src/core/errors.js';
import { z } from 'zod';

const registry = createRegistry(allCommands);

function refusal(text: string): UserError {
  try {
    parseCommandLine(text, registry);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('parseCommandLine', () => {
  it('treats an empty command as help', () => {
    expect(parseCommandLine('', registry).command.name).toBe('help');
  });

  it('finds commands by alias, case-insensitively', () => {
    expect(parseCommandLine('LS', registry).command.name).toBe('instances');
  });

  it('binds positionals and flags, in either order and with =', () => {
    expect(parseCommandLine('instances --state=running web* -n node1', registry).args).toEqual({
      state: 'running',
      pattern: 'web*',
      node: 'node1',
    });
  });

  it('suggests the verb meant by a typo', () => {
    const e = refusal('nodse');
    expect(e.code).toBe('unknown_command');
    expect(e.userMessage).toBe('`nodse` is not a command. Did you mean `nodes`?');
  });

  it('refuses a shell injection attempt as an instance name, saying which characters are wrong', () => {
    const e = refusal('info inst1;reboot');
    expect(e.code).toBe('bad_arguments');
    expect(e.userMessage).toContain('`inst1;reboot` is not a valid instance name: it contains ";"');
  });

  it('refuses command substitution', () => {
    expect(refusal('info $(id)').userMessage).toContain('contains "$", "(", ")"');
  });

  it('refuses a name that would read as an option', () => {
    expect(refusal('info -- --force').userMessage).toContain('starts with "-"');
  });

  it('refuses unicode look-alikes in names', () => {
    expect(refusal('info іnst1').userMessage).toContain('is not a valid instance name');
  });

  it('refuses unknown flags and suggests the right one', () => {
    const e = refusal('instances --nod node1');
    expect(e.code).toBe('unknown_flag');
    expect(e.userMessage).toContain('Did you mean `--node`?');
  });

  it('refuses extra arguments and shows the usage', () => {
    const e = refusal('nodes node1');
    expect(e.code).toBe('too_many_arguments');
    expect(e.hint).toBe('Usage: `/ganeti nodes`');
  });

  it('asks for a missing argument by name', () => {
    expect(refusal('info').userMessage).toBe('`info` needs an instance.');
  });

  it('refuses a flag given without its value', () => {
    expect(refusal('instances --node').code).toBe('missing_value');
  });

  it('refuses a state that does not exist, listing the valid ones', () => {
    expect(refusal('instances --state sleeping').userMessage).toContain(
      '`sleeping` is not a state; use one of running, stopped, error',
    );
  });

  it('refuses a job id that is not a number', () => {
    expect(refusal('job abc').userMessage).toContain('id:');
  });

  it('refuses 10 kB of text without parsing it', () => {
    expect(refusal(`info ${'a'.repeat(10_240)}`).code).toBe('too_long');
  });
});

describe('createRegistry', () => {
  it('throws when two commands claim the same verb', () => {
    const a = defineCommand({
      name: 'a',
      aliases: ['x'],
      summary: '',
      usage: 'a',
      details: '',
      examples: [{ line: 'a', what: '' }],
      group: 'read',
      risk: 'read',
      params: {},
      schema: z.object({}),
      run: async () => ({ kind: 'help', commands: [], topic: null }),
    });
    const b = defineCommand({
      name: 'b',
      aliases: ['X'],
      summary: '',
      usage: 'b',
      details: '',
      examples: [{ line: 'b', what: '' }],
      group: 'read',
      risk: 'read',
      params: {},
      schema: z.object({}),
      run: async () => ({ kind: 'help', commands: [], topic: null }),
    });
    expect(() => createRegistry([a, b])).toThrowError(/"X" is defined twice \(a and b\)/);
  });

  it('generates help entries for every command', () => {
    expect(registry.help.map((h) => h.name)).toEqual(allCommands.map((c) => c.name));
  });
});
