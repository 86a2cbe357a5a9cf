import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineOperation } from '../define-command.js';
import { ganetiName } from '../names.js';
import type { PlannedStep } from '../operation-plan.js';
import { clusterState, findNode } from '../prechecks.js';
import { checkNodeEvacuation } from './capacity.js';

/**
 * The guarded evacuation of a dead node (the incident's **Fail over N instances** button, or
 * typed): mark it offline first, then fail every primary instance over to a healthy node, each
 * an exactly-once Ganeti job. Approving attests that the node is powered off or fenced: a node
 * that is only cut off may still run its instances, and starting them elsewhere would run them
 * twice on diverging disks.
 */
export const recover = defineOperation({
  name: 'recover',
  aliases: ['failover-node'],
  summary: 'Fail over a dead node’s instances: mark it offline, then restart each on a healthy node',
  usage: 'recover NODE',
  details:
    'For a node that is down (powered off, fenced). The approver confirms it is off: a node that is only ' +
    'cut off may still run its instances. Capacity is checked first; instances with no healthy target stay. ' +
    'The bot never moves anything back by itself.',
  examples: [
    {
      line: 'recover node3',
      what: 'restart dead node3’s instances elsewhere (the alert’s Fail over button)',
    },
  ],
  group: 'node-loss',
  risk: 'destructive',
  params: { positionals: [{ name: 'node', description: 'The dead node (a short name will do).' }] },
  schema: z.object({ node: ganetiName('node') }).strict(),
  plan: async (ctx, args) => {
    const state = await clusterState(ctx.cluster);
    const node = await findNode(ctx.cluster, state, args.node);
    if (node.role === 'master')
      throw new UserError(
        'is_master',
        `\`${node.name}\` is the master; make another candidate the master first.`,
        {
          hint: 'The master-loss alert offers **Make NODE master**.',
        },
      );
    if (node.reachability === 'ok' && !node.offline)
      throw new UserError('node_answers', `\`${node.name}\` answers the master: it is not dead.`, {
        hint: `Move its instances live with \`/ganeti evacuate ${node.name}\`.`,
      });
    const primaries = state.instances.filter((i) => i.primaryNode === node.name);
    if (primaries.length === 0)
      throw new UserError('nothing_to_do', `\`${node.name}\` has no primary instances to fail over.`);
    const loss = checkNodeEvacuation(node, state.nodes, state.instances);
    const byName = new Map(primaries.map((i) => [i.name, i]));
    const steps: PlannedStep[] = [];
    if (!node.offline)
      steps.push({
        key: `offline-${node.name}`,
        label: `${node.name}: mark offline`,
        action: { op: 'node-set', node: node.name, flag: 'offline', value: true },
        first: true,
      });
    for (const p of loss.placements) {
      const inst = byName.get(p.instance);
      if (!inst) continue;
      steps.push({
        key: inst.name,
        label: `${inst.name}: ${node.name} → ${p.to}`,
        // From an offline node a migrate that may fail over does so without asking (Ganeti 3.0);
        // DRBD goes to its secondary, which Ganeti picks itself.
        action: {
          op: 'instance-migrate',
          instance: inst.name,
          target: inst.diskTemplate === 'drbd' ? null : p.to,
          allowFailover: true,
        },
      });
    }
    const stranded = loss.stranded.map((s) => `${s.instance} (${s.reason})`);
    if (steps.every((s) => s.first))
      throw new UserError(
        'nothing_movable',
        `No instance on \`${node.name}\` has a healthy node to go to: ${stranded.join(', ')}.`,
      );
    const secondaries = state.instances
      .filter((i) => i.secondaryNodes.includes(node.name))
      .map((i) => i.name);
    const warnings = [
      'Each instance is restarted on its new node: a short outage each.',
      `Never bring ${node.name} back online while it may still run its old instances (split brain); the bot never fails back.`,
      ...(stranded.length > 0
        ? [`These stay on ${node.name}, with no healthy node that can take them: ${stranded.join(', ')}.`]
        : []),
      ...(secondaries.length > 0
        ? [`These lose their DRBD secondary and run without redundancy: ${secondaries.join(', ')}.`]
        : []),
    ];
    return {
      title: `Fail over ${loss.placements.length} instance(s) from ${node.name}`,
      summary: `${node.name} (${node.offline ? 'offline' : 'not answering'}): ${loss.placements.map((p) => `${p.instance} → ${p.to}`).join(', ')}`,
      checks: [
        'the master answers',
        `${node.name} ${node.offline ? 'is marked offline' : 'does not answer the master; it is marked offline first'}`,
        `${loss.freeElsewhereMiB} MiB free on the other nodes for ${loss.neededMiB} MiB of instances that should run`,
      ],
      warnings,
      attestation: `I confirm ${node.name} is powered off or fenced (out-of-band).`,
      steps,
    };
  },
});
