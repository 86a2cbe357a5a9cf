import type { AuditRecord } from '../audit/audit-log.js';
import type {
  GanetiInstance,
  GanetiNode,
  InstanceInfo,
  JobInfo,
  JobSummary,
  VerifyReport,
} from '../cluster/types.js';
import type { HbalPlan } from '../cluster/parsers/hbal.js';
import type { HcheckReport } from '../cluster/parsers/hcheck.js';
import type { HspaceReport } from '../cluster/parsers/hspace.js';
import type { HtoolsOutcome } from '../cluster/parsers/htools-output.js';

/**
 * Neutral results (STYLE habit 4): commands return these plain objects; `src/bot/render/`
 * turns each kind into Block Kit. Nothing here knows about Slack.
 */
export type CommandResult =
  | AuditResult
  | HelpResult
  | StatusResult
  | NodesResult
  | InstancesResult
  | InstanceInfoResult
  | JobsResult
  | JobResult
  | VerifyResult
  | CapacityResult
  | BalanceResult
  | ConsoleResult;

export interface HelpEntry {
  name: string;
  aliases: string[];
  summary: string;
  usage: string;
  risk: 'read' | 'write' | 'destructive';
  details?: string;
}

export interface HelpResult {
  kind: 'help';
  /** One command when `help VERB` was asked, else all of them. */
  commands: HelpEntry[];
  topic: string | null;
}

export interface StatusResult {
  kind: 'status';
  master: string;
  nodes: GanetiNode[];
  instances: GanetiInstance[];
}

export interface NodesResult {
  kind: 'nodes';
  nodes: GanetiNode[];
}

export interface InstancesResult {
  kind: 'instances';
  instances: GanetiInstance[];
  /** How many there are before filtering. */
  total: number;
  filter: { pattern: string | null; node: string | null; state: string | null };
}

export interface InstanceInfoResult {
  kind: 'instance-info';
  info: InstanceInfo;
}

export interface JobsResult {
  kind: 'jobs';
  jobs: JobSummary[];
  /** How many jobs Ganeti has in its queue before limiting to the newest. */
  total: number;
}

export interface JobResult {
  kind: 'job';
  job: JobInfo;
}

export interface VerifyResult {
  kind: 'verify';
  report: VerifyReport;
  durationMs: number;
}

/** If one node died: where its instances would be restarted, by free memory (first fit, largest first). */
export interface NodeLossCheck {
  node: string;
  /** The node now: one that is `unreachable` or `offline` is a loss that has already happened. */
  state: 'ok' | 'drained' | 'unreachable' | 'offline';
  /** Its primary instances that should be running (admin state up): they need a new home. */
  toRelocate: number;
  /** Their memory, where known (MiB). */
  neededMiB: number;
  /** Free memory of the nodes that could take them: online, answering, not drained (MiB). */
  freeElsewhereMiB: number;
  placements: Array<{ instance: string; memoryMiB: number; to: string }>;
  /**
   * Instances left without a home: `no-room` (memory), `secondary-unusable` (DRBD can only fail
   * over to its secondary, which is down or drained), `not-mirrored` (plain/file disks live
   * only on that node), `memory-unknown`.
   */
  stranded: Array<{
    instance: string;
    memoryMiB: number | null;
    reason: 'no-room' | 'secondary-unusable' | 'not-mirrored' | 'memory-unknown';
  }>;
}

/** `capacity`: can the cluster lose any one node, and how much more fits. */
export interface CapacityResult {
  kind: 'capacity';
  /** Ganeti's own check (`hcheck`). */
  health: HtoolsOutcome<HcheckReport>;
  /** Room for more instances (`hspace`). */
  space: HtoolsOutcome<HspaceReport>;
  /** One entry per node, in `gnt-node list` order. */
  nodeLoss: NodeLossCheck[];
  durationMs: number;
}

/** `balance`: hbal's plan (a dry run; executing it is a separate, approved operation). */
export interface BalanceResult {
  kind: 'balance';
  plan: HtoolsOutcome<HbalPlan>;
  durationMs: number;
}

/** How to reach an instance's console, following Ganeti's own rules per hypervisor. */
export type ConsoleAccess =
  /** `gnt-instance console` on the master: a serial console (KVM), `xl console` (Xen), `lxc-console`. */
  | { kind: 'gnt-console'; what: string; command: string }
  /** A VNC or SPICE display on the primary node, reached through an SSH tunnel. */
  | {
      kind: 'vnc' | 'spice';
      node: string;
      /** Where it listens on the node: `ADDRESS:PORT` or a Unix socket path. */
      listensOn: string;
      /** VNC display number (port − 5900), when it is a TCP port. */
      display: number | null;
      tunnel: string;
      viewer: string;
      /** Something to know first (a password file, an interface name instead of an address). */
      note: string | null;
    }
  | { kind: 'unavailable'; reason: string };

/** `console INSTANCE`: shown only to the requester (the command's visibility). */
export interface ConsoleResult {
  kind: 'console';
  instance: string;
  hypervisor: string | null;
  primaryNode: string | null;
  /** Actual state from `gnt-instance info` (`up`, `down`, `unknown`); null when not given. */
  actualState: string | null;
  access: ConsoleAccess;
}

export interface AuditResult {
  kind: 'audit';
  records: AuditRecord[];
  filter: { user: string | null; target: string | null };
}
