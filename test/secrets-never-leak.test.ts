import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectCluster, type ClusterAccess } from '../src/cluster/connect-cluster.js';
import type { ClusterConfig, Role } from '../src/config/app-config.js';
import { formatProblems, loadConfig } from '../src/config/load-config.js';
import { startApp, type RunningApp } from '../src/main.js';
import { createCommandQueue } from '../src/queue/command-queue.js';
import { createRedisConnection } from '../src/queue/redis-connection.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../src/demo/slack/fake-slack.js';
import { blockActionPayload, sendInteraction, sendSlashCommand } from '../src/demo/slack/slack-requests.js';
import { startSocketModeServer, type SocketModeServer } from './fakes/socket-mode-server.js';
import { captureLogger } from './support/capture-logger.js';
import { fakeCluster } from './support/fake-cluster.js';
import { startPasswordRedis } from './support/password-redis.js';
import { errorText, findSecrets, keyNeedles, needlesFor, type SecretNeedle } from './support/secret-scan.js';
import { startSshd, type TestSshd } from './support/sshd.js';

const ADMIN = 'U0ADMIN';
const APPROVER = 'U0APPROVER';
const STRANGER = 'U0STRANGER';
const unique = () => randomBytes(12).toString('hex');
/** Distinctive values for every secret-bearing setting of src/config/schema.ts (and the key file). */
const SECRET = {
  botToken: `xoxb-${unique()}`,
  appToken: `xapp-${unique()}`,
  signingSecret: `sign-${unique()}`,
  redisPassword: `redis-${unique()}`,
  fencePassword: `fence-${unique()}`,
};

/** Everything the run produced that someone other than the bot could read. */
const logs = captureLogger('trace');
const errors: Record<string, string> = {};
const answers: string[] = [];
const consoleOut: string[] = [];
let slack: FakeSlack;
let ws: SocketModeServer;
let sshd: TestSshd;
let redis: Awaited<ReturnType<typeof startPasswordRedis>>;
let dir: string;
const apps: RunningApp[] = [];

function needles(): SecretNeedle[] {
  return [
    ...needlesFor('bot token', SECRET.botToken),
    ...needlesFor('app token', SECRET.appToken),
    ...needlesFor('signing secret', SECRET.signingSecret),
    ...needlesFor('Redis password', SECRET.redisPassword),
    ...needlesFor('fencing password', SECRET.fencePassword),
    ...keyNeedles('SSH key', readFileSync(sshd.clientKeyPath, 'utf8')),
  ];
}

/** The whole bot through the real config loader, as `src/main.ts` starts it. */
async function startBot(
  env: Record<string, string>,
  options: { roles?: Role[]; cluster?: ClusterAccess } = {},
) {
  const loaded = loadConfig(
    {
      env: {
        SLACK_BOT_TOKEN: SECRET.botToken,
        SLACK_SIGNING_SECRET: SECRET.signingSecret,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        REDIS_URL: redis.url(),
        GANETI_CHATOPS_QUEUE_PREFIX: `secrets-${process.pid}-${apps.length}`,
        ACCESS_ADMINS: `${ADMIN},${APPROVER}`,
        SLACK_COMMANDS_PER_MINUTE: '0',
        AUDIT_CHANNEL: 'C0AUDIT', // audit records are mirrored to Slack too
        ...env,
      },
      readFile: (p) => readFileSync(p, 'utf8'),
    },
    // With a cluster override the worker's SSH settings are not needed (as in startHarness).
    options.cluster ? ['bot'] : options.roles,
  );
  if (!loaded.config) throw new Error(`test config refused: ${formatProblems(loaded.problems)}`);
  if (options.cluster) loaded.config.roles.add('worker');
  const app = await startApp(loaded.config, logs.logger, options.cluster ? { cluster: options.cluster } : {});
  apps.push(app);
  return `http://127.0.0.1:${app.port}`;
}

/** Sends a signed `/ganeti TEXT` and resolves with its first answer (ephemeral or in the channel). */
async function ask(baseUrl: string, text: string, user = ADMIN, timeoutMs = 10_000): Promise<RecordedCall> {
  const since = slack.calls.length;
  const responseUrl = slack.newResponseUrl({ channel: 'C0OPS' });
  const sent = await sendSlashCommand(baseUrl, SECRET.signingSecret, {
    text,
    user_id: user,
    response_url: responseUrl,
  });
  answers.push(sent.body);
  const inChannel = (c: RecordedCall) =>
    c.method === 'chat.postMessage' && c.body.channel === 'C0OPS' && !String(c.body.text).startsWith('⏳');
  return slack.waitFor(
    (c) =>
      slack.calls.indexOf(c) >= since &&
      ((c.method === 'response_url' && c.url === responseUrl) || inChannel(c)),
    { timeoutMs },
  );
}

/** Clicks a button of a card (signed); resolves with the click's response_url. */
async function click(baseUrl: string, card: RecordedCall, actionId: string, user: string, value?: string) {
  const requestId = /"value":"(req-[a-z0-9-]+)"/.exec(JSON.stringify(card.body.blocks))?.[1] ?? '';
  const responseUrl = slack.newResponseUrl({ channel: 'C0OPS' });
  const payload = blockActionPayload({
    user,
    channel: 'C0OPS',
    actionId,
    value: value ?? requestId,
    messageTs: (card.result as { ts: string }).ts,
    responseUrl,
  });
  answers.push((await sendInteraction(baseUrl, SECRET.signingSecret, payload)).body);
  return responseUrl;
}
const toClicker = (responseUrl: string) =>
  slack.waitFor((c) => c.method === 'response_url' && c.url === responseUrl);
const posted = (match: (c: RecordedCall) => boolean) =>
  slack.waitFor((c) => c.method === 'chat.postMessage' && match(c), { timeoutMs: 10_000 });

/** A command queue on a Redis login with the wrong password; what it throws goes to `errors`. */
async function enqueueWithWrongPassword(logger: Logger): Promise<void> {
  const connection = createRedisConnection(redis.url(`wrong-${SECRET.redisPassword}`), 'producer');
  connection.on('error', () => undefined);
  const queue = createCommandQueue({ connection, prefix: 'secrets-wrong', logger, enqueueTimeoutMs: 500 });
  await queue
    .enqueue({
      requestId: 'req-abc-def',
      command: 'nodes',
      args: {},
      text: 'nodes',
      userId: ADMIN,
      channelId: 'C0OPS',
      responseUrl: null,
      requestedAt: Date.now(),
      grant: { via: 'role', role: 'admin' },
    })
    .catch((error: unknown) => void (errors['Redis login with a wrong password'] = errorText(error)));
  await queue.close();
  connection.disconnect();
}

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleOut.push(args.map(String).join(' '));
    });
  dir = mkdtempSync(join(tmpdir(), 'secrets-test-'));
  [slack, ws, sshd, redis] = await Promise.all([
    startFakeSlack({ botToken: SECRET.botToken, appToken: SECRET.appToken, notMemberOf: ['C0PRIVATE'] }),
    startSocketModeServer(),
    startSshd(),
    startPasswordRedis(SECRET.redisPassword),
  ]);
  slack.setSocketUrl(ws.url);
}, 30_000);

afterAll(async () => {
  for (const app of apps) await app.stop();
  await ws?.close();
  await slack?.close();
  await sshd?.cleanup();
  await redis?.close();
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('secrets never appear in logs, errors, the audit trail or Slack', () => {
  it('runs the usual flows with every secret set: HTTP, Socket Mode, and a worker on SSH', async () => {
    const cluster = fakeCluster();
    const http = await startBot({ LOG_LEVEL: 'trace' }, { cluster });
    expect(String((await ask(http, 'nodes')).body.text)).toBe('3 nodes: 3 ok');
    expect(String((await ask(http, 'status')).body.text)).not.toBe('');
    expect(String((await ask(http, 'drain node2', STRANGER)).body.text)).toMatch(/needs the admin role/);
    const malformed = await sendSlashCommand(http, SECRET.signingSecret, {
      text: 'info inst1;reboot',
      user_id: ADMIN,
    });
    expect(malformed.body).toMatch(/not a valid instance name/); // answered in the ack itself
    answers.push(malformed.body);
    const since = slack.calls.length;
    await sendSlashCommand(http, SECRET.signingSecret, {
      text: 'drain node2',
      user_id: ADMIN,
      response_url: slack.newResponseUrl({ channel: 'C0OPS' }),
    });
    const card = await posted(
      (c) => slack.calls.indexOf(c) >= since && JSON.stringify(c.body.blocks ?? '').includes('op_approve'),
    );
    expect(String((await toClicker(await click(http, card, 'op_approve', ADMIN))).body.text)).toMatch(
      /two-person/,
    );
    await toClicker(await click(http, card, 'op_approve', APPROVER, 'req-forged!'));
    await click(http, card, 'op_approve', APPROVER);
    await posted((c) => c.body.reply_broadcast === 'true');
    expect(cluster.submitted).toHaveLength(1);
    const forged = await sendSlashCommand(http, 'not-the-signing-secret', { text: 'nodes' });
    expect(forged.status).toBe(401);
    answers.push(forged.body);

    await startBot({ SLACK_APP_TOKEN: SECRET.appToken, LOG_LEVEL: 'trace' }, { roles: ['bot'] });
    await ws.waitForClient();
    answers.push(JSON.stringify(await ws.sendSlashCommand({ text: 'help', user_id: ADMIN })));

    // The test sshd logs in with the key file; this machine has no configured Ganeti behind it.
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `${sshd.knownHostsText}\n`);
    const ssh = await startBot({
      GANETI_SSH_HOSTS: `127.0.0.1:${sshd.port}`,
      GANETI_SSH_KEY_FILE: sshd.clientKeyPath,
      GANETI_SSH_KNOWN_HOSTS: knownHosts,
      LOG_LEVEL: 'trace',
    });
    expect(String((await ask(ssh, 'nodes', ADMIN, 20_000)).body.text)).toMatch(/Ganeti master candidate/);
    expect(logs.lines.some((l) => l.msg === 'SSH connected')).toBe(true);
  }, 60_000);

  it('reports mistakes in secret settings by key, without echoing the values', () => {
    const key = readFileSync(sshd.clientKeyPath, 'utf8');
    const results = {
      'malformed secrets': loadConfig({
        env: {
          SLACK_BOT_TOKEN: `xoxp-${SECRET.botToken.slice(5)}`, // a user token where the bot token belongs
          SLACK_SIGNING_SECRET: SECRET.signingSecret.slice(0, 7),
          SLACK_APP_TOKEN: `xoxa-${SECRET.appToken.slice(5)}`,
          REDIS_URL: `http://:${SECRET.redisPassword}@127.0.0.1:6379`,
          GANETI_SSH_HOSTS: 'node1.example.org',
          GANETI_SSH_KEY_FILE: key,
        },
        readFile: (p) => readFileSync(p, 'utf8'),
      }),
      'key pasted into GANETI_SSH_KEY_FILE': loadConfig({
        env: {
          SLACK_BOT_TOKEN: SECRET.botToken,
          SLACK_SIGNING_SECRET: SECRET.signingSecret,
          GANETI_SSH_HOSTS: 'node1.example.org',
          GANETI_SSH_KEY_FILE: key,
          GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK: 'true',
          AUTO_EVACUATE: 'true', // without ALERT_CHANNEL: refused
          FENCE_COMMAND: `ipmitool -H bmc-{node} -U admin -P ${SECRET.fencePassword} power off`,
        },
        readFile: (p) => readFileSync(p, 'utf8'),
      }),
    };
    for (const [name, result] of Object.entries(results)) {
      expect(result.config).toBeNull();
      errors[`config: ${name}`] = `${JSON.stringify(result.problems)}\n${formatProblems(result.problems)}`;
    }
    expect(errors['config: malformed secrets']).toMatch(/SLACK_BOT_TOKEN: must be a bot token/);
    expect(errors['config: key pasted into GANETI_SSH_KEY_FILE']).toMatch(
      /GANETI_SSH_KEY_FILE: holds what looks like key material/,
    );
  });

  it('fails SSH logins with an unusable or an unknown key, and a Redis login, without the credentials in errors', async () => {
    const cluster = (privateKey: string): ClusterConfig => ({
      name: 'lab',
      concurrency: null,
      fenceCommand: null,
      hosts: [{ host: '127.0.0.1', port: sshd.port }],
      user: 'root',
      privateKey,
      keyFile: join(dir, 'key'),
      knownHosts: sshd.knownHostsText,
      knownHostsFile: null,
      insecureSkipHostKeyCheck: false,
      commandTimeoutMs: 5_000,
      queryHelper: null,
    });
    const garbled = readFileSync(sshd.clientKeyPath, 'utf8').replace(/\n[A-Za-z0-9+/]{20}/, '\n!!');
    expect(() => connectCluster(cluster(garbled), { logger: logs.logger })).toThrow(/Unusable SSH key/);
    try {
      connectCluster(cluster(garbled), { logger: logs.logger });
    } catch (error) {
      errors['unusable SSH key'] = errorText(error);
    }

    const unknown = join(dir, 'unknown_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', unknown]);
    const access = connectCluster(cluster(readFileSync(unknown, 'utf8')), { logger: logs.logger });
    await access.client
      .nodes()
      .catch((error: unknown) => void (errors['SSH key sshd does not know'] = errorText(error)));
    await access.close();
    expect(errors['SSH key sshd does not know']).toBeDefined();

    await enqueueWithWrongPassword(captureLogger('silent').logger);
    expect(errors['Redis login with a wrong password']).toMatch(/could not queue your command/);
  });

  it('leaves no trace of any secret in anything captured', async () => {
    // Slack is sent the token to authenticate API calls (a `token` field, or the header the fake
    // does not record): the credential going to its owner, not a leak. Nothing else may carry it.
    const calls = slack.calls.map((c) => {
      if (c.method === 'response_url' || c.body.token === undefined) return c;
      expect(c.body.token).toBe(c.method === 'apps.connections.open' ? SECRET.appToken : SECRET.botToken);
      const { token: _credential, ...body } = c.body;
      return { ...c, body };
    });
    const reader = new Redis(redis.url());
    const audit: string[] = [];
    for (const key of await reader.keys('*:audit'))
      for (const [, fields] of await reader.xrange(key, '-', '+')) audit.push(fields.join(' '));
    reader.disconnect();
    expect(audit.length).toBeGreaterThan(5);
    expect(logs.lines.length).toBeGreaterThan(50);
    const hits = findSecrets(
      {
        logs: logs.text(),
        console: consoleOut.join('\n'),
        'Slack calls': JSON.stringify(calls),
        'HTTP answers to Slack': answers.join('\n'),
        'audit stream': audit.join('\n'),
        ...errors,
      },
      needles(),
    );
    expect(hits).toEqual([]);
  });

  // ioredis puts the failed `HELLO 3 AUTH user PASSWORD` in the error's `command.args`, and pino's
  // error serializer prints every field: the fix belongs in REDACT_PATHS (src/core/logger.ts).
  it('keeps a wrong Redis password out of the logs of a failed login', async () => {
    const own = captureLogger('trace');
    await enqueueWithWrongPassword(own.logger);
    expect(own.lines.length).toBeGreaterThan(0);
    expect(findSecrets({ logs: own.text() }, needlesFor('Redis password', SECRET.redisPassword))).toEqual([]);
  });
});
