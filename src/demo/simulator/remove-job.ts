import type { JobSpec } from './jobs.js';
import { first, rpcError, unknownInstance } from './job-checks.js';
import { instanceByName, isSilent, nodeByName, type SimCluster } from './model.js';

/**
 * `gnt-instance remove -f` as a job (Ganeti's `LUInstanceRemove`): the instance is shut down on its primary, then its disks and its configuration go.
 * A primary marked offline or silent fails the shutdown, so nothing is removed.
 */
export function removeJob(c: SimCluster, name: string, reason: string | null): JobSpec {
  const inst = () => instanceByName(c, name);
  const i = inst();
  return {
    summary: `INSTANCE_REMOVE(${name})`,
    opcode: {
      opId: 'OP_INSTANCE_REMOVE',
      fields: {
        instance_name: name,
        ...(i ? { instance_uuid: i.uuid } : {}),
        shutdown_timeout: 120,
        ignore_failures: false,
      },
    },
    client: ['gnt-instance', 'remove'],
    reason,
    durationMs: i?.diskTemplate === 'diskless' ? 1_000 : 2_500,
    // Ganeti logs nothing to the job here (RemoveInstance logs to its own log file only).
    log: [],
    check: first(
      () => (inst() ? null : unknownInstance(name)),
      () => {
        const target = inst();
        const node = nodeByName(c, target?.pnode ?? '');
        if (!target || !node || (!node.offline && !isSilent(node))) return null;
        // Ganeti's RPC answers for an offline node without calling it (its `RpcResult`).
        const why = node.offline ? 'Node is marked offline' : rpcError(node);
        return {
          kind: 'OpExecError',
          message: `Could not shutdown instance ${target.name} on node ${node.name}: ${why}`,
          type: '',
        };
      },
    ),
    effect: () => {
      const index = c.instances.findIndex((x) => x.name === name);
      if (index >= 0) c.instances.splice(index, 1);
    },
  };
}
