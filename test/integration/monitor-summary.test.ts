import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import { NO_CLUSTER_NOTE, onMaster, testCluster } from './support/cluster-env.js';
import { startHarness, type Harness } from './support/harness.js';
import { textOf } from './support/lab.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

const SUMMARIES = 'C0SUMMARY';

describe.runIf(cluster)(
  'node-health summaries: scheduled in ALERT_CHANNEL and on demand, with the real figures',
  () => {
    let h: Harness;
    beforeAll(async () => {
      // Every 4 seconds (a six-field cron pattern), so the test sees two summaries quickly.
      h = await startHarness({
        cluster: cluster ?? undefined,
        env: {
          ALERT_CHANNEL: SUMMARIES,
          HEALTH_SUMMARY_CRON: '*/4 * * * * *',
          HEALTH_SUMMARY_TZ: 'Europe/Berlin',
        },
      });
    });
    afterAll(async () => {
      await h?.stop();
    });

    const summary = (after: number) => (c: RecordedCall) =>
      c.method === 'chat.postMessage' &&
      c.body.channel === SUMMARIES &&
      String(c.body.text).includes('node-health') &&
      c.at > after;

    it('posts the summary on schedule, then lists a job that failed since the last one', async () => {
      const first = await h.slack.waitFor(summary(0), { timeoutMs: 30_000 });
      const nodes = onMaster(cluster!, 'gnt-node list --no-headers -o name').trim().split('\n');
      for (const n of nodes) expect(textOf(first)).toContain(n.split('.')[0]);
      expect(String(first.body.text)).toMatch(new RegExp(`${nodes.length} nodes up`));
      expect(textOf(first)).toContain('can lose any one node');

      // A job that fails for real: live migration of a stopped instance. A summary lists it; the one
      // after may too (the job ended while that one read the jobs), the third does not.
      const submittedAt = Date.now();
      const submitted = onMaster(cluster!, 'gnt-instance migrate -f --submit inst4.ganeti.test 2>&1 || true');
      const jobId = /JobID: (\d+)/.exec(submitted)?.[1];
      expect(jobId).toBeDefined();
      const listing = new RegExp(`\\b${jobId}\\b.*INSTANCE_MIGRATE`);
      const next = await h.slack.waitFor((c) => summary(submittedAt)(c) && listing.test(textOf(c)), {
        timeoutMs: 30_000,
      });
      expect(textOf(next)).toContain('since the last summary');
      const second = await h.slack.waitFor(summary(next.at), { timeoutMs: 30_000 });
      const third = await h.slack.waitFor(summary(second.at), { timeoutMs: 30_000 });
      expect(textOf(third)).not.toMatch(listing);
    });

    it('answers /ganeti health with the same figures', async () => {
      const asked = await h.command('health');
      const answer = await h.answer(asked.responseUrl, { timeoutMs: 30_000 });
      expect(String(answer.body.text)).toMatch(/node-health: \d+ nodes up/);
      expect(textOf(answer)).toContain('No open incidents.');
    });
  },
);
