import { Queue, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AuditLog } from '../audit/audit-log.js';
import type { MonitorStore } from '../monitor/monitor-store.js';
import { JOB_EXECUTE, QUEUE_COMMANDS, QUEUE_OPERATIONS, queueName } from '../queue/names.js';
import type { RequestStore } from '../queue/request-store.js';
import type { AppMetrics } from './metrics.js';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * Job counts of the bot's queues, the two of each cluster (`commands`, `operations-web2`, …),
 * read on each scrape (one Redis round trip per queue).
 */
export function queueDepths(connection: Redis, prefix: string, clusters: readonly string[] = []) {
  const names = [QUEUE_COMMANDS, QUEUE_OPERATIONS].flatMap((base) => [
    ...new Set([base, ...clusters.map((c) => queueName(base, c, clusters[0]))]),
  ]);
  const queues = names.map((name) => new Queue(name, { connection, prefix }));
  return {
    read: async () =>
      Object.fromEntries(
        await Promise.all(queues.map(async (q) => [q.name, await q.getJobCounts(...QUEUE_STATES)] as const)),
      ),
    close: () => Promise.all(queues.map((q) => q.close())),
  };
}

/** Counts every audit record by event (a `submitted` record is one Ganeti job submitted). */
export function countedAudit(audit: AuditLog, metrics: AppMetrics): AuditLog {
  return {
    record: (input) => {
      metrics.auditEvent(input.event, input.command ?? null);
      return audit.record(input);
    },
    recent: (query) => audit.recent(query),
  };
}

const seconds = (job: Job) =>
  job.finishedOn !== undefined && job.processedOn !== undefined
    ? (job.finishedOn - job.processedOn) / 1000
    : 0;

/** Durations and outcomes of slash commands, from the command worker's own events. */
export function observeCommandWorker(worker: Worker, metrics: AppMetrics): void {
  worker.on('completed', (job: Job, result: unknown) => {
    const outcome = (result as { outcome?: unknown } | null)?.outcome;
    metrics.commandDone(commandOf(job), typeof outcome === 'string' ? outcome : 'ok', seconds(job));
  });
  worker.on('failed', (job: Job | undefined) => {
    if (job) metrics.commandDone(commandOf(job), 'failed', seconds(job));
  });
}

/** Durations and outcomes of operations (the command is read from the request). */
export function observeOperationWorker(worker: Worker, store: RequestStore, metrics: AppMetrics): void {
  const done = (job: Job, outcome: string) => {
    if (job.name !== JOB_EXECUTE) return;
    const requestId = (job.data as { requestId?: unknown }).requestId;
    const took = seconds(job);
    void (typeof requestId === 'string' ? store.get(requestId) : Promise.resolve(null)).then(
      (stored) => metrics.operationDone(stored?.request.command ?? 'unknown', outcome, took),
      () => metrics.operationDone('unknown', outcome, took),
    );
  };
  worker.on('completed', (job: Job, result: unknown) =>
    done(job, typeof result === 'string' ? result : 'done'),
  );
  worker.on('failed', (job: Job | undefined) => {
    if (job) done(job, 'failed');
  });
}

/** Each node's health and the open incidents, as the monitor last saved them. */
export function monitorView(store: MonitorStore) {
  return async () => {
    const [model, incident] = await Promise.all([store.model(), store.openIncident()]);
    if (!model) return null;
    const nodes = Object.fromEntries(Object.entries(model.nodes).map(([name, n]) => [name, n.health]));
    return { cluster: model.cluster, nodes, openIncidents: incident ? 1 : 0 };
  };
}

function commandOf(job: Job): string {
  const command = (job.data as { command?: unknown }).command;
  return typeof command === 'string' ? command : 'unknown';
}
