import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../src/demo/slack/fake-slack.js';

/** What the doctor relies on in the fake Slack (src/demo/slack/fake-slack-api.ts): scopes and scheduled messages. */
describe('fake Slack: scopes and scheduled messages, as Slack answers them', () => {
  let fake: FakeSlack | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  async function client(options: FakeSlackOptions = {}, token = 'xoxb-test') {
    fake = await startFakeSlack(options);
    return new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  }
  const error = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (e: { data?: { error?: string; needed?: string } }) =>
        `${e.data?.error ?? '?'}${e.data?.needed ? ` ${e.data.needed}` : ''}`,
    );
  const inDays = (days: number) => Math.floor(Date.now() / 1000) + days * 86_400;

  it('sends the token’s scopes in x-oauth-scopes, which WebClient puts in response_metadata', async () => {
    const slack = await client({ scopes: ['commands', 'chat:write'] });
    const auth = await slack.auth.test();
    expect(auth.response_metadata?.scopes).toEqual(['commands', 'chat:write']);
  });

  it('refuses a method whose scope the token lacks, naming it', async () => {
    const slack = await client({ scopes: ['commands'] });
    expect(await error(slack.chat.postMessage({ channel: 'C1', text: 'x' }))).toBe(
      'missing_scope chat:write',
    );
    expect(await error(slack.usergroups.users.list({ usergroup: 'S1' }))).toBe(
      'missing_scope usergroups:read',
    );
  });

  it('schedules a message without posting it, and deletes it by its id in its channel only', async () => {
    const slack = await client();
    const scheduled = await slack.chat.scheduleMessage({ channel: 'C1', text: 'later', post_at: inDays(3) });
    expect(scheduled.scheduled_message_id).toMatch(/^Q\d+$/);
    expect(fake?.messages('C1')).toEqual([]);
    const id = scheduled.scheduled_message_id ?? '';
    expect(await error(slack.chat.deleteScheduledMessage({ channel: 'C2', scheduled_message_id: id }))).toBe(
      'invalid_scheduled_message_id',
    );
    expect(await error(slack.chat.deleteScheduledMessage({ channel: 'C1', scheduled_message_id: id }))).toBe(
      'ok',
    );
    expect(await error(slack.chat.deleteScheduledMessage({ channel: 'C1', scheduled_message_id: id }))).toBe(
      'invalid_scheduled_message_id',
    );
  });

  it('refuses times in the past and more than 120 days ahead', async () => {
    const slack = await client();
    expect(await error(slack.chat.scheduleMessage({ channel: 'C1', text: 'x', post_at: inDays(-1) }))).toBe(
      'time_in_past',
    );
    expect(await error(slack.chat.scheduleMessage({ channel: 'C1', text: 'x', post_at: inDays(121) }))).toBe(
      'time_too_far',
    );
  });

  it('answers channel_not_found, is_archived and not_in_channel for the channels it is told about', async () => {
    const slack = await client({
      missingChannels: ['C404'],
      archivedChannels: ['COLD'],
      notMemberOf: ['COUT'],
    });
    const post = (channel: string) =>
      error(slack.chat.scheduleMessage({ channel, text: 'x', post_at: inDays(3) }));
    expect([await post('C404'), await post('COLD'), await post('COUT'), await post('COK')]).toEqual([
      'channel_not_found',
      'is_archived',
      'not_in_channel',
      'ok',
    ]);
    expect(await error(slack.chat.postMessage({ channel: 'COLD', text: 'x' }))).toBe('is_archived');
  });

  it('refuses apps.connections.open to an app-level token without connections:write', async () => {
    const slack = await client({ appScopes: [], socketUrl: 'ws://127.0.0.1:9/' }, 'xapp-test');
    expect(await error(slack.apps.connections.open())).toBe('missing_scope connections:write');
  });
});
