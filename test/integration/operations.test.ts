import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import {
  instancePlacement,
  jobsForRequest,
  NO_CLUSTER_NOTE,
  onMaster,
  testCluster,
} from './support/cluster-env.js';
import { ADMIN, APPROVER, cardRequestId, startHarness, type Harness } from './support/harness.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

const OTHER_ADMIN = 'U0ADMIN2';
const OPERATOR = 'U0OPER';
const VIEWER = 'U0VIEWER';

describe.runIf(cluster)(
  'operations against the real cluster, from Slack, with live progress and exactly one Ganeti job each',
  () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({
        cluster: cluster ?? undefined,
        env: {
          ACCESS_ADMINS: `${ADMIN},${APPROVER},${OTHER_ADMIN}`,
          ACCESS_OPERATORS: OPERATOR,
          ACCESS_VIEWERS: VIEWER,
          APPROVAL_TIMEOUT_MINUTES: '15',
        },
      });
    });
    afterAll(async () => {
      await h?.stop();
    });

    /** The confirmation card posted for a request. */
    async function card(text: string, user = ADMIN): Promise<RecordedCall> {
      const sent = await h.command(text, { user_id: user });
      expect(sent.status).toBe(200);
      return h.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          JSON.stringify(c.body.blocks ?? '').includes('"action_id":"op_approve"'),
        { timeoutMs: 30_000 },
      );
    }

    /** The broadcast outcome of an operation (a reply in the card's thread, sent to the channel too). */
    function outcome(timeoutMs = 120_000): Promise<RecordedCall> {
      return h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.reply_broadcast === 'true', {
        timeoutMs,
      });
    }

    /** A message for the person who clicked, through the click's response_url. */
    function toClicker(responseUrl: string): Promise<RecordedCall> {
      return h.slack.waitFor(
        (c) => c.method === 'response_url' && c.url === responseUrl && c.body.response_type === 'ephemeral',
      );
    }

    async function confirmAndWait(text: string): Promise<{ requestId: string; result: RecordedCall }> {
      const c = await card(text);
      const requestId = cardRequestId(c);
      await h.click('op_approve', c);
      return { requestId, result: await outcome() };
    }

    it('reboots an instance at once (a write needs no confirmation) and logs Ganeti’s steps in the thread', async () => {
      const sent = await h.command('reboot inst1', { user_id: OPERATOR });
      const done = await outcome();
      expect(done.body.text).toMatch(
        /^✅ Reboot inst1\.ganeti\.test \(soft\): done \(inst1\.ganeti\.test on node1\.ganeti\.test\) in /,
      );
      const progress = h.slack
        .callsTo('chat.postMessage')
        .find((m) => String(m.body.text).includes('Reboot inst1.ganeti.test'));
      const requestId = /request `(req-[a-z0-9-]+)`/.exec(JSON.stringify(progress?.body.blocks))?.[1] ?? '';
      expect(jobsForRequest(cluster!, requestId)).toEqual([
        expect.stringMatching(/^\d+\|success\|INSTANCE_REBOOT\(inst1\.ganeti\.test\)$/),
      ]);
      expect(sent.status).toBe(200);
    });

    it('refuses a viewer a reboot and an operator a failover, saying which role is needed', async () => {
      const viewer = await h.command('reboot inst1', { user_id: VIEWER });
      const v = await h.answer(viewer.responseUrl);
      expect(v.body.response_type).toBe('ephemeral');
      expect(v.body.text).toMatch(/`reboot` needs the operator role and you are a viewer/);
      const viewerFailover = await h.command('failover inst2', { user_id: VIEWER });
      expect((await h.answer(viewerFailover.responseUrl)).body.text).toMatch(
        /`failover` needs the admin role and you are a viewer/,
      );
      const operator = await h.command('failover inst2', { user_id: OPERATOR });
      expect((await h.answer(operator.responseUrl)).body.text).toMatch(
        /`failover` needs the admin role and you are an operator/,
      );
      expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    });

    it('shuts an instance down after confirmation, then starts it again', async () => {
      const down = await confirmAndWait('shutdown inst1');
      expect(down.result.body.text).toMatch(/^✅ Shut down inst1\.ganeti\.test: done/);
      expect(instancePlacement(cluster!).inst1?.status).toBe('ADMIN_down');
      expect(jobsForRequest(cluster!, down.requestId)).toHaveLength(1);

      await h.command('start inst1');
      const up = await outcome();
      expect(up.body.text).toMatch(/^✅ Start inst1\.ganeti\.test: done/);
      expect(instancePlacement(cluster!).inst1?.status).toBe('running');
    });

    it('shows the plan on the card, fails over on confirmation, and records who asked and approved in Ganeti', async () => {
      const c = await card('failover inst2 --to node3');
      const blocks = JSON.stringify(c.body.blocks);
      expect(blocks).toContain('inst2.ganeti.test: node2.ganeti.test → node3.ganeti.test');
      expect(blocks).toContain('node3.ganeti.test` is online and accepts instances');
      const requestId = cardRequestId(c);
      await h.click('op_approve', c);
      const done = await outcome();
      expect(done.body.text).toMatch(/^✅ Fail over inst2\.ganeti\.test: done/);
      expect(instancePlacement(cluster!).inst2?.node).toBe('node3');
      const jobs = jobsForRequest(cluster!, requestId);
      expect(jobs).toEqual([expect.stringMatching(/\|success\|INSTANCE_FAILOVER\(inst2\.ganeti\.test\)$/)]);
      const jobId = jobs[0]?.split('|')[0] ?? '';
      expect(onMaster(cluster!, `gnt-job info ${jobId}`)).toContain(
        `ganeti-chatops req=${requestId} step=inst2.ganeti.test by=${ADMIN} approved-by=${APPROVER}`,
      );
      const thread = h.slack
        .callsTo('chat.postMessage')
        .filter((m) => m.body.thread_ts && m.body.reply_broadcast !== 'true');
      expect(thread.map((m) => String(m.body.text)).join('\n')).toContain(
        'Failover instance inst2.ganeti.test',
      );
    });

    it('migrates it back live', async () => {
      const back = await confirmAndWait('migrate inst2 --to node2');
      expect(back.result.body.text).toMatch(/^✅ Migrate inst2\.ganeti\.test: done/);
      expect(instancePlacement(cluster!).inst2?.node).toBe('node2');
    });

    it('refuses unknown instances, migrating to the same node, and moving to an offline node, before anything is queued', async () => {
      const unknown = await h.command('failover inst9');
      const a = await h.answer(unknown.responseUrl);
      expect(a.body.text).toMatch(/There is no instance `inst9` in the cluster/);
      const same = await h.command('migrate inst1 --to node1');
      const b = await h.answer(same.responseUrl);
      expect(b.body.text).toBe(
        '`inst1.ganeti.test` already runs on `node1.ganeti.test`. Name another node with --to, or leave --to out.',
      );
      expect(
        h.slack
          .callsTo('chat.postMessage')
          .filter((m) => JSON.stringify(m.body.blocks ?? '').includes('op_approve')),
      ).toHaveLength(0);
    });

    it('evacuates a node, takes it offline and back online, and refuses it as a target meanwhile', async () => {
      const evac = await confirmAndWait('evacuate node3');
      expect(evac.result.body.text).toMatch(/^✅ Evacuate node3\.ganeti\.test: done/);
      expect(instancePlacement(cluster!).inst3?.node).not.toBe('node3');

      const off = await confirmAndWait('offline node3');
      expect(off.result.body.text).toMatch(/^✅ Offline node3\.ganeti\.test: done/);

      const refused = await h.command('migrate inst3 --to node3');
      const r = await h.answer(refused.responseUrl);
      expect(r.body.text).toMatch(
        /cannot go to `node3\.ganeti\.test`: `node3\.ganeti\.test` is marked offline/,
      );

      const on = await confirmAndWait('online node3');
      expect(on.result.body.text).toMatch(/^✅ Online node3\.ganeti\.test: done/);
      const home = await confirmAndWait('migrate inst3 --to node3');
      expect(home.result.body.text).toMatch(/^✅ Migrate inst3\.ganeti\.test: done/);
      expect(instancePlacement(cluster!).inst3?.node).toBe('node3');
    });

    it('has nothing to rebalance on a balanced cluster, and says so', async () => {
      const sent = await h.command('rebalance');
      const a = await h.answer(sent.responseUrl);
      expect(a.body.response_type).toBe('ephemeral');
      expect(a.body.text).toMatch(/^The cluster is balanced \(score [\d.]+\): hbal proposes no moves\.$/);
    });

    it('drains and undrains a node', async () => {
      expect((await confirmAndWait('drain node2')).result.body.text).toMatch(
        /^✅ Drain node2\.ganeti\.test: done/,
      );
      expect(onMaster(cluster!, 'gnt-node list --no-headers -o drained node2.ganeti.test').trim()).toBe('Y');
      expect((await confirmAndWait('undrain node2')).result.body.text).toMatch(
        /^✅ Undrain node2\.ganeti\.test: done/,
      );
      expect(onMaster(cluster!, 'gnt-node list --no-headers -o drained node2.ganeti.test').trim()).toBe('N');
    });

    it('cancels a queued Ganeti job', async () => {
      // Two lock-taking delay jobs: the second waits for the first, so it can be cancelled.
      onMaster(cluster!, 'gnt-debug delay --submit 15');
      const waiting = /JobID: (\d+)/.exec(onMaster(cluster!, 'gnt-debug delay --submit 15 2>&1'))?.[1];
      expect(waiting).toBeTruthy();
      await h.command(`cancel ${waiting}`);
      const done = await outcome();
      expect(done.body.text).toMatch(new RegExp(`^✅ Cancel job ${waiting}: done`));
      expect(onMaster(cluster!, `gnt-job list --no-headers -o status ${waiting}`).trim()).toBe('canceled');
    });

    it('refuses approval by the requester and by a non-approver without touching the card, and runs two approvals at once only once', async () => {
      const c = await card('failover inst2 --to node3');
      const requestId = cardRequestId(c);
      const own = await h.click('op_approve', c, ADMIN);
      expect((await toClicker(own.responseUrl)).body.text).toMatch(
        /^You asked for this yourself: another approver has to approve it \(two-person rule\)\./,
      );
      const operator = await h.click('op_approve', c, OPERATOR);
      expect((await toClicker(operator.responseUrl)).body.text).toMatch(
        /^Only an approver \(a cluster admin\) can approve this request\./,
      );
      expect(h.slack.callsTo('chat.update')).toHaveLength(0);

      const [first, second] = await Promise.all([
        h.click('op_approve', c, APPROVER),
        h.click('op_approve', c, OTHER_ADMIN),
      ]);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      const done = await outcome();
      expect(done.body.text).toMatch(/^✅ Fail over inst2\.ganeti\.test: done/);
      const loser = await Promise.race([toClicker(first.responseUrl), toClicker(second.responseUrl)]);
      expect(loser.body.text).toMatch(/already (approved|running|done).*it runs only once/);
      expect(jobsForRequest(cluster!, requestId)).toHaveLength(1);

      const back = await confirmAndWait('failover inst2 --to node2');
      expect(back.result.body.text).toMatch(/done/);
    });

    it('lets the requester cancel a pending request, after which an approval does nothing', async () => {
      const c = await card('shutdown inst1');
      const requestId = cardRequestId(c);
      const stranger = await h.click('op_cancel', c, APPROVER);
      expect((await toClicker(stranger.responseUrl)).body.text).toMatch(
        /^Only <@U0ADMIN>, who asked, can cancel/,
      );
      await h.click('op_cancel', c, ADMIN);
      const cancelled = await h.slack.waitFor(
        (m) => m.method === 'chat.update' && String(m.body.text).includes('cancelled'),
      );
      expect(JSON.stringify(cancelled.body.blocks)).toContain('Cancelled by <@U0ADMIN>');
      const late = await h.click('op_approve', c);
      expect((await toClicker(late.responseUrl)).body.text).toMatch(/already cancelled/);
      expect(jobsForRequest(cluster!, requestId)).toHaveLength(0);
      expect(instancePlacement(cluster!).inst1?.status).toBe('running');
    });
  },
);
