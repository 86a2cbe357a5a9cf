import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../../src/demo/start-demo.js';
import { captureLogger } from '../support/capture-logger.js';

/** The demo without a browser: its own Redis, the page's files, and what the page's requests do. */
let demo: RunningDemo;
const logs = captureLogger('warn');

beforeAll(async () => {
  // No redisUrl: the demo starts a redis-server of its own, as on a fresh clone.
  demo = await startDemo({ logger: logs.logger });
}, 30_000);
afterAll(() => demo?.stop());

const post = async (path: string, body: unknown) => {
  const response = await fetch(new URL(path, demo.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const state = async (user: string, channel: string) =>
  (await (await fetch(new URL(`/demo/state?user=${user}&channel=${channel}`, demo.url))).json()) as {
    html: string;
    counts: Record<string, number>;
    nodes: Array<{ name: string; fault: string | null; primaries: number }>;
  };

describe('the demo', () => {
  it('serves the page and its script on 127.0.0.1', async () => {
    expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(demo.url);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<script type="module" src="/demo/assets/page.js">');
    expect((await fetch(new URL('/demo/assets/page.js', demo.url))).status).toBe(200);
    expect((await fetch(new URL('/demo/assets/../../main.ts', demo.url))).status).toBe(404);
  });

  it('sends a typed command to the bot as a signed slash command, and shows the answer', async () => {
    expect(await post('/demo/command', { user: 'U0DAVE', channel: 'C0OPS', text: 'nodes' })).toEqual({
      status: 200,
      body: { status: 200 },
    });
    await expect
      .poll(async () => (await state('U0DAVE', 'C0OPS')).html, { timeout: 15_000 })
      .toMatch(/Nodes \(4\)[\s\S]*node004/);
    const nodes = (await state('U0DAVE', 'C0OPS')).nodes;
    expect(nodes.map((n) => n.primaries).reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('shows a refusal only to the user it is meant for', async () => {
    await post('/demo/command', { user: 'U0DAVE', channel: 'C0OPS', text: 'reboot web0001' });
    await expect
      .poll(async () => (await state('U0DAVE', 'C0OPS')).html, { timeout: 15_000 })
      .toMatch(/data-ephemeral="true"[\s\S]*needs the (operator|admin) role/);
    expect((await state('U0ALICE', 'C0OPS')).html).not.toMatch(/needs the (operator|admin) role/);
  });

  it('refuses what the page could not have sent, saying what is wrong, and does nothing', async () => {
    const before = demo.slack.calls.length;
    expect(await post('/demo/command', { user: 'U0MALLORY', channel: 'C0OPS', text: 'nodes' })).toEqual({
      status: 400,
      body: { error: 'user: not a demo user' },
    });
    expect((await post('/demo/action', { user: 'U0ALICE', channel: 'C0OPS' })).body.error).toMatch(
      /ts: .*actionId/,
    );
    expect(await post('/demo/node', { node: 'node9.example.org', fault: 'powered-off' })).toEqual({
      status: 400,
      body: { error: 'no node named node9.example.org' },
    });
    expect((await post('/demo/node', { node: 'node002.example.org', fault: 'melted' })).status).toBe(400);
    expect(demo.slack.calls.length).toBe(before);
    expect(demo.cluster.simulator.cluster.nodes.every((n) => n.fault === null)).toBe(true);
  });

  it('fails a node and revives it from the page', async () => {
    const down = await post('/demo/node', { node: 'node003.example.org', fault: 'noded-down' });
    expect(down.status).toBe(200);
    expect(demo.cluster.simulator.cluster.nodes.find((n) => n.name === 'node003.example.org')?.fault).toBe(
      'noded-down',
    );
    await post('/demo/node', { node: 'node003.example.org', fault: null });
    expect((await state('U0ALICE', 'C0OPS')).nodes.find((n) => n.name === 'node003.example.org')?.fault).toBe(
      null,
    );
  });
});
