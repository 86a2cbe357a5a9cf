import { z } from 'zod';
import { defineOperation, nameArgument } from '../define-command.js';
import { ganetiName } from '../names.js';
import { checkMove } from '../plan-move.js';
import { clusterState, findInstance, findNode } from '../prechecks.js';

export const migrate = defineOperation({
  name: 'migrate',
  aliases: ['mig'],
  summary: 'Live-migrate a running instance to another node (no downtime)',
  usage: 'migrate INSTANCE [--to NODE]',
  details:
    'Runs `gnt-instance migrate`: the instance keeps running while it moves. DRBD instances go to their ' +
    'secondary node; instances with externally mirrored disks go to `--to NODE` or where the allocator says. ' +
    'Only a running instance whose primary node answers.',
  examples: [{ line: 'migrate web1', what: 'move web1 to its DRBD secondary without stopping it' }],
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
          'Where to move it, for externally mirrored disks only (a DRBD instance goes to its secondary). ' +
          'Default: where the allocator says.',
      },
    },
  },
  schema: z.object({ instance: ganetiName('instance'), to: ganetiName('node').optional() }).strict(),
  plan: async (ctx, args) => {
    const state = await clusterState(ctx.cluster);
    const inst = await findInstance(ctx.cluster, state, args.instance);
    const wanted = args.to ? await findNode(ctx.cluster, state, args.to) : null;
    const { checks, step } = checkMove(state, inst, 'migrate', wanted);
    return { title: `Migrate ${inst.name}`, summary: step.label, checks, warnings: [], steps: [step] };
  },
});
