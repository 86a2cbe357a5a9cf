import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manifestBotScopes } from '../../src/doctor/manifest-scopes.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../src/demo/slack/fake-slack.js';
import { DEFAULT_BOT_SCOPES } from '../../src/demo/slack/fake-slack-types.js';
import { freePort } from '../support/free-port.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { ALERTS, AUDIT, botEnv, doctor, notPassing } from './doctor-harness.js';

/** What apps.connections.open hands out; the doctor never connects to it. */
const SOCKET_URL = 'ws://127.0.0.1:9/never-opened';

describe('doctor: Slack', () => {
  let redis: TestRedis;
  let fake: FakeSlack | undefined;
  beforeAll(async () => {
    redis = await startRedis({ appendonly: true });
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  afterAll(async () => {
    await redis.close();
  });

  async function run(options: FakeSlackOptions = {}, env: Record<string, string | undefined> = {}) {
    fake = await startFakeSlack({ socketUrl: SOCKET_URL, ...options });
    return doctor({ ...botEnv(fake.apiUrl, redis.url), ...env }, { roles: ['bot'] });
  }

  it('passes a good setup with one PASS line per check, and posts nothing anyone can see', async () => {
    const result = await run();
    const port = new URL(redis.url).port;
    expect(result.lines).toEqual([
      'PASS  config  the environment: valid (roles bot)',
      `PASS  redis redis://127.0.0.1:${port}  PING answered (Redis ${result.text.match(/Redis ([\d.]+)\)/)?.[1] ?? '?'})`,
      'PASS  redis persistence  AOF on, appendfsync always',
      'PASS  redis eviction  maxmemory-policy noeviction',
      'PASS  slack auth.test  team "Fake Team" (T0FAKE), bot user @ganeti-bot (U0BOT)',
      'PASS  slack scopes  the token has every scope of manifest.yaml: commands, chat:write, chat:write.public, usergroups:read',
      `PASS  slack ALERT_CHANNEL ${ALERTS}  the bot may post there (a message scheduled days ahead, deleted at once)`,
      `PASS  slack AUDIT_CHANNEL ${AUDIT}  the bot may post there (a message scheduled days ahead, deleted at once)`,
      'PASS  slack Socket Mode  apps.connections.open answered: the bot can open its Socket Mode connection',
      '9 checks: 9 PASS, 0 FAIL: the setup looks right',
    ]);
    expect(result.ok).toBe(true);
    const f = fake as FakeSlack;
    expect(f.messages(ALERTS)).toEqual([]);
    expect(f.delivered('chat.postMessage')).toEqual([]);
    const scheduled = f.delivered('chat.scheduleMessage');
    expect(scheduled.map((c) => c.body.channel)).toEqual([ALERTS, AUDIT]);
    const postAt = Number(scheduled[0]?.body.post_at);
    expect(postAt - Date.now() / 1000).toBeGreaterThan(2 * 86_400);
    // Each scheduled message deleted by its own id.
    expect(f.delivered('chat.deleteScheduledMessage').map((c) => c.body.scheduled_message_id)).toEqual(
      scheduled.map((c) => (c.result as { scheduled_message_id: string }).scheduled_message_id),
    );
  });

  it('the fake grants the manifest’s scopes by default', () => {
    expect(manifestBotScopes()).toEqual([...DEFAULT_BOT_SCOPES]);
  });

  it('fails an invalid bot token and says where to get one', async () => {
    const result = await run({}, { SLACK_BOT_TOKEN: 'xoxb-revoked-long-ago' });
    expect(result.ok).toBe(false);
    expect(result.line('slack auth.test')).toBe(
      'FAIL  slack auth.test  SLACK_BOT_TOKEN was refused (invalid_auth); put the Bot User OAuth Token (xoxb-…) in SLACK_BOT_TOKEN: https://api.slack.com/apps → your app → OAuth & Permissions (install the app first; a reinstall or a revoked token gives a new one)',
    );
    expect(result.line('slack ALERT_CHANNEL')).toBeUndefined();
    // The app-level token is another token: still checked.
    expect(result.status('slack Socket Mode')).toBe('PASS');
  });

  it('fails a token that lacks a scope of manifest.yaml', async () => {
    const result = await run({ scopes: ['commands', 'chat:write', 'chat:write.public'] });
    expect(result.ok).toBe(false);
    expect(notPassing(result)).toEqual([
      'FAIL  slack scopes  missing usergroups:read (granted: commands, chat:write, chat:write.public); reinstall the app after adding usergroups:read: https://api.slack.com/apps → your app → OAuth & Permissions → Bot Token Scopes, or its App Manifest page with manifest.yaml',
    ]);
  });

  it('warns of a scope the bot does not use, and still succeeds', async () => {
    const result = await run({ scopes: [...DEFAULT_BOT_SCOPES, 'channels:history'] });
    expect(notPassing(result)).toEqual([
      'WARN  slack extra scopes  granted but not in manifest.yaml, the bot never uses them: channels:history; remove them (https://api.slack.com/apps → your app → OAuth & Permissions) and reinstall the app',
    ]);
    expect(result.status('slack scopes')).toBe('PASS');
    expect(result.ok).toBe(true);
  });

  it.each([
    [
      { notMemberOf: [ALERTS] },
      'the bot is not in the channel (not_in_channel); invite the bot: /invite @ganeti-bot in that channel',
    ],
    [
      { missingChannels: [ALERTS] },
      'no such channel, or a private one without the bot (channel_not_found); check the id in ALERT_CHANNEL (channel name → About, at the bottom); for a private channel invite the bot: /invite @ganeti-bot in that channel',
    ],
    [
      { archivedChannels: [ALERTS] },
      'the channel is archived (is_archived); unarchive it or set ALERT_CHANNEL to another channel',
    ],
  ])('fails an ALERT_CHANNEL the bot cannot post in (%o)', async (options, words) => {
    const result = await run(options);
    expect(result.ok).toBe(false);
    expect(notPassing(result)).toEqual([`FAIL  slack ALERT_CHANNEL ${ALERTS}  ${words}`]);
    expect((fake as FakeSlack).delivered('chat.scheduleMessage').map((c) => c.body.channel)).toEqual([AUDIT]);
  });

  it('warns that the health monitor is off without ALERT_CHANNEL, and still succeeds', async () => {
    const result = await run({}, { ALERT_CHANNEL: undefined, AUDIT_CHANNEL: undefined });
    expect(notPassing(result)).toEqual([
      'WARN  slack ALERT_CHANNEL  not set: the health monitor is off: no node-loss alerts; set ALERT_CHANNEL to the id of a channel (C…) and invite the bot there',
    ]);
    expect(result.ok).toBe(true);
  });

  it('fails an app-level token without connections:write', async () => {
    const result = await run({ appScopes: [] });
    expect(result.ok).toBe(false);
    expect(notPassing(result)).toEqual([
      'FAIL  slack Socket Mode  the app-level token lacks connections:write (missing_scope); https://api.slack.com/apps → your app → Basic Information → App-Level Tokens: generate one with the connections:write scope and put it in SLACK_APP_TOKEN',
    ]);
  });

  it('fails an app-level token Slack does not know', async () => {
    const result = await run({}, { SLACK_APP_TOKEN: 'xapp-1-not-this-one' });
    expect(result.line('slack Socket Mode')).toMatch(
      /^FAIL {2}slack Socket Mode {2}SLACK_APP_TOKEN was refused \(invalid_auth\); .*connections:write/,
    );
    expect(result.ok).toBe(false);
  });

  it('fails when Slack cannot be reached, naming the URL', async () => {
    const port = await freePort();
    fake = await startFakeSlack();
    const env = {
      ...botEnv(`http://127.0.0.1:${port}/api/`, redis.url),
      SLACK_APP_TOKEN: undefined,
      SLACK_SIGNING_SECRET: 'a-signing-secret',
    };
    const result = await doctor(env, { roles: ['bot'] });
    expect(result.ok).toBe(false);
    expect(result.line('slack auth.test')).toBe(
      `FAIL  slack auth.test  cannot reach Slack at http://127.0.0.1:${port}/api/: ECONNREFUSED; check SLACK_API_URL (leave it unset for Slack itself), the proxy and the firewall (HTTPS to slack.com)`,
    );
  });
});
