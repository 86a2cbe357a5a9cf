import type { AuditRecord } from '../audit/audit-log.js';
import type {
  GanetiInstance,
  GanetiNode,
  InstanceInfo,
  NodeRole,
  JobInfo,
  JobSummary,
  VerifyReport,
} from '../cluster/types.js';
import type { HbalPlan } from '../cluster/parsers/hbal.js';
import type { HcheckReport } from '../cluster/parsers/hcheck.js';
import type { HspaceReport } from '../cluster/parsers/hspace.js';
import type { HtoolsOutcome } from '../cluster/parsers/htools-output.js';
import type { IncidentSummary } from '../monitor/types.js';
import type { CreateFacts } from './new-instance.js';

/**
 * Neutral results: commands return these plain objects; `src/bot/render/`
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
  | HealthResult
  | BalanceResult
  | ConsoleResult
  | CreateFormResult;

/** One argument or option as help and docs/commands.md show it. */
export interface ParamHelp {
  /** How it is typed, as in the usage: `NODE`, `[N]` (may be left out), or `--to NODE` and `-n`. */
  forms: string[];
  description: string;
}

/** What `/ganeti help VERB` shows; docs/commands.md is rendered from the same entries. */
export interface HelpEntry {
  name: string;
  aliases: string[];
  summary: string;
  usage: string;
  risk: 'read' | 'write' | 'destructive';
  details: string;
  params: ParamHelp[];
  examples: Array<{ line: string; what: string }>;
}

export interface HelpResult {
  kind: 'help';
  /** One command when `help VERB` was asked, else all of them. */
  commands: HelpEntry[];
  topic: string | null;
  /** Set when the bot serves more than one cluster: their names and the channel's default. */
  clusters?: { names: string[]; current: string };
}

export interface StatusResult {
  kind: 'status';
  master: string;
  /** False when the bot does not check the nodes' SSH host keys (said in the answer). */
  hostKeysChecked?: boolean;
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

/** One node in the `health` summary. Figures in MiB; null when the node did not report them. */
export interface HealthNode {
  name: string;
  role: NodeRole;
  /** As in {@link NodeLossCheck}: `unreachable` and `offline` nodes are already lost. */
  state: NodeLossCheck['state'];
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  diskUsedMiB: number | null;
  diskTotalMiB: number | null;
  primaryInstances: number;
  secondaryInstances: number;
}

/** A node whose loss (or, for a node already down, whose loss now) leaves instances without a home. */
export interface HealthNodeRisk {
  node: string;
  state: NodeLossCheck['state'];
  stranded: NodeLossCheck['stranded'];
}

/** An instance not in the state its admin state asks for (or in an `ERROR_*` status). */
export interface HealthInstanceProblem {
  name: string;
  /** Ganeti's status, e.g. `ERROR_nodedown`, `ERROR_up`, `USER_down`. */
  status: string;
  adminState: string;
  primaryNode: string;
}

/** A Ganeti job that ended in `error`. */
export interface HealthFailedJob {
  id: number;
  summary: string;
  /** Unix ms. */
  endedAt: number;
}

/** `health` (and the monitor's scheduled summary): the nodes, N+1, and what needs attention. */
export interface HealthResult {
  kind: 'health';
  /** The cluster's name for display (the `health` command shows the master's name). */
  cluster: string;
  master: string;
  /** When the summary was made (ms). */
  generatedAt: number;
  /** False when no health monitor runs: then there are no incidents to show. */
  monitorOn: boolean;
  /** In `gnt-node list` order. */
  nodes: HealthNode[];
  /** From {@link NodeLossCheck} of every node (memory only, as `capacity` computes it). */
  nPlusOne: {
    /** No single node's loss leaves an instance without a home. */
    canLoseAnyNode: boolean;
    /** Only the nodes whose loss strands instances, in node order. */
    risks: HealthNodeRisk[];
  };
  /** How many instances the cluster has. */
  instanceCount: number;
  /** In `gnt-instance list` order. */
  instanceProblems: HealthInstanceProblem[];
  /** The monitor's open incidents, as it gave them; empty when the monitor is off. */
  incidents: IncidentSummary[];
  /** Failed jobs that ended after {@link HealthResult.failedJobsSince}, newest first. */
  failedJobs: HealthFailedJob[];
  /** Ms: the last scheduled summary, or 24 hours before `generatedAt` when there was none. */
  failedJobsSince: number;
  /** Whether `failedJobsSince` is the last scheduled summary (else: the last 24 hours). */
  sinceLastSummary: boolean;
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

/** What the create form offers, read from the cluster when it opens (`/ganeti create`). */
export interface CreateFormResult {
  kind: 'create-form';
  cluster: string;
  facts: CreateFacts;
  /** The form's preselected OS and template. */
  defaults: { os: string | null; template: string | null };
  /** For a project member: the project the instance is made for, and the tags it gets. */
  project: { name: string; tags: readonly string[]; patterns: readonly string[] } | null;
}
