import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { argv } from '../../src/cluster/argv.js';
import { createHostVerifier, parseKnownHosts } from '../../src/cluster/known-hosts.js';
import { parseNodeList } from '../../src/cluster/parsers/node-list.js';
import { createSshTransport, type SshTransport } from '../../src/cluster/ssh-transport.js';
import { botArgvs } from '../contrib/bot-argvs.js';
import { captureLogger } from '../support/capture-logger.js';
import {
  botKeyTests,
  NO_CLUSTER_NOTE,
  onMaster,
  testCluster,
  type TestCluster,
} from './support/cluster-env.js';

/**
 * contrib/ganeti-chatops-ssh-command on the real cluster, run by sshd for the bot's key
 * (GANETI_TEST_BOT_SSH_KEY_FILE, restricted on every candidate by scripts/lab-forced-command.sh).
 * The tests' own key (GANETI_TEST_SSH_KEY_FILE) reads the nodes' side: authorized_keys, the log.
 */
const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);
const { run, restricted } = botKeyTests(cluster, 'forced-command');

const REFUSED = /^ganeti-chatops-ssh-command: refused: [^\n]+\n$/;

/** ssh to one candidate with a given key; the remote command is passed as one string, as the bot does. */
function ssh(c: TestCluster, host: string, key: string, command: string | null) {
  const [address, port] = host.split(':');
  const r = spawnSync(
    'ssh',
    [
      '-i',
      key,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${c.knownHostsFile}`,
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=5',
      '-T',
      ...(port ? ['-p', port] : []),
      `${c.user}@${address ?? ''}`,
      ...(command === null ? [] : [command]),
    ],
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, with the tests' own unrestricted key: what the node really holds. */
const asAdmin = (c: TestCluster, host: string, command: string) => {
  const r = ssh(c, host, c.keyFile, command);
  if (r.code !== 0) throw new Error(`${command} on ${host}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};

/** The bot key's authorized_keys line on a candidate. */
function botKeyLine(c: TestCluster, host: string): string {
  const body = execFileSync('ssh-keygen', ['-y', '-f', c.botKeyFile], { encoding: 'utf8' }).split(' ')[1];
  const lines = asAdmin(c, host, 'cat ~/.ssh/authorized_keys').split('\n');
  return lines.find((l) => body && l.includes(body)) ?? '';
}

/** Where the wrapper logs refusals on that candidate (its --log-file, else its default file). */
function logFileOf(line: string): string {
  return /--log-file ([^\s"]+)/.exec(line)?.[1] ?? '/var/log/ganeti-chatops-ssh-command.log';
}

describe.runIf(run)(
  'the forced command on the cluster: the bot’s key runs what the bot sends and nothing else',
  () => {
    const c = cluster as TestCluster;
    let transport: SshTransport | null = null;
    afterAll(async () => {
      await transport?.close();
    });

    it('restricts the bot’s key on every master candidate', () => {
      expect(restricted, 'GANETI_TEST_BOT_SSH_KEY_FILE must name the restricted bot key').toBe(true);
      for (const host of c.hosts) {
        const line = botKeyLine(c, host);
        expect(line, `the bot key's line on ${host}`).toMatch(
          /^restrict,command="\S*ganeti-chatops-ssh-command( [^"]*)?" ssh-/,
        );
        const wrapper = /command="(\S+)/.exec(line)?.[1] ?? '';
        expect(asAdmin(c, host, `test -x ${wrapper} && head -c 2 ${wrapper}`)).toBe('#!');
      }
    });

    it('answers an allowed command with the real answer on every candidate', () => {
      const master = onMaster(c, 'gnt-cluster getmaster').trim();
      expect(master).toMatch(/^\S+$/);
      for (const host of c.hosts) {
        const r = ssh(c, host, c.botKeyFile, 'gnt-cluster getmaster');
        expect(r.stderr).toBe('');
        expect({ host, code: r.code, out: r.stdout.trim() }).toEqual({ host, code: 0, out: master });
        const name = ssh(c, host, c.botKeyFile, 'uname -n');
        expect(name.code).toBe(0);
        expect(name.stdout.trim()).toBe(asAdmin(c, host, 'uname -n').trim());
      }
    });

    it('runs every read the bot builds, through the bot’s own SSH transport, without a refusal', async () => {
      const master = onMaster(c, 'gnt-cluster getmaster').trim();
      const host = c.hosts.find((h) => asAdmin(c, h, 'uname -n').trim() === master) ?? c.hosts[0] ?? '';
      const [address, port] = host.split(':');
      transport = createSshTransport(
        {
          host: address ?? '',
          port: Number(port ?? 22),
          username: c.user,
          privateKey: readFileSync(c.botKeyFile),
          hostVerifier: createHostVerifier(
            parseKnownHosts(readFileSync(c.knownHostsFile, 'utf8')),
            address ?? '',
            Number(port ?? 22),
          ),
        },
        { logger: captureLogger('warn').logger },
      );
      const nodes = parseNodeList((await transport.exec(argv.nodeList())).stdout);
      expect(nodes.map((n) => n.name)).toContain(master);
      const instance = (await transport.exec(argv.instanceNames())).stdout.split('\n')[0]?.trim() ?? '';
      const reads = [
        ...botArgvs().filter((b) => !b.changes),
        { label: 'argv.instanceInfo (a real instance)', argv: argv.instanceInfo(instance) },
        // Harmless change: a job that does not exist cannot be cancelled.
        { label: 'argv.jobCancel (no such job)', argv: argv.jobCancel(2 ** 31) },
      ];
      const refused: Array<{ label: string; argv: string[]; stderr: string }> = [];
      for (const read of reads) {
        const r = await transport.exec(read.argv, { timeoutMs: 120_000 });
        if (r.code === 126 || /ganeti-chatops-ssh-command/.test(r.stderr))
          refused.push({ label: read.label, argv: read.argv, stderr: r.stderr });
      }
      expect(refused).toEqual([]);
    });

    it('refuses anything else, says so, and logs it on the node', () => {
      const marker = `itest-${Date.now().toString(36)}`;
      const cases = [
        `gnt-instance rename ${marker}.ganeti.test other.ganeti.test`,
        `gnt-cluster getmaster; echo ${marker}`,
        `bash -c 'echo ${marker}'`,
        `gnt-instance info -- --${marker}`,
      ];
      for (const host of c.hosts) {
        const logFile = logFileOf(botKeyLine(c, host));
        for (const command of cases) {
          const r = ssh(c, host, c.botKeyFile, command);
          expect({ host, command, code: r.code, stdout: r.stdout }).toEqual({
            host,
            command,
            code: 126,
            stdout: '',
          });
          expect(r.stderr).toMatch(REFUSED);
        }
        const login = ssh(c, host, c.botKeyFile, null);
        expect(login.code).toBe(126);
        expect(login.stderr).toContain(
          'ganeti-chatops-ssh-command: refused: no command given (interactive login)',
        );
        const logged = asAdmin(c, host, `grep -F -- ${marker} ${logFile} || true`)
          .split('\n')
          .filter(Boolean);
        expect(logged).toHaveLength(cases.length);
        expect(logged[0]).toMatch(
          /ganeti-chatops-ssh-command\[\d+\]: refused from [\d.]+:\d+: `gnt-instance rename` is not a command the bot runs; command: "gnt-instance rename itest-/,
        );
      }
    });
  },
);
