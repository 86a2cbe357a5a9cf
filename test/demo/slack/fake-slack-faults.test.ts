import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../../src/demo/slack/fake-slack.js';
import { createTestLogger } from '../../fakes/test-logger.js';

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A client that gives up at once, so each call is one attempt. */
const once = (f: FakeSlack) =>
  new WebClient('xoxb-test', {
    slackApiUrl: f.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: createTestLogger(),
  });

describe('fake Slack faults', () => {
  it('answers the next N calls of a method 429 with Retry-After, and records them as attempts only', async () => {
    fake = await startFakeSlack();
    const client = once(fake);
    const rule = fake.fault({ method: 'chat.postMessage', status: 429, retryAfterSec: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      await expect(client.chat.postMessage({ channel: 'C1', text: 'hello' })).rejects.toMatchObject({
        code: 'slack_webapi_rate_limited_error',
        retryAfter: 7,
      });
    }
    await client.chat.postMessage({ channel: 'C1', text: 'hello' });
    expect(rule).toMatchObject({ hits: 2, active: false });
    expect(fake.callsTo('chat.postMessage').map((c) => [c.status, c.fault?.label])).toEqual([
      [429, 'HTTP 429'],
      [429, 'HTTP 429'],
      [200, undefined],
    ]);
    expect(fake.callsTo('chat.postMessage')[0]?.result).toEqual({ ok: false, error: 'ratelimited' });
    expect(fake.delivered('chat.postMessage')).toHaveLength(1);
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['hello']);
  });

  it('answers 5xx for a time by its clock, and ok:false errors, without acting on the call', async () => {
    let t = 1_000;
    fake = await startFakeSlack({ now: () => t });
    const client = once(fake);
    fake.fault({ method: 'chat.postMessage', status: 503, forMs: 60_000 });
    fake.fault({ method: 'chat.update', error: 'internal_error', times: 1 });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'a' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 503,
    });
    t += 60_000;
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'b' });
    await expect(
      client.chat.update({ channel: 'C1', ts: String(posted.ts), text: 'b2' }),
    ).rejects.toMatchObject({ data: { ok: false, error: 'internal_error' } });
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['b']);
    expect(fake.calls.map((c) => c.fault?.label ?? 'ok')).toEqual(['HTTP 503', 'ok', 'internal_error']);
    expect(fake.delivered().map((c) => c.method)).toEqual(['chat.postMessage']);
  });

  it('can act on a call and still fail to answer (applied), and fault only matching calls', async () => {
    fake = await startFakeSlack();
    const client = once(fake);
    fake.fault({ method: 'chat.postMessage', status: 500, applied: true, match: (b) => b.channel === 'C2' });
    await client.chat.postMessage({ channel: 'C1', text: 'fine' });
    await expect(client.chat.postMessage({ channel: 'C2', text: 'lost answer' })).rejects.toMatchObject({
      statusCode: 500,
    });
    expect(fake.messages('C2').map((m) => m.text)).toEqual(['lost answer']);
    expect(fake.delivered('chat.postMessage').map((c) => c.body.text)).toEqual(['fine', 'lost answer']);
    expect(fake.callsTo('chat.postMessage')[1]?.fault).toEqual({ label: 'HTTP 500', applied: true });
    fake.clearFaults();
    await client.chat.postMessage({ channel: 'C2', text: 'again' });
    expect(fake.calls.at(-1)?.status).toBe(200);
  });

  it('faults response_url posts without using up one of its five posts', async () => {
    fake = await startFakeSlack();
    const url = fake.newResponseUrl({ channel: 'C1' });
    fake.fault({ method: 'response_url', status: 429, retryAfterSec: 2, times: 1 });
    fake.fault({ method: 'response_url', status: 503, times: 1 });
    const post = (text: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'in_channel', text }),
      });
    const limited = await post('one');
    expect([limited.status, limited.headers.get('retry-after'), await limited.text()]).toEqual([
      429,
      '2',
      'ratelimited',
    ]);
    expect((await post('one')).status).toBe(503);
    for (let i = 0; i < 5; i++) expect((await post(`ok ${i}`)).status).toBe(200);
    expect((await post('sixth')).status).toBe(404);
    expect(fake.delivered('response_url')).toHaveLength(5);
    expect(fake.responses(url)).toHaveLength(8);
  });

  it('refuses a rule with both or neither of status and error', async () => {
    fake = await startFakeSlack();
    expect(() => fake?.fault({ method: 'chat.update' })).toThrow(/exactly one/);
    expect(() => fake?.fault({ method: 'chat.update', status: 500, error: 'fatal_error' })).toThrow(
      /exactly one/,
    );
  });
});
