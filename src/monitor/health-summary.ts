import type { GanetiInstance, GanetiNode, JobSummary } from '../cluster/types.js';
import { checkNodeLoss } from '../commands/defs/capacity.js';
import type {
  HealthFailedJob,
  HealthInstanceProblem,
  HealthNode,
  HealthResult,
  NodeLossCheck,
} from '../commands/results.js';
import type { IncidentSummary } from './types.js';

/** How far back failed jobs are shown when no scheduled summary was posted yet. */
export const FAILED_JOBS_DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface HealthSummaryInput {
  /** The cluster's name for display. */
  cluster: string;
  master: string;
  nodes: GanetiNode[];
  instances: GanetiInstance[];
  jobs: JobSummary[];
  /** The monitor's open incidents (empty when it is off). */
  incidents: IncidentSummary[];
  /** When the last scheduled summary was posted (ms); null: show the last 24 hours of failed jobs. */
  since: number | null;
  now: number;
  /** Whether a health monitor runs; default true (the monitor's own summary). */
  monitorOn?: boolean;
}

const used = (total: number | null, free: number | null) =>
  total === null || free === null ? null : total - free;

function healthNode(node: GanetiNode, state: NodeLossCheck['state']): HealthNode {
  return {
    name: node.name,
    role: node.role,
    state,
    memoryUsedMiB: used(node.memoryTotalMiB, node.memoryFreeMiB),
    memoryTotalMiB: node.memoryTotalMiB,
    diskUsedMiB: used(node.diskTotalMiB, node.diskFreeMiB),
    diskTotalMiB: node.diskTotalMiB,
    primaryInstances: node.primaryInstances,
    secondaryInstances: node.secondaryInstances,
  };
}

/**
 * Not as its admin state asks: any `ERROR_*` status (Ganeti's own verdict, e.g. `ERROR_nodedown`),
 * not `running` while admin state is up (e.g. `USER_down`), or running while it is down.
 */
export function notAsIntended(instance: GanetiInstance): boolean {
  if (instance.status.startsWith('ERROR_')) return true;
  if (instance.adminState === 'up') return instance.status !== 'running';
  if (instance.adminState === 'down') return instance.status === 'running';
  return false;
}

function failedJobsAfter(jobs: readonly JobSummary[], since: number): HealthFailedJob[] {
  return jobs
    .flatMap((j) =>
      j.status === 'error' && j.endedAt !== null && j.endedAt > since
        ? [{ id: j.id, summary: j.summary, endedAt: j.endedAt }]
        : [],
    )
    .sort((a, b) => b.endedAt - a.endedAt || b.id - a.id);
}

/**
 * The node-health summary behind `/ganeti health` and the monitor's scheduled summary: pure, so
 * both show the same thing. N+1 is `capacity`'s memory check (src/commands/defs/capacity.ts).
 */
export function buildHealthSummary(input: HealthSummaryInput): HealthResult {
  const checked = input.nodes.map((node) => ({
    node,
    loss: checkNodeLoss(node, input.nodes, input.instances),
  }));
  const risks = checked
    .filter(({ loss }) => loss.stranded.length > 0)
    .map(({ loss }) => ({ node: loss.node, state: loss.state, stranded: loss.stranded }));
  const since = input.since ?? input.now - FAILED_JOBS_DEFAULT_WINDOW_MS;
  return {
    kind: 'health',
    cluster: input.cluster,
    master: input.master,
    generatedAt: input.now,
    monitorOn: input.monitorOn ?? true,
    nodes: checked.map(({ node, loss }) => healthNode(node, loss.state)),
    nPlusOne: { canLoseAnyNode: risks.length === 0, risks },
    instanceCount: input.instances.length,
    instanceProblems: input.instances.filter(notAsIntended).map((i): HealthInstanceProblem => ({
      name: i.name,
      status: i.status,
      adminState: i.adminState,
      primaryNode: i.primaryNode,
    })),
    incidents: input.incidents,
    failedJobs: failedJobsAfter(input.jobs, since),
    failedJobsSince: since,
    sinceLastSummary: input.since !== null,
  };
}
