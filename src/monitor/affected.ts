import type { GanetiInstance, GanetiNode } from '../cluster/types.js';
import { checkNodeEvacuation } from '../commands/defs/capacity.js';
import type { AffectedInstance, IncidentNode, InstanceModel, LossCause, NodeModel } from './types.js';

/** The monitor's node as the capacity check's GanetiNode (the same N+1 rules as `/ganeti capacity`). */
export function asGanetiNode(n: NodeModel): GanetiNode {
  const reachability = n.observed === 'ok' ? 'ok' : n.observed === 'offline' ? 'offline' : 'unreachable';
  return {
    name: n.name,
    role: n.role,
    offline: n.offline,
    drained: n.drained,
    masterCandidate: n.masterCandidate,
    reachability,
    memoryTotalMiB: n.memoryTotalMiB,
    memoryNodeMiB: null,
    memoryFreeMiB: reachability === 'ok' ? n.memoryFreeMiB : null,
    diskTotalMiB: n.diskTotalMiB,
    diskFreeMiB: n.diskFreeMiB,
    primaryInstances: n.primaryInstances.length,
    secondaryInstances: n.secondaryInstances.length,
  };
}

export function asGanetiInstance(i: InstanceModel): GanetiInstance {
  return {
    name: i.name,
    primaryNode: i.primaryNode,
    secondaryNodes: i.secondaryNodes,
    status: i.status,
    running: i.running,
    adminState: i.adminState,
    diskTemplate: i.diskTemplate,
    memoryMiB: i.memoryMiB,
    vcpus: null,
    tags: i.tags ?? [],
  };
}

const STRANDED: Record<string, string> = {
  'no-room': 'no node has the memory for it',
  'secondary-unusable': 'its DRBD secondary cannot take it',
  'not-mirrored': 'its disks live only on this node',
  'memory-unknown': 'its memory size is unknown',
};

/**
 * What losing `lost` means: its primary instances with the node each would move to (DRBD: its
 * secondary; otherwise first fit by free memory, as `/ganeti capacity` computes it), the
 * instances that lose their secondary, and whether the other nodes have the memory (N+1).
 * Stopped instances move too (nothing needs their memory) so they can be started elsewhere.
 */
export function affectedBy(
  lost: NodeModel,
  nodes: readonly NodeModel[],
  instances: readonly InstanceModel[],
): Pick<IncidentNode, 'primaries' | 'secondaries' | 'capacityOk' | 'freeMiB' | 'neededMiB'> {
  const gNodes = nodes.map(asGanetiNode);
  const lostNode = asGanetiNode(lost);
  const all = instances.map(asGanetiInstance);
  const check = checkNodeEvacuation(lostNode, gNodes, all);
  const placed = new Map(check.placements.map((p) => [p.instance, p.to]));
  const stranded = new Map(check.stranded.map((s) => [s.instance, STRANDED[s.reason] ?? s.reason]));
  const primaries: AffectedInstance[] = instances
    .filter((i) => i.primaryNode === lost.name)
    .map((i) => ({
      name: i.name,
      status: i.status,
      adminState: i.adminState,
      memoryMiB: i.memoryMiB,
      diskTemplate: i.diskTemplate,
      target: placed.get(i.name) ?? null,
      stranded: placed.has(i.name) ? null : (stranded.get(i.name) ?? 'no node can take it'),
    }));
  const needed = primaries.filter((p) => p.adminState === 'up').reduce((s, p) => s + (p.memoryMiB ?? 0), 0);
  const runningStranded = primaries.some((p) => p.adminState === 'up' && p.target === null);
  return {
    primaries,
    secondaries: instances.filter((i) => i.secondaryNodes.includes(lost.name)).map((i) => i.name),
    capacityOk: !runningStranded,
    freeMiB: check.freeElsewhereMiB,
    neededMiB: needed,
  };
}

/** A new entry for a lost node in an incident. */
export function incidentNode(
  lost: NodeModel,
  nodes: readonly NodeModel[],
  instances: readonly InstanceModel[],
  wasMaster: boolean,
): IncidentNode {
  return {
    name: lost.name,
    since: lost.badSince ?? lost.since,
    cause: lost.cause ?? ('no-answer' satisfies LossCause),
    wasMaster,
    ...affectedBy(lost, nodes, instances),
    returnedAt: null,
    returnedWhileOffline: false,
    recoveredAt: null,
  };
}
