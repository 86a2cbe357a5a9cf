import {
  hail,
  isFailure,
  isLvm,
  isMirrored,
  primaryProblem,
  resourceProblem,
  secondaryProblem,
  type Needs,
  type Placement,
} from './add-checks.js';
import { addJobLog, addOpcodeFields, type OpcodeNodes } from './add-opcode.js';
import type { AddRequest } from './add-options.js';
import { clusterSettings, seedOf } from './cluster-facts.js';
import { nodeName, type SimContext } from './command-context.js';
import { makeUuid, seeded } from './create-cluster.js';
import type { JobSpec } from './jobs.js';
import { first, prereq, unknownNode, type Failure } from './job-checks.js';
import { instanceByName, nodeByName, type SimCluster, type SimInstance } from './model.js';
import { planNic, reserveIp } from './nic-plan.js';

/** How long the lab's Ganeti would take, roughly: DRBD syncs, plain only installs. */
const DURATION_MS = { drbd: 9_000, plain: 6_000, diskless: 3_000 };

/** A MAC under the cluster's prefix that no instance has. */
function newMac(c: SimCluster, seed: number): string {
  const used = new Set(c.instances.flatMap((i) => i.nics.map((n) => n.mac)));
  const rnd = seeded(seed);
  for (;;) {
    const bytes = [0, 0, 0].map(() =>
      Math.floor(rnd() * 256)
        .toString(16)
        .padStart(2, '0'),
    );
    const mac = `aa:00:00:${bytes.join(':')}`;
    if (!used.has(mac)) return mac;
  }
}

/**
 * `gnt-instance add` as a job: checked when it starts, in the order of Ganeti's
 * `LUInstanceCreate` (CheckArguments, ExpandNames, CheckPrereq); on success the instance exists,
 * started, on the nodes given or those hail picked.
 */
export function addJob(ctx: SimContext, req: AddRequest): JobSpec {
  const { c, now } = ctx;
  const s = clusterSettings(c);
  const template = req.template ?? s.diskTemplates[0] ?? 'diskless';
  const mirrored = isMirrored(template);
  const needs: Needs = {
    name: req.name,
    template,
    os: req.os ?? '',
    memory: Number(req.beparams.maxmem ?? s.memory),
    vcpus: Number(req.beparams.vcpus ?? s.vcpus),
    diskMb: req.diskMb,
  };
  const pName = req.pnode === null ? null : nodeName(ctx, req.pnode);
  // Ganeti ignores a secondary for a template that is not mirrored, with a warning.
  const sName = req.snode === null || !mirrored ? null : nodeName(ctx, req.snode);
  // Without nodes, or with `-I .`, the cluster's default allocator (Ganeti's `CheckIAllocatorOrNode`).
  const allocator =
    req.iallocator === '.' || (req.iallocator === null && pName === null) ? s.iallocator : req.iallocator;
  // hail runs when the job is submitted here, so that its log can name the nodes.
  const planned: Placement | Failure | null = pName === null && allocator === 'hail' ? hail(c, needs) : null;
  const nic = planNic(s, req.nic);
  let placement: Placement | null = planned !== null && !isFailure(planned) ? planned : null;
  let ip: string | null = null;
  const check = first(
    () =>
      (s.diskTemplates as string[]).includes(template)
        ? null
        : prereq(
            '',
            `Disk template '${template}' is not enabled in cluster. Enabled disk templates are: ${s.diskTemplates.join(',')}`,
          ),
    () =>
      pName !== null && req.iallocator !== null
        ? prereq('wrong_input', 'Do not specify both, iallocator and node')
        : null,
    () =>
      pName === null && allocator === null
        ? prereq(
            'wrong_input',
            'No iallocator or node given and no cluster-wide default iallocator found; please specify either an iallocator or a node, or set a cluster-wide default iallocator',
          )
        : null,
    () =>
      pName !== null && mirrored && sName === null
        ? prereq('wrong_input', 'The networked disk templates need a mirror node')
        : null,
    () => (req.os === null ? prereq('wrong_input', 'No guest OS or OS image specified') : null),
    () =>
      instanceByName(c, req.name)
        ? prereq('already_exists', `Instance '${req.name}' is already in the cluster`)
        : null,
    () => {
      if (pName === null) return null;
      const p = nodeByName(c, pName);
      const sec = sName === null ? null : nodeByName(c, sName);
      if (!p) return unknownNode(req.pnode ?? '');
      if (sec === undefined) return unknownNode(req.snode ?? '');
      placement = { pnode: p, snode: sec };
      return null;
    },
    () =>
      isLvm(template) && s.volumeGroup === null
        ? prereq('wrong_state', 'Cluster does not support lvm-based instances')
        : null,
    () => (isFailure(nic) ? nic : null),
    () => (planned !== null && isFailure(planned) ? planned : null),
    () => (placement ? primaryProblem(placement.pnode) : null),
    () => {
      if (isFailure(nic)) return null;
      const reserved = reserveIp(c, s, nic);
      if (isFailure(reserved)) return reserved;
      ip = reserved.ip;
      return null;
    },
    () => (placement && mirrored ? secondaryProblem(placement.pnode, placement.snode) : null),
    () => (placement ? resourceProblem(c, s, needs, placement) : null),
  );
  // The nodes as the opcode shows them: hail's, or those given (when they exist).
  const shown: OpcodeNodes | null =
    placement ??
    (pName === null
      ? null
      : {
          pnode: nodeByName(c, pName) ?? null,
          snode: sName === null ? null : (nodeByName(c, sName) ?? null),
        });
  return {
    summary: `INSTANCE_CREATE(${req.name})`,
    opcode: {
      opId: 'OP_INSTANCE_CREATE',
      fields: addOpcodeFields(req, { template, hypervisor: s.hypervisors[0] ?? 'kvm', allocator, at: shown }),
    },
    client: ['gnt-instance', 'add'],
    reason: req.reason,
    durationMs: DURATION_MS[template as keyof typeof DURATION_MS] ?? 3_000,
    log: addJobLog(c, req, {
      template,
      allocator: pName === null ? allocator : null,
      hail: placement,
      nic: isFailure(nic) ? null : nic,
    }),
    check,
    effect: () => {
      const where = placement;
      if (!where || isFailure(nic) || instanceByName(c, req.name)) return;
      const seed = seedOf(`${req.name}/${c.nextJobId}`);
      const seconds = Math.floor(now() / 1000);
      const inst: SimInstance = {
        name: req.name,
        uuid: makeUuid(seeded(seed)),
        pnode: where.pnode.name,
        snode: mirrored ? (where.snode?.name ?? null) : null,
        adminUp: true,
        running: true,
        os: needs.os,
        hypervisor: s.hypervisors[0] ?? 'kvm',
        // One of s.diskTemplates, as the job's first check made sure.
        diskTemplate: template as SimInstance['diskTemplate'],
        memory: needs.memory,
        vcpus: needs.vcpus,
        disks: needs.diskMb === null ? [] : [needs.diskMb],
        nics: [{ mac: newMac(c, seed), ip: ip ?? 'None', mode: nic.mode, link: nic.link }],
        tags: [...req.tags],
        ctime: seconds,
        mtime: seconds,
        // Added (1), then marked up to start it (2), as the lab's new instances show.
        serial: 2,
      };
      const index = c.instances.findIndex((i) => i.name > inst.name);
      c.instances.splice(index === -1 ? c.instances.length : index, 0, inst);
    },
  };
}
