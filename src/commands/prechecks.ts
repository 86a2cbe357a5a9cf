import type { GanetiClient } from '../cluster/ganeti-client.js';
import type { GanetiInstance, GanetiNode } from '../cluster/types.js';
import { UserError } from '../core/errors.js';
import { resolveInstance, resolveNode } from './resolve.js';

/** A snapshot of the cluster for pre-checks: one node list and one instance list. */
export interface ClusterState {
  nodes: GanetiNode[];
  instances: GanetiInstance[];
}

export async function clusterState(cluster: GanetiClient): Promise<ClusterState> {
  const [nodes, instances] = await Promise.all([cluster.nodes(), cluster.instances()]);
  return { nodes, instances };
}

export async function findInstance(
  cluster: GanetiClient,
  state: ClusterState,
  input: string,
): Promise<GanetiInstance> {
  const name = await resolveInstance(cluster, input);
  const found = state.instances.find((i) => i.name === name);
  if (!found)
    throw new UserError('unknown_instance', `\`${name}\` disappeared from the cluster while checking.`, {
      hint: 'Try again.',
    });
  return found;
}

export async function findNode(
  cluster: GanetiClient,
  state: ClusterState,
  input: string,
): Promise<GanetiNode> {
  const name = await resolveNode(cluster, input);
  const found = state.nodes.find((n) => n.name === name);
  if (!found)
    throw new UserError('unknown_node', `\`${name}\` disappeared from the cluster while checking.`, {
      hint: 'Try again.',
    });
  return found;
}

export function nodeByName(state: ClusterState, name: string): GanetiNode | undefined {
  return state.nodes.find((n) => n.name === name);
}

/** Disk templates whose data lives outside the node (Ganeti's DTS_EXT_MIRROR): any node can take them. */
export const EXTERNALLY_MIRRORED = new Set(['diskless', 'sharedfile', 'blockdev', 'rbd', 'ext', 'gluster']);

/** Why a node cannot receive an instance, or null when it can. */
export function targetProblem(node: GanetiNode): string | null {
  if (node.offline) return `\`${node.name}\` is marked offline`;
  if (node.reachability === 'unreachable') return `\`${node.name}\` does not answer the master`;
  if (node.drained) return `\`${node.name}\` is drained (it takes no instances)`;
  return null;
}

/**
 * A node the bot must not act from: unreachable but not marked offline. Ganeti cannot stop its
 * instances, so moving them would fail or, worse, run them twice. The safe path is to make sure
 * the node is down and mark it offline first.
 */
export function refuseUnreachableSource(node: GanetiNode, what: string): void {
  if (node.reachability === 'unreachable' && !node.offline) {
    throw new UserError(
      'source_unreachable',
      `\`${node.name}\` does not answer the master, so Ganeti cannot stop ${what} there; moving it now could run it twice.`,
      {
        hint: `If ${node.name} is really down (powered off or fenced), mark it offline first with \`/ganeti offline ${node.name}\`, then try again.`,
      },
    );
  }
}
