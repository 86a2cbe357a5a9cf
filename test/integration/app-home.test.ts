import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import { homeActionPayload, sendEvent, sendInteraction } from '../../src/demo/slack/slack-requests.js';
import { NO_CLUSTER_NOTE, onMaster, testCluster } from './support/cluster-env.js';
import { ADMIN, APPROVER, SIGNING_SECRET, startHarness, type Harness } from './support/harness.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

const MEMBER = 'U0MEMBER';
const POLICY = `projects:
  - name: inst1-project
    members: [${MEMBER}]
    instances: { patterns: ['inst1'], tags: ['project:home-test'] }
    actions: [info, reboot]
`;

describe.runIf(cluster)('App Home on the lab: published when opened, per person', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    // inst2 belongs to the project by its tag alone.
    onMaster(cluster!, 'gnt-instance add-tags inst2.ganeti.test project:home-test');
    dir = mkdtempSync(join(tmpdir(), 'gc-home-'));
    writeFileSync(join(dir, 'chatops.yaml'), POLICY);
    h = await startHarness({
      cluster: cluster ?? undefined,
      env: {
        ALERT_CHANNEL: 'C0ALERTS',
        MONITOR_POLL_SECONDS: '2',
        GANETI_CHATOPS_CONFIG: join(dir, 'chatops.yaml'),
        // Not everyone ('*', the default): the project member has no role.
        ACCESS_VIEWERS: 'U0VIEWER',
      },
    });
  });
  afterAll(async () => {
    onMaster(cluster!, 'gnt-instance remove-tags inst2.ganeti.test project:home-test');
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (user: string) =>
    sendEvent(h.baseUrl, SIGNING_SECRET, { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' });
  const homeOf = (user: string) => (c: RecordedCall) =>
    c.method === 'views.publish' && c.body.user_id === user && (c.result as { ok?: boolean }).ok === true;
  const text = (c: RecordedCall) => JSON.stringify((c.body.view as { blocks: unknown[] }).blocks);

  it('shows an admin every node once the monitor read the cluster, and what waits for their approval', async () => {
    const nodes = onMaster(cluster!, 'gnt-node list --no-headers -o name').trim().split('\n');
    // ADMIN asks to shut inst1 down: it waits for another approver, APPROVER (nothing runs).
    const asked = await h.command('shutdown inst1', { user_id: ADMIN });
    expect(asked.status).toBe(200);
    await h.slack.waitFor((c) => JSON.stringify(c.body.blocks ?? '').includes('op_approve'), {
      timeoutMs: 30_000,
    });
    // The first open may come before the monitor's first poll; opening again shows the nodes.
    let home: RecordedCall | undefined;
    for (let attempt = 0; attempt < 8 && !home?.body.view; attempt += 1) {
      expect((await open(APPROVER)).status).toBe(200);
      const seen = await h.slack.waitFor(homeOf(APPROVER), { timeoutMs: 10_000 });
      if (nodes.every((n) => text(seen).includes(n.split('.')[0] ?? n))) home = seen;
      else {
        h.slack.clearCalls();
        await new Promise((r) => setTimeout(r, 5_500));
      }
    }
    expect(home, 'the Home never showed every node').toBeDefined();
    const out = text(home!);
    expect(out).toContain('You are an admin');
    expect(out).toContain('✅ No open incident.');
    expect(out).toMatch(/\*Waiting for your approval\* \(1\)/);
    expect(out).toMatch(new RegExp(`<@${ADMIN}> asks: \\*Shut down inst1`));
  });

  it('shows a project member their instances, by name and by tag, and nothing of the cluster', async () => {
    h.slack.clearCalls();
    await open(MEMBER);
    const home = await h.slack.waitFor(homeOf(MEMBER), { timeoutMs: 15_000 });
    const out = text(home);
    expect(out).toContain('You are a project member');
    expect(out).toContain('*Project inst1-project*: you may `info`, `reboot`');
    expect(out).toMatch(/`inst1\.ganeti\.test` running on node\d\.ganeti\.test/);
    expect(out).toMatch(/`inst2\.ganeti\.test` \S+ on node\d\.ganeti\.test/);
    expect(out).not.toContain('inst3.ganeti.test');
    expect(out).not.toContain('*Nodes*');
    expect(out).not.toContain('Waiting for your approval');
  });

  it('lets the approver deny from their Home, and publishes their Home again without it', async () => {
    // The shutdown of inst1 that ADMIN asked for in the first test still waits for APPROVER.
    const home = h.slack.home(APPROVER);
    expect(home, 'the approver has a published Home').toBeDefined();
    const out = JSON.stringify(home!.blocks);
    const requestId = /"block_id":"home-op-(req-[a-z0-9]+-[a-z0-9]+)"/.exec(out)?.[1];
    expect(requestId, 'the Home shows the request with its buttons').toBeDefined();
    h.slack.clearCalls();
    const click = await sendInteraction(
      h.baseUrl,
      SIGNING_SECRET,
      homeActionPayload({ user: APPROVER, view: home!, actionId: 'op_deny', value: requestId! }),
    );
    expect(click.status).toBe(200);
    // The card in #ops says who denied it; nothing ran on the cluster.
    await h.slack.waitFor(
      (c) =>
        c.method === 'chat.update' &&
        JSON.stringify(c.body.blocks ?? '').includes(`Denied by <@${APPROVER}>`),
      { timeoutMs: 15_000 },
    );
    expect(onMaster(cluster!, 'gnt-instance list --no-headers -o status inst1.ganeti.test').trim()).toBe(
      'running',
    );
    // And the change publishes the approver's Home again, by itself, with nothing waiting.
    const again = await h.slack.waitFor(
      (c) => homeOf(APPROVER)(c) && /\*Waiting for your approval\* \(0\)/.test(text(c)),
      { timeoutMs: 20_000 },
    );
    expect(text(again)).not.toContain(requestId!);
  });
});
