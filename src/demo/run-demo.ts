import { createLogger } from '../core/logger.js';
import { RedisMissingError } from './private-redis.js';
import { startDemo } from './start-demo.js';

/** The settings whose absence means "nothing is configured yet" (the demo runs instead). */
const REAL_SETUP_KEYS = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'GANETI_SSH_HOSTS',
  'GANETI_CHATOPS_CONFIG',
] as const;

/** True when neither Slack nor a cluster is configured: the first run after a clone. */
export function isUnconfigured(env: Readonly<Record<string, string | undefined>>): boolean {
  return REAL_SETUP_KEYS.every((key) => (env[key] ?? '').trim() === '');
}

export const DEFAULT_DEMO_PORT = 3000;
const STOP_DEADLINE_MS = 10_000;

/**
 * `ganeti-chatops demo`: starts the demo, prints its URL, and stops everything it started on
 * SIGINT or SIGTERM. A busy default port falls back to a free one; a port asked for must be free.
 */
export async function runDemo(options: {
  env: Readonly<Record<string, string | undefined>>;
  port?: number;
  write: (text: string) => void;
}): Promise<void> {
  const logger = createLogger(options.env.LOG_LEVEL ?? 'warn');
  const redisUrl = options.env.REDIS_URL?.trim() || undefined;
  const start = (port: number) =>
    startDemo({ logger, port, ...(redisUrl === undefined ? {} : { redisUrl }) });
  let demo;
  try {
    demo = await start(options.port ?? DEFAULT_DEMO_PORT).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE' || options.port !== undefined) throw error;
      return start(0);
    });
  } catch (error) {
    if (error instanceof RedisMissingError) {
      options.write(`ganeti-chatops demo: ${error.message}\n`);
      process.exit(69); // EX_UNAVAILABLE
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      options.write(
        `ganeti-chatops demo: port ${String(options.port)} is in use; pick another with --port N\n`,
      );
      process.exit(69);
    }
    throw error;
  }
  const nodes = demo.cluster.simulator.cluster.nodes.length;
  const instances = demo.cluster.simulator.cluster.instances.length;
  options.write(
    [
      `ganeti-chatops demo: the bot on a simulated cluster (${nodes} nodes, ${instances} instances),`,
      `${redisUrl === undefined ? 'a private redis-server' : 'your Redis'} (${demo.redisUrl}) and a Slack-like page.`,
      `Open ${demo.url}`,
      'Type /ganeti help there. Ctrl-C stops the demo. To run the bot on your own Slack and',
      'cluster instead, follow "From clone to a working bot" in README.md.',
      '',
    ].join('\n'),
  );
  const shutdown = () => {
    // What is still running after the deadline is dropped: the demo's state is throwaway.
    setTimeout(() => {
      options.write('ganeti-chatops demo: stopping took too long; exiting anyway\n');
      process.exit(0);
    }, STOP_DEADLINE_MS).unref();
    demo.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
