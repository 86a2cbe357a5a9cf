#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { createSlackApp, webClientOptions, type SlackApp } from './bot/slack-app.js';
import { createGanetiCommandListener } from './bot/listeners/ganeti-command.js';
import { createOperationButtons } from './bot/listeners/operation-buttons.js';
import { createCreateFormListener } from './bot/listeners/create-form.js';
import { createNameForm, createNameSubmission } from './bot/listeners/named-approval.js';
import { createFormOpener } from './bot/forms/form-opener.js';
import { auditLine } from './bot/render/render-audit.js';
import { createGroupDirectory } from './bot/user-groups.js';
import { createAuditLog, type AuditRecord } from './audit/audit-log.js';
import { createSlackOperationReporter } from './bot/slack-operation-reporter.js';
import { createSlackReplies } from './bot/slack-replies.js';
import { createSlackLanes } from './bot/slack-lanes.js';
import { describeSlackFailure, observeSlackCalls, slackOut, withRetries } from './bot/slack-post.js';
import { createMetrics } from './observability/metrics.js';
import { createHealthHandler, startHealthServer, type ReadinessCheck } from './observability/health.js';
import { countedAudit, monitorView, queueDepths } from './observability/observe-app.js';
import { connectCluster, type ClusterAccess } from './cluster/connect-cluster.js';
import type { NodeProber } from './cluster/node-prober.js';
import { allCommands } from './commands/all-commands.js';
import { createRegistry } from './commands/registry.js';
import { unavailableCluster } from './commands/unavailable-cluster.js';
import type { AppConfig, ClusterConfig } from './config/app-config.js';
import { formatProblems, loadConfig } from './config/load-config.js';
import { withEnvFile } from './config/env-file.js';
import { parseCliArgs, USAGE } from './cli-args.js';
import { createLogger } from './core/logger.js';
import { createCommandQueue, type CommandQueue } from './queue/command-queue.js';
import { createOperationQueue } from './queue/operation-queue.js';
import { createRequestStore } from './queue/request-store.js';
import { createApprovalSweeper } from './queue/approval-sweeper.js';
import { createRedisConnection } from './queue/redis-connection.js';
import { createIncidentButtons } from './bot/listeners/incident-buttons.js';
import { createAppHome } from './bot/listeners/app-home.js';
import { gatherHome } from './bot/home/home-data.js';
import { createHomeViewers, withHomes } from './bot/home/home-viewers.js';
import { renderHome } from './bot/render/render-home.js';
import { createRateLimiter } from './bot/rate-limit.js';
import { createReplayGuard } from './bot/request-guard.js';
import { createSlackIncidentReporter } from './bot/slack-incident-reporter.js';
import { createMonitorStore, type MonitorStore } from './monitor/monitor-store.js';
import { startClusterWorkers } from './cluster-workers.js';

export interface RunningApp {
  /** HTTP port: Slack's /slack/events in HTTP mode, and /healthz, /readyz, /metrics in every mode. */
  port: number | null;
  stop(): Promise<void>;
}

/**
 * Wires every part for the roles in the config: `bot` (Slack in, queue out) and/or `worker`
 * (queue in, cluster, Slack out). The only place that knows every factory.
 */
export async function startApp(
  config: AppConfig,
  logger: Logger,
  overrides: { cluster?: ClusterAccess; prober?: NodeProber } = {},
): Promise<RunningApp> {
  const registry = createRegistry(allCommands);
  const stops: Array<() => Promise<unknown>> = [];
  let port: number | null = null;
  const client = new WebClient(config.slack.botToken, webClientOptions(config.slack));
  const metrics = createMetrics();
  observeSlackCalls(client, {
    error: (method, code) => metrics.slackError(method, code),
    rateLimited: (method, wait) => metrics.slackRateLimited(method, wait),
  });
  const readiness: ReadinessCheck[] = [];
  const health = createHealthHandler({ metrics, checks: readiness, logger });
  let socketConnected: () => boolean | null = () => null;
  readiness.push({ name: 'slack', run: slackReady(client, () => socketConnected()) });
  const slackReporter = createSlackOperationReporter({ client, logger });
  // Set once the App Home exists (below): a card that changes may change what Homes show.
  let homesChanged: () => void = () => undefined;
  const reporter = {
    ...slackReporter,
    show: async (...args: Parameters<typeof slackReporter.show>) => {
      const where = await slackReporter.show(...args);
      homesChanged();
      return where;
    },
  };
  const replies = createSlackReplies({ client, logger });
  // On stop, let posts still waiting for Slack (a 429's Retry-After) go out first.
  const auditLane = createSlackLanes();
  const drainSlack = async () =>
    void (await Promise.all([reporter.drain(10_000), replies.drain(10_000), auditLane.drain(10_000)]));

  // Fails fast when Redis is down (users are told); shared by the producers of both roles.
  const producer = createRedisConnection(config.redisUrl, 'producer');
  producer.on('error', () => undefined); // ioredis reports every failed reconnect; callers log what matters
  const store = createRequestStore({ redis: producer, prefix: config.queuePrefix });
  const depths = queueDepths(producer, config.queuePrefix, config.routing.names);
  metrics.sources.queues = depths.read;
  metrics.sources.approvalsPending = () => store.pendingCount();
  readiness.push({
    name: 'redis',
    run: async () => {
      if (producer.status !== 'ready') throw new Error(`not connected to Redis (${producer.status})`);
      await producer.ping();
    },
  });
  const auditChannel = config.auditChannel;
  const rawAudit = createAuditLog({
    redis: producer,
    prefix: config.queuePrefix,
    maxEntries: config.auditMaxEntries,
    logger,
    ...(auditChannel
      ? {
          // In order, retried after a 429 or 5xx, and never holding up what is audited for long.
          mirror: (record: AuditRecord) =>
            auditLane.send('audit', () =>
              withRetries(
                slackOut({ client, logger }),
                { method: 'chat.postMessage', idempotent: false },
                () => client.chat.postMessage({ channel: auditChannel, text: auditLine(record) }),
              ).then(
                () => undefined,
                (error: unknown) => logger.warn({ err: error }, 'could not mirror an audit record to Slack'),
              ),
            ),
        }
      : {}),
  });
  const audit = countedAudit(rawAudit, metrics);
  const routing = config.routing;
  const clusterName = routing.names[0] ?? 'ganeti';
  /** Jobs, cards and records name the cluster only when there is more than one. */
  const multi = routing.names.length > 1;
  // Each cluster's poller keeps its state under its name; incidents are kept by id, for all.
  const monitorStores = new Map<string, MonitorStore | null>(
    (routing.names.length > 0 ? routing.names : [clusterName]).map((name) => [
      name,
      config.monitor
        ? createMonitorStore({ redis: producer, prefix: config.queuePrefix, cluster: name })
        : null,
    ]),
  );
  const monitorStore = monitorStores.get(clusterName) ?? null;
  const operationQueue = createOperationQueue({
    connection: producer,
    prefix: config.queuePrefix,
    logger,
    defaultCluster: routing.names[0],
    clusters: routing.names,
  });
  stops.push(
    drainSlack,
    () => depths.close(),
    () => operationQueue.close(),
    async () => producer.disconnect(),
  );

  const groups = createGroupDirectory({ client, policy: config.access, ttlMs: config.groupsCacheMs });
  const homeDeps = {
    clusters: [...monitorStores].map(([name, monitor]) => ({ name, monitor })),
    requests: store,
    audit,
    policy: config.access,
    groups,
    alertChannel: config.monitor?.channel ?? null,
  };
  const home = createAppHome({
    view: async (user) => renderHome(await gatherHome(user, homeDeps)),
    publish: async (user, view) => void (await client.views.publish({ user_id: user, view })),
    logger: logger.child({ component: 'home' }),
    viewers: createHomeViewers({ redis: producer, prefix: config.queuePrefix }),
  });
  homesChanged = () => home.changed();
  stops.unshift(async () => home.stop());

  if (config.roles.has('worker')) {
    if (config.clusters.length === 0 && !overrides.cluster)
      throw new Error('the worker role needs a cluster configuration');
    const sweeperConnection = createRedisConnection(config.redisUrl, 'worker');
    const sweeper = createApprovalSweeper({
      store: createRequestStore({ redis: sweeperConnection, prefix: config.queuePrefix }),
      queue: operationQueue,
      logger: logger.child({ component: 'operations' }),
    });
    sweeper.start();
    stops.unshift(async () => sweeper.stop());
    stops.push(async () => sweeperConnection.disconnect());
    const targets: Array<{ config: ClusterConfig | null; access: ClusterAccess }> = overrides.cluster
      ? [{ config: config.clusters[0] ?? null, access: overrides.cluster }]
      : config.clusters.map((c) => ({
          config: c,
          access: connectCluster(c, {
            logger,
            onExec: (argv, ms, result) => metrics.exec(commandLabel(argv), result, ms / 1000),
          }),
        }));
    metrics.sources.ssh = () => targets.flatMap((t) => t.access.ssh?.() ?? []);
    if (monitorStore) metrics.sources.monitor = monitorView(monitorStore);
    for (const target of targets) {
      const name = target.config?.name ?? clusterName;
      await startClusterWorkers({
        config,
        cluster: target.config,
        name,
        access: target.access,
        multi,
        defaultCluster: clusterName,
        registry,
        replies,
        reporter,
        store,
        audit,
        operationQueue,
        producer,
        client,
        metrics,
        readiness,
        stops,
        monitorStore: monitorStores.get(name) ?? null,
        homesChanged: () => homesChanged(),
        logger,
        ...(overrides.prober && name === clusterName ? { prober: overrides.prober } : {}),
      });
    }
  }

  if (config.roles.has('bot')) {
    const queue: CommandQueue = createCommandQueue({
      connection: producer,
      prefix: config.queuePrefix,
      logger,
      defaultCluster: clusterName,
      clusters: routing.names,
    });
    // Queues while (re)connecting, so a request right after start is checked too (for up to 500 ms).
    const replayConnection = createRedisConnection(config.redisUrl, 'worker');
    replayConnection.on('error', () => undefined);
    stops.push(async () => replayConnection.disconnect());
    const botLog = logger.child({ component: 'bot' });
    const rateLimit = createRateLimiter({
      redis: producer,
      prefix: config.queuePrefix,
      perMinute: config.commandsPerMinute,
    });
    const buttons = createOperationButtons({
      store,
      queue: operationQueue,
      reporter,
      policy: config.access,
      groups,
      audit,
      logger: botLog,
      nameForm: createNameForm(client),
    });
    const slack: SlackApp = createSlackApp({
      slack: config.slack,
      logger,
      health,
      replays: createReplayGuard({ redis: replayConnection, prefix: config.queuePrefix }),
      onCommand: createGanetiCommandListener({
        registry,
        queue,
        policy: config.access,
        botContext: { cluster: unavailableCluster, help: registry.help, now: Date.now },
        groups,
        audit,
        logger: botLog,
        rateLimit,
        clusters: routing,
        forms: createFormOpener({
          client,
          onError: (error) => botLog.warn({ err: error }, 'could not update a form'),
        }),
      }),
      onCreateForm: createCreateFormListener({
        registry,
        queue,
        policy: config.access,
        groups,
        audit,
        logger: botLog,
        rateLimit,
        updateView: async (viewId, view) => void (await client.views.update({ view_id: viewId, view })),
      }),
      onNameForm: createNameSubmission({ approveNamed: buttons.approveNamed, logger: botLog }),
      onHomeOpened: home.onOpened,
      onOperationButton: buttons,
      ...(monitorStore
        ? {
            onIncidentButton: createIncidentButtons({
              store: monitorStore,
              requests: store,
              registry,
              queue,
              incidents: withHomes(
                createSlackIncidentReporter({ client, channel: config.monitor?.channel ?? '', logger }),
                homesChanged,
              ),
              operations: reporter,
              multiCluster: multi,
              policy: config.access,
              groups,
              audit,
              logger: logger.child({ component: 'bot' }),
            }),
          }
        : {}),
    });
    ({ port } = await slack.start());
    socketConnected = () => slack.socketConnected();
    stops.unshift(
      () => slack.stop(),
      () => queue.close(),
    );
    logger.info({ mode: config.slack.mode, port }, 'Slack adapter started');
  }

  if (port === null) {
    // Socket Mode or a worker-only process: the health endpoints on a server of their own.
    const server = await startHealthServer(config.slack.port, health).catch((error: unknown) => {
      throw new Error(
        `cannot serve /healthz, /readyz and /metrics on port ${config.slack.port} (${(error as Error).message}); give each process on this host its own PORT or --port`,
      );
    });
    port = server.port;
    stops.push(() => server.close());
  }

  return {
    port,
    async stop() {
      for (const stop of stops) {
        await stop().catch((error: unknown) => logger.warn({ err: error }, 'error while stopping'));
      }
    },
  };
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseCliArgs(argv);
  if ('error' in args) {
    process.stderr.write(`ganeti-chatops: ${args.error}\n\n${USAGE}`);
    process.exit(64); // EX_USAGE
  }
  if (args.command === 'help') return void process.stdout.write(USAGE);
  if (args.command === 'version') return void process.stdout.write(`ganeti-chatops ${packageVersion()}\n`);
  const readFile = (p: string) => readFileSync(p, 'utf8');
  const loaded = withEnvFile(
    process.env,
    { ...(args.envFile ? { explicit: args.envFile } : {}), fallback: '.env' },
    readFile,
  );
  if ('error' in loaded) {
    process.stderr.write(`ganeti-chatops: ${loaded.error}\n`);
    process.exit(78); // EX_CONFIG
  }
  const env = args.port === undefined ? loaded.env : { ...loaded.env, PORT: String(args.port) };
  if (args.command === 'demo') {
    const { runDemo } = await import('./demo/run-demo.js');
    const write = (text: string) => void process.stdout.write(text);
    return runDemo({ env: loaded.env, ...(args.port === undefined ? {} : { port: args.port }), write });
  }
  if (args.command === 'doctor') {
    const { runDoctor } = await import('./doctor/doctor.js');
    const ok = await runDoctor({
      env,
      readFile,
      write: (text) => process.stdout.write(text),
      ...(args.roles ? { roles: args.roles } : {}),
    });
    process.exit(ok ? 0 : 1);
  }
  const { config, problems } = loadConfig({ env, readFile }, args.roles);
  if (!config) {
    process.stderr.write(
      `ganeti-chatops cannot start; fix these settings (environment, --settings or .env; see .env.example or docs/configuration.md):\n${formatProblems(problems)}\n`,
    );
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger(config.logLevel);
  if (loaded.file) logger.info({ file: loaded.file }, 'settings read from a file');
  for (const p of problems) logger.warn({ key: p.key }, p.message);
  const app = await startApp(config, logger);
  logger.info({ roles: [...config.roles], port: app.port }, 'ganeti-chatops is running');
  const shutdown = (signal: string) => {
    logger.info(
      { signal, deadlineMs: config.shutdownTimeoutMs },
      'stopping: no new jobs; running ones may finish',
    );
    // Past the deadline the process exits with its jobs still active in Redis: their locks lapse
    // and another worker takes them over (an operation resumes its Ganeti job, docs/reliability.md).
    setTimeout(() => {
      logger.warn('shutdown deadline passed: handing the running jobs back to the queue');
      process.exit(0);
    }, config.shutdownTimeoutMs).unref();
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Our code may not leave a promise unhandled (lint: no-floating-promises); what still arrives
  // here comes from a library, e.g. the Socket Mode client's reconnect when stopped while Slack is
  // unreachable. Logged, and the bot keeps running rather than dropping its running jobs.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'a promise was rejected and nobody handled it'),
  );
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

function packageVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

// Run as a program (also through the npm bin's symlink), not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`ganeti-chatops failed to start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}

/** A label for a remote command in /metrics: the program and its subcommand, never the arguments. */
function commandLabel(argv: readonly string[]): string {
  return argv.slice(0, argv[0]?.startsWith('gnt-') ? 2 : 1).join(' ');
}

/**
 * Slack is reachable: in Socket Mode with the bot role, the websocket is open; otherwise the
 * token works (`auth.test`, at most once a minute: a readiness probe every few seconds must not
 * spend Slack's rate limit).
 */
function slackReady(client: WebClient, socketConnected: () => boolean | null) {
  let okUntil = 0;
  return async () => {
    const socket = socketConnected();
    if (socket === false) throw new Error('the Socket Mode connection to Slack is not open (reconnecting)');
    if (socket === true || Date.now() < okUntil) return;
    try {
      await client.auth.test();
    } catch (error) {
      throw new Error(`auth.test failed: ${describeSlackFailure(error)}`);
    }
    okUntil = Date.now() + 60_000;
  };
}

/** The crash tests' kill points: loud in the log, since a production worker must never have them. */
