import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidatesConfigured, masterAgreement } from '../../src/doctor/checks-ssh.js';
import type { HostProbe } from '../../src/doctor/ssh-host.js';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';
import { freePort } from '../support/free-port.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { startSshd, type TestSshd } from '../support/sshd.js';
import { botEnv, doctor } from './doctor-harness.js';

/**
 * The SSH checks against a throwaway OpenSSH server on 127.0.0.1 (test/support/sshd.ts): no Ganeti
 * there, so `gnt-cluster getmaster` fails; test/integration/doctor.test.ts runs them on the lab.
 */
describe('doctor: SSH to a master candidate (local sshd)', () => {
  let sshd: TestSshd;
  let fake: FakeSlack;
  let redis: TestRedis;
  let dir: string;
  let knownHosts: string;
  beforeAll(async () => {
    [sshd, fake, redis] = await Promise.all([
      startSshd(),
      startFakeSlack({ socketUrl: 'ws://127.0.0.1:9/never-opened' }),
      startRedis({ appendonly: true }),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'gc-doctor-ssh-'));
    knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, sshd.knownHostsText);
  });
  afterAll(async () => {
    await Promise.all([sshd.cleanup(), fake.close(), redis.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string | undefined> = {}) => ({
    ...botEnv(fake.apiUrl, redis.url),
    GANETI_SSH_HOSTS: `127.0.0.1:${sshd.port}`,
    GANETI_SSH_KEY_FILE: sshd.clientKeyPath,
    GANETI_SSH_KNOWN_HOSTS: knownHosts,
    ...extra,
  });
  const host = () => `ssh 127.0.0.1:${sshd.port}`;

  it('logs in, checks the host key, and finds no Ganeti and no forced command there', async () => {
    const run = await doctor(env(), { roles: ['worker'] });
    expect(run.ok).toBe(false);
    const fp = execFileSync('ssh-keygen', ['-lf', sshd.clientKeyPath], { encoding: 'utf8' }).split(' ')[1];
    expect(run.lines.filter((l) => / {2}ssh /.test(l))).toEqual([
      `PASS  ssh key ${sshd.clientKeyPath}  ssh-ed25519 key ${fp} (ssh-keygen -lf ${sshd.clientKeyPath} shows the same)`,
      `PASS  ssh known_hosts ${knownHosts}  1 host key`,
      expect.stringMatching(
        new RegExp(`^PASS {2}${host()} reachable {2}TCP port ${sshd.port} answered in \\d+ ms$`),
      ),
      `PASS  ${host()} host key  ${sshd.fingerprint} (ssh-ed25519) is the one in ${knownHosts}`,
      `PASS  ${host()} login  as root with the key of GANETI_SSH_KEY_FILE`,
      // Whether this machine has Ganeti's CLI (without a cluster) or not, the answer is a failure.
      expect.stringMatching(
        new RegExp(`^FAIL {2}${host()} gnt-cluster getmaster {2}(gnt-cluster not found|exit \\d+: )`),
      ),
      `WARN  ${host()} forced command  the key can run any command (it ran \`echo\`); restrict it with the forced command contrib/ganeti-chatops-ssh-command (contrib/README.md)`,
      expect.stringMatching(
        new RegExp(
          `^WARN {2}${host()} query helper {2}ganeti-chatops-query is not installed \\(.*command not found\\); reads run the gnt-\\* commands instead`,
        ),
      ),
    ]);
  });

  it('fails a host key missing from known_hosts, printing the fingerprint the host offered', async () => {
    const empty = join(dir, 'known_hosts.empty');
    writeFileSync(empty, '# nothing pinned yet\n');
    const run = await doctor(env({ GANETI_SSH_KNOWN_HOSTS: empty }), { roles: ['worker'] });
    expect(run.ok).toBe(false);
    expect(run.line(`${host()} host key`)).toBe(
      `FAIL  ${host()} host key  host key not in ${empty}; its fingerprint is ${sshd.fingerprint} (ssh-ed25519); compare with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the node, then add it: ssh-keyscan -t ssh-ed25519 -p ${sshd.port} 127.0.0.1 >> ${empty}`,
    );
    expect(run.line(`${host()} login`)).toBeUndefined();
  });

  it('fails a host key that changed, naming both fingerprints', async () => {
    const other = join(dir, 'other_host');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', other]);
    const [type, body] = execFileSync('cat', [`${other}.pub`], { encoding: 'utf8' }).split(' ');
    const otherFp = execFileSync('ssh-keygen', ['-lf', `${other}.pub`], { encoding: 'utf8' }).split(' ')[1];
    const changed = join(dir, 'known_hosts.changed');
    writeFileSync(changed, `[127.0.0.1]:${sshd.port} ${type} ${body}\n`);
    const run = await doctor(env({ GANETI_SSH_KNOWN_HOSTS: changed }), { roles: ['worker'] });
    expect(run.line(`${host()} host key`)).toBe(
      `FAIL  ${host()} host key  host key CHANGED: it offered ${sshd.fingerprint} (ssh-ed25519), ${changed} has ${otherFp}; a reinstalled node or someone in the middle: compare with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the node; only if they match, replace the node's line in ${changed}`,
    );
    expect(run.ok).toBe(false);
  });

  it('fails a key the host does not accept, saying where its public key goes', async () => {
    const stranger = join(dir, 'stranger_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', stranger]);
    const run = await doctor(env({ GANETI_SSH_KEY_FILE: stranger }), { roles: ['worker'] });
    expect(run.ok).toBe(false);
    expect(run.status(`${host()} host key`)).toBe('PASS');
    expect(run.line(`${host()} login`)).toBe(
      `FAIL  ${host()} login  the node refused the key of GANETI_SSH_KEY_FILE for root; append its public key (ssh-keygen -y -f ${stranger}) to ~root/.ssh/authorized_keys on 127.0.0.1, with the forced command in front (contrib/README.md)`,
    );
  });

  it('fails a key file with a passphrase before connecting anywhere', async () => {
    const locked = join(dir, 'locked_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'a passphrase', '-C', '', '-f', locked]);
    const run = await doctor(env({ GANETI_SSH_KEY_FILE: locked }), { roles: ['worker'] });
    expect(run.ok).toBe(false);
    expect(run.line('ssh key')).toMatch(
      new RegExp(
        `^FAIL {2}ssh key ${locked} {2}not a usable private key \\(.*passphrase.*\\); GANETI_SSH_KEY_FILE must name an unencrypted`,
      ),
    );
    expect(run.line(host())).toBeUndefined();
  });

  it('fails a candidate where nothing listens', async () => {
    const port = await freePort();
    const run = await doctor(env({ GANETI_SSH_HOSTS: `127.0.0.1:${port}` }), { roles: ['worker'] });
    expect(run.ok).toBe(false);
    expect(run.line(`ssh 127.0.0.1:${port}`)).toBe(
      `FAIL  ssh 127.0.0.1:${port} reachable  connection refused on TCP port ${port}; check that the node is up, that sshd listens on that port and that no firewall drops it; GANETI_SSH_HOSTS lists the master candidates (host or host:port)`,
    );
  });

  it('warns when host keys are not checked at all, still naming the fingerprint', async () => {
    const run = await doctor(
      env({ GANETI_SSH_KNOWN_HOSTS: undefined, GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK: 'true' }),
      { roles: ['worker'] },
    );
    expect(run.status('config GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK')).toBe('WARN');
    expect(run.line(`${host()} host key`)).toMatch(
      new RegExp(
        `^WARN {2}${host()} host key {2}not checked \\(GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK\\); it offered ${sshd.fingerprint.replace(/[+/]/g, '\\$&')} \\(ssh-ed25519\\); .*set GANETI_SSH_KNOWN_HOSTS`,
      ),
    );
  });
});

describe('doctor: do the candidates agree on the master', () => {
  const probe = (
    label: string,
    self: string | null,
    says: string | null,
    candidates: string[] | null = null,
  ): HostProbe => ({
    results: [],
    answer: { label, self, says, error: says ? null : 'no answer' },
    self,
    candidates,
  });

  it('passes when every candidate names the same master, which answered itself', () => {
    const probes = [probe('a:22', 'node1', 'node1.example.org'), probe('b:22', 'node2', 'node1.example.org')];
    expect(masterAgreement(probes)).toEqual({
      status: 'PASS',
      what: 'ssh master',
      detail: 'node1.example.org (2 candidates agree)',
    });
  });

  it('warns when candidates name different masters', () => {
    const probes = [
      probe('a:22', 'node1', 'node1'),
      probe('b:22', 'node2', 'node1'),
      probe('c:22', 'node3', 'node3'),
    ];
    const result = masterAgreement(probes);
    expect(result?.status).toBe('WARN');
    expect(result?.detail).toBe(
      'the candidates disagree: a:22 says node1; b:22 says node1; c:22 says node3; node3 also claim to be the master',
    );
  });

  it('fails when the master they name is not among the configured hosts', () => {
    const result = masterAgreement([probe('b:22', 'node2', 'node1'), probe('c:22', 'node3', 'node1')]);
    expect(result?.status).toBe('FAIL');
    expect(result?.detail).toMatch(/name node1 as the master, but it is not among GANETI_SSH_HOSTS/);
  });

  it('warns of master candidates missing from GANETI_SSH_HOSTS', () => {
    const probes = [
      probe('a:22', 'node1', 'node1', ['node1', 'node2', 'node3']),
      probe('b:22', 'node2', 'node1'),
    ];
    expect(candidatesConfigured(probes)?.detail).toMatch(
      /^master candidates not in GANETI_SSH_HOSTS \(or not answering\): node3;/,
    );
  });
});
