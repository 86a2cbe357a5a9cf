import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineOperation, nameArgument } from '../define-command.js';
import { ganetiName } from '../names.js';
import { clusterState, findInstance, nodeByName, refuseUnreachableSource } from '../prechecks.js';

export const reboot = defineOperation({
  name: 'reboot',
  aliases: ['restart'],
  summary: 'Reboot a running instance (soft by default; --hard: stop and start it)',
  usage: 'reboot INSTANCE [--hard]',
  details:
    'Runs `gnt-instance reboot`: by default the instance’s OS is asked to reboot; `--hard` stops and starts ' +
    'the instance. Only a running instance whose primary node answers. Runs at once, without a confirmation card.',
  examples: [
    { line: 'reboot web1', what: 'a soft reboot of web1' },
    { line: 'reboot web1 --hard', what: 'stop and start web1 (its OS hangs)' },
  ],
  group: 'change',
  risk: 'write',
  params: {
    positionals: [{ name: 'instance', description: nameArgument.instance }],
    flags: {
      hard: { type: 'boolean', description: 'Stop and start the instance instead of a soft reboot.' },
    },
  },
  schema: z.object({ instance: ganetiName('instance'), hard: z.boolean().optional() }).strict(),
  plan: async (ctx, args) => {
    const state = await clusterState(ctx.cluster);
    const inst = await findInstance(ctx.cluster, state, args.instance);
    if (inst.status !== 'running') {
      throw new UserError(
        'not_running',
        `\`${inst.name}\` is not running (${inst.status}), so there is nothing to reboot.`,
        {
          hint: `Start it with \`/ganeti start ${inst.name}\`.`,
        },
      );
    }
    const primary = nodeByName(state, inst.primaryNode);
    if (primary) refuseUnreachableSource(primary, inst.name);
    const how = args.hard ? 'hard' : 'soft';
    return {
      title: `Reboot ${inst.name} (${how})`,
      summary: `${inst.name} on ${inst.primaryNode}`,
      checks: [`\`${inst.name}\` is running on \`${inst.primaryNode}\``],
      warnings: [],
      steps: [
        {
          key: 'reboot',
          label: `${how} reboot of ${inst.name}`,
          action: { op: 'instance-reboot', instance: inst.name, hard: args.hard === true },
        },
      ],
    };
  },
});
