import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../../src/demo/slack/fake-slack.js';
import {
  blockActionPayload,
  sendInteraction,
  sendSlashCommand,
  signSlackRequest,
  slashCommandFields,
} from '../../../src/demo/slack/slack-requests.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';

const SECRET = 'test-signing-secret';

let fake: FakeSlack | undefined;
let app: App | undefined;

afterEach(async () => {
  await app?.stop();
  await fake?.close();
  [app, fake] = [undefined, undefined];
});

/** A fake Slack and a real Bolt app in HTTP mode, listening on 127.0.0.1. */
async function setup(): Promise<{ app: App; fake: FakeSlack; baseUrl: string; logger: TestLogger }> {
  fake = await startFakeSlack();
  const logger = createTestLogger();
  app = new App({
    signingSecret: SECRET,
    token: 'xoxb-test',
    logger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  app.command('/ganeti', async ({ ack, command, respond }) => {
    await ack({ response_type: 'ephemeral', text: `got ${command.text}` });
    await respond({ text: `done ${command.text}` });
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { app, fake, baseUrl, logger };
}

describe('signSlackRequest', () => {
  it('signs v0:timestamp:body with HMAC-SHA256 of the secret', () => {
    const headers = signSlackRequest('s3cret', 'a=1', 1_700_000_000);
    const expected = createHmac('sha256', 's3cret').update('v0:1700000000:a=1').digest('hex');
    expect(headers).toEqual({
      'X-Slack-Signature': `v0=${expected}`,
      'X-Slack-Request-Timestamp': '1700000000',
    });
  });
});

describe('signed requests to a real Bolt HTTP receiver', () => {
  it('gets 200 and the ack body for a signed slash command, then the response_url post', async () => {
    const { fake, baseUrl } = await setup();
    const responseUrl = fake.newResponseUrl();

    const result = await sendSlashCommand(baseUrl, SECRET, { text: 'node list', response_url: responseUrl });

    expect(result.status).toBe(200);
    expect(result.json).toEqual({ response_type: 'ephemeral', text: 'got node list' });
    const response = await fake.waitFor('response_url');
    expect(response).toMatchObject({ url: responseUrl, body: { text: 'done node list' } });
  });

  it('answers 401 with an empty body for a forged signature', async () => {
    const { baseUrl, logger } = await setup();
    const result = await sendSlashCommand(baseUrl, SECRET, {}, { signatureOverride: `v0=${'0'.repeat(64)}` });
    expect(result).toMatchObject({ status: 401, body: '' });
    expect(logger.find('Failed to parse and verify the request data')).toHaveLength(1);
  });

  it('answers 401 for a request signed with another secret', async () => {
    const { baseUrl } = await setup();
    expect((await sendSlashCommand(baseUrl, 'not-the-secret')).status).toBe(401);
  });

  it('answers 401 for a timestamp 6 minutes old, even correctly signed', async () => {
    const { baseUrl, logger } = await setup();
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const result = await sendSlashCommand(baseUrl, SECRET, {}, { timestamp: stale });
    expect(result.status).toBe(401);
    expect(logger.find('request is stale')).toHaveLength(1);
  });

  it('accepts a timestamp 10 minutes in the future (Bolt only refuses old ones)', async () => {
    const { baseUrl } = await setup();
    const future = Math.floor(Date.now() / 1000) + 10 * 60;
    expect((await sendSlashCommand(baseUrl, SECRET, {}, { timestamp: future })).status).toBe(200);
  });

  it('delivers a signed block_actions interaction', async () => {
    const { app, fake, baseUrl } = await setup();
    const values: string[] = [];
    app.action('approve', async ({ ack, action }) => {
      await ack();
      if (action.type === 'button') values.push(action.value ?? '');
    });
    const payload = blockActionPayload({
      user: 'U0BOB',
      channel: 'C0OPS',
      actionId: 'approve',
      value: 'failover:inst1',
      messageTs: '1700000000.000100',
      responseUrl: fake.newResponseUrl(),
    });

    const result = await sendInteraction(baseUrl, SECRET, payload);

    expect(result).toMatchObject({ status: 200, body: '' });
    expect(values).toEqual(['failover:inst1']);
  });
});

describe('slashCommandFields', () => {
  it('fills every field Slack sends, with overrides', () => {
    const fields = slashCommandFields({ text: 'help' });
    expect(fields).toMatchObject({
      command: '/ganeti',
      text: 'help',
      user_id: 'U0ALICE',
      channel_id: 'C0OPS',
    });
    expect(fields.trigger_id).not.toBe(slashCommandFields().trigger_id);
  });
});
