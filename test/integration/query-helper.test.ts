import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argv } from '../../src/cluster/argv.js';
import { createHostVerifier, parseKnownHosts } from '../../src/cluster/known-hosts.js';
import { parseInstanceList } from '../../src/cluster/parsers/instance-list.js';
import { parseNodeList } from '../../src/cluster/parsers/node-list.js';
import { withQueryHelper, type QueryingTransport } from '../../src/cluster/query-helper.js';
import { createSshTransport, type SshTransport } from '../../src/cluster/ssh-transport.js';
import { captureLogger } from '../support/capture-logger.js';
import {
  botKeyTests,
  NO_CLUSTER_NOTE,
  onMaster,
  testCluster,
  type TestCluster,
} from './support/cluster-env.js';

/**
 * contrib/ganeti-chatops-query on the real master, started by the bot's key through the forced
 * command (scripts/lab-forced-command.sh installs both): it must print what the gnt-* command
 * prints, refuse changes, and never cost an answer when it is missing or dies.
 */
const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);
const { run } = botKeyTests(cluster, 'query-helper');

function transportTo(c: TestCluster, host: string): SshTransport {
  const [address = '', port] = host.split(':');
  const entries = parseKnownHosts(readFileSync(c.knownHostsFile, 'utf8'));
  return createSshTransport(
    {
      host: address,
      port: port ? Number(port) : 22,
      username: c.user,
      privateKey: readFileSync(c.botKeyFile),
      hostVerifier: createHostVerifier(entries, address, port ? Number(port) : 22),
    },
    { logger: captureLogger().logger },
  );
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts the helper (the first read runs as a command and starts it) and waits until it is ready. */
async function warm(q: QueryingTransport): Promise<void> {
  await q.exec(argv.nodeNames());
  await until(() => q.queryStats().state === 'ready', 'the query helper to be ready');
}

/** Numbers that change between two reads on the lab (the host's free memory and disk). */
const stable = <T extends object>(rows: T[], live: (keyof T)[]) =>
  rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !live.includes(k as keyof T))));

describe.runIf(run)(
  'the query helper on the master: the same answers as the gnt-* commands, without their start-up',
  () => {
    const c = cluster as TestCluster;
    const master = c.hosts[0] ?? '';
    let plain: SshTransport;
    let q: QueryingTransport;
    beforeAll(async () => {
      plain = transportTo(c, master);
      q = withQueryHelper(transportTo(c, master), { logger: captureLogger().logger });
      await warm(q);
    });
    afterAll(async () => {
      await q.close();
      await plain.close();
    });

    it('prints byte for byte what the command prints, exit status and errors included', async () => {
      const exact = [
        argv.nodeNames(),
        argv.instanceNames(),
        argv.getMaster(),
        argv.nodeUuids(),
        argv.instanceInfo('inst1.ganeti.test'),
        argv.instanceInfo('no-such-instance.ganeti.test'),
        argv.jobInfo(1),
        argv.jobInfo(999_999),
      ];
      for (const command of exact) {
        const before = q.queryStats().answered;
        const [helper, cli] = [await q.exec(command), await plain.exec(command)];
        expect(q.queryStats().answered, command.join(' ')).toBe(before + 1);
        expect(helper, command.join(' ')).toEqual(cli);
      }
      // An unknown instance is an error with Ganeti's own words, from both.
      const missing = await q.exec(argv.instanceInfo('no-such-instance.ganeti.test'));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("Instance 'no-such-instance.ganeti.test' not known");
    });

    it('gives the same lists, live fields aside (the host’s free memory moves between two reads)', async () => {
      const nodes = [await q.exec(argv.nodeList()), await plain.exec(argv.nodeList())].map((r) =>
        stable(parseNodeList(r.stdout), ['memoryFreeMiB', 'memoryNodeMiB', 'diskFreeMiB']),
      );
      expect(nodes[0]).toEqual(nodes[1]);
      expect(nodes[0]).toHaveLength(c.hosts.length);
      const instances = [await q.exec(argv.instanceList()), await plain.exec(argv.instanceList())].map((r) =>
        parseInstanceList(r.stdout),
      );
      expect(instances[0]).toEqual(instances[1]);
      const jobs = [await q.exec(argv.jobList()), await plain.exec(argv.jobList())];
      expect(jobs[0]?.stdout.split('\n').length).toBeGreaterThan(1);
      expect(jobs[0]).toEqual(jobs[1]);
    });

    it('answers a configuration read in milliseconds, where the command takes a third of a second', async () => {
      // Not a timing assertion on the bot: it shows the helper answered, not the CLI.
      const before = q.queryStats().answered;
      await q.exec(argv.instanceNames());
      expect(q.queryStats().answered).toBe(before + 1);
      expect(q.queryStats().fellBack).toBe(1); // only the read that started it
    });

    it('refuses a change sent to it, and the instance stays as it was', async () => {
      const helper = q.queryStats();
      expect(helper.pid).toBeGreaterThan(1);
      // Straight through the helper's stream, past the bot's own routing.
      let answered = '';
      const stdin = await plain.stream!(['ganeti-chatops-query'], {
        onStdout: (chunk) => (answered += chunk),
      });
      stdin.write(
        `${JSON.stringify({ id: 1, argv: ['gnt-instance', 'startup', '--', 'inst4.ganeti.test'] })}\n`,
      );
      await until(() => answered.includes('"id":1'), 'the refusal');
      stdin.close();
      expect(answered).toMatch(/"id":1,"code":126,.*refused: only read-only commands/);
      const inst4 = onMaster(c, 'gnt-instance list --no-headers -o status inst4.ganeti.test').trim();
      expect(inst4).toBe('ADMIN_down');
    });

    it('answers by the command when the helper dies during a read, then starts a new one', async () => {
      const { pid, starts, fellBack } = q.queryStats();
      // onMaster blocks this process until the kill is done, so the bot has not yet seen the
      // helper's channel close when it sends it the read.
      onMaster(c, `kill -9 ${String(pid)}`);
      const result = await q.exec(argv.nodeList());
      expect(q.queryStats().fellBack).toBe(fellBack + 1);
      expect(result.code).toBe(0);
      expect(parseNodeList(result.stdout)).toHaveLength(c.hosts.length);
      await until(() => q.queryStats().state !== 'ready', 'the dead helper to be noticed');
      // After a short pause the next read starts another.
      await new Promise((r) => setTimeout(r, 5_200));
      await warm(q);
      expect(q.queryStats().starts).toBe(starts + 1);
      expect(q.queryStats().pid).not.toBe(pid);
    });

    it('without the helper on the node, every read still answers by the command', async () => {
      const missing = withQueryHelper(
        transportTo(c, master),
        { logger: captureLogger().logger },
        { argv: ['ganeti-chatops-query-not-installed'] },
      );
      try {
        for (let i = 0; i < 3; i++) {
          const r = await missing.exec(argv.nodeNames());
          expect(r.code).toBe(0);
          expect(r.stdout.trim().split('\n')).toHaveLength(c.hosts.length);
        }
        await until(() => missing.queryStats().state === 'unavailable', 'the helper to count as unavailable');
        expect(missing.queryStats()).toMatchObject({ answered: 0, fellBack: 3, starts: 1 });
      } finally {
        await missing.close();
      }
    });
  },
);
