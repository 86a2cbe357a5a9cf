import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../../src/demo/slack/fake-slack.js';

let fake: FakeSlack | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('what the demo page reads from the fake Slack', () => {
  it('keeps ephemeral messages for the one user who sees them, from chat.postEphemeral and response_urls', async () => {
    fake = await startFakeSlack();
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl });
    await client.chat.postEphemeral({ channel: 'C0OPS', user: 'U0ALICE', text: 'only for alice' });
    const url = fake.newResponseUrl({ channel: 'C0OPS', user: 'U0BOB' });
    await post(url, { response_type: 'ephemeral', text: 'only for bob' });

    expect(fake.ephemeral('C0OPS', 'U0ALICE').map((m) => m.text)).toEqual(['only for alice']);
    expect(fake.ephemeral('C0OPS', 'U0BOB').map((m) => m.text)).toEqual(['only for bob']);
    expect(fake.messages('C0OPS')).toEqual([]);
  });

  it('replaces and deletes an ephemeral message through the response_url of a click on it', async () => {
    fake = await startFakeSlack();
    const first = fake.newResponseUrl({ channel: 'C0OPS', user: 'U0BOB' });
    await post(first, { text: 'pick one' });
    const [message] = fake.ephemeral('C0OPS', 'U0BOB');
    const click = fake.newResponseUrl({ channel: 'C0OPS', user: 'U0BOB', messageTs: message?.ts ?? '' });
    await post(click, { replace_original: true, text: 'picked' });
    expect(fake.ephemeral('C0OPS', 'U0BOB')).toMatchObject([{ text: 'picked', edited: {} }]);
    await post(click, { delete_original: true });
    expect(fake.ephemeral('C0OPS', 'U0BOB')).toEqual([]);
  });

  it('shows what a person typed among the bot’s messages, in order, with the time each was posted', async () => {
    let clock = 1_000;
    fake = await startFakeSlack({ now: () => clock });
    const before = fake.version();
    const typed = fake.postAsUser('C0OPS', 'U0ALICE', '/ganeti nodes');
    clock = 2_000;
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl });
    const answer = await client.chat.postMessage({ channel: 'C0OPS', text: 'the nodes' });

    expect(fake.messages('C0OPS').map((m) => [m.user, m.bot_id, m.text])).toEqual([
      ['U0ALICE', undefined, '/ganeti nodes'],
      ['U0BOT', 'B0BOT', 'the nodes'],
    ]);
    expect(fake.postedAt(typed.ts)).toBe(1_000);
    expect(fake.postedAt(answer.ts ?? '')).toBe(2_000);
    expect(fake.version()).toBe(before + 2);
  });

  it('hands requests outside the Web API to the routes it was given, and answers 404 for the rest', async () => {
    fake = await startFakeSlack({
      routes: (_req, res, url) => {
        if (url.pathname !== '/hello') return false;
        res.end('hi');
        return true;
      },
    });
    expect(await (await fetch(`${fake.url}/hello`)).text()).toBe('hi');
    expect((await fetch(`${fake.url}/other`)).status).toBe(404);
  });
});
