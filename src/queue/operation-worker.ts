import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import type { GanetiClient } from '../cluster/ganeti-client.js';
import { JOB_EXECUTE, JOB_EXPIRE, QUEUE_OPERATIONS } from './names.js';
import type { OperationReporter } from './operation-port.js';
import { runOperation, type ExecutionData } from './operation-runner.js';
import { messageRefSchema, stepStateSchema } from './operation-types.js';
import { buildView } from './operation-view.js';
import { requestIdSchema } from './payloads.js';
import type { RequestStore } from './request-store.js';

const executionSchema: z.ZodType<ExecutionData> = z
  .object({
    requestId: requestIdSchema,
    steps: z.record(z.string(), stepStateSchema),
    message: messageRefSchema.nullable(),
  })
  .strict();
const expirySchema = z.object({ requestId: requestIdSchema }).strict();

export interface OperationWorkerDeps {
  connection: Redis;
  prefix: string;
  cluster: GanetiClient;
  store: RequestStore;
  reporter: OperationReporter;
  logger: Logger;
  maxParallelJobs: number;
  concurrency?: number;
  /** Same on every worker (NOTES.md). A crashed execution resumes within about lock + interval. */
  stalledIntervalMs?: number;
  lockDurationMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  audit?: AuditLog;
}

/**
 * Runs approved operations and expires stale confirmations. An execution whose worker died is
 * picked up again after its lock expires (stalled-job recovery) and resumes from its saved step
 * states: `maxStalledCount` is generous because resuming never resubmits.
 */
export function createOperationWorker(deps: OperationWorkerDeps): { worker: Worker; close(): Promise<void> } {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function execute(job: Job): Promise<string> {
    const data = executionSchema.parse(job.data);
    const view = await runOperation(data, (d) => job.updateData(d), {
      cluster: deps.cluster,
      store: deps.store,
      reporter: deps.reporter,
      logger: deps.logger.child({ component: 'operations', jobId: job.id }),
      now,
      sleep,
      maxParallel: deps.maxParallelJobs,
      ...(deps.pollMs ? { pollMs: deps.pollMs } : {}),
      ...(deps.audit ? { audit: deps.audit } : {}),
    });
    return view?.outcome ?? 'nothing-done';
  }

  async function expire(job: Job): Promise<string> {
    const { requestId } = expirySchema.parse(job.data);
    const moved = await deps.store.transition(requestId, ['pending'], 'expired');
    if (!moved.ok) return `already ${moved.state ?? 'gone'}`;
    const stored = await deps.store.get(requestId);
    if (stored) {
      await deps.reporter.show(buildView(stored, {}, now(), null), stored.card);
      const r = stored.request;
      await deps.audit?.record({
        event: 'expired',
        requestId,
        user: r.userId,
        channel: r.channelId,
        command: r.command,
        target: r.plan.summary,
      });
    }
    return 'expired';
  }

  const worker = new Worker(
    QUEUE_OPERATIONS,
    async (job) => {
      if (job.name === JOB_EXECUTE) return execute(job);
      if (job.name === JOB_EXPIRE) return expire(job);
      throw new UnrecoverableError(`unknown job name ${job.name}`);
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 8,
      stalledInterval: deps.stalledIntervalMs ?? 30_000,
      lockDuration: deps.lockDurationMs ?? 30_000,
      maxStalledCount: 20,
    },
  );
  worker.on('error', (error) => deps.logger.warn({ err: error }, 'operation worker: redis error'));
  return { worker, close: () => worker.close() };
}
