import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../../src/demo/slack/fake-slack.js';

let fake: FakeSlack | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('fake Slack response_url', () => {
  it('records posts with their response fields and answers ok', async () => {
    fake = await startFakeSlack();
    const url = fake.newResponseUrl();
    expect(url).toMatch(new RegExp(`^${fake.url}/response/\\w+$`));

    expect(
      await post(url, { response_type: 'ephemeral', text: 'working…', replace_original: false }),
    ).toEqual({
      status: 200,
      text: 'ok',
    });
    expect(fake.responses(url)).toHaveLength(1);
    expect(fake.responses()[0]).toMatchObject({
      method: 'response_url',
      url,
      body: { response_type: 'ephemeral', text: 'working…', replace_original: false },
    });
  });

  it('refuses a sixth post with 404 used_url', async () => {
    fake = await startFakeSlack();
    const url = fake.newResponseUrl();
    for (let i = 0; i < 5; i += 1) expect((await post(url, { text: `${i}` })).status).toBe(200);
    expect(await post(url, { text: 'sixth' })).toEqual({ status: 404, text: 'used_url' });
  });

  it('expires 30 minutes after it was made, by the injected clock', async () => {
    let now = 1_000_000;
    fake = await startFakeSlack({ now: () => now });
    const url = fake.newResponseUrl();
    now += 30 * 60 * 1000 - 1;
    expect((await post(url, { text: 'just in time' })).status).toBe(200);
    now += 1;
    expect(await post(url, { text: 'too late' })).toEqual({ status: 404, text: 'expired_url' });
    expect(fake.responses(url).map((r) => r.at)).toEqual([now - 1, now]);
  });

  it('checks the body like a message: no_text, invalid_blocks, invalid_payload', async () => {
    fake = await startFakeSlack();
    const url = fake.newResponseUrl();
    expect(await post(url, { response_type: 'ephemeral' })).toEqual({ status: 400, text: 'no_text' });
    const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };
    expect(await post(url, { text: 'x', blocks: [header] })).toEqual({ status: 400, text: 'invalid_blocks' });
    expect(fake.responses(url)[1]?.result).toMatchObject({
      errors: ['must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
    });
    const raw = await fetch(url, { method: 'POST', body: 'text=not-json' });
    expect(raw.status).toBe(400);
    expect(await post(`${fake.url}/response/nosuch`, { text: 'x' })).toEqual({
      status: 404,
      text: 'invalid_url',
    });
  });

  it('changes channel messages when linked to one: in_channel, replace_original, delete_original', async () => {
    fake = await startFakeSlack();
    await post(fake.newResponseUrl({ channel: 'C1' }), {
      response_type: 'in_channel',
      text: 'job 42 queued',
    });
    const [queued] = fake.messages('C1');
    expect(queued).toMatchObject({ text: 'job 42 queued' });

    const url = fake.newResponseUrl({ channel: 'C1', messageTs: queued?.ts });
    await post(url, { replace_original: true, text: 'job 42 done' });
    expect(fake.messages('C1')).toMatchObject([{ ts: queued?.ts, text: 'job 42 done' }]);
    await post(url, { delete_original: true });
    expect(fake.messages('C1')).toEqual([]);
  });
});

describe('fake Slack waitFor', () => {
  it('resolves with a call already recorded', async () => {
    fake = await startFakeSlack();
    await post(fake.newResponseUrl(), { text: 'early' });
    await expect(fake.waitFor('response_url')).resolves.toMatchObject({ body: { text: 'early' } });
  });

  it('resolves when a matching call arrives later', async () => {
    fake = await startFakeSlack();
    const url = fake.newResponseUrl();
    const waiting = fake.waitFor((call) => call.body.text === 'second');
    await post(url, { text: 'first' });
    await post(url, { text: 'second' });
    await expect(waiting).resolves.toMatchObject({ url, body: { text: 'second' } });
  });

  it('rejects after the timeout, listing the calls it saw', async () => {
    fake = await startFakeSlack();
    await post(fake.newResponseUrl(), { text: 'x' });
    await expect(fake.waitFor('chat.postMessage', { timeoutMs: 50 })).rejects.toThrow(
      'no matching call within 50 ms (calls so far: response_url)',
    );
  });

  it('rejects pending waits when the fake closes', async () => {
    fake = await startFakeSlack();
    const waiting = fake.waitFor('chat.postMessage');
    await fake.close();
    fake = undefined;
    await expect(waiting).rejects.toThrow('fake Slack closed');
  });
});
