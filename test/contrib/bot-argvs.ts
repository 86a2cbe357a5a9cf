import { submitArgv, reasonText, type GanetiAction, type InstanceSpec } from '../../src/cluster/actions.js';
import { argv } from '../../src/cluster/argv.js';
import { newRequestId } from '../../src/queue/payloads.js';

/**
 * Every argv the bot sends to a cluster, built by its own builders (src/cluster/argv.ts,
 * src/cluster/actions.ts) with sample names: what contrib/ganeti-chatops-ssh-command must let
 * through. The tables are typed so that a new builder or action that is not listed here is a
 * type error.
 */
export interface BotArgv {
  label: string;
  argv: string[];
  /** Reads may be run on the lab at any time; changes may not. */
  changes: boolean;
}

const INSTANCE = 'inst1.ganeti.test';
const NODE = 'node2.ganeti.test';
const NEW_INSTANCE = 'web-1.ganeti.test';

/** The smallest `/ganeti create`: diskless, placed by hail, the cluster's default NIC, no tags. */
const MINIMAL_SPEC: InstanceSpec = {
  os: 'noop',
  template: 'diskless',
  memoryMb: 128,
  vcpus: 1,
  diskMb: null,
  network: null,
  ip: null,
  placement: null,
  tags: [],
};

/** One sample call of each argv builder (the ones with parameters in each form). */
const BUILDERS: { [K in keyof typeof argv]: Array<ReturnType<(typeof argv)[K]>> } = {
  getMaster: [argv.getMaster()],
  queryHelper: [argv.queryHelper()],
  hostName: [argv.hostName()],
  nodeList: [argv.nodeList()],
  nodeHealth: [argv.nodeHealth()],
  masterFailover: [argv.masterFailover(false), argv.masterFailover(true)],
  nodeUuids: [argv.nodeUuids()],
  nodeNames: [argv.nodeNames()],
  instanceNames: [argv.instanceNames()],
  instanceList: [argv.instanceList()],
  instanceInfo: [argv.instanceInfo(INSTANCE), argv.instanceInfo('web_2-a.example.org')],
  instanceFacts: [argv.instanceFacts(INSTANCE)],
  jobList: [argv.jobList()],
  jobInfo: [argv.jobInfo(1), argv.jobInfo(2 ** 31)],
  verify: [argv.verify()],
  jobOps: [argv.jobOps()],
  jobCancel: [argv.jobCancel(42)],
  hcheck: [argv.hcheck()],
  hspace: [argv.hspace()],
  hbalPlan: [argv.hbalPlan()],
  osList: [argv.osList()],
  clusterInfo: [argv.clusterInfo()],
  networkList: [argv.networkList()],
};

/** Builders whose argv changes the cluster. */
const CHANGING = new Set<keyof typeof argv>(['masterFailover', 'jobCancel']);

/** Every form of every action (hbal's moves become migrate / failover / replace-disks too). */
const ACTIONS: { [K in GanetiAction['op']]: Array<Extract<GanetiAction, { op: K }>> } = {
  'instance-startup': [{ op: 'instance-startup', instance: INSTANCE }],
  'instance-shutdown': [{ op: 'instance-shutdown', instance: INSTANCE }],
  'instance-reboot': [
    { op: 'instance-reboot', instance: INSTANCE, hard: false },
    { op: 'instance-reboot', instance: INSTANCE, hard: true },
  ],
  'instance-failover': [
    { op: 'instance-failover', instance: INSTANCE, target: null },
    { op: 'instance-failover', instance: INSTANCE, target: NODE },
  ],
  'instance-migrate': [
    { op: 'instance-migrate', instance: INSTANCE, target: null, allowFailover: false },
    { op: 'instance-migrate', instance: INSTANCE, target: NODE, allowFailover: false },
    { op: 'instance-migrate', instance: INSTANCE, target: null, allowFailover: true },
    { op: 'instance-migrate', instance: INSTANCE, target: NODE, allowFailover: true },
  ],
  'instance-replace-secondary': [{ op: 'instance-replace-secondary', instance: INSTANCE, node: NODE }],
  'node-set': [
    { op: 'node-set', node: NODE, flag: 'drained', value: true },
    { op: 'node-set', node: NODE, flag: 'drained', value: false },
    { op: 'node-set', node: NODE, flag: 'offline', value: true },
    { op: 'node-set', node: NODE, flag: 'offline', value: false },
  ],
  'node-evacuate-secondaries': [{ op: 'node-evacuate-secondaries', node: NODE }],
  'instance-add': [
    { op: 'instance-add', instance: NEW_INSTANCE, spec: MINIMAL_SPEC },
    {
      op: 'instance-add',
      instance: NEW_INSTANCE,
      spec: {
        ...MINIMAL_SPEC,
        os: 'debootstrap+default',
        template: 'file',
        memoryMb: 4096,
        vcpus: 4,
        diskMb: 10240,
        network: 'lab-net1',
        ip: '10.99.0.10',
        placement: { primary: NODE, secondary: null },
        tags: ['env:prod', 'owner:U0ADMIN', 'ganeti-chatops'],
      },
    },
    {
      op: 'instance-add',
      instance: NEW_INSTANCE,
      spec: {
        ...MINIMAL_SPEC,
        template: 'drbd',
        diskMb: 1024,
        ip: '198.51.100.50',
        placement: { primary: NODE, secondary: 'node3.ganeti.test' },
      },
    },
    {
      op: 'instance-add',
      instance: NEW_INSTANCE,
      spec: { ...MINIMAL_SPEC, template: 'plain', diskMb: 2048, network: 'lab-net2' },
    },
  ],
  'instance-remove': [{ op: 'instance-remove', instance: INSTANCE }],
};

/** Reasons as the operation runner writes them: a person's request, approved or not, and the monitor's. */
export const SAMPLE_REASONS = [
  reasonText({
    requestId: newRequestId(Date.now()),
    stepKey: INSTANCE,
    requester: 'U0ADMIN',
    approver: null,
  }),
  reasonText({
    requestId: newRequestId(Date.now()),
    stepKey: 'move-1-2-3',
    requester: 'U0ADMIN',
    approver: 'U0APPROVER',
  }),
  reasonText({
    requestId: newRequestId(0, () => 0.999999),
    stepKey: `offline-${NODE}`,
    requester: 'monitor',
    approver: 'monitor',
  }),
];

export function botArgvs(): BotArgv[] {
  const built = (Object.keys(BUILDERS) as Array<keyof typeof argv>).flatMap((name) =>
    BUILDERS[name].map((a) => ({ label: `argv.${name}`, argv: [...a], changes: CHANGING.has(name) })),
  );
  const submitted = Object.values(ACTIONS)
    .flat()
    .flatMap((action: GanetiAction) =>
      SAMPLE_REASONS.map((reason) => ({
        label: `submitArgv ${action.op}`,
        argv: submitArgv(action, reason),
        changes: true,
      })),
    );
  return [...built, ...submitted];
}
