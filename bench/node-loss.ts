/**
 * Node loss on the Ganeti lab with the monitor's default settings (poll 10 s, grace 30 s): from
 * `fault.sh link-down 3` to the alert in (fake) Slack, and from the approval click to inst3
 * running elsewhere, next to the same recovery typed by hand over ssh (mark node3 offline, fail
 * inst3 over). Rebuilds the lab after each side. Run: `npx tsx bench/node-loss.ts` with the
 * variables scripts/test.sh sets for the lab (GANETI_TEST_SSH_HOSTS, GANETI_TEST_SSH_KEY_FILE,
 * GANETI_TEST_LAB_DIR) and a Redis (TEST_REDIS_URL or REDIS_URL, default redis://127.0.0.1:6379).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/core/logger.js';
import { startApp } from '../src/main.js';
import { startFakeSlack, type RecordedCall } from '../test/fakes/fake-slack.js';
import { blockActionPayload, sendInteraction } from '../test/fakes/slack-requests.js';
import {
  instancePlacement,
  keyscan,
  onMaster,
  testCluster,
  type TestCluster,
} from '../test/integration/support/cluster-env.js';

const SECRET = 'bench-secret-123';
const lab = process.env.GANETI_TEST_LAB_DIR ?? '';
const fault = (action: string, n: number) =>
  execFileSync(join(lab, 'fault.sh'), [action, String(n)], { stdio: 'ignore' });
const fresh = () => execFileSync(join(lab, 'up.sh'), ['--fresh'], { stdio: 'ignore', timeout: 600_000 });
const ts = (c: RecordedCall) => (c.result as { ts?: string }).ts ?? '';

async function until<T>(probe: () => T | null, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function botSide(): Promise<{ detectMs: number; recoverMs: number }> {
  const cluster = testCluster();
  if (!cluster) throw new Error('no cluster: set GANETI_TEST_SSH_HOSTS and GANETI_TEST_SSH_KEY_FILE');
  const slack = await startFakeSlack();
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    REDIS_URL: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    GANETI_CHATOPS_QUEUE_PREFIX: `bench-loss-${process.pid}`,
    GANETI_SSH_HOSTS: cluster.hosts.join(','),
    GANETI_SSH_KEY_FILE: cluster.keyFile,
    GANETI_SSH_KNOWN_HOSTS: cluster.knownHostsFile,
    ACCESS_ADMINS: 'U0ADMIN,U0APPROVER',
    SLACK_COMMANDS_PER_MINUTE: '0',
    ALERT_CHANNEL: 'C0ALERTS',
  };
  const { config } = loadConfig({ env, readFile: (p) => readFileSync(p, 'utf8') });
  if (!config) throw new Error('config refused');
  const app = await startApp(config, createLogger('silent'));
  const base = `http://127.0.0.1:${app.port}`;
  try {
    await new Promise((r) => setTimeout(r, 15_000)); // a healthy poll or two first
    const cut = Date.now();
    fault('link-down', 3);
    const alert = await slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.body.channel === 'C0ALERTS' && c.body.thread_ts === undefined,
      { timeoutMs: 120_000 },
    );
    const detectMs = alert.at - cut;
    const blocks = JSON.stringify(alert.body.blocks);
    const value = /"action_id":"incident_evacuate".*?"value":"([^"]+)"/.exec(blocks)?.[1] ?? '';
    const click = (user: string, actionId: string, v: string, message: RecordedCall) =>
      sendInteraction(
        base,
        SECRET,
        blockActionPayload({
          user,
          channel: 'C0ALERTS',
          actionId,
          value: v,
          messageTs: ts(message),
          responseUrl: slack.newResponseUrl({ channel: 'C0ALERTS' }),
        }),
      );
    await click('U0ADMIN', 'incident_evacuate', value, alert);
    const card = await slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.body.thread_ts === ts(alert) &&
        JSON.stringify(c.body.blocks ?? '').includes('op_approve'),
      { timeoutMs: 60_000 },
    );
    const requestId =
      /"action_id":"op_approve".*?"value":"([^"]+)"/.exec(JSON.stringify(card.body.blocks))?.[1] ?? '';
    const approved = Date.now();
    await click('U0APPROVER', 'op_approve', requestId, card);
    await until(() => {
      const p = instancePlacement(cluster).inst3;
      return p && p.node !== 'node3' && p.status === 'running' ? p : null;
    }, 180_000);
    return { detectMs, recoverMs: Date.now() - approved };
  } finally {
    await app.stop();
    await slack.close();
  }
}

/** The lab makes new host keys when it is rebuilt: scan them again. */
function rescanned(): TestCluster {
  const cluster = testCluster();
  if (!cluster) throw new Error('no cluster');
  const knownHostsFile = join(mkdtempSync(join(tmpdir(), 'bench-known-')), 'known_hosts');
  writeFileSync(knownHostsFile, keyscan(cluster.hosts));
  return { ...cluster, knownHostsFile };
}

function byHand(): number {
  const cluster = rescanned();
  fault('link-down', 3);
  const started = Date.now();
  onMaster(cluster, 'gnt-node modify --offline yes node3.ganeti.test');
  onMaster(cluster, 'gnt-instance migrate -f --allow-failover -n node1.ganeti.test inst3.ganeti.test');
  const took = Date.now() - started;
  if (instancePlacement(cluster).inst3?.node !== 'node1')
    throw new Error('the by-hand failover did not move inst3');
  return took;
}

async function main(): Promise<void> {
  // Each side leaves node3 cut off and inst3 moved: the lab is rebuilt after each, whatever happened.
  let bot: { detectMs: number; recoverMs: number };
  try {
    bot = await botSide();
    console.log(
      `bot: alert ${bot.detectMs} ms after the cut; approval to inst3 running elsewhere ${bot.recoverMs} ms`,
    );
  } finally {
    fresh();
  }
  let hand: number;
  try {
    hand = byHand();
  } finally {
    fresh();
  }
  const result = {
    machine: `${process.platform} ${process.arch}, node ${process.version}`,
    settings: { pollSeconds: 10, graceSeconds: 30 },
    alertAfterLinkCutMs: bot.detectMs,
    alertTargetMs: (10 + 30 + 5) * 1000,
    botApprovalToRunningMs: bot.recoverMs,
    byHandMs: hand,
    ratio: Number((bot.recoverMs / hand).toFixed(2)),
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/node-loss.json', `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
