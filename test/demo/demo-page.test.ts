import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, onTestFailed } from 'vitest';
import { startDemo, type RunningDemo } from '../../src/demo/start-demo.js';
import type { SimInstance } from '../../src/demo/simulator/model.js';
import { captureLogger } from '../support/capture-logger.js';

/**
 * The demo page in headless Chromium (Debian's package, driven by playwright-core), as a newcomer
 * uses it: a read, a failover with the two-person approval, and a node failure with its alert and
 * the guarded evacuation. A screenshot of each step goes to test-results/demo/.
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = 'test-results/demo';
// Without the background-networking flags Chromium keeps trying the internet, which is closed here.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';

let demo: RunningDemo;
let browser: Browser;
let page: Page;
const logs = captureLogger('warn');

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the demo's browser test needs Chromium at ${CHROMIUM}: run scripts/setup.sh --tests as root`,
    );
  }
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo({ logger: logs.logger, redisUrl: inject('redisUrl'), speed: 0.3 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(demo.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
const messages = () => page.locator('#messages > article.message');
const message = (text: string | RegExp): Locator => messages().filter({ hasText: text }).last();

async function type(text: string): Promise<void> {
  await page.fill('#composer', text);
  await page.press('#composer', 'Enter');
}

async function actAs(user: string): Promise<void> {
  await page.selectOption('#user', user);
}

/** Clicks a button and, when it asks for confirmation, confirms in the dialog. */
async function clickConfirmed(button: Locator): Promise<void> {
  await button.click();
  const dialog = page.locator('#confirm-dialog');
  await dialog.waitFor({ state: 'visible', timeout: 5_000 });
  await shot(`confirm-${String(await button.getAttribute('data-action-id'))}`);
  await page.click('#confirm-ok');
  await dialog.waitFor({ state: 'hidden' });
}

const instances = (): SimInstance[] => demo.cluster.simulator.cluster.instances;

describe('the demo page in a browser', () => {
  // What the page showed when a step failed, beside the steps' screenshots.
  beforeEach((context) => {
    onTestFailed(async () => {
      await shot(`failed-${context.task.name.split(' ').slice(0, 3).join('-')}`);
    });
  });

  it('shows the node table for /ganeti nodes', async () => {
    await type('/ganeti nodes');
    const table = message('Nodes (4)');
    await table.waitFor({ timeout: 20_000 });
    for (const node of demo.cluster.simulator.cluster.nodes) {
      expect(await table.textContent()).toContain(node.name.split('.')[0]);
    }
    // What alice typed shows once, as hers.
    const typed = messages().filter({ has: page.locator('.author:not(.bot)') });
    expect(await typed.allTextContents()).toEqual([expect.stringMatching(/alice.*\/ganeti nodes$/)]);
    await shot('1-nodes');
  }, 30_000);

  it('fails an instance over after a second admin approves it through the confirm dialog', async () => {
    const master = demo.cluster.simulator.cluster.nodes[0]?.name;
    const target = instances().find((i) => i.diskTemplate === 'drbd' && i.running && i.pnode !== master);
    if (!target) throw new Error('the demo cluster has no running DRBD instance off the master');
    const [from, to] = [target.pnode, target.snode];
    await type(`/ganeti failover ${target.name}`);
    const card = message(target.name).filter({ has: page.locator('[data-action-id="op_approve"]') });
    await card.waitFor({ timeout: 20_000 });
    await shot('2-approval-card');

    await actAs(BOB);
    await clickConfirmed(card.locator('[data-action-id="op_approve"]'));
    await messages()
      .filter({ hasText: /✅/ })
      .filter({ hasText: target.name })
      .last()
      .waitFor({ timeout: 60_000 });
    const after = instances().find((i) => i.name === target.name);
    expect([after?.pnode, after?.snode, after?.running]).toEqual([to, from, true]);
    await shot('3-failover-done');
  }, 90_000);

  it('alerts when a node is powered off, and fails its instances over from the alert', async () => {
    const master = demo.cluster.simulator.cluster.nodes[0]?.name;
    const victim = demo.cluster.simulator.cluster.nodes.find(
      (n) =>
        n.name !== master &&
        instances().some((i) => i.pnode === n.name && i.running && i.diskTemplate === 'drbd'),
    );
    if (!victim) throw new Error('no node with running DRBD instances besides the master');
    const runningThere = instances().filter(
      (i) => i.pnode === victim.name && i.adminUp && i.diskTemplate === 'drbd',
    );
    await actAs(ALICE);
    await page.selectOption(`li[data-node="${victim.name}"] select`, 'powered-off');
    await page.click('a[data-channel="C0ALERTS"]');
    const alert = message(victim.name).filter({ has: page.locator('[data-action-id="incident_evacuate"]') });
    await alert.waitFor({ timeout: 60_000 });
    await shot('4-node-alert');

    // The alert's message changes once asked (its button goes): follow it by its ts.
    const alertTs = await alert.getAttribute('data-ts');
    await clickConfirmed(alert.locator('[data-action-id="incident_evacuate"]'));
    const thread = page.locator(`#messages > article.message[data-ts="${String(alertTs)}"] details.thread`);
    const card = thread.locator('article.message').filter({
      has: page.locator('[data-action-id="op_approve"]'),
    });
    await card.waitFor({ timeout: 30_000 });
    await actAs(BOB);
    await clickConfirmed(card.locator('[data-action-id="op_approve"]').first());
    const outcome = messages().filter({
      hasText: new RegExp(`✅ Fail over \\d+ instance\\(s\\) from ${victim.name}`),
    });
    await outcome.first().waitFor({ timeout: 120_000 });
    for (const i of runningThere) {
      const now = instances().find((x) => x.name === i.name);
      expect(now?.pnode, i.name).not.toBe(victim.name);
      expect(now?.running, i.name).toBe(true);
    }
    await shot('5-evacuated');
  }, 240_000);

  it('shows the App Home: the nodes at a glance for an admin, the project for its member', async () => {
    await actAs(ALICE);
    await page.click('a[data-channel="home"]');
    const home = page.locator('#messages article.home');
    await home.filter({ hasText: 'You are an admin' }).waitFor({ timeout: 20_000 });
    expect(await home.textContent()).toMatch(/node002 +offline +DOWN/);
    expect(await page.locator('#composer-form').isHidden()).toBe(true);
    await shot('6-app-home');
    await actAs('U0ERIN');
    await home.filter({ hasText: 'You are a project member' }).waitFor({ timeout: 20_000 });
    expect(await home.textContent()).toContain('Project web');
    expect(await home.textContent()).not.toContain('MEM FREE');
  }, 60_000);
});
