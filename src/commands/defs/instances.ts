import { z } from 'zod';
import { defineCommand } from '../define-command.js';
import { filterInstances, GANETI_STATUSES, STATE_GROUPS } from '../instance-filter.js';
import { ganetiName } from '../names.js';
import { resolveNode } from '../resolve.js';

const states = [...STATE_GROUPS, ...GANETI_STATUSES.filter((s) => s !== 'running')];
const stateLookup = new Map(states.map((s) => [s.toLowerCase(), s]));

export const instances = defineCommand({
  name: 'instances',
  aliases: ['list', 'ls', 'il'],
  summary: 'List instances, filtered by name pattern, node or state',
  usage: 'instances [PATTERN] [--node NODE] [--state STATE]',
  details:
    'PATTERN is part of a name (`web`) or a glob (`web*`, `db?`). `--node` matches primary and secondary node. ' +
    `\`--state\` takes ${states.map((s) => `\`${s}\``).join(', ')}.`,
  examples: [
    { line: 'instances', what: 'every instance' },
    { line: 'instances web* --state stopped', what: 'the stopped instances whose names start with web' },
    { line: 'instances --node node3', what: 'the instances with node3 as primary or secondary node' },
  ],
  group: 'read',
  risk: 'read',
  params: {
    positionals: [
      {
        name: 'pattern',
        optional: true,
        description: 'Part of a name (`web`) or a glob (`web*`, `db?`); case does not matter.',
      },
    ],
    flags: {
      node: {
        type: 'string',
        short: 'n',
        value: 'NODE',
        description: 'Only the instances with this node as primary or secondary node.',
      },
      state: {
        type: 'string',
        short: 's',
        value: 'STATE',
        description: `Only the instances in this state: ${states.map((s) => `\`${s}\``).join(', ')}.`,
      },
    },
  },
  schema: z
    .object({
      pattern: z
        .string()
        .max(255)
        .regex(
          /^[A-Za-z0-9._*?-]+$/,
          'may contain only letters, digits, ".", "-", "_" and the wildcards * and ?',
        )
        .transform((s) => s.toLowerCase())
        .optional(),
      node: ganetiName('node').optional(),
      state: z
        .string()
        .transform((s, ctx) => {
          const found = stateLookup.get(s.toLowerCase());
          if (!found) {
            ctx.addIssue({
              code: 'custom',
              message: `\`${s.slice(0, 40)}\` is not a state; use one of ${states.join(', ')}`,
            });
            return z.NEVER;
          }
          return found;
        })
        .optional(),
    })
    .strict(),
  run: async (ctx, args) => {
    const [listed, node] = await Promise.all([
      ctx.cluster.instances(),
      args.node ? resolveNode(ctx.cluster, args.node) : Promise.resolve(null),
    ]);
    // A project member sees only their own instances, and not how many others there are.
    const all = ctx.scope ? listed.filter(ctx.scope) : listed;
    const filter = { pattern: args.pattern ?? null, node, state: args.state ?? null };
    return { kind: 'instances', instances: filterInstances(all, filter), total: all.length, filter };
  },
});
