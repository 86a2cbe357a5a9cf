import { writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instancePlacement, NO_CLUSTER_NOTE, onMaster, testCluster } from './support/cluster-env.js';
import { ADMIN, APPROVER, startHarness, type Harness } from './support/harness.js';
import {
  buttonValue,
  clickButton,
  eventually,
  fault,
  freshLab,
  isAlert,
  labAvailable,
  latest,
  textOf,
  threadOf,
} from './support/lab.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);
if (cluster && !labAvailable)
  console.warn('integration: GANETI_TEST_LAB_DIR is not the Ganeti lab; the monitor tests are skipped');

const ALERTS = 'C0ALERTS';
const POLL_S = 3;
// Grace well above a slow poll (5 s with a node cut off), so one lost poll can never add up to it.
const GRACE_S = 15;

describe.runIf(cluster && labAvailable)(
  'the health monitor on the lab: a node is lost, recovered by one approved click, and returns',
  () => {
    let h: Harness;
    let second: Harness;
    let redis: Redis;
    const monitorEnv = {
      ALERT_CHANNEL: ALERTS,
      MONITOR_POLL_SECONDS: String(POLL_S),
      MONITOR_GRACE_SECONDS: String(GRACE_S),
    };

    beforeAll(async () => {
      h = await startHarness({ cluster: cluster ?? undefined, env: monitorEnv });
      // A second bot and worker on the same Redis and Slack: one poll, one alert between them.
      second = await startHarness({
        cluster: cluster ?? undefined,
        env: {
          ...monitorEnv,
          GANETI_CHATOPS_QUEUE_PREFIX: h.env.GANETI_CHATOPS_QUEUE_PREFIX ?? '',
          SLACK_API_URL: h.slack.apiUrl,
        },
      });
      redis = new Redis(h.env.REDIS_URL ?? '');
    });
    afterAll(async () => {
      const dump = process.env.MONITOR_TEST_DUMP;
      if (dump) writeFileSync(dump, JSON.stringify(h.slack.calls, null, 1));
      redis?.disconnect();
      await second?.stop();
      await h?.stop();
      // The lost node may still run stale copies of its instances: rebuild the lab.
      freshLab();
    });

    const model = async () =>
      JSON.parse((await redis.get(`${h.env.GANETI_CHATOPS_QUEUE_PREFIX}:monitor:ganeti:model`)) ?? '{}') as {
        nodes?: Record<string, { health: string }>;
      };
    const alerts = () => h.slack.calls.filter(isAlert(ALERTS));

    it('says nothing about a single failed poll', async () => {
      await eventually('the first poll', async () =>
        (await model()).nodes?.['node3.ganeti.test'] ? true : null,
      );
      fault('link-down', 3);
      try {
        await eventually(
          'node3 to be suspect',
          async () => ((await model()).nodes?.['node3.ganeti.test']?.health === 'suspect' ? true : null),
          30_000,
        );
      } finally {
        fault('link-up', 3);
      }
      await eventually(
        'node3 to be healthy again',
        async () => ((await model()).nodes?.['node3.ganeti.test']?.health === 'healthy' ? true : null),
        30_000,
      );
      await new Promise((r) => setTimeout(r, (GRACE_S + POLL_S) * 1000));
      expect(alerts()).toEqual([]);
    });

    it('alerts once, within poll + grace + 5 s, naming node3 and inst3 with where it would go', async () => {
      const cutAt = Date.now();
      fault('link-down', 3);
      const alert = await h.slack.waitFor(isAlert(ALERTS), { timeoutMs: 60_000 });
      const detectionMs = alert.at - cutAt;
      console.info(
        `monitor: node3 link cut → alert posted in ${detectionMs} ms (poll ${POLL_S} s, grace ${GRACE_S} s)`,
      );
      expect(detectionMs).toBeLessThanOrEqual((POLL_S + GRACE_S + 5) * 1000);
      const text = textOf(alert);
      expect(text).toContain('node3.ganeti.test is down');
      expect(text).toMatch(/inst3\.ganeti\.test \(ERROR_nodedown, 256M\) → node[12]\.ganeti\.test/);
      expect(text).toContain('no answer');
      expect(text).toContain('Fail over 1 instance');
      // Both processes keep polling; there is still exactly one alert a few polls later.
      await new Promise((r) => setTimeout(r, 3 * POLL_S * 1000));
      expect(alerts()).toHaveLength(1);
    });

    it('fails inst3 over after a request from the alert and another admin’s approval', async () => {
      const [alert] = alerts();
      if (!alert) throw new Error('no alert');
      const asked = await clickButton(
        h,
        alert,
        'incident_evacuate',
        buttonValue(alert, 'incident_evacuate'),
        ADMIN,
      );
      expect(asked.status).toBe(200);
      const ts = (alert.result as { ts?: string }).ts;
      const card = await h.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.body.thread_ts === ts &&
          JSON.stringify(c.body.blocks ?? '').includes('op_approve'),
        { timeoutMs: 60_000 },
      );
      expect(textOf(card)).toContain('I confirm node3.ganeti.test is powered off or fenced (out-of-band).');
      const startedAt = Date.now();
      await h.click('op_approve', card, APPROVER);
      const outcome = await h.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.body.reply_broadcast === 'true' &&
          String(c.body.text).includes('from node3'),
        { timeoutMs: 120_000 },
      );
      console.info(`monitor: approval click → failover done in ${Date.now() - startedAt} ms`);
      expect(String(outcome.body.text)).toMatch(
        /^✅ Fail over 1 instance\(s\) from node3\.ganeti\.test: done/,
      );
      const placed = instancePlacement(cluster!).inst3;
      expect(placed?.node).not.toBe('node3');
      expect(placed?.status).toBe('running');
      expect(onMaster(cluster!, 'gnt-node list --no-headers -o offline node3.ganeti.test').trim()).toBe('Y');
      // The incident's own message says what was done.
      await eventually(
        'the incident message to show the outcome',
        () =>
          textOf(latest(h.slack, alert)).includes('Fail over from node3.ganeti.test: success') ? true : null,
        30_000,
      );
      // Approving was the attestation, and the audit trail keeps it.
      const audit = await redis.xrevrange(
        `${h.env.GANETI_CHATOPS_QUEUE_PREFIX}:audit`,
        '+',
        '-',
        'COUNT',
        '200',
      );
      const approved = audit.map(
        ([, f]) => JSON.parse(f[1] ?? '{}') as { event: string; user: string; detail: string | null },
      );
      expect(approved).toContainEqual(
        expect.objectContaining({
          event: 'approved',
          user: APPROVER,
          detail: 'attested: I confirm node3.ganeti.test is powered off or fenced (out-of-band).',
        }),
      );
    });

    it('warns of split brain in the same incident when the cut-off node answers again, and reports verify after onlining', async () => {
      const [alert] = alerts();
      if (!alert) throw new Error('no alert');
      fault('link-up', 3);
      const warning = await eventually(
        'the split-brain warning',
        () => threadOf(h.slack, alert).find((c) => String(c.body.text).includes('split-brain risk')) ?? null,
        60_000,
      );
      expect(warning.body.reply_broadcast).toBe('true');
      expect(String(warning.body.text)).toContain('node3.ganeti.test answers again while marked offline');
      expect(textOf(latest(h.slack, alert))).toContain('split-brain risk');

      // Someone onlines it (by hand, as the warning says); the bot reports what verify finds.
      onMaster(cluster!, 'gnt-node modify --force --offline no node3.ganeti.test');
      const verify = await eventually(
        'the verify report',
        () => threadOf(h.slack, alert).find((c) => String(c.body.text).includes('came online')) ?? null,
        120_000,
      );
      expect(String(verify.body.text)).toMatch(
        /inst3\.ganeti\.test: instance should not run on node node3\.ganeti\.test/,
      );
      await eventually(
        'the incident to resolve',
        () => (textOf(latest(h.slack, alert)).includes('Resolved') ? true : null),
        60_000,
      );
      // Besides the incident, only instance-problem notes may appear (stale copies on node3).
      const others = alerts()
        .slice(1)
        .map((c) => String(c.body.text));
      expect(others.filter((t) => !t.includes('not in their intended state'))).toEqual([]);
    });
  },
);
