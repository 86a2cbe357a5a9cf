import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const WEBDEV = 'U0WEBDEV';
const VIEWER = 'U0VIEWER';

/** Access from the YAML file: admins by user and by Slack user group, a project by group and tag. */
const POLICY = `
access:
  admins: [${ADMIN}, group:S0APPROVERS]
  viewers: [${VIEWER}]
projects:
  - name: web
    members: [group:S0WEB]
    instances: { tags: ['project:web'] }
    actions: [info, start, reboot, shutdown, console]
`;

describe.runIf(cluster)(
  'who may do what: roles, user groups, projects, two-person approval, expiry, audit',
  () => {
    let h: Harness;

    beforeAll(async () => {
      onMaster(cluster!, 'gnt-instance add-tags inst1.ganeti.test project:web');
      const dir = mkdtempSync(join(tmpdir(), 'gc-policy-'));
      writeFileSync(join(dir, 'chatops.yaml'), POLICY);
      h = await startHarness({
        cluster: cluster ?? undefined,
        usergroups: { S0APPROVERS: [APPROVER], S0WEB: [WEBDEV] },
        env: {
          GANETI_CHATOPS_CONFIG: join(dir, 'chatops.yaml'),
          APPROVAL_TIMEOUT_MINUTES: '0.15',
          AUDIT_CHANNEL: 'C0AUDIT',
        },
      });
    });
    afterAll(async () => {
      onMaster(cluster!, 'gnt-instance remove-tags inst1.ganeti.test project:web');
      await h?.stop();
    });

    const outcome = () =>
      h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.reply_broadcast === 'true', {
        timeoutMs: 120_000,
      });
    const card = (): Promise<RecordedCall> =>
      h.slack.waitFor(
        (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes('op_approve'),
        {
          timeoutMs: 30_000,
        },
      );
    const toClicker = (responseUrl: string) =>
      h.slack.waitFor(
        (c) => c.method === 'response_url' && c.url === responseUrl && c.body.response_type === 'ephemeral',
      );
    const requestIdOf = (calls: readonly RecordedCall[]) =>
      calls
        .map((c) => /request `(req-[a-z0-9-]+)`/.exec(JSON.stringify(c.body.blocks ?? ''))?.[1])
        .find(Boolean) ?? '';

    it('lets a project member reboot their own instance', async () => {
      await h.command('reboot inst1', { user_id: WEBDEV });
      const done = await outcome();
      expect(done.body.text).toMatch(/^✅ Reboot inst1\.ganeti\.test \(soft\): done/);
      const requestId = requestIdOf(h.slack.callsTo('chat.postMessage'));
      expect(jobsForRequest(cluster!, requestId)).toEqual([
        expect.stringMatching(/\|success\|INSTANCE_REBOOT\(inst1\.ganeti\.test\)$/),
      ]);
    });

    it("refuses a project member another project's instance, and does not suggest names outside the project", async () => {
      const sent = await h.command('reboot inst2', { user_id: WEBDEV });
      const answer = await h.answer(sent.responseUrl);
      expect(answer.body.response_type).toBe('ephemeral');
      expect(answer.body.text).toMatch(
        /^There is no instance `inst2` in the cluster\. Did you mean `inst1\.ganeti\.test`\?/,
      );
      expect(
        h.slack
          .callsTo('chat.postMessage')
          .filter((c) => c.body.channel === 'C0OPS' && !String(c.body.text).startsWith('⏳')),
      ).toHaveLength(0);
    });

    it('shows a project member only their own instances, and refuses them the nodes', async () => {
      const list = await h.answer((await h.command('instances', { user_id: WEBDEV })).responseUrl);
      expect(list.body.text).toBe('Instances (1)');
      expect(JSON.stringify(list.body.blocks)).not.toContain('inst2');
      const nodes = await h.answer((await h.command('nodes', { user_id: WEBDEV })).responseUrl);
      expect(nodes.body.text).toMatch(/`nodes` needs the viewer role and you have no role on this bot/);
    });

    it('needs an approver other than the requester for a destructive request; an approver by user group approves', async () => {
      await h.command('shutdown inst1', { user_id: WEBDEV });
      const c = await card();
      expect(JSON.stringify(c.body.blocks)).toContain('An approver other than them has to approve it.');
      const self = await h.click('op_approve', c, WEBDEV);
      expect((await toClicker(self.responseUrl)).body.text).toMatch(
        /^Only an approver \(a cluster admin\) can approve/,
      );
      const viewer = await h.click('op_approve', c, VIEWER);
      expect((await toClicker(viewer.responseUrl)).body.text).toMatch(/^Only an approver/);
      await h.click('op_approve', c, APPROVER);
      expect((await outcome()).body.text).toMatch(/^✅ Shut down inst1\.ganeti\.test: done/);
      expect(instancePlacement(cluster!).inst1?.status).toBe('ADMIN_down');
      const again = await h.command('start inst1', { user_id: WEBDEV });
      expect(again.status).toBe(200);
      expect((await outcome()).body.text).toMatch(/^✅ Start inst1\.ganeti\.test: done/);
    });

    it('lets an approver deny a request: nothing runs', async () => {
      await h.command('failover inst2 --to node3', { user_id: ADMIN });
      const c = await card();
      const requestId = cardRequestId(c);
      await h.click('op_deny', c, APPROVER);
      const denied = await h.slack.waitFor(
        (m) => m.method === 'chat.update' && String(m.body.text).includes('denied'),
      );
      expect(JSON.stringify(denied.body.blocks)).toContain(`Denied by <@${APPROVER}>`);
      expect(jobsForRequest(cluster!, requestId)).toHaveLength(0);
    });

    it('expires an unanswered request: the card says so and a late approval does nothing', async () => {
      await h.command('failover inst2 --to node3', { user_id: ADMIN });
      const c = await card();
      const requestId = cardRequestId(c);
      const expired = await h.slack.waitFor(
        (m) => m.method === 'chat.update' && String(m.body.text).includes('expired'),
        {
          timeoutMs: 30_000,
        },
      );
      expect(JSON.stringify(expired.body.blocks)).toContain('Nobody confirmed it in time; nothing was run.');
      const late = await h.click('op_approve', c, APPROVER);
      expect((await toClicker(late.responseUrl)).body.text).toMatch(
        /^(This request has expired|This request is already expired)/,
      );
      expect(jobsForRequest(cluster!, requestId)).toHaveLength(0);
      expect(instancePlacement(cluster!).inst2?.node).toBe('node2');
    });

    it('lets the requester cancel a pending request', async () => {
      await h.command('failover inst2 --to node3', { user_id: ADMIN });
      const c = await card();
      await h.click('op_cancel', c, ADMIN);
      const cancelled = await h.slack.waitFor(
        (m) => m.method === 'chat.update' && String(m.body.text).includes('cancelled'),
      );
      expect(JSON.stringify(cancelled.body.blocks)).toContain(`Cancelled by <@${ADMIN}>`);
    });

    it('keeps an audit trail of all of it, shown to admins only and mirrored to the audit channel', async () => {
      const refused = await h.answer((await h.command('audit', { user_id: WEBDEV })).responseUrl);
      expect(refused.body.text).toMatch(/`audit` needs the admin role/);

      const sent = await h.command('audit 200', { user_id: ADMIN });
      const trail = await h.answer(sent.responseUrl);
      expect(trail.body.response_type).toBe('ephemeral');
      const text = JSON.stringify(trail.body.blocks);
      for (const event of [
        'requested',
        'refused',
        'approved',
        'denied',
        'expired',
        'cancelled',
        'submitted',
        'result',
      ]) {
        expect(text).toContain(event);
      }
      expect(text).toMatch(new RegExp(`approved\\s+${APPROVER}\\s+shutdown`));
      expect(text).toMatch(new RegExp(`submitted\\s+${WEBDEV}\\s+reboot\\s+reboot\\s+${WEBDEV}\\s+\\d+`));

      const byUser = await h.answer(
        (await h.command(`audit --user <@${WEBDEV}>`, { user_id: ADMIN })).responseUrl,
      );
      expect(JSON.stringify(byUser.body.blocks)).not.toContain(`${ADMIN} `);

      const mirrored = await h.slack.waitFor(
        (c) => c.method === 'chat.postMessage' && c.body.channel === 'C0AUDIT',
      );
      expect(String(mirrored.body.text)).toMatch(/^`\w+` <@U0/);
    });
  },
);
