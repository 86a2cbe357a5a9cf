import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSocketModeServer, type SocketModeServer } from '../fakes/socket-mode-server.js';
import { NO_CLUSTER_NOTE, testCluster } from './support/cluster-env.js';
import { ADMIN, startHarness, type Harness } from './support/harness.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

/** The value of one series in Prometheus text, or null when it is not there. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return null;
}

async function get(base: string, path: string) {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, text: await res.text() };
}

describe.runIf(cluster)('health and metrics over HTTP, during a real run against the cluster', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ cluster: cluster ?? undefined, env: { ALERT_CHANNEL: 'C0ALERTS' } });
  });
  afterAll(() => h?.stop());

  it('serves /healthz and /readyz on the Slack port, with Redis, Slack and the cluster checked', async () => {
    expect(await get(h.baseUrl, '/healthz')).toEqual({ status: 200, text: '{"alive":true}\n' });
    const ready = await get(h.baseUrl, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({
      ready: true,
      checks: { redis: 'ok', slack: 'ok', cluster: 'ok' },
    });
  });

  it('counts the commands run, their time on the master and the SSH pool, and the approvals waiting', async () => {
    const { responseUrl } = await h.command('nodes');
    await h.answer(responseUrl);
    const failover = await h.command('failover inst1');
    await h.answer(failover.responseUrl);
    await h.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes('Approve'),
    );
    // The completed event and the audit record land just after the answer is posted.
    await expect
      .poll(async () =>
        series((await get(h.baseUrl, '/metrics')).text, 'ganeti_chatops_commands_total', {
          command: 'nodes',
          outcome: 'ok',
        }),
      )
      .toBe(1);
    const { status, text } = await get(h.baseUrl, '/metrics');
    expect(status).toBe(200);
    expect(series(text, 'ganeti_chatops_commands_total', { command: 'failover', outcome: 'planned' })).toBe(
      1,
    );
    expect(series(text, 'ganeti_chatops_command_duration_seconds_count', { command: 'nodes' })).toBe(1);
    expect(
      series(text, 'ganeti_chatops_ssh_exec_seconds_count', { command: 'gnt-node list', result: 'ok' }),
    ).toBeGreaterThan(0);
    expect(series(text, 'ganeti_chatops_approvals_pending')).toBe(1);
    expect(series(text, 'ganeti_chatops_audit_events_total', { event: 'requested' })).toBeGreaterThanOrEqual(
      2,
    );
    const connected =
      cluster?.hosts.map((host) => series(text, 'ganeti_chatops_ssh_connected', { host })) ?? [];
    expect(connected).toContain(1);
    expect(
      series(text, 'ganeti_chatops_queue_jobs', { queue: 'operations', state: 'delayed' }),
    ).toBeGreaterThanOrEqual(1);
    expect(series(text, 'ganeti_chatops_queue_jobs', { queue: 'commands', state: 'active' })).toBe(0);
    // The monitor polls too: each node's state, and no incident on a healthy cluster.
    await expect
      .poll(
        async () =>
          series((await get(h.baseUrl, '/metrics')).text, 'ganeti_chatops_incidents_open', {
            cluster: 'ganeti',
          }),
        { timeout: 30_000 },
      )
      .toBe(0);
    const after = (await get(h.baseUrl, '/metrics')).text;
    expect(series(after, 'ganeti_chatops_node_state', { node: 'node2.ganeti.test', state: 'healthy' })).toBe(
      1,
    );
    expect(series(after, 'ganeti_chatops_node_state', { node: 'node2.ganeti.test', state: 'down' })).toBe(0);
  });
});

describe.runIf(cluster)('health and metrics in Socket Mode, on a server of their own', () => {
  let ws: SocketModeServer;
  let h: Harness;
  let wsOpen = true;
  beforeAll(async () => {
    ws = await startSocketModeServer();
    h = await startHarness({ cluster: cluster ?? undefined, socketUrl: ws.url });
    await ws.waitForClient();
  });
  afterAll(async () => {
    await h?.stop();
    if (wsOpen) await ws?.close();
  });

  it('is ready with the websocket open, and counts a command that came over it', async () => {
    await expect.poll(async () => (await get(h.baseUrl, '/readyz')).status).toBe(200);
    const responseUrl = h.slack.newResponseUrl({ channel: 'C0OPS' });
    await ws.sendSlashCommand({ text: 'status', user_id: ADMIN, response_url: responseUrl });
    await h.answer(responseUrl);
    await expect
      .poll(async () =>
        series((await get(h.baseUrl, '/metrics')).text, 'ganeti_chatops_commands_total', {
          command: 'status',
          outcome: 'ok',
        }),
      )
      .toBe(1);
    expect((await get(h.baseUrl, '/healthz')).status).toBe(200);
  });

  it('is not ready, with the reason, while the websocket to Slack is gone, and ready again once it is back', async () => {
    wsOpen = false;
    await ws.close();
    await expect.poll(async () => (await get(h.baseUrl, '/readyz')).status, { timeout: 15_000 }).toBe(503);
    const body = JSON.parse((await get(h.baseUrl, '/readyz')).text) as { checks: Record<string, string> };
    expect(body.checks.slack).toMatch(/Socket Mode connection to Slack is not open/);
    expect(body.checks.redis).toBe('ok');
    // Slack comes back where it was; the bot reconnects by itself.
    ws = await startSocketModeServer(Number(new URL(ws.url).port));
    wsOpen = true;
    // The Socket Mode client retries about every 5 s (its ping timeout), so allow a few tries.
    await ws.waitForClient({ timeoutMs: 30_000 });
    await expect.poll(async () => (await get(h.baseUrl, '/readyz')).status, { timeout: 30_000 }).toBe(200);
  });
});

describe.runIf(cluster)('readiness when the cluster does not answer', () => {
  let h: Harness;
  beforeAll(async () => {
    // An address on the lab's bridge where no node lives.
    h = await startHarness({
      cluster: cluster ? { ...cluster, hosts: ['198.51.100.250'] } : undefined,
      env: { GANETI_COMMAND_TIMEOUT_SECONDS: '5' },
    });
  });
  afterAll(() => h?.stop());

  it('answers 503 and says the cluster is what is missing', async () => {
    type Body = { checks: Record<string, string> };
    await expect
      .poll(async () => (JSON.parse((await get(h.baseUrl, '/readyz')).text) as Body).checks.redis)
      .toBe('ok');
    const res = await get(h.baseUrl, '/readyz');
    expect(res.status).toBe(503);
    const body = JSON.parse(res.text) as Body;
    expect(body.checks.cluster).not.toBe('ok');
    expect((await get(h.baseUrl, '/healthz')).status).toBe(200);
  });
});
