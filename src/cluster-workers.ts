import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AuditLog } from './audit/audit-log.js';
import { withHomes } from './bot/home/home-viewers.js';
import { renderResult } from './bot/render/render-result.js';
import { context } from './bot/render/blocks.js';
import { createSlackIncidentReporter } from './bot/slack-incident-reporter.js';
import type { ClusterAccess } from './cluster/connect-cluster.js';
import type { NodeProber } from './cluster/node-prober.js';
import { policyOnCluster } from './commands/authorize.js';
import type { Registry } from './commands/registry.js';
import type { AppConfig, ClusterConfig } from './config/app-config.js';
import { createFailpoints, parseFailpoints } from './core/failpoints.js';
import type { MonitorStore } from './monitor/monitor-store.js';
import { startMonitor } from './monitor/start-monitor.js';
import type { AppMetrics } from './observability/metrics.js';
import type { ReadinessCheck } from './observability/health.js';
import { observeCommandWorker, observeOperationWorker } from './observability/observe-app.js';
import { createCommandQueue } from './queue/command-queue.js';
import { createCommandWorker } from './queue/command-worker.js';
import { QUEUE_COMMANDS, QUEUE_OPERATIONS, queueName } from './queue/names.js';
import type { OperationReporter } from './queue/operation-port.js';
import type { OperationQueue } from './queue/operation-queue.js';
import { createOperationWorker } from './queue/operation-worker.js';
import { createRedisConnection } from './queue/redis-connection.js';
import type { ReplySink } from './queue/reply-port.js';
import { createRequestStore, type RequestStore } from './queue/request-store.js';
import type { Redis } from 'ioredis';

/** What one cluster's workers are built from (src/main.ts passes its shared parts). */
export interface ClusterWorkersDeps {
  config: AppConfig;
  /** Its settings; null only when a test hands in the connection itself. */
  cluster: ClusterConfig | null;
  name: string;
  access: ClusterAccess;
  /** Whether the bot serves several clusters: then jobs, summaries and readiness name this one. */
  multi: boolean;
  defaultCluster: string;
  registry: Registry;
  replies: ReplySink;
  reporter: OperationReporter;
  store: RequestStore;
  audit: AuditLog;
  operationQueue: OperationQueue;
  producer: Redis;
  client: WebClient;
  metrics: AppMetrics;
  readiness: ReadinessCheck[];
  /** Where its stop steps go (run in order on shutdown). */
  stops: Array<() => Promise<unknown>>;
  monitorStore: MonitorStore | null;
  homesChanged: () => void;
  logger: Logger;
  prober?: NodeProber;
}

/**
 * The worker role for one cluster: its command and operation workers on its own queues (so a
 * slow cluster never holds up another's jobs) with its own concurrency, its health monitor, and
 * its part of readiness and of the shutdown.
 */
export async function startClusterWorkers(deps: ClusterWorkersDeps): Promise<void> {
  const { config, access, name, logger } = deps;
  const log = deps.multi ? logger.child({ cluster: name }) : logger;
  const queueOf = (base: string) => queueName(base, name, deps.defaultCluster);
  const limit = deps.cluster?.concurrency ?? null;
  deps.readiness.push({
    name: deps.multi ? `cluster ${name}` : 'cluster',
    run: async () => void (await access.client.master()),
  });
  const connection = createRedisConnection(config.redisUrl, 'worker');
  const worker = createCommandWorker({
    connection,
    prefix: config.queuePrefix,
    queueName: queueOf(QUEUE_COMMANDS),
    registry: deps.registry,
    cluster: access.client,
    replies: deps.replies,
    logger: log.child({ component: 'worker' }),
    concurrency: limit ?? config.workerConcurrency,
    stalledIntervalMs: config.stalledIntervalMs,
    // Only the projects that live on this cluster grant anything on it.
    policy: policyOnCluster(config.access, name),
    audit: deps.audit,
    ...(deps.monitorStore ? { monitor: deps.monitorStore } : {}),
    operations: {
      store: deps.store,
      queue: deps.operationQueue,
      reporter: deps.reporter,
      approvalTtlMs: config.approvalTtlMs,
      selfApprove: config.access.selfApprove ?? [],
      now: Date.now,
    },
  });
  const operationConnection = createRedisConnection(config.redisUrl, 'worker');
  // A running operation waits for Redis to come back rather than failing fast like the Slack side.
  const operationStore = createRequestStore({ redis: operationConnection, prefix: config.queuePrefix });
  const operations = createOperationWorker({
    connection: operationConnection,
    prefix: config.queuePrefix,
    queueName: queueOf(QUEUE_OPERATIONS),
    cluster: access.client,
    store: operationStore,
    reporter: deps.reporter,
    logger: log,
    ...(limit === null ? {} : { concurrency: limit }),
    maxParallelJobs: config.maxParallelJobs,
    audit: deps.audit,
    stalledIntervalMs: config.stalledIntervalMs,
    lockDurationMs: config.lockDurationMs,
    ...(config.failpoints ? { failpoint: armFailpoints(config.failpoints, log) } : {}),
  });
  observeCommandWorker(worker.worker, deps.metrics);
  observeOperationWorker(operations.worker, operationStore, deps.metrics);
  // Find the master and learn the names now, so the first command does not pay for it.
  void Promise.all([access.client.master(), access.client.names()]).catch((error: unknown) =>
    log.warn({ err: error }, 'the cluster did not answer at start; commands will try again'),
  );
  await startClusterMonitor(deps, log);
  deps.stops.unshift(
    // Both at once: neither takes a new job while the other finishes its running ones.
    () => Promise.all([worker.close(), operations.close()]),
    async () =>
      log.info(
        { ...access.client.callStats?.(), queryHelpers: access.queryHelpers?.() },
        'cluster calls since start',
      ),
    () => access.close(),
    async () => connection.disconnect(),
    async () => operationConnection.disconnect(),
  );
}

async function startClusterMonitor(deps: ClusterWorkersDeps, log: Logger): Promise<void> {
  const { config, access, monitorStore } = deps;
  const base = config.monitor;
  if (!base || !monitorStore) {
    log.info('ALERT_CHANNEL is not set: the health monitor is off (no node-loss alerts)');
    return;
  }
  const monitorConfig = { ...base, fenceCommand: deps.cluster?.fenceCommand ?? base.fenceCommand };
  const health = deps.registry.find('health');
  const monitorConnection = createRedisConnection(config.redisUrl, 'worker');
  const commands = monitorConfig.autoEvacuate
    ? createCommandQueue({
        connection: deps.producer,
        prefix: config.queuePrefix,
        logger: log,
        defaultCluster: deps.defaultCluster,
      })
    : undefined;
  const monitor = await startMonitor({
    config: monitorConfig,
    clusterName: deps.name,
    client: access.client,
    store: monitorStore,
    requests: deps.store,
    reporter: withHomes(
      createSlackIncidentReporter({ client: deps.client, channel: monitorConfig.channel, logger: log }),
      deps.homesChanged,
    ),
    postSummary: async () => {
      if (!health) return;
      const ctx = {
        cluster: access.client,
        progress: () => undefined,
        help: deps.registry.help,
        now: Date.now,
        monitor: monitorStore,
      };
      const message = renderResult(await health.run(ctx, {}), null);
      // With several clusters, each summary says which one it is about.
      const named = deps.multi
        ? { ...message, blocks: [context(`Cluster \`${deps.name}\``), ...message.blocks] }
        : message;
      await deps.client.chat.postMessage({ channel: monitorConfig.channel, ...named });
    },
    ...(commands ? { commands } : {}),
    ...(deps.prober ? { prober: deps.prober } : {}),
    ...(deps.multi ? { jobCluster: deps.name } : {}),
    audit: deps.audit,
    connection: monitorConnection,
    prefix: config.queuePrefix,
    logger: log,
  });
  deps.stops.unshift(
    () => monitor.stop(),
    async () => commands?.close(),
    async () => monitorConnection.disconnect(),
  );
}

function armFailpoints(spec: string, logger: Logger) {
  logger.warn(
    { failpoints: spec },
    'GANETI_CHATOPS_FAILPOINTS is set: this worker kills itself at those points (tests only)',
  );
  return createFailpoints(parseFailpoints(spec));
}
