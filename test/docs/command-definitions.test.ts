import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import type { GanetiClient } from '../../src/cluster/ganeti-client.js';
import type { GanetiInstance } from '../../src/cluster/types.js';
import { authorize, type AccessPolicy } from '../../src/commands/authorize.js';
import { allCommands } from '../../src/commands/all-commands.js';
import { defineCommand } from '../../src/commands/define-command.js';
import { parseCommandLine } from '../../src/commands/parse-command-line.js';
import { createRegistry } from '../../src/commands/registry.js';
import type { Command } from '../../src/commands/types.js';
import { fileExample } from '../../src/config/file-descriptions.js';
import { fileSchema } from '../../src/config/schema.js';
import { commandAccess } from '../../src/docs/command-access.js';
import type { ParsedCommandJob } from '../../src/queue/payloads.js';
import { projectScope } from '../../src/queue/project-scope.js';

/** What help and docs/commands.md say of each command must hold for the command itself. */
const registry = createRegistry(allCommands);
const names = allCommands.map((c) => c.name);

/** The usage line the params describe: positionals (optional ones in brackets), then the flags. */
function usageFromParams(c: Command): string {
  const positionals = (c.params.positionals ?? []).map((p) => {
    const word = p.placeholder ?? p.name.toUpperCase();
    return p.optional ? `[${word}]` : word;
  });
  const flags = Object.entries(c.params.flags ?? {}).map(
    ([name, f]) => `[--${name}${f.type === 'string' ? ` ${f.value}` : ''}]`,
  );
  return [c.name, ...positionals, ...flags].join(' ');
}

describe('every command definition', () => {
  it.each(names)('%s: its usage names exactly its arguments and options', (name) => {
    const command = registry.find(name);
    expect(command && command.usage).toBe(command && usageFromParams(command));
  });

  it.each(allCommands.flatMap((c) => c.examples.map((e) => [c.name, e.line] as const)))(
    '%s: the example `%s` parses as that command',
    (name, line) => {
      expect(parseCommandLine(line, registry).command.name).toBe(name);
    },
  );

  it('refuses a bot-side command that claims to answer in the channel', () => {
    expect(() =>
      defineCommand({
        name: 'whoami',
        summary: '',
        usage: 'whoami',
        details: '',
        examples: [{ line: 'whoami', what: '' }],
        group: 'read',
        risk: 'read',
        runsOn: 'bot',
        params: {},
        schema: z.object({}),
        run: async () => ({ kind: 'help', commands: [], topic: null }),
      }),
    ).toThrowError(/answers only the requester/);
  });
});

describe('what docs/commands.md says project members may run', () => {
  const member = { userId: 'U0MEMBER', groups: [] };
  const web1 = { name: 'web1.example.org', tags: ['project:web'] } as GanetiInstance;
  // projectScope asks the cluster only for its instances.
  const cluster = { instances: async () => [web1] } as unknown as GanetiClient;
  const policyFor = (actions: string[]): AccessPolicy => ({
    admins: [],
    operators: [],
    viewers: [],
    projects: [
      { name: 'web', members: [member.userId], instances: { tags: ['project:web'], patterns: [] }, actions },
    ],
  });
  const job = (c: Command): ParsedCommandJob => ({
    requestId: 'req-test-1',
    command: c.name,
    args: (c.params.positionals ?? []).some((p) => p.name === 'instance') ? { instance: 'web1' } : {},
    text: c.name,
    userId: member.userId,
    channelId: 'C012OPS',
    responseUrl: null,
    requestedAt: 1,
    groups: [],
    grant: { via: 'project', projects: ['web'] },
  });

  it.each(names)('%s: holds for the bot’s check and the worker’s', async (name) => {
    const c = registry.find(name) as Command;
    const allowed = async (actions: string[]) => {
      const policy = policyFor(actions);
      if (!authorize(c, member, 'C012OPS', policy).allowed) return false;
      return projectScope(c, job(c), cluster, policy).then(
        (scope) => scope !== null,
        () => false,
      );
    };
    const claim = commandAccess(c).projects;
    expect(await allowed([c.name])).toBe(claim !== 'never');
    expect(await allowed(['no-such-command'])).toBe(claim === 'always');
  });
});

describe('the YAML example of docs/configuration.md', () => {
  it('is a file the bot accepts', () => {
    expect(fileSchema.safeParse(parseYaml(fileExample)).error).toBeUndefined();
  });
});
