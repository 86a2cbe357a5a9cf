import { WebClient, type WebAPICallResult } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../../src/demo/slack/fake-slack.js';
import { createTestLogger } from '../../fakes/test-logger.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const t = (text: string) => ({ type: 'plain_text' as const, text });

let fake: FakeSlack | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A fake and a real WebClient pointed at it, retrying nothing. */
async function setup(options: FakeSlackOptions = {}, token = 'xoxb-test') {
  fake = await startFakeSlack(options);
  const client = new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: createTestLogger(),
  });
  return { fake, client };
}

describe('fake Slack Web API, driven by the real WebClient', () => {
  it('posts a message and records the form-encoded blocks as objects', async () => {
    const { fake, client } = await setup();
    const result = await client.chat.postMessage({ channel: 'C1', text: 'hi', blocks: [section('hello')] });

    expect(result).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.000100' });
    expect(result.message).toMatchObject({ text: 'hi', user: 'U0BOT', bot_id: 'B0BOT' });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.body.blocks).toEqual([section('hello')]);
    expect(call?.status).toBe(200);
    expect(fake.messages('C1')).toHaveLength(1);
  });

  it('gives increasing message timestamps', async () => {
    const { client } = await setup();
    const first = await client.chat.postMessage({ channel: 'C1', text: 'a' });
    const second = await client.chat.postMessage({ channel: 'C2', text: 'b' });
    expect(second.ts).toBe('1700000000.000200');
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
  });

  it('updates a posted message, keeping blocks that the update leaves out', async () => {
    const { fake, client } = await setup();
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'running', blocks: [section('x')] });
    const updated = await client.chat.update({ channel: 'C1', ts: ts as string, text: 'done' });

    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts, text: 'done' });
    const [message] = fake.messages('C1');
    expect(message).toMatchObject({ text: 'done', blocks: [section('x')] });
    expect(message?.edited?.user).toBe('U0BOT');
  });

  it('answers message_not_found when updating or deleting a message that does not exist', async () => {
    const { client } = await setup();
    await expect(client.chat.update({ channel: 'C1', ts: '1.2', text: 'x' })).rejects.toMatchObject({
      data: { ok: false, error: 'message_not_found' },
    });
    await expect(client.chat.delete({ channel: 'C1', ts: '1.2' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('deletes a message', async () => {
    const { fake, client } = await setup();
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'bye' });
    await client.chat.delete({ channel: 'C1', ts: ts as string });
    expect(fake.messages('C1')).toEqual([]);
  });

  it('answers not_in_channel for channels the bot is not in', async () => {
    const { fake, client } = await setup({ notMemberOf: ['C9'] });
    const notInChannel = { data: { error: 'not_in_channel' } };
    await expect(client.chat.postMessage({ channel: 'C9', text: 'x' })).rejects.toMatchObject(notInChannel);
    await expect(client.chat.update({ channel: 'C9', ts: '1.2', text: 'x' })).rejects.toMatchObject(
      notInChannel,
    );
    await expect(client.chat.postEphemeral({ channel: 'C9', user: 'U1', text: 'x' })).rejects.toMatchObject(
      notInChannel,
    );
    expect(fake.messages('C9')).toEqual([]);
  });

  it('posts an ephemeral message', async () => {
    const { client } = await setup();
    const result = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    expect(result).toMatchObject({ ok: true, message_ts: '1700000000.000100' });
  });

  it('answers invalid_blocks with the reason, as Slack does, for 51 blocks', async () => {
    const { client } = await setup();
    const blocks = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    const error = await client.chat
      .postMessage({ channel: 'C1', text: 'x', blocks })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      data: {
        error: 'invalid_blocks',
        response_metadata: { messages: ['[ERROR] must be less than 51 items [json-pointer:/blocks]'] },
      },
    });
  });

  it('answers no_text for a message with neither text nor blocks', async () => {
    const { client } = await setup();
    await expect(client.chat.postMessage({ channel: 'C1', text: '' })).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
  });

  it('rejects wrong tokens: invalid_auth, and an app token where a bot token is needed', async () => {
    const wrong = await setup({}, 'xoxb-wrong');
    await expect(wrong.client.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await fake?.close();
    const app = await setup({}, 'xapp-test');
    await expect(app.client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
  });

  it('answers auth.test, usergroups.users.list, users.info and conversations.info', async () => {
    const { client } = await setup({
      usergroups: { S0ADMINS: ['U1', 'U2'] },
      users: { U2: { deleted: true } },
      channels: { C1: { name: 'ops' } },
      notMemberOf: ['C9'],
    });
    expect(await client.auth.test()).toMatchObject({ team_id: 'T0FAKE', user_id: 'U0BOT', bot_id: 'B0BOT' });
    expect((await client.usergroups.users.list({ usergroup: 'S0ADMINS' })).users).toEqual(['U1', 'U2']);
    await expect(client.usergroups.users.list({ usergroup: 'S0NONE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
    expect((await client.users.info({ user: 'U2' })).user).toMatchObject({ id: 'U2', deleted: true });
    expect((await client.conversations.info({ channel: 'C1' })).channel).toMatchObject({
      name: 'ops',
      is_member: true,
    });
    expect((await client.conversations.info({ channel: 'C9' })).channel?.is_member).toBe(false);
  });

  it('publishes views up to 100 blocks and refuses 101', async () => {
    const { fake, client } = await setup();
    const view = (n: number) => ({
      type: 'home' as const,
      blocks: Array.from({ length: n }, () => section('x')),
    });
    const published = await client.views.publish({ user_id: 'U1', view: view(100) });
    expect(published.view?.id).toMatch(/^V/);
    expect(fake.callsTo('views.publish')[0]?.body.view).toEqual(view(100));
    await expect(client.views.publish({ user_id: 'U1', view: view(101) })).rejects.toMatchObject({
      data: { error: 'invalid_blocks', errors: ['must be less than 101 items [json-pointer:/view/blocks]'] },
    });
    const opened = await client.views.open({
      trigger_id: 't',
      view: { type: 'modal', title: t('T'), blocks: [] },
    });
    expect(opened.ok).toBe(true);
  });

  it('opens a Socket Mode connection only with the app token', async () => {
    const { client } = await setup({ socketUrl: 'ws://127.0.0.1:1/link' }, 'xapp-test');
    expect(await client.apps.connections.open()).toMatchObject({ ok: true, url: 'ws://127.0.0.1:1/link' });
    fake?.setSocketUrl('ws://127.0.0.1:2/link');
    expect((await client.apps.connections.open()).url).toBe('ws://127.0.0.1:2/link');
  });

  it('answers unknown_method for methods it does not implement', async () => {
    const { client } = await setup();
    await expect(client.apiCall('ganeti.reboot')).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
  });

  it('accepts JSON bodies with a bearer token', async () => {
    const { fake } = await setup();
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-test' },
      body: JSON.stringify({ channel: 'C1', text: 'json', blocks: [section('j')] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, message: { blocks: [section('j')] } });
  });
});

describe('fake Slack rate limits', () => {
  it('answers 429 with Retry-After after the allowed calls', async () => {
    const { client } = await setup({ rateLimit: { method: 'chat.postMessage', afterCalls: 1 } });
    const limited = new WebClient('xoxb-test', {
      slackApiUrl: fake?.apiUrl,
      rejectRateLimitedCalls: true,
      logger: createTestLogger(),
    });
    await client.chat.postMessage({ channel: 'C1', text: 'first' });
    await expect(limited.chat.postMessage({ channel: 'C1', text: 'second' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 1,
    });
    expect(fake?.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 429]);
  });

  it('lets a WebClient that retries get through after Retry-After', async () => {
    const { fake, client } = await setup({
      rateLimit: { method: 'chat.postMessage', afterCalls: 0, times: 1 },
    });
    const retrying = new WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
      logger: createTestLogger(),
    });
    const result: WebAPICallResult = await retrying.chat.postMessage({ channel: 'C1', text: 'x' });
    expect(result.ok).toBe(true);
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    fake.setRateLimit(undefined);
    await client.chat.postMessage({ channel: 'C1', text: 'y' });
  });
});
