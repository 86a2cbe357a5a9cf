/**
 * The changes the bot can ask Ganeti for, as data. A plan is a list of these; each becomes one
 * Ganeti job, submitted with `--submit` and a `--reason` that names the Slack request.
 * Names in here are full Ganeti names, already resolved and validated.
 */
export type GanetiAction =
  | { op: 'instance-startup'; instance: string }
  | { op: 'instance-shutdown'; instance: string }
  | { op: 'instance-reboot'; instance: string; hard: boolean }
  | { op: 'instance-failover'; instance: string; target: string | null }
  /** `allowFailover`: Ganeti fails over instead when it cannot migrate (stopped instance, offline node). */
  | { op: 'instance-migrate'; instance: string; target: string | null; allowFailover: boolean }
  /** DRBD: move the secondary to `node` (`replace-disks -n`). */
  | { op: 'instance-replace-secondary'; instance: string; node: string }
  | { op: 'node-set'; node: string; flag: 'drained' | 'offline'; value: boolean }
  | { op: 'node-evacuate-secondaries'; node: string }
  /** A new instance (`/ganeti create`); Ganeti installs its OS and starts it. */
  | { op: 'instance-add'; instance: string; spec: InstanceSpec }
  /** Removes an instance and its disks (`/ganeti remove`). */
  | { op: 'instance-remove'; instance: string };

/**
 * What `gnt-instance add` is given, checked by the create command's schema and pre-checks.
 * `placement` null: the cluster's allocator (hail) picks the nodes.
 */
export interface InstanceSpec {
  os: string;
  template: string;
  memoryMb: number;
  vcpus: number;
  /** One disk of this size; null for `diskless`. */
  diskMb: number | null;
  /** A Ganeti network for its one NIC, or null for the cluster's default NIC parameters. */
  network: string | null;
  ip: string | null;
  placement: { primary: string; secondary: string | null } | null;
  tags: readonly string[];
}

/** The `--net 0:…` value: the network and the IP, each when given. */
function nicValue(spec: InstanceSpec): string[] {
  const parts = [
    ...(spec.network === null ? [] : [`network=${spec.network}`]),
    ...(spec.ip === null ? [] : [`ip=${spec.ip}`]),
  ];
  return parts.length === 0 ? [] : ['--net', `0:${parts.join(',')}`];
}

/**
 * `gnt-instance add`. The bot gives the full name itself and checks it is free, so Ganeti's DNS
 * checks are off (`--no-name-check --no-ip-check`): an instance's name need not resolve yet.
 */
function addArgv(spec: InstanceSpec): string[] {
  const where = spec.placement
    ? [
        '-n',
        spec.placement.secondary
          ? `${spec.placement.primary}:${spec.placement.secondary}`
          : spec.placement.primary,
      ]
    : ['-I', 'hail'];
  return [
    '-t',
    spec.template,
    '-o',
    spec.os,
    '--no-name-check',
    '--no-ip-check',
    '-B',
    `memory=${spec.memoryMb}M,vcpus=${spec.vcpus}`,
    ...(spec.diskMb === null ? [] : ['--disk', `0:size=${spec.diskMb}M`]),
    ...nicValue(spec),
    ...where,
    ...(spec.tags.length > 0 ? ['--tags', spec.tags.join(',')] : []),
  ];
}

const opt = (flag: string, value: string | null): string[] => (value === null ? [] : [flag, value]);

/**
 * The argv that submits an action as a Ganeti job. Every form here answers without a TTY:
 * failover and migrate with `-f`, bringing a node online with `--force` (see "How changes run" in README.md).
 */
export function submitArgv(action: GanetiAction, reason: string): string[] {
  const submit = ['--submit', '--reason', reason];
  switch (action.op) {
    case 'instance-startup':
      return ['gnt-instance', 'startup', ...submit, '--', action.instance];
    case 'instance-shutdown':
      return ['gnt-instance', 'shutdown', ...submit, '--', action.instance];
    case 'instance-reboot':
      return [
        'gnt-instance',
        'reboot',
        `--type=${action.hard ? 'hard' : 'soft'}`,
        ...submit,
        '--',
        action.instance,
      ];
    case 'instance-failover':
      return [
        'gnt-instance',
        'failover',
        '-f',
        ...opt('-n', action.target),
        ...submit,
        '--',
        action.instance,
      ];
    case 'instance-migrate':
      return [
        'gnt-instance',
        'migrate',
        '-f',
        ...(action.allowFailover ? ['--allow-failover'] : []),
        ...opt('-n', action.target),
        ...submit,
        '--',
        action.instance,
      ];
    case 'instance-replace-secondary':
      return ['gnt-instance', 'replace-disks', '-n', action.node, ...submit, '--', action.instance];
    case 'node-set':
      return [
        'gnt-node',
        'modify',
        ...(action.flag === 'offline' && !action.value ? ['--force'] : []),
        `--${action.flag}`,
        action.value ? 'yes' : 'no',
        ...submit,
        '--',
        action.node,
      ];
    case 'node-evacuate-secondaries':
      return ['gnt-node', 'evacuate', '-f', '--secondary-only', ...submit, '--', action.node];
    case 'instance-add':
      return ['gnt-instance', 'add', ...addArgv(action.spec), ...submit, '--', action.instance];
    case 'instance-remove':
      return ['gnt-instance', 'remove', '-f', ...submit, '--', action.instance];
  }
}

/**
 * The `--reason` text: Ganeti keeps it in every opcode's reason trail (`gnt-job info`), so its
 * own job log names who asked and who approved, and a job can be found again by its request.
 */
export function reasonText(r: {
  requestId: string;
  stepKey: string;
  requester: string;
  approver: string | null;
}): string {
  return `ganeti-chatops req=${r.requestId} step=${r.stepKey} by=${r.requester}${r.approver ? ` approved-by=${r.approver}` : ''}`;
}

/** The part of the reason that identifies one step of one request, for finding its job. */
export function reasonToken(requestId: string, stepKey: string): string {
  return `req=${requestId} step=${stepKey} `;
}
