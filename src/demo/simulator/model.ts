/**
 * The simulated cluster's state: nodes, instances and Ganeti's job queue, as plain data the
 * command interpreter (interpreter.ts) reads and changes. Values follow what the lab's Ganeti 3.0
 * prints (test/fixtures/README.md): MiB, full names, a job per change.
 */

/** Ganeti's node roles (`gnt-node list -o role`: M, C, R; D and O come from the flags). */
export type NodeRole = 'master' | 'candidate' | 'regular';

/**
 * A fault injected on a node. `unreachable`: its link is cut (Ganeti's calls time out);
 * `noded-down`: ganeti-noded stopped (connection refused); `powered-off`: the machine is off,
 * so its instances are down when it comes back.
 */
export type NodeFault = 'unreachable' | 'noded-down' | 'powered-off';

export interface SimNode {
  name: string;
  uuid: string;
  /** Primary IP (`pip`). */
  ip: string;
  role: NodeRole;
  offline: boolean;
  drained: boolean;
  /** MiB: total memory, memory used by the node itself, free memory when it runs no instance. */
  mtotal: number;
  mnode: number;
  mfreeIdle: number;
  /** MiB of the volume group (`dtotal`), and free when it holds no disk. */
  dtotal: number;
  dfreeIdle: number;
  cpus: number;
  bootId: string;
  fault: NodeFault | null;
}

export interface SimNic {
  mac: string;
  ip: string;
  mode: string;
  link: string;
}

export interface SimInstance {
  name: string;
  uuid: string;
  pnode: string;
  /** The DRBD secondary; null for diskless or plain instances. */
  snode: string | null;
  /** `admin_state`: configured to run. */
  adminUp: boolean;
  /** Whether the hypervisor runs it (`oper_state`). */
  running: boolean;
  os: string;
  hypervisor: string;
  diskTemplate: 'drbd' | 'diskless' | 'plain';
  memory: number;
  vcpus: number;
  /** Disk sizes, MiB. */
  disks: number[];
  nics: SimNic[];
  tags: string[];
  /** Seconds since the epoch. */
  ctime: number;
  mtime: number;
  serial: number;
}

export type JobStatus = 'queued' | 'waiting' | 'running' | 'success' | 'error' | 'canceled';

/** An opcode's input value: `{}` and `[]` print empty, lists and dicts nested (`gnt-job info`). */
export type OpValue = string | number | boolean | null | OpValue[] | { [key: string]: OpValue };

/** One opcode of a job: its id and input fields (in Ganeti's order of `gnt-job info`, sorted). */
export interface SimOpcode {
  opId: string;
  /** `{}` stands for an empty dict (`hvparams`, `beparams`). */
  fields: Record<string, OpValue>;
}

export interface SimJob {
  id: number;
  summary: string;
  opcode: SimOpcode;
  /** The `gnt:client:PROGRAM` entry of the reason trail: program and subcommand. */
  client: [string, string];
  /** The submitter's `--reason` text, if any. */
  reason: string | null;
  status: JobStatus;
  /** Epoch ms. `startAt`/`endAt` are planned when submitted and reached as time passes. */
  receivedAt: number;
  startAt: number;
  endAt: number;
  /** Log lines with their epoch ms; shown once reached. */
  log: Array<{ at: number; message: string }>;
  /** Checked when the job starts: null to go on, or the error Ganeti would raise. */
  check: () => { kind: string; message: string; type: string } | null;
  /** Applied to the cluster when the job succeeds. */
  effect: () => void;
  error: { kind: string; message: string; type: string } | null;
}

/** A Ganeti network (`gnt-network add`), connected to the node group with a NIC mode and link. */
export interface SimNetwork {
  name: string;
  /** CIDR, e.g. `10.99.0.0/24`. */
  subnet: string;
  gateway: string | null;
  mode: string;
  link: string;
}

/** An OS definition; `variants` empty for one without (`noop`), else listed as `name+variant`. */
export interface SimOs {
  name: string;
  variants: string[];
}

/**
 * The cluster-wide settings `gnt-cluster info`, `gnt-os list` and `gnt-network list` report, and
 * `gnt-instance add` checks against. The first hypervisor and disk template are the defaults.
 */
export interface SimSettings {
  uuid: string;
  /** Seconds since the epoch. */
  created: number;
  hypervisors: string[];
  /** The enabled ones the simulator models; the first is the default. */
  diskTemplates: Array<SimInstance['diskTemplate']>;
  /** The LVM volume group of `plain` and `drbd` disks; null when the cluster has none. */
  volumeGroup: string | null;
  iallocator: string | null;
  nicMode: string;
  nicLink: string;
  /** The default `maxmem`/`minmem` (MiB) and `vcpus` of a new instance. */
  memory: number;
  vcpus: number;
  oses: SimOs[];
  networks: SimNetwork[];
}

export interface SimCluster {
  name: string;
  domain: string;
  groupUuid: string;
  nodes: SimNode[];
  instances: SimInstance[];
  jobs: SimJob[];
  nextJobId: number;
  /** Default: derived from the cluster when first needed (clusterSettings, cluster-facts.ts). */
  settings?: SimSettings;
}

export const nodeByName = (c: SimCluster, name: string): SimNode | undefined =>
  c.nodes.find((n) => n.name === name);

export const instanceByName = (c: SimCluster, name: string): SimInstance | undefined =>
  c.instances.find((i) => i.name === name);

/** A node Ganeti cannot get live data from: any fault, not the offline flag. */
export const isSilent = (node: SimNode | undefined): boolean => node !== undefined && node.fault !== null;

export const masterNode = (c: SimCluster): SimNode => {
  const master = c.nodes.find((n) => n.role === 'master');
  if (!master) throw new Error('the simulated cluster has no master');
  return master;
};
