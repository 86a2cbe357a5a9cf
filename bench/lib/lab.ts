/**
 * The cluster and Redis a benchmark runs against: the cluster from the environment the
 * integration tests use (test/integration/support/cluster-env.ts; scripts/bench.sh sets it for
 * the Ganeti lab), a private redis-server, and the settings that point the bot at them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';
import { testCluster, type TestCluster } from '../../test/integration/support/cluster-env.js';
import { startRedis, type TestRedis } from '../../test/support/redis-server.js';

export interface BenchSetup {
  cluster: TestCluster;
  redis: TestRedis;
  slack: FakeSlack;
  /** Settings for a bot process that uses them. */
  env: Record<string, string>;
  workDir: string;
  close(): Promise<void>;
}

export function requireCluster(): TestCluster {
  const cluster = testCluster();
  if (!cluster)
    throw new Error(
      'no cluster: set GANETI_TEST_SSH_HOSTS and GANETI_TEST_SSH_KEY_FILE (scripts/bench.sh does for the Ganeti lab)',
    );
  return cluster;
}

export async function benchSetup(extra: Record<string, string> = {}): Promise<BenchSetup> {
  const cluster = requireCluster();
  const redis = await startRedis();
  const slack = await startFakeSlack();
  const workDir = mkdtempSync(join(tmpdir(), 'gc-bench-'));
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_API_URL: slack.apiUrl,
    REDIS_URL: redis.url,
    GANETI_CHATOPS_QUEUE_PREFIX: `bench-${process.pid}`,
    GANETI_SSH_HOSTS: cluster.hosts.join(','),
    GANETI_SSH_USER: cluster.user,
    // The bot's own key: on the lab it is restricted by the forced command, like production.
    GANETI_SSH_KEY_FILE: cluster.botKeyFile,
    GANETI_SSH_KNOWN_HOSTS: cluster.knownHostsFile,
    ACCESS_ADMINS: 'U0ADMIN',
    ...extra,
    // BENCH_BOT_ENV="K=V K=V": settings to try, e.g. WORKER_CONCURRENCY=200.
    ...Object.fromEntries(
      (process.env.BENCH_BOT_ENV ?? '')
        .split(' ')
        .filter((kv) => kv.includes('='))
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  };
  return {
    cluster,
    redis,
    slack,
    env,
    workDir,
    async close() {
      await slack.close();
      await redis.close();
    },
  };
}
