/** What the simulated jobs check before they run, with the texts Ganeti gives (test/fixtures/error.*). */
import { nodeDiskFree, nodeMemoryFree } from './fields.js';
import { isSilent, type SimCluster, type SimNode } from './model.js';

export type Failure = { kind: string; message: string; type: string };
export type Check = () => Failure | null;

export const prereq = (type: string, message: string): Failure => ({ kind: 'OpPrereqError', message, type });
export const unknownInstance = (name: string) => prereq('unknown_entity', `Instance '${name}' not known`);
export const unknownNode = (name: string) => prereq('unknown_entity', `Node '${name}' not known`);

/** What Ganeti's RPC says about a node it cannot reach (the lab's captures, test/fixtures/error.*). */
export function rpcError(node: SimNode): string {
  const after = node.fault === 'noded-down' ? 52 : 3067;
  return `Error 7: Failed to connect to ${node.ip} port 1811 after ${after} ms: Couldn't connect to server`;
}

export const silentNode = (node: SimNode): Failure => ({
  kind: 'OpExecError',
  message: `Can't get data for node ${node.name}: ${rpcError(node)}`,
  type: '',
});

/** The first failing check, or null. */
export const first =
  (...checks: Check[]): Check =>
  () => {
    for (const check of checks) {
      const failure = check();
      if (failure) return failure;
    }
    return null;
  };

/** Where `hail` would put an instance: the usable node with the most free memory, or null. */
export function allocate(c: SimCluster, exclude: readonly string[]): SimNode | null {
  const usable = c.nodes.filter((n) => !exclude.includes(n.name) && !n.offline && !n.drained && !isSilent(n));
  usable.sort(
    (a, b) => nodeMemoryFree(c, b) - nodeMemoryFree(c, a) || nodeDiskFree(c, b) - nodeDiskFree(c, a),
  );
  return usable[0] ?? null;
}

export const noGoodNode = () =>
  prereq(
    'insufficient_resources',
    "Can't compute nodes using iallocator 'hail': Request failed: Can't find any good node: ",
  );
