/**
 * The monitor's model of a cluster, kept in Redis between polls (monitor-store.ts) so that a
 * restarted bot neither re-announces a known incident nor forgets one. Neutral data: the Slack
 * side renders it, the poller and the incident reducer change it.
 */

/** What one poll saw of a node. */
export type NodeObservation =
  /** Ganeti got live data from it. */
  | 'ok'
  /** Ganeti could not ask it (`?` in live fields); `probe` says whether it answers us directly. */
  | 'unreachable'
  /** Marked offline in Ganeti's configuration (`*`): Ganeti no longer talks to it. */
  | 'offline';

/** Why a node counts as lost, as a person would say it. */
export type LossCause = 'no-answer' | 'noded-down' | 'marked-offline';

/** What our own probe of the node's address found (Ganeti stops asking offline nodes). */
export type ProbeResult = 'answers' | 'noded-down' | 'silent' | 'not-probed';

/**
 * A node's health over time: healthy → suspect (first bad poll; nothing posted) → down (still bad
 * after the grace period: an alert) → returned (answers again). `offline-known` is a node already
 * marked offline when the monitor first saw it (maintenance, not an incident).
 */
export type NodeHealthState = 'healthy' | 'suspect' | 'down' | 'returned' | 'offline-known';

export interface NodeModel {
  name: string;
  /** Primary IP (for our own probe). */
  ip: string | null;
  health: NodeHealthState;
  /** When the current health state began (ms). */
  since: number;
  /** First bad poll of the current loss (ms); null while healthy. */
  badSince: number | null;
  cause: LossCause | null;
  observed: NodeObservation;
  probe: ProbeResult;
  offline: boolean;
  drained: boolean;
  role: 'master' | 'candidate' | 'regular' | 'drained' | 'offline';
  masterCandidate: boolean;
  memoryTotalMiB: number | null;
  memoryFreeMiB: number | null;
  diskTotalMiB: number | null;
  diskFreeMiB: number | null;
  bootId: string | null;
  primaryInstances: string[];
  secondaryInstances: string[];
}

export interface InstanceModel {
  name: string;
  primaryNode: string;
  secondaryNodes: string[];
  /** Ganeti's status, e.g. running, ADMIN_down, ERROR_nodedown. */
  status: string;
  adminState: string;
  /** Actual state: true running, false stopped, null unknown. */
  running: boolean | null;
  diskTemplate: string;
  memoryMiB: number | null;
  /** Ganeti tags (a project owns its instances by tag); absent in models saved before they were kept. */
  tags?: string[];
}

export interface ClusterModel {
  cluster: string;
  /** The master's name as last seen; null before the first good poll. */
  master: string | null;
  /** When the last poll that reached the master ended (ms). */
  polledAt: number | null;
  /** The master could not be reached through any candidate since (ms), else null. */
  masterLostSince: number | null;
  nodes: Record<string, NodeModel>;
  instances: Record<string, InstanceModel>;
  /** Instance-level problems (`ERROR_down`, `ERROR_wrongnode`, `ERROR_up`): name → status, and since when. */
  instanceProblems: Record<string, { status: string; since: number }>;
  /** The set of instance problems last announced (name → status), to post once per change. */
  announcedInstanceProblems: Record<string, string>;
}

/** One instance of a lost node and where it would go. */
export interface AffectedInstance {
  name: string;
  status: string;
  adminState: string;
  memoryMiB: number | null;
  diskTemplate: string;
  /** The node it would be failed over to; null when there is none that can take it. */
  target: string | null;
  /** Why it cannot move, when target is null. */
  stranded: string | null;
}

/** A lost node inside an incident. */
export interface IncidentNode {
  name: string;
  /** When it was first seen bad (ms). */
  since: number;
  cause: LossCause;
  wasMaster: boolean;
  /** Primary instances there, with their targets (computed when the node went down). */
  primaries: AffectedInstance[];
  /** Instances whose secondary is there: no redundancy now. */
  secondaries: string[];
  /** Whether the other nodes have the memory for the instances that should run (N+1). */
  capacityOk: boolean;
  /** Free memory of the nodes that could take them, and what is needed (MiB). */
  freeMiB: number;
  neededMiB: number;
  /** The node answers again: when, and whether it was still marked offline then. */
  returnedAt: number | null;
  returnedWhileOffline: boolean;
  /** Set once the node is healthy in Ganeti again (onlined). */
  recoveredAt: number | null;
}

export type IncidentKind = 'node-loss' | 'master-loss';

/**
 * One incident, one Slack message: a node loss (one or more nodes of one cluster) or a master
 * loss. Later changes edit the message and add a line to its thread (`timeline`).
 */
export interface Incident {
  id: string;
  cluster: string;
  kind: IncidentKind;
  openedAt: number;
  /** When it was resolved (every node back, or the master found again). */
  resolvedAt: number | null;
  nodes: IncidentNode[];
  /** Master loss: the master that went silent, and the candidates the bot could still reach. */
  lostMaster: string | null;
  reachableCandidates: string[];
  /** When the last "still unacknowledged" reminder was posted (ms). */
  remindedAt: number | null;
  /** Whether an automatic evacuation was tried for a node (AUTO_EVACUATE): node → what happened. */
  autoEvacuation: Record<string, string>;
  /** One-off reports already made (e.g. `rival:node1` for an old master that still claims the role). */
  reported: string[];
  /** What the message last showed of marks and requests, to edit it only when that changes. */
  shown: string;
  /** Lines added to the thread, in order; `posted` of them are already in Slack. */
  timeline: Array<{ at: number; text: string; loud?: boolean }>;
  postedLines: number;
  /** The incident message in Slack, once posted. */
  message: { channel: string; ts: string } | null;
  /** Findings of `gnt-cluster verify` after a lost node was onlined ("should not run on node"). */
  verifyFindings: string[];
}

/** What `/ganeti health` and the summary say about an open incident. */
export interface IncidentSummary {
  id: string;
  cluster: string;
  kind: IncidentKind;
  openedAt: number;
  /** Names of the lost nodes (or the lost master). */
  nodes: string[];
  acknowledgedBy: string | null;
}

/** What commands may read of the monitor (implemented over Redis by monitor-store.ts). */
export interface MonitorReader {
  openIncidents(): Promise<IncidentSummary[]>;
  /** When the last scheduled summary was posted (ms), or null. */
  lastSummaryAt(): Promise<number | null>;
}

/** A request started from an incident, with its state (from the request store). */
export interface IncidentRequest {
  requestId: string;
  /** `recover` (fail over a dead node's instances) or `master-failover`. */
  what: string;
  node: string;
  /** pending, approved, running, done, denied, expired, cancelled; null when no longer known. */
  state: string | null;
  decidedBy: string | null;
  /** For done requests: success, partial, failed, unknown; and a one-line summary. */
  outcome: string | null;
  summary: string | null;
}

/** Everything the Slack side needs to draw an incident's message. */
export interface IncidentView {
  incident: Incident;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  snoozedUntil: number | null;
  requests: IncidentRequest[];
  now: number;
}

/** Instance-level problems (not caused by a lost node), posted once per change of the set. */
export interface InstanceProblemsNote {
  cluster: string;
  problems: Array<{ name: string; status: string; primaryNode: string; since: number; isNew: boolean }>;
  /** Instances whose problem is gone since the last note. */
  cleared: string[];
}

/**
 * How the monitor talks to people (implemented by the Slack adapter). Never throws: failures to
 * post are logged there, and the monitor goes on polling.
 */
export interface IncidentReporter {
  /** Posts the incident's message; where it is, or null when it could not be posted. */
  post(view: IncidentView): Promise<{ channel: string; ts: string } | null>;
  update(view: IncidentView, ref: { channel: string; ts: string }): Promise<boolean>;
  /** Lines in the incident's thread; loud ones are also shown in the channel. */
  thread(
    ref: { channel: string; ts: string },
    lines: Array<{ text: string; loud?: boolean }>,
  ): Promise<boolean>;
  instanceProblems(note: InstanceProblemsNote): Promise<void>;
}
