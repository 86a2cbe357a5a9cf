import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { GanetiClient } from '../cluster/ganeti-client.js';
import type { Registry } from '../commands/registry.js';
import { isUserError } from '../core/errors.js';
import { toFailure } from '../core/failure.js';
import { JOB_RUN_COMMAND, QUEUE_COMMANDS } from './names.js';
import { commandJobSchema, type CommandJob } from './payloads.js';
import type { OperationPort } from './operation-deps.js';
import { planOperation } from './plan-operation.js';
import { createScope, CREATE_COMMAND, projectScope } from './project-scope.js';
import type { AccessPolicy } from '../commands/authorize.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { MonitorReader } from '../monitor/types.js';
import { createProgressThrottle } from './progress-throttle.js';
import type { ReplySink } from './reply-port.js';

export interface CommandWorkerDeps {
  connection: Redis;
  prefix: string;
  registry: Registry;
  cluster: GanetiClient;
  replies: ReplySink;
  logger: Logger;
  concurrency?: number;
  now?: () => number;
  /** Progress appears after this long (default 1.5 s), then at most every intervalMs (3 s). */
  progressDelayMs?: number;
  progressIntervalMs?: number;
  /**
   * Same value on every worker: BullMQ's stalled check runs only once the interval of the worker
   * that ran it last has passed (docs/architecture.md, "Stalled checks and locks").
   */
  stalledIntervalMs?: number;
  /** Access rules, for project grants checked per instance. */
  policy?: AccessPolicy;
  audit?: AuditLog;
  /** The health monitor's incidents, for `health`. */
  monitor?: MonitorReader;
  /** For commands that change the cluster: request store, operation queue, reporter. */
  operations?: OperationPort;
  /** The queue of its cluster (src/queue/names.ts `queueName`). Default: the plain one. */
  queueName?: string;
}

export interface CommandWorker {
  readonly worker: Worker<CommandJob>;
  close(): Promise<void>;
}

export function createCommandWorker(deps: CommandWorkerDeps): CommandWorker {
  const now = deps.now ?? Date.now;

  async function process(job: Job<CommandJob>): Promise<{ outcome: string }> {
    const data = commandJobSchema.parse(job.data);
    const log = deps.logger.child({
      requestId: data.requestId,
      command: data.command,
      user: data.userId,
      attempt: job.attemptsMade + 1,
    });
    const reply = deps.replies.open({
      requestId: data.requestId,
      channelId: data.channelId,
      userId: data.userId,
      responseUrl: data.responseUrl,
      text: data.text,
      ...(data.viewId ? { viewId: data.viewId } : {}),
      ...(data.cluster ? { cluster: data.cluster } : {}),
    });
    const command = deps.registry.find(data.command);
    if (!command) {
      // Only a bot and worker of different versions can get here.
      await reply.failure({
        code: 'unknown_command',
        message: `This worker does not know the command \`${data.command}\`.`,
        hint: 'The bot and its workers may run different versions; ask an admin.',
      });
      throw new UnrecoverableError(`unknown command ${data.command}`);
    }
    const throttle = createProgressThrottle({
      // An answer meant for the requester alone gets no progress line in the channel either.
      // Neither for a request made from an incident: its card appears in the incident's thread;
      // nor for a form being filled in: the form shows that it is loading.
      send: (text) =>
        command.visibility === 'requester' || data.threadTs || data.viewId
          ? Promise.resolve()
          : reply.progress(text),
      delayMs: deps.progressDelayMs ?? 1_500,
      intervalMs: deps.progressIntervalMs ?? 3_000,
      now,
      onError: (error) => log.warn({ err: error }, 'could not show progress'),
    });
    const started = now();
    const audit = (event: 'refused' | 'result', extra: { outcome?: string; detail?: string }) =>
      deps.audit?.record({
        event,
        requestId: data.requestId,
        user: data.userId,
        channel: data.channelId,
        ...(data.cluster ? { cluster: data.cluster } : {}),
        command: command.name,
        target:
          typeof (data.args.instance ?? data.args.node) === 'string'
            ? String(data.args.instance ?? data.args.node)
            : null,
        ...extra,
      });
    try {
      const scope = deps.policy ? await projectScope(command, data, deps.cluster, deps.policy) : null;
      const creating =
        deps.policy && command.name === CREATE_COMMAND ? createScope(data.grant, deps.policy) : null;
      const ctx = {
        cluster: deps.cluster,
        progress: (text: string) => throttle.push(text),
        help: deps.registry.help,
        now,
        ...(scope ? { scope } : {}),
        ...(deps.audit ? { audit: deps.audit } : {}),
        ...(deps.monitor ? { monitor: deps.monitor } : {}),
        ...(creating ? { createScope: creating } : {}),
      };
      if (data.viewId && command.form) {
        const offered = await command.form(ctx);
        await throttle.stop();
        await reply.result(offered, { visibility: 'requester' });
        log.info({ ms: now() - started }, 'form filled in');
        return { outcome: 'form' };
      }
      throttle.push(
        command.kind === 'operation' ? `Checking \`${command.name}\`…` : `Running \`${command.name}\`…`,
      );
      if (command.kind === 'operation') {
        if (!deps.operations) throw new Error('this worker is not set up for operations');
        await planOperation(command, data, ctx, deps.operations, log);
        await throttle.stop();
        await reply.done();
        log.info({ ms: now() - started }, 'operation planned');
        return { outcome: 'planned' };
      }
      const result = await command.run(ctx, data.args);
      await throttle.stop();
      await reply.result(result, { visibility: command.visibility });
      log.info({ ms: now() - started }, 'command done');
      await audit('result', { outcome: 'ok' });
      return { outcome: 'ok' };
    } catch (error) {
      await throttle.stop();
      const attempts = job.opts.attempts ?? 1;
      const retryable = isUserError(error) && error.retryable && job.attemptsMade + 1 < attempts;
      if (retryable) {
        log.warn({ err: error }, 'command failed; retrying');
        // The next attempt opens a reply of its own: leave no progress line behind.
        await reply.done();
        throw error;
      }
      if (isUserError(error))
        log.info({ code: error.code, ms: now() - started }, `command refused: ${error.userMessage}`);
      else log.error({ err: error }, 'command failed with an internal error');
      const failure = toFailure(
        error,
        data.requestId,
        'Something went wrong inside the bot; the command may not have run.',
      );
      await reply.failure(failure);
      await audit(isUserError(error) ? 'refused' : 'result', {
        outcome: failure.code,
        detail: failure.message,
      });
      throw new UnrecoverableError(failure.message);
    }
  }

  const worker = new Worker<CommandJob>(
    deps.queueName ?? QUEUE_COMMANDS,
    async (job) => {
      if (job.name !== JOB_RUN_COMMAND) throw new UnrecoverableError(`unknown job name ${job.name}`);
      return process(job);
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 4,
      stalledInterval: deps.stalledIntervalMs ?? 30_000,
    },
  );
  worker.on('error', (error) => deps.logger.warn({ err: error }, 'command worker: redis error'));
  return { worker, close: () => worker.close() };
}
