import { afterEach, describe, expect, it } from 'vitest';
import { postSignedForm, slashCommandFields } from '../../src/demo/slack/slack-requests.js';
import { SIGNING_SECRET, startHarness, type Harness } from '../integration/support/harness.js';

/** The real Bolt HTTP receiver of a bot-only app, behind the request guard, with real Redis. */
let apps: Harness[] = [];
afterEach(async () => {
  for (const h of apps) await h.stop();
  apps = [];
});
async function bot(env: Record<string, string> = {}): Promise<Harness> {
  const h = await startHarness({ env });
  apps.push(h);
  return h;
}
const body = (h: Harness) =>
  new URLSearchParams({
    ...slashCommandFields({ text: 'help', response_url: h.slack.newResponseUrl() }),
  }).toString();
const now = () => Math.floor(Date.now() / 1000);

describe('requests Slack did not send just now are refused before anything runs', () => {
  it('accepts a fresh signed request', async () => {
    const h = await bot();
    expect((await postSignedForm(h.baseUrl, SIGNING_SECRET, body(h))).status).toBe(200);
  });

  it.each([
    ['an hour ahead', 3_600],
    ['a year ahead', 365 * 24 * 3_600],
    ['six minutes old', -360],
  ])('refuses a request signed with a timestamp %s (401)', async (_what, offset) => {
    const h = await bot();
    const result = await postSignedForm(h.baseUrl, SIGNING_SECRET, body(h), { timestamp: now() + offset });
    expect(result.status).toBe(401);
  });

  it('refuses the exact same bytes sent again, also to another bot process on the same Redis', async () => {
    const a = await bot();
    const b = await bot({ GANETI_CHATOPS_QUEUE_PREFIX: a.env.GANETI_CHATOPS_QUEUE_PREFIX ?? '' });
    const raw = body(a);
    const ts = now();
    expect((await postSignedForm(a.baseUrl, SIGNING_SECRET, raw, { timestamp: ts })).status).toBe(200);
    expect((await postSignedForm(a.baseUrl, SIGNING_SECRET, raw, { timestamp: ts })).status).toBe(401);
    expect((await postSignedForm(b.baseUrl, SIGNING_SECRET, raw, { timestamp: ts })).status).toBe(401);
    // The same command typed again is a new request (new timestamp, new response_url): accepted.
    expect((await postSignedForm(a.baseUrl, SIGNING_SECRET, body(a))).status).toBe(200);
  });
});
