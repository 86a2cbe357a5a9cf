import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instancePlacement, NO_CLUSTER_NOTE, testCluster } from './support/cluster-env.js';
import { startHarness, type Harness } from './support/harness.js';
import { eventually, fault, freshLab, isAlert, labAvailable } from './support/lab.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

const ALERTS = 'C0ALERTS';
const FENCE = fileURLToPath(new URL('./support/lab-fence.sh', import.meta.url));

describe.runIf(cluster && labAvailable)(
  'AUTO_EVACUATE on the lab: fenced by the configured command, then failed over without a click',
  () => {
    let h: Harness;
    let redis: Redis;
    beforeAll(async () => {
      h = await startHarness({
        cluster: cluster ?? undefined,
        env: {
          ALERT_CHANNEL: ALERTS,
          MONITOR_POLL_SECONDS: '3',
          MONITOR_GRACE_SECONDS: '10',
          AUTO_EVACUATE: 'true',
          FENCE_COMMAND: `${FENCE} {node}`,
        },
      });
      redis = new Redis(h.env.REDIS_URL ?? '');
    });
    afterAll(async () => {
      redis?.disconnect();
      await h?.stop();
      // node3 was powered off by the fence and its instance moved: rebuild the lab.
      freshLab();
    });

    it('fences node3, marks it offline and brings inst3 up elsewhere, all in the incident’s thread', async () => {
      await new Promise((r) => setTimeout(r, 5_000));
      const cutAt = Date.now();
      fault('link-down', 3);
      const alert = await h.slack.waitFor(isAlert(ALERTS), { timeoutMs: 60_000 });
      const ts = (alert.result as { ts?: string }).ts;
      const auto = await h.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.body.thread_ts === ts &&
          String(c.body.text).includes('AUTO_EVACUATE'),
        { timeoutMs: 60_000 },
      );
      expect(String(auto.body.text)).toMatch(
        /node3\.ganeti\.test was fenced by the configured fencing command \(.*lab-fence\.sh exited 0: node3 powered off\)/,
      );
      const outcome = await h.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.body.reply_broadcast === 'true' &&
          String(c.body.text).includes('from node3'),
        { timeoutMs: 180_000 },
      );
      console.info(`monitor: AUTO_EVACUATE: link cut → inst3 running elsewhere in ${outcome.at - cutAt} ms`);
      expect(String(outcome.body.text)).toMatch(
        /^✅ Fail over 1 instance\(s\) from node3\.ganeti\.test: done/,
      );
      const placed = await eventually('inst3 to run elsewhere', () => {
        const p = instancePlacement(cluster!).inst3;
        return p && p.node !== 'node3' && p.status === 'running' ? p : null;
      });
      expect(placed.node).toMatch(/^node[12]$/);
      const audit = (
        await redis.xrevrange(`${h.env.GANETI_CHATOPS_QUEUE_PREFIX}:audit`, '+', '-', 'COUNT', '200')
      ).map(([, f]) => JSON.parse(f[1] ?? '{}') as { event: string; user: string; detail: string | null });
      expect(audit).toContainEqual(
        expect.objectContaining({
          event: 'approved',
          user: 'monitor',
          detail: expect.stringMatching(/^AUTO_EVACUATE: node3/),
        }),
      );
    });
  },
);
