import type { JobSpec } from './jobs.js';
import {
  allocate,
  first,
  noGoodNode,
  prereq,
  silentNode,
  unknownInstance,
  unknownNode,
} from './job-checks.js';
import {
  instanceByName,
  isSilent,
  nodeByName,
  type SimCluster,
  type SimInstance,
  type SimNode,
} from './model.js';

/** Moves the instance to `target`, swapping primary and secondary for DRBD. */
function move(i: SimInstance, target: string): void {
  if (i.diskTemplate === 'drbd' && i.snode === target) i.snode = i.pnode;
  i.pnode = target;
  i.serial += 1;
}

export interface MoveRequest {
  instance: string;
  target: string | null;
  reason: string | null;
  migrate: boolean;
  allowFailover: boolean;
}

/** `gnt-instance failover` and `migrate` as a job: prerequisites at its start, the move at its end. */
export function moveJob(c: SimCluster, req: MoveRequest): JobSpec {
  let target: SimNode | null = null;
  let failover = !req.migrate;
  const inst = () => instanceByName(c, req.instance);
  const check = first(
    () => (inst() ? null : unknownInstance(req.instance)),
    () => (req.target !== null && !nodeByName(c, req.target) ? unknownNode(req.target) : null),
    () => {
      const i = inst();
      if (!i) return null;
      const verb = req.migrate ? 'migrate' : 'failover';
      if (req.target === i.pnode)
        return prereq('wrong_state', `Cannot ${verb} instance ${i.name} to its primary (${i.pnode})`);
      if (i.diskTemplate === 'plain')
        return prereq('wrong_state', `Instance's disk layout 'plain' does not allow ${verb}s`);
      const primary = nodeByName(c, i.pnode);
      if (req.migrate && (primary?.offline || !i.running)) {
        if (!req.allowFailover)
          return prereq(
            'wrong_state',
            primary?.offline
              ? "Can't migrate, please use failover: Node is marked offline"
              : `Instance ${i.name} is not running`,
          );
        failover = true;
      }
      // Ganeti does not call a node marked offline: a failover from it goes ahead (the lab's
      // recover flow, test/integration/monitor-node-loss.test.ts); from a silent one it fails.
      if (primary && isSilent(primary) && !primary.offline) return silentNode(primary);
      if (i.diskTemplate === 'drbd') {
        if (req.target !== null && req.target !== i.snode)
          return prereq(
            'wrong_state',
            `Instances with disk template drbd can only be moved to their secondary node (${i.snode ?? 'none'})`,
          );
        target = nodeByName(c, i.snode ?? '') ?? null;
      } else {
        target = req.target === null ? allocate(c, [i.pnode]) : (nodeByName(c, req.target) ?? null);
      }
      if (target === null) return noGoodNode();
      if (target.offline)
        return prereq('environment_error', `Can't get data from node ${target.name}: Node is marked offline`);
      if (isSilent(target)) return silentNode(target);
      return null;
    },
  );
  const i = inst();
  const allocated = req.target === null && i !== undefined && i.diskTemplate !== 'drbd';
  const to = req.target ?? i?.snode ?? (allocated ? allocate(c, [i.pnode])?.name : undefined) ?? '';
  const from = i?.pnode ?? '';
  const log = req.migrate
    ? [
        `Migrating instance ${req.instance}`,
        '* checking disk consistency between source and target',
        `* closing instance disks on node ${to}`,
        `* opening instance disks on node ${from} in shared mode`,
        `* opening instance disks on node ${to} in shared mode`,
        `* preparing ${to} to accept the instance`,
        `* migrating instance to ${to}`,
        '* starting memory transfer',
        '* memory transfer complete',
        `* closing instance disks on node ${from}`,
        `* opening instance disks on node ${to} in exclusive mode`,
        '* done',
      ]
    : [
        ...(allocated
          ? [` - INFO: Selected nodes for instance ${req.instance} via iallocator hail: ${to}`]
          : []),
        `Failover instance ${req.instance}`,
        '* checking disk consistency between source and target',
        '* shutting down instance on source node',
        `* closing instance disks on node ${from}`,
        `* deactivating the instance's disks on source node`,
        `* activating the instance's disks on target node ${to}`,
        `* starting the instance on the target node ${to}`,
      ];
  const targetField: Record<string, string | null> =
    req.target === null
      ? {}
      : {
          target_node: req.target,
          // Ganeti adds the UUID only for a node it knows.
          ...(nodeByName(c, req.target) ? { target_node_uuid: nodeByName(c, req.target)?.uuid ?? null } : {}),
        };
  return {
    summary: `INSTANCE_${req.migrate ? 'MIGRATE' : 'FAILOVER'}(${req.instance})`,
    opcode: {
      opId: req.migrate ? 'OP_INSTANCE_MIGRATE' : 'OP_INSTANCE_FAILOVER',
      fields: {
        instance_name: req.instance,
        // Ganeti fills in the UUID and the allocator only for an instance it knows.
        ...(i ? { instance_uuid: i.uuid } : {}),
        // In the order of Ganeti's opcode definitions (test/fixtures/gnt-job_list.ops-with-reason.txt).
        ...(req.migrate ? { mode: 'live' } : { shutdown_timeout: 120, ignore_consistency: false }),
        ...targetField,
        ...(allocated ? { iallocator: 'hail' as string } : {}),
        ...(req.migrate ? { allow_runtime_changes: true } : {}),
        ignore_ipolicy: false,
        cleanup: false,
        ...(req.migrate ? { allow_failover: req.allowFailover, ignore_hvversions: false } : {}),
      },
    },
    client: ['gnt-instance', req.migrate ? 'migrate' : 'failover'],
    reason: req.reason,
    durationMs: req.migrate ? 2_900 : 2_600,
    log,
    check,
    effect: () => {
      const moving = inst();
      const dest = target as SimNode | null;
      if (!moving || !dest) return;
      move(moving, dest.name);
      // A failover starts the instance on the new node if it is meant to run; a migration keeps it running.
      if (failover) moving.running = moving.adminUp;
    },
  };
}
