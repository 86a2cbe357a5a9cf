import type { z } from 'zod';
import { UserError } from '../core/errors.js';
import type { ParamHelp } from './results.js';
import type { Command, CommandDefinition, OperationDefinition, ParamSpec } from './types.js';

/** What help says of an instance or node argument (short names resolve as in resolve.ts). */
export const nameArgument = {
  instance: 'The instance (a short name will do when only one instance has it).',
  node: 'The node (a short name will do when only one node has it).',
} as const;

/** The arguments and options of a command as help and docs/commands.md list them. */
export function paramHelp(params: ParamSpec): ParamHelp[] {
  const positionals = (params.positionals ?? []).map((p) => {
    const word = p.placeholder ?? p.name.toUpperCase();
    return { forms: [p.optional ? `[${word}]` : word], description: p.description };
  });
  const flags = Object.entries(params.flags ?? {}).map(([name, f]) => ({
    forms: [`--${name}${f.type === 'string' ? ` ${f.value}` : ''}`, ...(f.short ? [`-${f.short}`] : [])],
    description: f.description,
  }));
  return [...positionals, ...flags];
}

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
    examples: def.examples,
    group: def.group,
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
  // The listener answers a bot-side command ephemerally (src/bot/listeners/ganeti-command.ts):
  // its definition must say so, or help and docs/commands.md would claim the channel sees it.
  if (def.runsOn === 'bot' && def.visibility !== 'requester')
    throw new Error(
      `${def.name} runs in the bot, which answers only the requester: give it visibility: 'requester'`,
    );
  const b = base(def);
  return {
    ...b,
    kind: 'query',
    runsOn: def.runsOn ?? 'worker',
    run: (ctx, raw) => def.run(ctx, b.validate(raw) as z.output<S>),
    plan: wrongKind(def.name, 'plan: it is a query'),
    form: undefined,
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
    form: def.form,
  };
}
