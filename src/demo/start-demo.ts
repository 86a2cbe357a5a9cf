import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { loadConfig, formatProblems } from '../config/load-config.js';
import { startApp, type RunningApp } from '../main.js';
import { DEMO_CHANNELS, DEMO_CONFIG_YAML, DEMO_SETTINGS, DEMO_USERS } from './demo-workspace.js';
import { createPageRoutes } from './page-routes.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';
import { startFakeSlack } from './slack/fake-slack.js';
import type { FakeSlack } from './slack/fake-slack-types.js';
import type { SimClusterOptions } from './simulator/create-cluster.js';
import { createSimProber } from './simulator/sim-prober.js';
import { startSimulatedCluster, type SimulatedCluster } from './simulator/start-simulated-cluster.js';

export interface DemoOptions {
  /** A Redis of the user's (`REDIS_URL`); without it a private redis-server is started. */
  redisUrl?: string;
  /** Port of the page (127.0.0.1). Default a free one. */
  port?: number;
  /** Cluster size; default 4 nodes and 60 instances. */
  size?: SimClusterOptions;
  /** Multiplies the simulated jobs' durations (1: the lab's pace). Default 0.5. */
  speed?: number;
  /** Multiplies how long a command waits on a silent node (1: the lab's timeouts). Default 0.2. */
  delayScale?: number;
  logger: Logger;
  /** Extra bot settings, over the demo's (docs/configuration.md). */
  settings?: Record<string, string>;
}

export interface RunningDemo {
  /** The page: open it in a browser. */
  url: string;
  /** The Redis it uses: the one given, or its own. */
  redisUrl: string;
  slack: FakeSlack;
  cluster: SimulatedCluster;
  app: RunningApp;
  stop(): Promise<void>;
}

/** Virtual files the bot's config loader reads: the simulator's key and host keys, the YAML. */
const KEY_FILE = '/demo/id_ed25519';
const KNOWN_HOSTS_FILE = '/demo/known_hosts';
const CONFIG_FILE = '/demo/ganeti-chatops.yaml';

/**
 * Starts the whole bot locally with nothing configured: Redis (the user's or a private one), a
 * simulated Ganeti cluster behind real SSH servers on loopback, and the fake Slack serving a
 * Slack-like page; the bot (both roles, HTTP mode) runs unchanged between them.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    let redisUrl = options.redisUrl;
    if (redisUrl === undefined) {
      const redis: PrivateRedis = await startPrivateRedis();
      stops.push(() => redis.stop());
      redisUrl = redis.url;
    }
    // Ganeti's RPC timeouts on a silent node, a fifth as long: the demo is watched, not waited for.
    const cluster = await startSimulatedCluster({
      size: options.size ?? {},
      speed: options.speed ?? 0.5,
      delayScale: options.delayScale ?? 0.2,
    });
    stops.push(() => cluster.close());

    const signingSecret = randomBytes(16).toString('hex');
    // The page's routes are given to the fake Slack, and reach it and the bot once they exist.
    const late: { app?: RunningApp; slack?: FakeSlack } = {};
    const routes = createPageRoutes({
      slack: () => late.slack as FakeSlack,
      simulator: cluster.simulator,
      botUrl: () => `http://127.0.0.1:${String(late.app?.port ?? 0)}`,
      signingSecret,
    });
    const slack = await startFakeSlack({
      botToken: 'xoxb-demo',
      teamId: 'T0DEMO',
      ...(options.port === undefined ? {} : { port: options.port }),
      users: Object.fromEntries(DEMO_USERS.map((u) => [u.id, { name: u.name, real_name: u.name }])),
      channels: Object.fromEntries(DEMO_CHANNELS.map((c) => [c.id, { name: c.name }])),
      routes,
    });
    late.slack = slack;
    stops.push(() => slack.close());

    const files: Record<string, string> = {
      [KEY_FILE]: cluster.config.privateKey,
      [KNOWN_HOSTS_FILE]: cluster.config.knownHosts ?? '',
      [CONFIG_FILE]: DEMO_CONFIG_YAML,
    };
    const env: Record<string, string> = {
      SLACK_BOT_TOKEN: 'xoxb-demo',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      REDIS_URL: redisUrl,
      GANETI_CHATOPS_QUEUE_PREFIX: `ganeti-chatops-demo-${process.pid}`,
      GANETI_CHATOPS_CONFIG: CONFIG_FILE,
      GANETI_SSH_HOSTS: cluster.config.hosts.map((h) => `${h.host}:${h.port}`).join(','),
      GANETI_SSH_USER: cluster.config.user,
      GANETI_SSH_KEY_FILE: KEY_FILE,
      GANETI_SSH_KNOWN_HOSTS: KNOWN_HOSTS_FILE,
      ...DEMO_SETTINGS,
      ...options.settings,
    };
    const loaded = loadConfig({ env, readFile: (path) => files[path] ?? readFileSync(path, 'utf8') });
    if (!loaded.config)
      throw new Error(`the demo's own settings were refused:\n${formatProblems(loaded.problems)}`);
    const app = await startApp(loaded.config, options.logger, {
      prober: createSimProber(cluster.simulator.cluster),
    });
    late.app = app;
    stops.push(() => app.stop());
    return { url: `${slack.url}/`, redisUrl, slack, cluster, app, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
