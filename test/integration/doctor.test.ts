import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botEnv, doctor, type DoctorRun } from '../doctor/doctor-harness.js';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import {
  botKeyTests,
  NO_CLUSTER_NOTE,
  onHost,
  testCluster,
  type TestCluster,
} from './support/cluster-env.js';

/**
 * `ganeti-chatops doctor` against the real cluster: every master candidate over SSH, with the
 * bot's key (restricted by the forced command on the lab) and with the tests' own key, and with
 * the mistakes an admin makes: a host missing from known_hosts, a key the nodes do not know, a
 * candidate that does not answer. Redis and Slack are the local ones (test/doctor covers them).
 */
const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);
const { run: botKeyRun, restricted } = botKeyTests(cluster, 'doctor forced-command');

/** An address on the lab's bridge where no node is. */
const SILENT_HOST = '198.51.100.250';
const label = (host: string) => (host.includes(':') ? host : `${host}:22`);

/** The lines of one candidate, without its `ssh HOST:PORT ` prefix. */
function linesOf(run: DoctorRun, host: string): string[] {
  const prefix = `ssh ${label(host)} `;
  return run.lines
    .filter((l) => l.slice(6).startsWith(prefix))
    .map((l) => l.slice(0, 6) + l.slice(6 + prefix.length));
}

describe.runIf(cluster)('doctor on the Ganeti cluster', () => {
  const c = cluster as TestCluster;
  let redis: TestRedis;
  let fake: FakeSlack;
  let dir: string;
  beforeAll(async () => {
    [redis, fake] = await Promise.all([
      startRedis({ appendonly: true }),
      startFakeSlack({ socketUrl: 'ws://127.0.0.1:9/never-opened' }),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'gc-doctor-'));
  });
  afterAll(async () => {
    await Promise.all([redis.close(), fake.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => ({
    ...botEnv(fake.apiUrl, redis.url),
    GANETI_SSH_HOSTS: c.hosts.join(','),
    GANETI_SSH_USER: c.user,
    GANETI_SSH_KEY_FILE: c.botKeyFile,
    GANETI_SSH_KNOWN_HOSTS: c.knownHostsFile,
    ...extra,
  });
  const check = (extra: Record<string, string> = {}, timeoutMs = 15_000) => doctor(env(extra), { timeoutMs });

  it.runIf(botKeyRun)(
    'passes a good setup, with the bot’s key held by the forced command on every candidate',
    async () => {
      expect(restricted, 'GANETI_TEST_BOT_SSH_KEY_FILE must name the restricted bot key').toBe(true);
      const run = await check();
      const notPass = run.lines.filter((l) => /^(WARN|FAIL|SKIP) /.test(l));
      expect(notPass).toEqual([]);
      expect(run.ok).toBe(true);
      const master = onHost(c, c.hosts[0] ?? '', 'gnt-cluster getmaster').trim();
      for (const host of c.hosts) {
        expect(linesOf(run, host)).toEqual([
          expect.stringMatching(/^PASS {2}reachable {2}TCP port \d+ answered in \d+ ms$/),
          expect.stringMatching(
            new RegExp(`^PASS {2}host key {2}SHA256:\\S+ \\(\\S+\\) is the one in ${c.knownHostsFile}$`),
          ),
          `PASS  login  as ${c.user} with the key of GANETI_SSH_KEY_FILE`,
          `PASS  gnt-cluster getmaster  the master is ${master}`,
          'PASS  forced command  forced command in place: it refused `echo`, as it refuses any command the bot does not send',
          expect.stringMatching(/^PASS {2}query helper {2}ganeti-chatops-query started \(Ganeti [\d.]+\)$/),
        ]);
      }
      expect(run.line('ssh master')).toBe(`PASS  ssh master  ${master} (${c.hosts.length} candidates agree)`);
      expect(run.line('ssh candidates')).toMatch(
        /^PASS {2}ssh candidates {2}every master candidate is in GANETI_SSH_HOSTS/,
      );
    },
  );

  it('warns that the tests’ own key can run any command, and passes all the same', async () => {
    const run = await check({ GANETI_SSH_KEY_FILE: c.keyFile });
    for (const host of c.hosts)
      expect(run.line(`ssh ${label(host)} forced command`)).toBe(
        `WARN  ssh ${label(host)} forced command  the key can run any command (it ran \`echo\`); restrict it with the forced command contrib/ganeti-chatops-ssh-command (contrib/README.md)`,
      );
    expect(run.lines.filter((l) => /^FAIL /.test(l))).toEqual([]);
    expect(run.ok).toBe(true);
  });

  it('fails a candidate missing from known_hosts, printing the fingerprint its sshd has', async () => {
    const host = c.hosts[1] ?? '';
    const [address = ''] = host.split(':');
    const knownHosts = join(dir, 'known_hosts.missing');
    const kept = readFileSync(c.knownHostsFile, 'utf8')
      .split('\n')
      .filter(
        (line) => line.trim() !== '' && !line.startsWith(`${address} `) && !line.startsWith(`[${address}]:`),
      );
    writeFileSync(knownHosts, `${kept.join('\n')}\n`);
    const run = await check({ GANETI_SSH_KNOWN_HOSTS: knownHosts });
    expect(run.ok).toBe(false);
    const line = run.line(`ssh ${label(host)} host key`) ?? '';
    const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const shape = new RegExp(
      `^FAIL {2}ssh ${esc(label(host))} host key {2}host key not in ${esc(knownHosts)}; its fingerprint is (SHA256:\\S+) \\((\\S+)\\); ` +
        `compare with ssh-keygen -lf (/etc/ssh/ssh_host_\\w+_key\\.pub) on the node, then add it: ssh-keyscan -t \\2 ${esc(address)} >> ${esc(knownHosts)}$`,
    );
    expect(line).toMatch(shape);
    const [, fingerprint, , keyFile = ''] = shape.exec(line) ?? [];
    // What the hint says to run on the node prints the same fingerprint.
    expect(onHost(c, host, `ssh-keygen -lf ${keyFile}`).split(' ')[1]).toBe(fingerprint);
    expect(run.line(`ssh ${label(host)} login`)).toBeUndefined();
    // The other candidates are checked all the same.
    expect(run.status(`ssh ${label(c.hosts[0] ?? '')} login`)).toBe('PASS');
  });

  it('fails a key the nodes do not accept, saying where its public key goes', async () => {
    const stranger = join(dir, 'stranger_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'doctor-test', '-f', stranger]);
    const run = await check({ GANETI_SSH_KEY_FILE: stranger });
    expect(run.ok).toBe(false);
    for (const host of c.hosts) {
      const [address] = host.split(':');
      expect(run.status(`ssh ${label(host)} host key`)).toBe('PASS');
      expect(run.line(`ssh ${label(host)} login`)).toBe(
        `FAIL  ssh ${label(host)} login  the node refused the key of GANETI_SSH_KEY_FILE for ${c.user}; append its public key (ssh-keygen -y -f ${stranger}) to ~${c.user}/.ssh/authorized_keys on ${address}, with the forced command in front (contrib/README.md)`,
      );
    }
    expect(run.line('ssh master')).toBeUndefined();
  });

  it('fails a candidate that does not answer, within the time limit', async () => {
    const started = Date.now();
    const run = await check({ GANETI_SSH_HOSTS: [...c.hosts, SILENT_HOST].join(',') }, 2_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.ok).toBe(false);
    expect(run.line(`ssh ${SILENT_HOST}:22`)).toMatch(
      new RegExp(
        `^FAIL {2}ssh ${SILENT_HOST}:22 reachable {2}(no answer on TCP port 22 within 2000 ms|cannot connect to TCP port 22 \\(EHOSTUNREACH\\)); check that the node is up`,
      ),
    );
    for (const host of c.hosts) expect(run.status(`ssh ${label(host)} gnt-cluster getmaster`)).toBe('PASS');
    expect(run.status('ssh master')).toBe('PASS');
  });
});
