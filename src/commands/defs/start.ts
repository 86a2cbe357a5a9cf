import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineOperation, nameArgument } from '../define-command.js';
import { ganetiName } from '../names.js';
import { clusterState, findInstance, nodeByName, targetProblem } from '../prechecks.js';

export const start = defineOperation({
  name: 'start',
  aliases: ['startup'],
  summary: 'Start a stopped instance on its primary node',
  usage: 'start INSTANCE',
  details:
    'Runs `gnt-instance startup`. Refused when the instance already runs, or when its primary node does not ' +
    'answer or is marked offline (fail it over first). Runs at once, without a confirmation card.',
  examples: [{ line: 'start web1', what: 'start web1 again after a shutdown' }],
  group: 'change',
  risk: 'write',
  params: { positionals: [{ name: 'instance', description: nameArgument.instance }] },
  schema: z.object({ instance: ganetiName('instance') }).strict(),
  plan: async (ctx, args) => {
    const state = await clusterState(ctx.cluster);
    const inst = await findInstance(ctx.cluster, state, args.instance);
    if (inst.status === 'running')
      throw new UserError(
        'already_running',
        `\`${inst.name}\` is already running on \`${inst.primaryNode}\`.`,
      );
    const primary = nodeByName(state, inst.primaryNode);
    const problem = primary ? targetProblem(primary) : `its primary node \`${inst.primaryNode}\` is unknown`;
    if (problem && !primary?.drained) {
      throw new UserError('primary_unavailable', `\`${inst.name}\` cannot start: ${problem}.`, {
        hint: 'Fail it over to a healthy node first (`/ganeti failover INSTANCE`).',
      });
    }
    return {
      title: `Start ${inst.name}`,
      summary: `${inst.name} on ${inst.primaryNode}`,
      checks: [`\`${inst.name}\` is ${inst.status}`, `primary node \`${inst.primaryNode}\` answers`],
      warnings: [],
      steps: [
        {
          key: 'start',
          label: `start ${inst.name}`,
          action: { op: 'instance-startup', instance: inst.name },
        },
      ],
    };
  },
});
