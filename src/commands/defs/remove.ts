import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineOperation, nameArgument } from '../define-command.js';
import { ganetiName } from '../names.js';
import { clusterState, findInstance, nodeByName } from '../prechecks.js';

export const remove = defineOperation({
  name: 'remove',
  aliases: ['rm'],
  summary: 'Remove an instance and delete its disks (the approver types its name)',
  usage: 'remove INSTANCE',
  details:
    'Runs `gnt-instance remove`: the instance is stopped and its disks are deleted, which cannot be undone. ' +
    'Admins only. The approver confirms by typing the instance’s name in a form. Refused while its primary ' +
    'node is offline or does not answer (Ganeti could not delete the disks there).',
  examples: [{ line: 'remove web5', what: 'remove web5 once another admin typed its name' }],
  group: 'approval',
  risk: 'destructive',
  params: { positionals: [{ name: 'instance', description: nameArgument.instance }] },
  schema: z.object({ instance: ganetiName('instance') }).strict(),
  plan: async (ctx, args) => {
    const state = await clusterState(ctx.cluster);
    const inst = await findInstance(ctx.cluster, state, args.instance);
    const primary = nodeByName(state, inst.primaryNode);
    if (!primary || primary.offline || primary.reachability !== 'ok') {
      throw new UserError(
        'primary_unavailable',
        `\`${inst.name}\` cannot be removed now: its primary node \`${inst.primaryNode}\` ${primary?.offline ? 'is marked offline' : 'does not answer'}, so Ganeti could not delete its disks there.`,
        { hint: 'Fail it over to a healthy node first, or bring the node back.' },
      );
    }
    const nodes = [inst.primaryNode, ...inst.secondaryNodes];
    return {
      title: `Remove ${inst.name}`,
      summary: `${inst.name} (${inst.diskTemplate}) on ${nodes.join(', ')}`,
      checks: [`\`${inst.name}\` is ${inst.status} on \`${inst.primaryNode}\`, which answers`],
      warnings: [
        `Its disks are deleted on ${nodes.map((n) => `\`${n}\``).join(' and ')}: this cannot be undone.`,
        ...(inst.running ? [`\`${inst.name}\` is running: it is shut down first.`] : []),
      ],
      confirmName: inst.name,
      steps: [
        {
          key: 'remove',
          label: `remove ${inst.name}`,
          action: { op: 'instance-remove', instance: inst.name },
        },
      ],
    };
  },
});
