/** Neutral models of what Ganeti reports; parsers produce them, renderers consume them. */

/** `gnt-node list` role letter: Master, Candidate, Regular, Drained, Offline. */
export type NodeRole = 'master' | 'candidate' | 'regular' | 'drained' | 'offline';

export interface GanetiNode {
  name: string;
  role: NodeRole;
  offline: boolean;
  drained: boolean;
  masterCandidate: boolean;
  /**
   * `ok` when live data came back; `unreachable` when Ganeti could not ask the node (`?`);
   * `offline` when the node is marked offline (`*`) and Ganeti does not ask it.
   */
  reachability: 'ok' | 'unreachable' | 'offline';
  /** MiB; null when not known (unreachable/offline). */
  memoryTotalMiB: number | null;
  memoryNodeMiB: number | null;
  memoryFreeMiB: number | null;
  diskTotalMiB: number | null;
  diskFreeMiB: number | null;
  primaryInstances: number;
  secondaryInstances: number;
}

/** Ganeti's instance `status` field, e.g. running, ADMIN_down, ERROR_nodedown. */
export type InstanceStatus = string;

export interface GanetiInstance {
  name: string;
  primaryNode: string;
  secondaryNodes: string[];
  status: InstanceStatus;
  /** Actual state: true running, false stopped, null unknown (`?`). */
  running: boolean | null;
  adminState: string;
  diskTemplate: string;
  memoryMiB: number | null;
  vcpus: number | null;
  tags: string[];
}

export interface InstanceInfo {
  name: string;
  uuid: string | null;
  state: { configured: string; actual: string } | null;
  primaryNode: string | null;
  secondaryNodes: string[];
  os: string | null;
  hypervisor: string | null;
  diskTemplate: string | null;
  memoryMiB: number | null;
  vcpus: number | null;
  nics: Array<{ mac: string | null; ip: string | null; mode: string | null; link: string | null }>;
  disks: Array<{ name: string; size: string | null }>;
  createdAt: string | null;
  modifiedAt: string | null;
  /** Console details from hypervisor parameters and network port, where given. */
  networkPort: string | null;
  hypervisorParams: Record<string, string>;
}

/** Ganeti job statuses. */
export type JobStatus = 'queued' | 'waiting' | 'canceling' | 'running' | 'canceled' | 'success' | 'error';

export interface JobSummary {
  id: number;
  status: JobStatus;
  summary: string;
  /** Unix ms, null when not yet reached. */
  receivedAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
}

export interface JobOpcode {
  opcode: string;
  status: string;
  /** Error class and message when the opcode failed, e.g. OpPrereqError. */
  error: { kind: string; message: string } | null;
}

export interface JobInfo {
  id: number;
  status: JobStatus;
  receivedAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  totalSeconds: number | null;
  opcodes: JobOpcode[];
  /** Execution log messages, in order. */
  log: Array<{ time: string; message: string }>;
  /** The `--reason` texts given by the submitter (not Ganeti's own gnt:* entries). */
  reasons: string[];
}

export type VerifySeverity = 'ERROR' | 'WARNING' | 'NOTICE';

export interface VerifyFinding {
  severity: VerifySeverity;
  /** Ganeti error code such as ENODERPC, when `--error-codes` was given. */
  code: string | null;
  /** What it is about: a node, an instance, the cluster, or null when not stated. */
  itemType: 'node' | 'instance' | 'cluster' | null;
  item: string | null;
  message: string;
  /** The verify step it was reported under, e.g. "Verifying node status". */
  step: string | null;
}

export interface VerifyReport {
  jobIds: number[];
  steps: string[];
  findings: VerifyFinding[];
}
