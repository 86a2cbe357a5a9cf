import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import type { GanetiClient } from '../cluster/ganeti-client.js';
import { JOB_EXECUTE, JOB_EXPIRE, QUEUE_OPERATIONS } from './names.js';
import type { OperationReporter } from './operation-port.js';
import type { FailpointHook } from '../core/failpoints.js';
import { ExecutionTakenError, runOperation, type ExecutionData, type Holding } from './operation-runner.js';
import { messageRefSchema, stepStateSchema } from './operation-types.js';
import { buildView } from './operation-view.js';
import { requestIdSchema } from './payloads.js';
import type { RequestStore } from './request-store.js';

const executionSchema: z.ZodType<ExecutionData> = z
  .object({
    requestId: requestIdSchema,
    steps: z.record(z.string(), stepStateSchema),
    message: messageRefSchema.nullable(),
    announced: z.boolean().optional(),
  })
  .strict();
const expirySchema = z.object({ requestId: requestIdSchema }).strict();

export interface OperationWorkerDeps {
  connection: Redis;
  prefix: string;
  /** The queue of its cluster (src/queue/names.ts `queueName`). Default: the plain one. */
  queueName?: string;
  cluster: GanetiClient;
  store: RequestStore;
  reporter: OperationReporter;
  logger: Logger;
  maxParallelJobs: number;
  concurrency?: number;
  /**
   * Same on every worker (the worker that ran BullMQ's stalled check last decides when the next one
   * may run: docs/architecture.md, "Stalled checks and locks"). A crashed execution resumes within
   * about lock + interval.
   */
  stalledIntervalMs?: number;
  lockDurationMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  audit?: AuditLog;
  failpoint?: FailpointHook;
}

/**
 * Saves an execution's data only while this worker holds the job's lock, so a worker that lost
 * it (Redis stalled past the lock, another worker took over) can never overwrite the new holder's
 * state. Keys are BullMQ's: the job hash `<prefix>:<queue>:<id>` and its lock `…:lock`.
 */
const FENCED_SAVE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 'taken' end
redis.call('HSET', KEYS[1], 'data', ARGV[2])
return 'held'`;

/**
 * Runs approved operations and expires stale confirmations. An execution whose worker died is
 * picked up again after its lock expires (stalled-job recovery) and resumes from its saved step
 * states: `maxStalledCount` is generous because resuming never resubmits.
 */
export function createOperationWorker(deps: OperationWorkerDeps): { worker: Worker; close(): Promise<void> } {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function execute(job: Job, token: string | undefined): Promise<string> {
    const data = executionSchema.parse(job.data);
    const jobKey = `${job.queueQualifiedName}:${job.id ?? ''}`;
    const lockMs = deps.lockDurationMs ?? 30_000;
    const save = async (d: ExecutionData): Promise<Holding> => {
      if (!token) {
        await job.updateData(d);
        return 'held';
      }
      const answer = await deps.connection.eval(
        FENCED_SAVE,
        2,
        jobKey,
        `${jobKey}:lock`,
        token,
        JSON.stringify(d),
      );
      return answer === 'gone' || answer === 'taken' ? answer : 'held';
    };
    /** Extends the lock when still ours: a fresh lockDuration for the submit that follows. */
    const holds = async (): Promise<Holding> => {
      if (!token) return 'held';
      if ((await job.extendLock(token, lockMs)) === 1) return 'held';
      return (await deps.connection.exists(jobKey)) === 1 ? 'taken' : 'gone';
    };
    const view = await runOperation(data, save, {
      holds,
      ...(deps.failpoint ? { failpoint: deps.failpoint } : {}),
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
        ...(r.cluster ? { cluster: r.cluster } : {}),
      });
    }
    return 'expired';
  }

  const worker = new Worker(
    deps.queueName ?? QUEUE_OPERATIONS,
    async (job, token) => {
      if (job.name === JOB_EXECUTE) {
        try {
          return await execute(job, token);
        } catch (error) {
          if (!(error instanceof ExecutionTakenError)) throw error;
          // Another worker holds it now and carries on; this one stops quietly.
          deps.logger.warn(
            { jobId: job.id },
            'lost the execution to another worker (its lock expired); stopped',
          );
          throw error;
        }
      }
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
