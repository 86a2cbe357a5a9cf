import { z } from 'zod';
import { defineOperation } from '../define-command.js';
import { ganetiName } from '../names.js';
import { checkMove } from '../plan-move.js';
import { clusterState, findInstance, findNode } from '../prechecks.js';

export const migrate = defineOperation({
  name: 'migrate',
  aliases: ['mig'],
  summary: 'Live-migrate a running instance to another node (no downtime)',
  usage: 'migrate INSTANCE [--to NODE]',
  risk: 'destructive',
  params: { positionals: [{ name: 'instance' }], flags: { to: { type: 'string', short: 'n' } } },
  schema: z.object({ instance: ganetiName('instance'), to: ganetiName('node').optional() }).strict(),
  plan: async (ctx, args) => {
    const state = await clusterState(ctx.cluster);
    const inst = await findInstance(ctx.cluster, state, args.instance);
    const wanted = args.to ? await findNode(ctx.cluster, state, args.to) : null;
    const { checks, step } = checkMove(state, inst, 'migrate', wanted);
    return { title: `Migrate ${inst.name}`, summary: step.label, checks, warnings: [], steps: [step] };
  },
});
