import { z } from 'zod';
import { defineCommand } from '../define-command.js';

export const balance = defineCommand({
  name: 'balance',
  aliases: ['hbal'],
  summary: 'What hbal would move to balance the cluster (a dry run: nothing is changed)',
  usage: 'balance',
  details:
    'Runs `hbal -L -C` without `-X`: shows the cluster score, the moves hbal found and the Ganeti ' +
    'commands for them, grouped in jobsets. Nothing runs on the cluster; `rebalance` runs the moves.',
  examples: [{ line: 'balance', what: 'what hbal would move, without moving anything' }],
  group: 'read',
  risk: 'read',
  params: {},
  schema: z.object({}).strict(),
  run: async (ctx) => {
    const started = ctx.now();
    const plan = await ctx.cluster.hbalPlan();
    return { kind: 'balance', plan, durationMs: ctx.now() - started };
  },
});
