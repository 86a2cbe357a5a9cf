import { isFailure, isMirrored, type Placement } from './add-checks.js';
import type { AddRequest } from './add-options.js';
import { clusterSettings } from './cluster-facts.js';
import type { OpValue, SimCluster, SimNode } from './model.js';
import { reserveIp, type NicPlan } from './nic-plan.js';

/** The nodes an opcode names: null for one given with `-n` that Ganeti does not know. */
export interface OpcodeNodes {
  pnode: SimNode | null;
  snode: SimNode | null;
}

/** The job log of Ganeti's `LUInstanceCreate.Exec`, with what `WaitForSync` reports. */
function execLog(name: string, template: string): string[] {
  const waits = (progress: string[]) => [
    ` - INFO: Waiting for instance ${name} to sync disks`,
    ...progress,
    ` - INFO: Instance ${name}'s disks are in sync`,
  ];
  const disks =
    template === 'diskless'
      ? []
      : [
          ...waits(
            template === 'drbd'
              ? [
                  ' - INFO: - device disk/0: 31.40% done, 12s remaining (estimated)',
                  ' - INFO: - device disk/0: 78.90% done, 3s remaining (estimated)',
                ]
              : [],
          ),
          ...waits([]),
          '* running the instance OS create scripts...',
        ];
  return [
    '* creating instance disks...',
    `adding instance ${name} to cluster config`,
    'adding disks to cluster config',
    ...disks,
    '* starting instance...',
  ];
}

/** What Ganeti logs of a NIC on a network: its parameters, and the IP it picked for `pool`. */
function networkLog(c: SimCluster, nic: NicPlan): string[] {
  const picked = nic.pool ? reserveIp(c, clusterSettings(c), nic) : null;
  return [
    ` - INFO: NIC/0 inherits netparams ['${nic.mode}', '${nic.link}', '']`,
    ...(picked && !isFailure(picked)
      ? [` - INFO: Chose IP ${picked.ip ?? ''} from network ${nic.network?.name ?? ''}`]
      : []),
  ];
}

/**
 * The log of an add job: Ganeti's warning for an ignored secondary, hail's choice, the NIC's
 * network, then what `Exec` reports.
 */
export function addJobLog(
  c: SimCluster,
  req: AddRequest,
  at: { template: string; allocator: string | null; hail: Placement | null; nic: NicPlan | null },
): string[] {
  const chosen = at.hail === null ? [] : [at.hail.pnode, ...(at.hail.snode ? [at.hail.snode] : [])];
  return [
    ...(req.snode !== null && !isMirrored(at.template)
      ? [' - WARNING: Secondary node will be ignored on non-mirrored disk template']
      : []),
    ...(at.allocator !== null && chosen.length > 0
      ? [
          ` - INFO: Selected nodes for instance ${req.name} via iallocator ${at.allocator}: ${chosen.map((n) => n.name).join(', ')}`,
        ]
      : []),
    ...(at.nic?.network ? networkLog(c, at.nic) : []),
    ...execLog(req.name, at.template),
  ];
}

/** The opcode as the lab's jobs show it (test/fixtures/gnt-job_list.ops-with-reason.txt, jobs 5-8). */
export function addOpcodeFields(
  req: AddRequest,
  {
    template,
    hypervisor,
    allocator,
    at,
  }: { template: string; hypervisor: string; allocator: string | null; at: OpcodeNodes | null },
): Record<string, OpValue> {
  const node = (prefix: 'pnode' | 'snode', n: SimNode | null | undefined, given: string | null) =>
    n ? { [prefix]: n.name, [`${prefix}_uuid`]: n.uuid } : given === null ? {} : { [prefix]: given };
  return {
    instance_name: req.name,
    force_variant: false,
    wait_for_sync: true,
    name_check: false,
    ignore_ipolicy: false,
    opportunistic_locking: false,
    beparams: req.beparams,
    disks: req.diskMb === null ? [] : [{ size: req.diskMb }],
    disk_template: template,
    hvparams: {},
    hypervisor,
    ...(allocator === null || req.pnode !== null ? {} : { iallocator: allocator }),
    identify_defaults: false,
    ip_check: false,
    conflicts_check: true,
    mode: 'create',
    nics: [req.nic],
    no_install: false,
    osparams: {},
    osparams_private: {},
    osparams_secret: {},
    ...(req.os === null ? {} : { os_type: req.os }),
    ...node('pnode', at?.pnode, req.pnode),
    // Ganeti drops a secondary given for a template that is not mirrored.
    ...node('snode', at?.snode, isMirrored(template) ? req.snode : null),
    source_shutdown_timeout: 120,
    compress: 'none',
    start: true,
    forthcoming: false,
    commit: false,
    tags: req.tags,
    instance_communication: false,
    helper_startup_timeout: 300,
    helper_shutdown_timeout: 7200,
  };
}
