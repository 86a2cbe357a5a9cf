import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineOperation, nameArgument } from '../define-command.js';
import { ganetiName } from '../names.js';
import { clusterState, findInstance, nodeByName, refuseUnreachableSource } from '../prechecks.js';

export const shutdown = defineOperation({
  name: 'shutdown',
  aliases: ['stop'],
  summary: 'Stop an instance (it stays down until started)',
  usage: 'shutdown INSTANCE',
  details:
    'Runs `gnt-instance shutdown`: the instance stops and stays down until someone starts it. Refused when ' +
    'it is already stopped, or when its primary node does not answer or is marked offline.',
  examples: [{ line: 'shutdown web1', what: 'stop web1 until someone starts it' }],
  group: 'approval',
  risk: 'destructive',
  params: { positionals: [{ name: 'instance', description: nameArgument.instance }] },
  schema: z.object({ instance: ganetiName('instance') }).strict(),
  plan: async (ctx, args) => {
    const state = await clusterState(ctx.cluster);
    const inst = await findInstance(ctx.cluster, state, args.instance);
    if (inst.status === 'ADMIN_down' || inst.status === 'ADMIN_offline') {
      throw new UserError('already_stopped', `\`${inst.name}\` is already stopped (${inst.status}).`);
    }
    const primary = nodeByName(state, inst.primaryNode);
    if (primary) refuseUnreachableSource(primary, inst.name);
    if (primary?.offline) {
      throw new UserError(
        'primary_offline',
        `\`${inst.name}\` lives on \`${primary.name}\`, which is marked offline; Ganeti cannot stop it there.`,
        {
          hint: 'Fail it over to a healthy node first, or bring the node back online.',
        },
      );
    }
    return {
      title: `Shut down ${inst.name}`,
      summary: `${inst.name} on ${inst.primaryNode} (now ${inst.status})`,
      checks: [`\`${inst.name}\` is ${inst.status} on \`${inst.primaryNode}\``],
      warnings: [`\`${inst.name}\` stops and stays down until someone starts it.`],
      steps: [
        {
          key: 'shutdown',
          label: `shut down ${inst.name}`,
          action: { op: 'instance-shutdown', instance: inst.name },
        },
      ],
    };
  },
});
