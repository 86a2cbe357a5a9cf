import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import { sendEvent } from '../../src/demo/slack/slack-requests.js';
import { NO_CLUSTER_NOTE, onMaster, testCluster } from './support/cluster-env.js';
import { ADMIN, APPROVER, SIGNING_SECRET, startHarness, type Harness } from './support/harness.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

const MEMBER = 'U0MEMBER';
const POLICY = `projects:
  - name: inst1-project
    members: [${MEMBER}]
    instances: { patterns: ['inst1'] }
    actions: [info, reboot]
`;

describe.runIf(cluster)('App Home on the lab: published when opened, per person', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
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

  it('shows a project member their instance and nothing of the cluster', async () => {
    h.slack.clearCalls();
    await open(MEMBER);
    const home = await h.slack.waitFor(homeOf(MEMBER), { timeoutMs: 15_000 });
    const out = text(home);
    expect(out).toContain('You are a project member');
    expect(out).toContain('*Project inst1-project*: you may `info`, `reboot`');
    expect(out).toMatch(/`inst1\.ganeti\.test` running on node\d\.ganeti\.test/);
    expect(out).not.toContain('inst2.ganeti.test');
    expect(out).not.toContain('*Nodes*');
    expect(out).not.toContain('Waiting for your approval');
  });
});
