/**
 * What the service files of deploy/ promise, read from the files themselves so that a careless
 * edit fails: the user, the hardening, the restart policy and stop timeouts of the systemd units
 * (and that systemd-analyze verify accepts them), and what the OpenRC script gives supervise-daemon
 * for each service name. test/deploy/units.test.ts starts the bot with these command lines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  execStart,
  openrcService,
  readUnit,
  retrySchedule,
  SYSTEMD_DIR,
  timeSpanMs,
  type Unit,
} from './service-files.js';
import { SHUTDOWN_TIMEOUT_MS, UNITS } from './units.js';

describe('the systemd units of deploy/systemd', () => {
  it.each(UNITS)(
    '%s runs the compiled bot as its own user, hardened, restarted unless misconfigured',
    (file) => {
      const unit = readUnit(file);
      const service = (key: string) => unit.last('Service', key);
      const argv = execStart(unit, '3001');
      expect(argv.slice(0, 4)).toEqual([
        '/usr/bin/node',
        '/opt/ganeti-chatops/dist/main.js',
        '--settings',
        '/etc/ganeti-chatops/env',
      ]);
      expect([service('User'), service('Group')]).toEqual(['ganeti-chatops', 'ganeti-chatops']);
      expect(service('WorkingDirectory')).toBe('/opt/ganeti-chatops');
      expect(service('Restart')).toBe('on-failure');
      expect(service('RestartPreventExitStatus')?.split(/\s+/)).toEqual(expect.arrayContaining(['78', '64']));
      expect(timeSpanMs(service('TimeoutStopSec') ?? '0')).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS);
      for (const [key, value] of Object.entries({
        NoNewPrivileges: 'yes',
        CapabilityBoundingSet: '',
        ProtectSystem: 'strict',
        ProtectHome: 'yes',
        PrivateTmp: 'yes',
        PrivateDevices: 'yes',
        ProtectKernelTunables: 'yes',
        ProtectKernelModules: 'yes',
        ProtectKernelLogs: 'yes',
        ProtectControlGroups: 'yes',
        LockPersonality: 'yes',
        RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
        SystemCallErrorNumber: 'EPERM',
        ReadOnlyPaths: '/etc/ganeti-chatops',
      }))
        expect(`${key}=${service(key)}`).toBe(`${key}=${value}`);
      expect(unit.all('Service', 'SystemCallFilter')[0]).toBe('@system-service');
      // V8 makes the code it compiles executable: this would abort node (docs/deploy.md).
      expect(unit.all('Service', 'MemoryDenyWriteExecute').filter((v) => v !== 'no')).toEqual([]);
      expectRedisWantedNotRequired(unit);
    },
  );

  it('are units systemd-analyze verify finds nothing to say about', () => {
    const instances = UNITS.map((u) => join(SYSTEMD_DIR, u.replace('@.service', '@3001.service')));
    // systemd-analyze verify prints unknown keys and bad values but exits 0 for them: its output counts.
    const out = execFileSync('systemd-analyze', ['verify', ...instances], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    expect(out).toBe('');
  });
});

function expectRedisWantedNotRequired(unit: Unit) {
  const words = (key: string) => unit.all('Unit', key).flatMap((v) => v.split(/\s+/));
  for (const key of ['Wants', 'After'])
    expect(words(key)).toEqual(expect.arrayContaining(['network-online.target', 'redis-server.service']));
  expect([...words('Requires'), ...words('BindsTo')].filter((u) => u.startsWith('redis'))).toEqual([]);
}

describe('the OpenRC script deploy/openrc/ganeti-chatops', () => {
  it('gives each service name its roles, and an instance its port from its conf.d file', () => {
    const roles = (argv: string[]) => argv[argv.indexOf('--roles') + 1];
    expect(roles(openrcService('ganeti-chatops').argv)).toBe('bot,worker');
    expect(roles(openrcService('ganeti-chatops.bot').argv)).toBe('bot');
    const worker2 = openrcService('ganeti-chatops.worker2', 'chatops_port=3002');
    expect(worker2.argv).toEqual([
      '/usr/bin/node',
      '/opt/ganeti-chatops/dist/main.js',
      '--settings',
      '/etc/ganeti-chatops/env',
      '--roles',
      'worker',
      '--port',
      '3002',
    ]);
    expect(worker2.vars).toMatchObject({
      supervisor: 'supervise-daemon',
      command_user: 'ganeti-chatops:ganeti-chatops',
      directory: '/opt/ganeti-chatops',
      pidfile: '/run/ganeti-chatops.worker2.pid',
      output_log: '/var/log/ganeti-chatops/ganeti-chatops.worker2.log',
      no_new_privs: 'yes',
    });
    expect(worker2.depend).toEqual(
      expect.arrayContaining(['need net', expect.stringMatching(/^use redis\b/)]),
    );
  });

  it('waits past the shutdown deadline before SIGKILL', () => {
    const [first, second] = retrySchedule(openrcService('ganeti-chatops').vars.retry ?? '');
    expect(first?.[0]).toBe('SIGTERM');
    expect((first?.[1] ?? 0) * 1000).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS);
    expect(second?.[0]).toBe('SIGKILL');
  });

  it('refuses to start under a name it has no roles for, or without a readable settings file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-openrc-'));
    try {
      const settings = join(dir, 'env');
      writeFileSync(settings, 'SLACK_BOT_TOKEN=xoxb-test\n');
      const ok = openrcService('ganeti-chatops.bot', `chatops_settings=${settings}`);
      expect(ok.startPre).toEqual({ status: 0, output: '\n' });
      const unknown = openrcService('ganeti-chatops.backup', `chatops_settings=${settings}`);
      expect(unknown.startPre.status).not.toBe(0);
      expect(unknown.startPre.output).toMatch(
        /name it ganeti-chatops, ganeti-chatops.bot or ganeti-chatops.worker/,
      );
      const missing = openrcService('ganeti-chatops.bot', `chatops_settings=${join(dir, 'missing')}`);
      expect(missing.startPre.status).not.toBe(0);
      expect(missing.startPre.output).toMatch(/cannot read the settings file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
