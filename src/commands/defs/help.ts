import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineCommand } from '../define-command.js';
import { didYouMean } from '../suggest.js';

export const help = defineCommand({
  name: 'help',
  aliases: ['?'],
  summary: 'List the commands, or explain one',
  usage: 'help [COMMAND]',
  risk: 'read',
  runsOn: 'bot',
  params: { positionals: [{ name: 'command', optional: true }] },
  schema: z.object({ command: z.string().max(40).optional() }).strict(),
  run: async (ctx, args) => {
    if (!args.command) return { kind: 'help', commands: [...ctx.help], topic: null };
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
