import { z } from 'zod';
import type { GanetiNode } from '../cluster/types.js';
import { UserError } from '../core/errors.js';
import { defineOperation, nameArgument } from './define-command.js';
import { ganetiName } from './names.js';
import { clusterState, findNode } from './prechecks.js';
import type { Command, CommandExample } from './types.js';

interface NodeFlagSpec {
  name: string;
  summary: string;
  details: string;
  examples: readonly [CommandExample, ...CommandExample[]];
  flag: 'drained' | 'offline';
  value: boolean;
  /** Extra warnings for the card, from the node's state. */
  warnings: (node: GanetiNode) => string[];
}

const has = (node: GanetiNode, flag: 'drained' | 'offline') =>
  flag === 'drained' ? node.drained : node.offline;

/** drain, undrain, offline, online: one `gnt-node modify` each, with the same checks. */
export function nodeFlagCommand(spec: NodeFlagSpec): Command {
  const word = spec.value ? spec.flag : spec.flag === 'drained' ? 'not drained' : 'online';
  return defineOperation({
    name: spec.name,
    summary: spec.summary,
    usage: `${spec.name} NODE`,
    details: spec.details,
    examples: spec.examples,
    group: 'node-role',
    risk: 'destructive',
    params: { positionals: [{ name: 'node', description: nameArgument.node }] },
    schema: z.object({ node: ganetiName('node') }).strict(),
    plan: async (ctx, args) => {
      const state = await clusterState(ctx.cluster);
      const node = await findNode(ctx.cluster, state, args.node);
      if (has(node, spec.flag) === spec.value)
        throw new UserError('no_change', `\`${node.name}\` is already ${word}.`);
      if (node.role === 'master' && spec.value) {
        throw new UserError(
          'is_master',
          `\`${node.name}\` is the master; Ganeti does not let the master be ${spec.flag}.`,
          {
            hint: 'Move the master role first (gnt-cluster master-failover on another candidate).',
          },
        );
      }
      return {
        title: `${spec.name[0]?.toUpperCase()}${spec.name.slice(1)} ${node.name}`,
        summary: `${node.name}: ${spec.flag} ${has(node, spec.flag) ? 'yes' : 'no'} → ${spec.value ? 'yes' : 'no'}`,
        checks: [
          `\`${node.name}\` is ${node.role}, ${node.primaryInstances} primary / ${node.secondaryInstances} secondary instance(s)`,
        ],
        warnings: spec.warnings(node),
        steps: [
          {
            key: `${spec.flag}-${node.name}`,
            label: `${node.name}: ${spec.flag} → ${spec.value ? 'yes' : 'no'}`,
            action: { op: 'node-set', node: node.name, flag: spec.flag, value: spec.value },
          },
        ],
      };
    },
  });
}
