import { z } from 'zod';
import { defineOperation, nameArgument } from '../define-command.js';
import { ganetiName } from '../names.js';
import { checkMove } from '../plan-move.js';
import { clusterState, findInstance, findNode } from '../prechecks.js';

export const failover = defineOperation({
  name: 'failover',
  aliases: ['fo'],
  summary: 'Move an instance to another node by stopping and starting it (works when its node is offline)',
  usage: 'failover INSTANCE [--to NODE]',
  details:
    'DRBD instances go to their secondary node; instances with externally mirrored disks go to `--to NODE` or where the allocator says. ' +
    'The instance is down for the restart. If its node is dead, mark the node offline first (`/ganeti offline NODE`).',
  examples: [
    { line: 'failover db1', what: 'restart db1 on its DRBD secondary' },
    { line: 'failover web1 --to node2', what: 'restart web1 (shared or external disks) on node2' },
  ],
  group: 'approval',
  risk: 'destructive',
  params: {
    positionals: [{ name: 'instance', description: nameArgument.instance }],
    flags: {
      to: {
        type: 'string',
        short: 'n',
        value: 'NODE',
        description:
          'Where to restart it, for externally mirrored disks only (a DRBD instance goes to its secondary). ' +
          'Default: where the allocator says.',
      },
    },
  },
  schema: z.object({ instance: ganetiName('instance'), to: ganetiName('node').optional() }).strict(),
  plan: async (ctx, args) => {
    const state = await clusterState(ctx.cluster);
    const inst = await findInstance(ctx.cluster, state, args.instance);
    const wanted = args.to ? await findNode(ctx.cluster, state, args.to) : null;
    const { checks, step } = checkMove(state, inst, 'failover', wanted);
    const warnings =
      inst.status === 'running' ? [`\`${inst.name}\` is stopped and started again: a short outage.`] : [];
    return { title: `Fail over ${inst.name}`, summary: step.label, checks, warnings, steps: [step] };
  },
});
