import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CLUSTER_NOTE, onHost, testCluster } from './support/cluster-env.js';
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

const ALERTS = 'C0ALERTS';

describe.runIf(cluster && labAvailable && (cluster?.hosts.length ?? 0) >= 3)(
  'the health monitor on the lab: the master is lost, another candidate is made master by an approved click',
  () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({
        cluster: cluster ?? undefined,
        env: { ALERT_CHANNEL: ALERTS, MONITOR_POLL_SECONDS: '3', MONITOR_GRACE_SECONDS: '10' },
      });
    });
    afterAll(async () => {
      const dump = process.env.MONITOR_TEST_DUMP;
      if (dump) writeFileSync(dump, h.logs.text());
      await h?.stop();
      // Two nodes now think they are master (node1 kept its role while cut off): rebuild the lab.
      try {
        fault('link-up', 1);
      } finally {
        freshLab();
      }
    });

    it('alerts on master loss, makes node2 master after approval, goes on through it and reports the old master’s return', async () => {
      // Let the monitor see the healthy cluster first.
      await new Promise((r) => setTimeout(r, 5_000));
      const cutAt = Date.now();
      fault('link-down', 1);
      const alert = await h.slack.waitFor(
        (c) => isAlert(ALERTS)(c) && String(c.body.text).includes('Master'),
        { timeoutMs: 120_000 },
      );
      console.info(
        `monitor: master node1 link cut → master-loss alert in ${alert.at - cutAt} ms (poll 3 s, grace 10 s)`,
      );
      const text = textOf(alert);
      expect(text).toContain('Master node1.ganeti.test does not answer');
      expect(text).toMatch(/Candidates that answer:\* node2\.ganeti\.test, node3\.ganeti\.test/);
      // Nothing is said about the other nodes while there is no master.
      expect(h.slack.calls.filter(isAlert(ALERTS))).toHaveLength(1);

      const value = buttonValue(alert, 'incident_master', 'node2.ganeti.test');
      expect((await clickButton(h, alert, 'incident_master', value, ADMIN)).status).toBe(200);
      const ts = (alert.result as { ts?: string }).ts;
      const card = await h.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.body.thread_ts === ts &&
          JSON.stringify(c.body.blocks ?? '').includes('op_approve'),
        { timeoutMs: 60_000 },
      );
      expect(textOf(card)).toContain(
        'I confirm node1.ganeti.test is down and node2.ganeti.test should take over as master.',
      );
      const approvedAt = Date.now();
      await h.click('op_approve', card, APPROVER);
      const outcome = await h.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.body.reply_broadcast === 'true' &&
          String(c.body.text).includes('the master'),
        { timeoutMs: 240_000 },
      );
      console.info(`monitor: approval → node2 is master in ${Date.now() - approvedAt} ms`);
      expect(String(outcome.body.text)).toMatch(/^✅ Make node2\.ganeti\.test the master: done/);
      expect(onHost(cluster!, cluster!.hosts[2] ?? '', 'gnt-cluster getmaster').trim()).toBe(
        'node2.ganeti.test',
      );

      // Monitoring goes on through node2, and the old master is now a lost node in the same incident.
      await eventually(
        'the new master in the incident',
        () =>
          threadOf(h.slack, alert).find((c) =>
            String(c.body.text).includes('node2.ganeti.test is the master now'),
          ) ?? null,
        90_000,
      );
      await eventually(
        'node1 as a lost node',
        () =>
          /node1\.ganeti\.test\*? \(was the master\)/.test(textOf(latest(h.slack, alert))) ? true : null,
        90_000,
      );
      expect(h.slack.calls.filter(isAlert(ALERTS))).toHaveLength(1);

      // node1 comes back still holding the master role: the bot reports the conflict, loudly.
      fault('link-up', 1);
      const rival = await eventually(
        'the two-masters warning',
        () =>
          threadOf(h.slack, alert).find((c) =>
            String(c.body.text).includes('still claims to be the master'),
          ) ?? null,
        90_000,
      );
      expect(rival.body.reply_broadcast).toBe('true');
      expect(String(rival.body.text)).toContain('gnt-node add --readd node1.ganeti.test');
    });
  },
);
