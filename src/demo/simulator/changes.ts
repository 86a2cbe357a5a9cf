import { isCandidate } from './fields.js';
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
import { instanceByName, isSilent, nodeByName, type SimCluster, type SimNode } from './model.js';

/** startup, shutdown, reboot: the instance's node must be usable. */
export function powerJob(
  c: SimCluster,
  name: string,
  what: 'startup' | 'shutdown' | 'reboot',
  reason: string | null,
  rebootType: string,
): JobSpec {
  const inst = () => instanceByName(c, name);
  const i = inst();
  return {
    summary: `INSTANCE_${what.toUpperCase()}(${name})`,
    opcode: {
      opId: `OP_INSTANCE_${what.toUpperCase()}`,
      fields: {
        instance_name: name,
        instance_uuid: i?.uuid ?? null,
        // In the order of Ganeti's opcode definitions (test/fixtures/gnt-job_list.ops-with-reason.txt).
        ...(what === 'reboot'
          ? { shutdown_timeout: 120, ignore_secondaries: false, reboot_type: rebootType }
          : { force: false, ignore_offline_nodes: false }),
        ...(what === 'shutdown' ? { timeout: 120, no_remember: false, admin_state_source: 'admin' } : {}),
        ...(what === 'startup'
          ? { hvparams: {}, beparams: {}, no_remember: false, startup_paused: false, shutdown_timeout: 120 }
          : {}),
      },
    },
    client: ['gnt-instance', what],
    reason,
    durationMs: what === 'reboot' ? 1_500 : 1_200,
    log: [],
    check: first(
      () => (inst() ? null : unknownInstance(name)),
      () => {
        const node = nodeByName(c, inst()?.pnode ?? '');
        if (node?.offline) return prereq('wrong_state', `Can't use offline node: ${node.name}`);
        return node && isSilent(node) ? silentNode(node) : null;
      },
    ),
    effect: () => {
      const target = inst();
      if (!target) return;
      if (what === 'shutdown') target.adminUp = false;
      else target.adminUp = true;
      target.running = what !== 'shutdown';
    },
  };
}

/** `gnt-instance replace-disks -n NODE`: the DRBD secondary moves to NODE. */
export function replaceSecondaryJob(
  c: SimCluster,
  name: string,
  node: string,
  reason: string | null,
): JobSpec {
  const inst = () => instanceByName(c, name);
  return {
    summary: `INSTANCE_REPLACE_DISKS(${name})`,
    opcode: {
      opId: 'OP_INSTANCE_REPLACE_DISKS',
      fields: {
        instance_name: name,
        instance_uuid: inst()?.uuid ?? null,
        mode: 'replace_new_secondary',
        remote_node: node,
        early_release: false,
        ignore_ipolicy: false,
      },
    },
    client: ['gnt-instance', 'replace-disks'],
    reason,
    durationMs: 4_000,
    log: [
      `Replacing disk(s) for instance ${name}`,
      `* changing secondary to ${node}`,
      '* syncing devices',
      '* done',
    ],
    check: first(
      () => (inst() ? null : unknownInstance(name)),
      () => (nodeByName(c, node) ? null : unknownNode(node)),
      () => {
        const i = inst();
        const n = nodeByName(c, node);
        if (!i || !n) return null;
        if (i.diskTemplate !== 'drbd')
          return prereq(
            'wrong_state',
            `Can only replace the secondary of a DRBD instance; ${name} is ${i.diskTemplate}`,
          );
        if (node === i.pnode || node === i.snode)
          return prereq('wrong_state', `The specified node is already used by the instance: ${node}`);
        if (n.offline) return prereq('wrong_state', `Can't use offline node: ${node}`);
        return isSilent(n) ? silentNode(n) : null;
      },
    ),
    effect: () => {
      const i = inst();
      if (i) {
        i.snode = node;
        i.serial += 1;
      }
    },
  };
}

/** `gnt-node modify --drained|--offline yes|no`. */
export function nodeFlagJob(
  c: SimCluster,
  name: string,
  flag: 'drained' | 'offline',
  value: boolean,
  reason: string | null,
): JobSpec {
  const node = () => nodeByName(c, name);
  return {
    summary: `NODE_SET_PARAMS(${name})`,
    opcode: {
      opId: 'OP_NODE_SET_PARAMS',
      fields: {
        node_name: name,
        node_uuid: node()?.uuid ?? null,
        force: flag === 'offline' && !value,
        hv_state: {},
        disk_state: {},
        ...(value ? {} : { master_candidate: node()?.role !== 'regular' }),
        [flag]: value,
        auto_promote: false,
      },
    },
    client: ['gnt-node', 'modify'],
    reason,
    durationMs: 400,
    log: [],
    check: first(
      () => (node() ? null : unknownNode(name)),
      () =>
        node()?.role === 'master' && value
          ? prereq('wrong_input', `The master role can be changed only via master-failover`)
          : null,
    ),
    effect: () => {
      const n = node();
      if (n) n[flag] = value;
    },
  };
}

/** `gnt-node evacuate --secondary-only`: every DRBD secondary on the node moves elsewhere. */
export function evacuateSecondariesJob(c: SimCluster, name: string, reason: string | null): JobSpec {
  const node = () => nodeByName(c, name);
  const moving = () => c.instances.filter((i) => i.snode === name);
  const plan = new Map<string, string>();
  return {
    summary: `NODE_EVACUATE(${name})`,
    opcode: {
      opId: 'OP_NODE_EVACUATE',
      fields: {
        node_name: name,
        node_uuid: node()?.uuid ?? null,
        mode: 'secondary-only',
        iallocator: 'hail',
        early_release: false,
      },
    },
    client: ['gnt-node', 'evacuate'],
    reason,
    durationMs: Math.min(10_000, 1_000 + 500 * moving().length),
    log: moving().map((i) => `Replacing the secondary of ${i.name}`),
    check: first(
      () => (node() ? null : unknownNode(name)),
      () => {
        for (const i of moving()) {
          const to = allocate(c, [name, i.pnode]);
          if (!to) return noGoodNode();
          plan.set(i.name, to.name);
        }
        return null;
      },
    ),
    effect: () => {
      for (const i of moving()) {
        const to = plan.get(i.name);
        if (to) i.snode = to;
      }
    },
  };
}

/** `gnt-cluster master-failover` run on `node`: it becomes the master, the old one a candidate. */
export function masterFailover(c: SimCluster, node: SimNode): string | null {
  if (node.role === 'master') return 'This node is already the master';
  if (!isCandidate(node)) return `This node is not a master candidate`;
  for (const n of c.nodes) if (n.role === 'master') n.role = 'candidate';
  node.role = 'master';
  return null;
}
