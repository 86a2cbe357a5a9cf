import type { z } from 'zod';
import { UserError } from '../core/errors.js';
import type { Command, CommandDefinition } from './types.js';

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return `unexpected ${issue.keys.map((k) => `--${k}`).join(', ')}`;
  return key ? `${key}: ${issue.message}` : issue.message;
}

/** Type-erases a definition so the registry can hold commands with different argument types. */
export function defineCommand<S extends z.ZodType>(def: CommandDefinition<S>): Command {
  const validate = (raw: Record<string, unknown>): Record<string, unknown> => {
    const parsed = def.schema.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new UserError(
        'bad_arguments',
        `\`${def.name}\`: ${first ? describeIssue(first) : 'invalid arguments'}.`,
        {
          hint: `Usage: \`/ganeti ${def.usage}\``,
        },
      );
    }
    return parsed.data as Record<string, unknown>;
  };
  return {
    name: def.name,
    aliases: def.aliases ?? [],
    summary: def.summary,
    usage: def.usage,
    details: def.details,
    risk: def.risk,
    runsOn: def.runsOn ?? 'worker',
    params: def.params,
    validate,
    run: (ctx, raw) => def.run(ctx, validate(raw) as z.output<S>),
  };
}
