import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineCommand } from '../define-command.js';
import { didYouMean } from '../suggest.js';

export const help = defineCommand({
  name: 'help',
  aliases: ['?'],
  summary: 'List the commands, or explain one',
  usage: 'help [COMMAND]',
  details:
    'Without COMMAND: every command with its usage, grouped by what it may change. With a command (its name ' +
    'or an alias): its usage, what it does, its arguments and options, and examples. When the bot serves ' +
    'several clusters, the list names them and the one this channel uses. Answered only to you.',
  examples: [
    { line: 'help', what: 'every command' },
    { line: 'help evac', what: 'how `evacuate` empties a node' },
  ],
  group: 'read',
  risk: 'read',
  runsOn: 'bot',
  visibility: 'requester',
  params: {
    positionals: [
      { name: 'command', optional: true, description: 'A command name or alias, e.g. `evacuate` or `evac`.' },
    ],
  },
  schema: z.object({ command: z.string().max(40).optional() }).strict(),
  run: async (ctx, args) => {
    const many = ctx.clusters && ctx.clusters.names.length > 1 ? ctx.clusters : undefined;
    const clusters = many ? { clusters: { names: [...many.names], current: many.current } } : {};
    if (!args.command) return { kind: 'help', commands: [...ctx.help], topic: null, ...clusters };
    const topic = args.command.toLowerCase();
    const entry = ctx.help.find((h) => h.name === topic || h.aliases.includes(topic));
    if (!entry) {
      const verbs = ctx.help.flatMap((h) => [h.name, ...h.aliases]);
      throw new UserError(
        'unknown_command',
        `There is no command \`${args.command}\`.${didYouMean(args.command, verbs)}`,
        {
          hint: 'Type `/ganeti help` to see every command.',
        },
      );
    }
    return { kind: 'help', commands: [entry], topic: entry.name };
  },
});
