/**
 * How long `/ganeti nodes` and `/ganeti status` take from a signed slash command to the message
 * in (fake) Slack, against the cluster in GANETI_TEST_SSH_HOSTS (the Ganeti lab), next to what an
 * admin pays for `ssh MASTER gnt-node list` by hand. Run: `npx tsx bench/read-latency.ts [N]`.
 * Needs Redis (TEST_REDIS_URL or REDIS_URL, default redis://127.0.0.1:6379).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/core/logger.js';
import { startApp } from '../src/main.js';
import { startFakeSlack } from '../test/fakes/fake-slack.js';
import { sendSlashCommand } from '../test/fakes/slack-requests.js';
import { onMaster, testCluster } from '../test/integration/support/cluster-env.js';

const runs = Number(process.argv[2] ?? 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN;

async function main(): Promise<void> {
  const cluster = testCluster();
  if (!cluster)
    throw new Error(
      'set GANETI_TEST_SSH_HOSTS and GANETI_TEST_SSH_KEY_FILE (scripts/test.sh does for the lab)',
    );
  const slack = await startFakeSlack();
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'bench-secret-123',
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    REDIS_URL: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    GANETI_CHATOPS_QUEUE_PREFIX: `bench-${process.pid}`,
    GANETI_SSH_HOSTS: cluster.hosts.join(','),
    GANETI_SSH_KEY_FILE: cluster.botKeyFile,
    GANETI_SSH_KNOWN_HOSTS: cluster.knownHostsFile,
    ACCESS_ADMINS: 'U0ADMIN',
    SLACK_COMMANDS_PER_MINUTE: '0',
  };
  const { config } = loadConfig({ env, readFile: (p) => readFileSync(p, 'utf8') });
  if (!config) throw new Error('config refused');
  const app = await startApp(config, createLogger('silent'));
  const base = `http://127.0.0.1:${app.port}`;
  await new Promise((r) => setTimeout(r, 2000)); // let the worker find the master

  for (const text of ['nodes', 'status', 'instances']) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      slack.clearCalls();
      const started = performance.now();
      await sendSlashCommand(base, 'bench-secret-123', {
        text,
        user_id: 'U0ADMIN',
        response_url: slack.newResponseUrl(),
      });
      await slack.waitFor((c) => c.method === 'chat.postMessage' && !String(c.body.text).startsWith('⏳'), {
        timeoutMs: 30_000,
      });
      times.push(performance.now() - started);
    }
    console.log(
      `/ganeti ${text.padEnd(9)} median ${median(times).toFixed(0)} ms, p90 ${p90(times).toFixed(0)} ms (${runs} runs)`,
    );
  }
  const ssh: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    onMaster(cluster, 'gnt-node list');
    ssh.push(performance.now() - started);
  }
  console.log(
    `ssh master gnt-node list median ${median(ssh).toFixed(0)} ms, p90 ${p90(ssh).toFixed(0)} ms (${runs} runs)`,
  );
  console.log(
    `bot RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB (bot + worker in one process)`,
  );
  await app.stop();
  await slack.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
