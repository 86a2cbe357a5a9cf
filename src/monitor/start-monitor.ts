import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { GanetiClient } from '../cluster/ganeti-client.js';
import { createTcpNodeProber, type NodeProber } from '../cluster/node-prober.js';
import type { MonitorConfig } from '../config/app-config.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CommandQueue } from '../queue/command-queue.js';
import { newRequestId } from '../queue/payloads.js';
import type { AutoEvacuation } from './auto-evacuate.js';
import type { MonitorStore } from './monitor-store.js';
import { createPoller, type Poller } from './poller.js';
import type { RequestLookup } from './publish.js';
import type { IncidentReporter } from './types.js';

export const QUEUE_MONITOR = 'monitor';
export const JOB_SUMMARY = 'health-summary';

export interface MonitorDeps {
  config: MonitorConfig;
  clusterName: string;
  client: GanetiClient;
  store: MonitorStore;
  requests: RequestLookup;
  reporter: IncidentReporter;
  /** Posts the scheduled node-health summary (renders `/ganeti health` into ALERT_CHANNEL). */
  postSummary: () => Promise<void>;
  /** For AUTO_EVACUATE: where the pre-approved `recover` request is queued. */
  commands?: Pick<CommandQueue, 'enqueue'>;
  /** Records the monitor's own approval of an automatic evacuation. */
  audit?: AuditLog;
  connection: Redis;
  prefix: string;
  logger: Logger;
  prober?: NodeProber;
  now?: () => number;
  /** Set when the bot serves several clusters: the jobs it queues name this one. */
  jobCluster?: string;
}

/** Runs the fencing command (argv, no shell; `{node}` replaced): ok only on exit 0. */
export function runFence(
  argv: readonly string[],
  node: string,
  timeoutMs = 120_000,
): Promise<{ ok: boolean; detail: string }> {
  const [file, ...args] = argv.map((a) => a.replaceAll('{node}', node));
  return new Promise((resolve) => {
    execFile(file ?? '', args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      const last = `${stdout}\n${stderr}`.trim().split('\n').at(-1)?.slice(0, 200) ?? '';
      const code = error ? ((error as { code?: unknown }).code ?? 'killed') : 0;
      resolve({ ok: !error, detail: `${file} exited ${String(code)}${last ? `: ${last}` : ''}` });
    });
  });
}

function autoEvacuation(deps: MonitorDeps): AutoEvacuation | undefined {
  const { config, commands } = deps;
  const fence = config.fenceCommand;
  if (!config.autoEvacuate || !fence || !commands) return undefined;
  const now = deps.now ?? Date.now;
  return {
    fence: (node) => runFence(fence, node),
    async start(incident, node, attestation) {
      const requestId = newRequestId(now());
      await deps.store.linkRequest(incident.id, { requestId, what: 'recover', node });
      await commands.enqueue({
        requestId,
        command: 'recover',
        args: { node },
        text: `recover ${node}`,
        userId: 'monitor',
        channelId: incident.message?.channel ?? config.channel,
        responseUrl: null,
        requestedAt: now(),
        grant: { via: 'role', role: 'admin' },
        preapproved: { by: 'monitor', attestation },
        ...(deps.jobCluster ? { cluster: deps.jobCluster } : {}),
        ...(incident.message ? { threadTs: incident.message.ts } : {}),
      });
      await deps.audit?.record({
        event: 'approved',
        requestId,
        user: 'monitor',
        channel: incident.message?.channel ?? config.channel,
        command: 'recover',
        target: node,
        approver: 'monitor',
        detail: `AUTO_EVACUATE: ${attestation}`,
      });
      return requestId;
    },
  };
}

/**
 * Starts the health monitor of one cluster in a worker process: the poller (one per cluster
 * across every process sharing Redis, through its lease) and the scheduled node-health summary
 * (a BullMQ job scheduler: one summary per tick however many workers run).
 */
export async function startMonitor(deps: MonitorDeps): Promise<{ poller: Poller; stop(): Promise<void> }> {
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ component: 'monitor', cluster: deps.clusterName });
  const poller = createPoller({
    cluster: deps.clusterName,
    client: deps.client,
    prober: deps.prober ?? createTcpNodeProber(),
    store: deps.store,
    requests: deps.requests,
    reporter: deps.reporter,
    logger: deps.logger,
    now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
    pollMs: deps.config.pollMs,
    graceMs: deps.config.graceMs,
    reminderMs: deps.config.reminderMs,
    owner: `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`,
    ...(autoEvacuation(deps) ? { autoEvacuate: autoEvacuation(deps) } : {}),
  });
  const queue = new Queue(QUEUE_MONITOR, { connection: deps.connection, prefix: deps.prefix });
  queue.on('error', (error) => log.warn({ err: error }, 'monitor queue: redis error'));
  await queue.upsertJobScheduler(
    `${JOB_SUMMARY}-${deps.clusterName}`,
    { pattern: deps.config.summaryCron, tz: deps.config.summaryTz },
    {
      name: JOB_SUMMARY,
      data: { cluster: deps.clusterName },
      opts: { removeOnComplete: 100, removeOnFail: 100 },
    },
  );
  const worker = new Worker(
    QUEUE_MONITOR,
    async () => {
      // The next summary counts failed jobs from before this one read them: a job that ends
      // while it runs is listed twice rather than never.
      const readAt = now();
      await deps.postSummary();
      await deps.store.setLastSummaryAt(readAt);
      log.info('posted the node-health summary');
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on('error', (error) => log.warn({ err: error }, 'monitor worker: redis error'));
  poller.start();
  log.info(
    {
      channel: deps.config.channel,
      summary: `${deps.config.summaryCron} ${deps.config.summaryTz}`,
      autoEvacuate: deps.config.autoEvacuate,
    },
    'health monitor on',
  );
  return {
    poller,
    async stop() {
      await poller.stop();
      await worker.close();
      await queue.close();
    },
  };
}
