import { z } from 'zod';
import { isUserError, UserError } from '../../core/errors.js';
import { defineOperation, nameArgument } from '../define-command.js';
import { ganetiName } from '../names.js';
import type { PlannedStep } from '../operation-plan.js';
import { checkMove } from '../plan-move.js';
import { clusterState, findNode, refuseUnreachableSource, targetProblem } from '../prechecks.js';

export const evacuate = defineOperation({
  name: 'evacuate',
  aliases: ['evac'],
  summary: 'Move every primary instance (and with --secondaries every secondary) off a node',
  usage: 'evacuate NODE [--mode migrate|failover] [--secondaries]',
  details:
    'Running instances are live-migrated (`--mode failover` restarts them instead); stopped ones are failed over. ' +
    'From a node marked offline everything is failed over. Jobs run a few at a time (GANETI_MAX_PARALLEL_JOBS); ' +
    'progress is shown per instance, then what moved and what did not.',
  examples: [
    { line: 'evacuate node3', what: 'move every primary instance off node3' },
    { line: 'evacuate node3 --secondaries', what: 'empty node3 completely, e.g. before maintenance' },
  ],
  group: 'approval',
  risk: 'destructive',
  params: {
    positionals: [{ name: 'node', description: nameArgument.node }],
    flags: {
      mode: {
        type: 'string',
        short: 'm',
        value: 'migrate|failover',
        description:
          '`migrate` (the default) moves running instances live; `failover` restarts them instead.',
      },
      secondaries: {
        type: 'boolean',
        description: 'Also give the DRBD instances that have their secondary on this node a new secondary.',
      },
    },
  },
  schema: z
    .object({
      node: ganetiName('node'),
      mode: z.enum(['migrate', 'failover'], { message: 'must be migrate or failover' }).optional(),
      secondaries: z.boolean().optional(),
    })
    .strict(),
  plan: async (ctx, args) => {
    const state = await clusterState(ctx.cluster);
    const node = await findNode(ctx.cluster, state, args.node);
    refuseUnreachableSource(node, 'its instances');
    const primaries = state.instances.filter((i) => i.primaryNode === node.name);
    const secondaries = state.instances.filter((i) => i.secondaryNodes.includes(node.name));
    if (primaries.length === 0 && (!args.secondaries || secondaries.length === 0)) {
      throw new UserError(
        'nothing_to_do',
        `\`${node.name}\` has no ${args.secondaries ? 'primary or secondary ' : 'primary '}instances to move.`,
      );
    }
    const steps: PlannedStep[] = [];
    const warnings: string[] = [];
    for (const inst of primaries) {
      const live = inst.status === 'running' && !node.offline && args.mode !== 'failover';
      try {
        steps.push(checkMove(state, inst, live ? 'migrate' : 'failover', null).step);
      } catch (error) {
        if (!isUserError(error)) throw error;
        warnings.push(`stays on \`${node.name}\`: ${error.userMessage}`);
      }
    }
    if (args.secondaries && secondaries.length > 0) {
      steps.push({
        key: `secondaries-${node.name}`,
        label: `new secondaries for ${secondaries.length} DRBD instance(s) (${secondaries.map((i) => i.name).join(', ')})`,
        action: { op: 'node-evacuate-secondaries', node: node.name },
      });
    }
    if (steps.length === 0)
      throw new UserError(
        'nothing_movable',
        `No instance on \`${node.name}\` can be moved: ${warnings.join('; ')}`,
      );

    const healthy = state.nodes.filter((n) => n.name !== node.name && targetProblem(n) === null);
    const free = healthy.reduce((sum, n) => sum + (n.memoryFreeMiB ?? 0), 0);
    // Instances meant to be up are started on their new node and need its memory.
    const needed = primaries
      .filter((i) => i.adminState === 'up')
      .reduce((sum, i) => sum + (i.memoryMiB ?? 0), 0);
    const checks = [
      `${primaries.length} primary instance(s) on \`${node.name}\`${node.offline ? ' (marked offline: they will be failed over)' : ''}`,
      `${healthy.length} other node(s) can take instances, ${free} MiB free for ${needed} MiB`,
    ];
    if (needed > free)
      warnings.push(
        `The other nodes have ${free} MiB free but the instances need ${needed} MiB: some moves will fail.`,
      );
    if (
      steps.some(
        (s) =>
          s.action.op === 'instance-failover' ||
          (s.action.op === 'instance-migrate' && s.action.allowFailover),
      )
    ) {
      warnings.push('Instances that are failed over are restarted: a short outage each.');
    }
    return {
      title: `Evacuate ${node.name}`,
      summary: `${steps.length} move(s) off ${node.name}`,
      checks,
      warnings,
      steps,
    };
  },
});
