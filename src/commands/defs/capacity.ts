import { z } from 'zod';
import type { GanetiInstance, GanetiNode } from '../../cluster/types.js';
import { defineCommand } from '../define-command.js';
import type { NodeLossCheck } from '../results.js';

/** Disk templates whose data lives only on the primary node: such an instance cannot fail over. */
const NOT_MIRRORED = new Set(['plain', 'file']);

const nodeState = (n: GanetiNode): NodeLossCheck['state'] =>
  n.offline ? 'offline' : n.reachability !== 'ok' ? 'unreachable' : n.drained ? 'drained' : 'ok';

/** Nodes that can take instances: online, answering (so their free memory is known), not drained. */
const canTake = (n: GanetiNode) => nodeState(n) === 'ok' && n.memoryFreeMiB !== null;

const bySizeThenName = (a: GanetiInstance, b: GanetiInstance) =>
  (b.memoryMiB ?? 0) - (a.memoryMiB ?? 0) || a.name.localeCompare(b.name);

/**
 * "If `lost` died, would its instances fit elsewhere?" DRBD instances can only fail over to their
 * secondary, so they are placed first; the others (diskless, shared or external storage) go
 * first fit, largest first, onto the other usable nodes in list order. Memory only: hcheck and
 * hspace cover disks and CPUs.
 */
export function checkNodeLoss(
  lost: GanetiNode,
  nodes: readonly GanetiNode[],
  instances: readonly GanetiInstance[],
): NodeLossCheck {
  const free = new Map(
    nodes.filter((n) => n.name !== lost.name && canTake(n)).map((n) => [n.name, n.memoryFreeMiB ?? 0]),
  );
  const moving = instances.filter((i) => i.primaryNode === lost.name && i.adminState === 'up');
  const result: NodeLossCheck = {
    node: lost.name,
    state: nodeState(lost),
    toRelocate: moving.length,
    neededMiB: moving.reduce((sum, i) => sum + (i.memoryMiB ?? 0), 0),
    freeElsewhereMiB: [...free.values()].reduce((sum, mib) => sum + mib, 0),
    placements: [],
    stranded: [],
  };
  const place = (instance: GanetiInstance, memoryMiB: number, to: string) => {
    free.set(to, (free.get(to) ?? 0) - memoryMiB);
    result.placements.push({ instance: instance.name, memoryMiB, to });
  };
  const strand = (instance: GanetiInstance, reason: NodeLossCheck['stranded'][number]['reason']) =>
    result.stranded.push({ instance: instance.name, memoryMiB: instance.memoryMiB, reason });

  const sorted = [...moving].sort(bySizeThenName);
  for (const i of sorted.filter((x) => x.diskTemplate === 'drbd')) {
    const secondary = i.secondaryNodes[0];
    if (i.memoryMiB === null) strand(i, 'memory-unknown');
    else if (secondary === undefined || !free.has(secondary)) strand(i, 'secondary-unusable');
    else if ((free.get(secondary) ?? 0) >= i.memoryMiB) place(i, i.memoryMiB, secondary);
    else strand(i, 'no-room');
  }
  for (const i of sorted.filter((x) => x.diskTemplate !== 'drbd')) {
    if (NOT_MIRRORED.has(i.diskTemplate)) {
      strand(i, 'not-mirrored');
      continue;
    }
    const memoryMiB = i.memoryMiB;
    if (memoryMiB === null) {
      strand(i, 'memory-unknown');
      continue;
    }
    const target = [...free.entries()].find(([, mib]) => mib >= memoryMiB)?.[0];
    if (target === undefined) strand(i, 'no-room');
    else place(i, memoryMiB, target);
  }
  return result;
}

/**
 * Where every primary instance of a dead node would go, stopped ones included (so they can be
 * started elsewhere later): the recovery plan (`recover`) and the monitor's alert use this.
 */
export function checkNodeEvacuation(
  lost: GanetiNode,
  nodes: readonly GanetiNode[],
  instances: readonly GanetiInstance[],
): NodeLossCheck {
  const asUp = instances.map((i) => (i.primaryNode === lost.name ? { ...i, adminState: 'up' } : i));
  return checkNodeLoss(lost, nodes, asUp);
}

export const capacity = defineCommand({
  name: 'capacity',
  aliases: ['n+1', 'headroom'],
  summary: 'Can the cluster lose any one node? Per-node headroom, Ganeti’s hcheck and hspace',
  usage: 'capacity',
  details:
    'For each node: if it died, would its running instances fit in the free memory of the other nodes ' +
    '(first fit, largest first; DRBD instances only onto their secondary)? Also shows `hcheck` ' +
    '(N+1 failures, instances on offline nodes) and `hspace` (how many more instances fit).',
  examples: [{ line: 'capacity', what: 'whether every node’s instances would fit elsewhere' }],
  group: 'read',
  risk: 'read',
  params: {},
  schema: z.object({}).strict(),
  run: async (ctx) => {
    const started = ctx.now();
    ctx.progress('Asking hcheck and hspace, and the nodes for their free memory…');
    const [health, space, nodes, instances] = await Promise.all([
      ctx.cluster.hcheck(),
      ctx.cluster.hspace(),
      ctx.cluster.nodes(),
      ctx.cluster.instances(),
    ]);
    return {
      kind: 'capacity',
      health,
      space,
      nodeLoss: nodes.map((node) => checkNodeLoss(node, nodes, instances)),
      durationMs: ctx.now() - started,
    };
  },
});
