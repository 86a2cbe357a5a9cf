/**
 * The service files of deploy/ start the bot, checked with their own command lines: ExecStart= of
 * each systemd unit and the command OpenRC's script gives supervise-daemon run the compiled bot
 * (dist/, built here as `npm run build` does) from this checkout, with a settings file for a real
 * Redis (with the Redis user of deploy/redis-acl.conf), the fake Slack (HTTP and Socket Mode) and a
 * local sshd as the cluster. Each must log that it runs, answer on its port, and exit 0 on SIGTERM
 * within the stop timeout of its service file (test/deploy/service-settings.test.ts checks the
 * settings of the files themselves).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';
import { sendSlashCommand } from '../../src/demo/slack/slack-requests.js';
import { startSocketModeServer, type SocketModeServer } from '../fakes/socket-mode-server.js';
import { freePort } from '../support/free-port.js';
import { startSshd, type TestSshd } from '../support/sshd.js';
import { startAclRedis, type AclRedis } from './acl-redis.js';
import {
  execStart,
  localArgv,
  openrcService,
  readUnit,
  REPO,
  retrySchedule,
  timeSpanMs,
} from './service-files.js';
import { buildDist, startService } from './service-process.js';
import { UNITS } from './units.js';

const SECRET = 'units-signing-secret';

describe('the bot started with each service file’s own command line', () => {
  let dir: string;
  let redis: AclRedis;
  let admin: Redis;
  let sshd: TestSshd;
  let httpSlack: FakeSlack;
  let socketSlack: FakeSlack;
  let ws: SocketModeServer;
  let seq = 0;

  beforeAll(async () => {
    buildDist();
    dir = mkdtempSync(join(tmpdir(), 'gc-units-'));
    [redis, sshd, httpSlack, ws] = await Promise.all([
      startAclRedis('units-password'),
      startSshd(),
      startFakeSlack(),
      startSocketModeServer(),
    ]);
    socketSlack = await startFakeSlack({ socketUrl: ws.url });
    admin = new Redis(redis.adminUrl);
    writeFileSync(join(dir, 'known_hosts'), sshd.knownHostsText);
  }, 120_000);
  afterAll(async () => {
    admin?.disconnect();
    await Promise.all([
      redis?.close(),
      sshd?.cleanup(),
      httpSlack?.close(),
      socketSlack?.close(),
      ws?.close(),
    ]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A settings file as an operator writes it (.env.example), for Slack in `mode` on `port`. */
  function settingsFile(mode: 'http' | 'socket', port: number, extra: Record<string, string> = {}): string {
    seq += 1;
    const slack = mode === 'http' ? httpSlack : socketSlack;
    const settings: Record<string, string> = {
      SLACK_BOT_TOKEN: 'xoxb-test',
      ...(mode === 'http' ? { SLACK_SIGNING_SECRET: SECRET } : { SLACK_APP_TOKEN: 'xapp-test' }),
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      REDIS_URL: redis.botUrl,
      GANETI_SSH_HOSTS: `127.0.0.1:${sshd.port}`,
      GANETI_SSH_USER: 'root',
      GANETI_SSH_KEY_FILE: sshd.clientKeyPath,
      GANETI_SSH_KNOWN_HOSTS: join(dir, 'known_hosts'),
      GANETI_QUERY_HELPER: 'off',
      ACCESS_ADMINS: 'U0ADMIN',
      LOG_LEVEL: 'info',
      ...extra,
    };
    const file = join(dir, `env-${seq}`);
    writeFileSync(
      file,
      Object.entries(settings)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
      { mode: 0o640 },
    );
    return file;
  }

  const get = async (port: number, path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).status;

  /** Starts `argv` (installed paths), checks it with `check`, stops it as the service manager would. */
  async function runService(
    argv: string[],
    settings: string,
    stopTimeoutMs: number,
    expected: { roles: string[]; port: number },
    check: () => Promise<void>,
  ): Promise<void> {
    await admin.call('ACL', 'LOG', 'RESET');
    const bot = startService(localArgv(argv, settings), REPO);
    try {
      const running = await bot.waitForLog('ganeti-chatops is running', 30_000);
      expect(running).toMatchObject({ roles: expected.roles, port: expected.port });
      expect(await get(expected.port, '/healthz')).toBe(200);
      await check();
      const m = await fetch(`http://127.0.0.1:${expected.port}/metrics`);
      expect(m.status, await m.text()).toBe(200);
    } finally {
      const stopped = await bot.stop(stopTimeoutMs);
      expect({ code: stopped.code, signal: stopped.signal }, bot.stderr()).toEqual({ code: 0, signal: null });
      expect(stopped.ms).toBeLessThan(stopTimeoutMs);
    }
    expect(bot.lines.filter((l) => l.level === 50 || l.level === 60)).toEqual([]);
    expect(await admin.call('ACL', 'LOG', '128')).toEqual([]);
  }

  /** A slash command over HTTP on `port`: acknowledged, and answered through the worker and SSH. */
  async function slashOverHttp(port: number) {
    const responseUrl = httpSlack.newResponseUrl({ channel: 'C0OPS' });
    const sent = await sendSlashCommand(`http://127.0.0.1:${port}`, SECRET, {
      text: 'nodes',
      user_id: 'U0ADMIN',
      response_url: responseUrl,
    });
    expect(sent.status).toBe(200);
    // No Ganeti behind this sshd: the answer is an error, but it came through Redis, the worker and SSH.
    await httpSlack.waitFor((c) => c.method === 'response_url' && c.url === responseUrl, {
      timeoutMs: 20_000,
    });
  }

  async function slashOverSocket() {
    await ws.waitForClient({ timeoutMs: 15_000 });
    const responseUrl = socketSlack.newResponseUrl({ channel: 'C0OPS' });
    const ack = await ws.sendSlashCommand({ text: 'help', user_id: 'U0ADMIN', response_url: responseUrl });
    expect(ack.envelope_id).toBeTruthy();
    await socketSlack.waitFor((c) => c.method === 'response_url' && c.url === responseUrl, {
      timeoutMs: 10_000,
    });
  }

  it('ganeti-chatops.service: both roles, Slack over HTTP', async () => {
    const unit = readUnit('ganeti-chatops.service');
    const port = await freePort();
    await runService(
      execStart(unit),
      settingsFile('http', port),
      timeSpanMs(unit.last('Service', 'TimeoutStopSec') ?? ''),
      { roles: ['bot', 'worker'], port },
      () => slashOverHttp(port),
    );
  }, 90_000);

  it('ganeti-chatops-bot.service: the Slack side, over Socket Mode', async () => {
    const unit = readUnit('ganeti-chatops-bot.service');
    const port = await freePort();
    await runService(
      execStart(unit),
      settingsFile('socket', port),
      timeSpanMs(unit.last('Service', 'TimeoutStopSec') ?? ''),
      { roles: ['bot'], port },
      slashOverSocket,
    );
    await ws.waitForNoClients({ timeoutMs: 10_000 });
  }, 90_000);

  it('ganeti-chatops-worker@PORT.service: a worker on the port its instance names', async () => {
    const unit = readUnit('ganeti-chatops-worker@.service');
    // PORT in the settings is taken: a worker that ignored its instance's port could not start.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const settingsPort = (taken.address() as AddressInfo).port;
    const port = await freePort();
    try {
      await runService(
        execStart(unit, String(port)),
        settingsFile('http', settingsPort),
        timeSpanMs(unit.last('Service', 'TimeoutStopSec') ?? ''),
        { roles: ['worker'], port },
        async () => undefined,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 90_000);

  it.each([
    ['ganeti-chatops', 'http', ['bot', 'worker']],
    ['ganeti-chatops.bot', 'socket', ['bot']],
    ['ganeti-chatops.worker2', 'http', ['worker']],
  ] as const)(
    'OpenRC %s (%s)',
    async (name, mode, roles) => {
      const port = await freePort();
      const worker = name.includes('.worker');
      // A worker gets its port from its conf.d file; the others from PORT in the settings.
      const service = openrcService(name, worker ? `chatops_port=${port}` : '');
      const stopAfter = retrySchedule(service.vars.retry ?? '')[0]?.[1] ?? 0;
      await runService(
        service.argv,
        settingsFile(mode, worker ? await freePort() : port),
        stopAfter * 1000,
        { roles: [...roles], port },
        async () => {
          if (mode === 'socket') await slashOverSocket();
          else if (!worker) await slashOverHttp(port);
        },
      );
      if (mode === 'socket') await ws.waitForNoClients({ timeoutMs: 10_000 });
    },
    90_000,
  );

  it('exits 78 on a configuration error, which no unit restarts', async () => {
    for (const file of UNITS) {
      const unit = readUnit(file);
      const bad = settingsFile('http', await freePort(), { SLACK_BOT_TOKEN: '' });
      const bot = startService(localArgv(execStart(unit, '3001'), bad), REPO);
      expect((await bot.exited(30_000)).code).toBe(78);
      expect(bot.stderr()).toMatch(/SLACK_BOT_TOKEN: not set/);
      expect(unit.last('Service', 'RestartPreventExitStatus')?.split(/\s+/)).toContain('78');
    }
  }, 90_000);

  it('exits 64 for a worker instance that is not a port number, which the template does not restart', async () => {
    const unit = readUnit('ganeti-chatops-worker@.service');
    const bot = startService(
      localArgv(execStart(unit, 'three'), settingsFile('http', await freePort())),
      REPO,
    );
    expect((await bot.exited(30_000)).code).toBe(64);
    expect(bot.stderr()).toMatch(/--port: "three" is not a port number/);
    expect(unit.last('Service', 'RestartPreventExitStatus')?.split(/\s+/)).toContain('64');
  }, 60_000);
});
