import { App, SocketModeReceiver } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';
import { blockActionPayload } from '../../src/demo/slack/slack-requests.js';
import { startSocketModeServer, type SocketModeServer } from './socket-mode-server.js';
import { createTestLogger } from './test-logger.js';

let fake: FakeSlack | undefined;
let server: SocketModeServer | undefined;
let app: App | undefined;

afterEach(async () => {
  // Stop the app first: a Socket Mode client whose server vanishes tries to reconnect.
  await app?.stop();
  await server?.waitForNoClients();
  await server?.close();
  await fake?.close();
  [app, server, fake] = [undefined, undefined, undefined];
});

/** A fake Slack, a Socket Mode server, and a real Bolt app in Socket Mode wired to both. */
async function setup() {
  server = await startSocketModeServer();
  fake = await startFakeSlack({ socketUrl: server.url });
  const clientOptions = { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } };
  const logger = createTestLogger();
  app = new App({
    socketMode: true,
    appToken: 'xapp-test',
    token: 'xoxb-test',
    logger,
    clientOptions,
    installerOptions: { clientOptions },
  });
  return { app, server, fake, logger };
}

describe('Socket Mode server, driven by a real Bolt app', () => {
  it('connects through apps.connections.open and hello', async () => {
    const { app, server, fake } = await setup();
    await app.start();

    expect(server.connectionCount).toBe(1);
    const open = await fake.waitFor('apps.connections.open');
    expect(open.result).toEqual({ ok: true, url: server.url });
    // Bolt checks the bot token with auth.test when it is constructed.
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('delivers a slash command and returns the ack with its payload', async () => {
    const { app, server } = await setup();
    app.command('/ganeti', async ({ ack, command }) => {
      await ack({ response_type: 'ephemeral', text: `running ${command.text}` });
    });
    await app.start();

    const ack = await server.sendSlashCommand({ text: 'node list', user_id: 'U0BOB' });
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'running node list' });
    expect(ack.envelope_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ack.ms).toBeGreaterThanOrEqual(0);
  });

  it('lets a listener answer through the response_url after acking', async () => {
    const { app, server, fake } = await setup();
    app.command('/ganeti', async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'in_channel', text: 'cluster ok' });
    });
    await app.start();

    const ack = await server.sendSlashCommand({ response_url: fake.newResponseUrl() });
    expect(ack.payload).toEqual({});
    const response = await fake.waitFor('response_url');
    expect(response.body).toEqual({ response_type: 'in_channel', text: 'cluster ok' });
  });

  it('delivers block actions as interactive envelopes', async () => {
    const { app, server } = await setup();
    const clicks: string[] = [];
    app.action('approve', async ({ ack, body }) => {
      await ack();
      clicks.push(body.user.id);
    });
    await app.start();

    const payload = blockActionPayload({
      user: 'U0BOB',
      channel: 'C0OPS',
      actionId: 'approve',
      value: 'failover:inst1',
      messageTs: '1700000000.000100',
      responseUrl: 'http://127.0.0.1:9/response/unused',
    });
    const ack = await server.sendInteractive(payload);
    expect(ack.payload).toEqual({});
    expect(clicks).toEqual(['U0BOB']);
  });

  it('never acks a command no listener handles (Bolt has no ack timeout in Socket Mode)', async () => {
    const { app, server } = await setup();
    await app.start();
    await expect(server.sendSlashCommand({ command: '/other' }, { timeoutMs: 300 })).rejects.toThrow(
      'no ack for slash_commands envelope within 300 ms',
    );
  });

  it('reconnects after Slack sends a disconnect message', async () => {
    server = await startSocketModeServer();
    fake = await startFakeSlack({ socketUrl: server.url });
    const clientOptions = { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } };
    const logger = createTestLogger();
    // The client waits clientPingTimeout (default 5 s) before reconnecting: shorten it.
    const receiver = new SocketModeReceiver({
      appToken: 'xapp-test',
      logger,
      clientPingTimeout: 300,
      installerOptions: { clientOptions },
    });
    app = new App({ receiver, token: 'xoxb-test', logger, clientOptions });
    app.command('/ganeti', async ({ ack }) => ack('again'));
    await app.start();

    server.sendDisconnect();
    await server.waitForNoClients();
    await server.waitForClient();
    expect(server.connectionCount).toBe(2);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    expect((await server.sendSlashCommand()).payload).toEqual({ text: 'again' });
  });

  it('stops cleanly: the client closes its socket', async () => {
    const { app, server } = await setup();
    await app.start();
    await app.stop();
    await server.waitForNoClients({ timeoutMs: 2000 });
  });
});
