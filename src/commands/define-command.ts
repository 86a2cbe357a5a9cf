import type { z } from 'zod';
import { UserError } from '../core/errors.js';
import type { Command, CommandDefinition, OperationDefinition } from './types.js';

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return `unexpected ${issue.keys.map((k) => `--${k}`).join(', ')}`;
  return key ? `${key}: ${issue.message}` : issue.message;
}

function validator<S extends z.ZodType>(def: CommandDefinition<S> | OperationDefinition<S>) {
  return (raw: Record<string, unknown>): Record<string, unknown> => {
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
}

function base<S extends z.ZodType>(def: CommandDefinition<S> | OperationDefinition<S>) {
  return {
    name: def.name,
    aliases: def.aliases ?? [],
    summary: def.summary,
    usage: def.usage,
    details: def.details,
    risk: def.risk,
    visibility: def.visibility ?? 'channel',
    role: def.role,
    params: def.params,
    validate: validator(def),
  };
}

const wrongKind = (name: string, what: string) => async (): Promise<never> => {
  throw new Error(`${name} cannot ${what}`);
};

/** Type-erases a query so the registry can hold commands with different argument types. */
export function defineCommand<S extends z.ZodType>(def: CommandDefinition<S>): Command {
  const b = base(def);
  return {
    ...b,
    kind: 'query',
    runsOn: def.runsOn ?? 'worker',
    run: (ctx, raw) => def.run(ctx, b.validate(raw) as z.output<S>),
    plan: wrongKind(def.name, 'plan: it is a query'),
  };
}

/** Type-erases an operation (a command that changes the cluster). */
export function defineOperation<S extends z.ZodType>(def: OperationDefinition<S>): Command {
  const b = base(def);
  return {
    ...b,
    kind: 'operation',
    runsOn: 'worker',
    run: wrongKind(def.name, 'run: it is an operation'),
    plan: (ctx, raw) => def.plan(ctx, b.validate(raw) as z.output<S>),
  };
}
