/**
 * "ssh-pool": short commands (`true`) on the cluster's master through the bot's pooled transport
 * (src/cluster/ssh-transport.ts: one connection, reused) next to a fresh connection per command,
 * both as a new ssh2 transport (closed after) and as OpenSSH's `ssh`, alternating in one run; then
 * the pool with 8 commands at a time. The cluster comes from the environment as for the
 * integration tests (test/integration/support/cluster-env.ts), with the tests' own unrestricted
 * key: the bot's key on the lab may run only gnt-* commands. Only the first host (the master) is
 * contacted. Run: `npx tsx bench/ssh-pool.ts [--small]`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createHostVerifier, parseKnownHosts } from '../src/cluster/known-hosts.js';
import {
  createSshTransport,
  type SshTransport,
  type SshTransportOptions,
} from '../src/cluster/ssh-transport.js';
import { createLogger } from '../src/core/logger.js';
import { keyscan } from '../test/integration/support/cluster-env.js';
import { distribution, runBench, smallRun, target, writeResult } from './lib/results.js';

const SMALL = smallRun();
const COMMANDS = SMALL ? 20 : 200;
const WARMUP = SMALL ? 2 : 5;
const CONCURRENCY = 8;
const ARGV = ['true'];
const execFileAsync = promisify(execFile);
const logger = createLogger('silent');

interface Master {
  host: string;
  port: number;
  user: string;
  keyFile: string;
  knownHostsFile: string;
}

/**
 * The master (first of GANETI_TEST_SSH_HOSTS) with the variables of testCluster() in
 * test/integration/support/cluster-env.ts; without GANETI_TEST_KNOWN_HOSTS only the master is
 * keyscanned (testCluster() would scan every candidate).
 */
function master(): Master | null {
  const entry = (process.env.GANETI_TEST_SSH_HOSTS ?? '').split(',')[0]?.trim() ?? '';
  const keyFile = process.env.GANETI_TEST_SSH_KEY_FILE;
  if (!entry || !keyFile) return null;
  const [host = '', port] = entry.split(':');
  let knownHostsFile = process.env.GANETI_TEST_KNOWN_HOSTS;
  if (!knownHostsFile) {
    knownHostsFile = join(mkdtempSync(join(tmpdir(), 'bench-known-')), 'known_hosts');
    writeFileSync(knownHostsFile, keyscan([entry]));
  }
  const user = process.env.GANETI_TEST_SSH_USER ?? 'root';
  return { host, port: port ? Number(port) : 22, user, keyFile, knownHostsFile };
}

/** One command; what it returns is cleanup done after the timing (closing a fresh transport). */
type Side = () => Promise<(() => Promise<void>) | void>;

/** Wall and in-process CPU (user + system) of one call, in ms; its cleanup runs untimed. */
async function timed(fn: Side): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const cleanup = await fn();
  const wall = performance.now() - w0;
  const c = process.cpuUsage(c0);
  await cleanup?.();
  return { wall, cpu: (c.user + c.system) / 1000 };
}

async function exec(transport: SshTransport): Promise<void> {
  const result = await transport.exec(ARGV);
  if (result.code !== 0) throw new Error(`\`${ARGV.join(' ')}\` exited ${result.code}: ${result.stderr}`);
}

async function main(m: Master): Promise<void> {
  const options: SshTransportOptions = {
    host: m.host,
    port: m.port,
    username: m.user,
    privateKey: readFileSync(m.keyFile),
    hostVerifier: createHostVerifier(parseKnownHosts(readFileSync(m.knownHostsFile, 'utf8')), m.host, m.port),
  };
  const sshArgs = [
    ...['-i', m.keyFile, '-p', String(m.port), '-o', `UserKnownHostsFile=${m.knownHostsFile}`],
    ...['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'IdentitiesOnly=yes'],
    // A fresh connection every time, whatever the machine's ssh_config says about multiplexing.
    ...['-o', 'ControlMaster=no', '-o', 'ControlPath=none'],
    `${m.user}@${m.host}`,
    ...ARGV,
  ];
  const pooled = createSshTransport(options, { logger });
  const sides: Record<'pooled' | 'fresh ssh2 transport' | 'OpenSSH ssh', Side> = {
    pooled: () => exec(pooled),
    'fresh ssh2 transport': async () => {
      const fresh = createSshTransport(options, { logger });
      await exec(fresh).catch(async (error: unknown) => {
        await fresh.close();
        throw error;
      });
      return () => fresh.close();
    },
    'OpenSSH ssh': async () => {
      await execFileAsync('ssh', sshArgs, { timeout: 30_000 });
    },
  };
  const names = Object.keys(sides) as Array<keyof typeof sides>;
  for (let i = 0; i < WARMUP; i++) for (const name of names) await timed(sides[name]);

  const wall = Object.fromEntries(names.map((n) => [n, [] as number[]]));
  const cpu = Object.fromEntries(names.map((n) => [n, [] as number[]]));
  for (let i = 0; i < COMMANDS; i++) {
    // Each side goes first, second and third equally often.
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length] ?? 'pooled';
      const t = await timed(sides[name]);
      wall[name]?.push(t.wall);
      cpu[name]?.push(t.cpu);
    }
  }

  // The pool with CONCURRENCY commands in flight on its one connection.
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < COMMANDS) {
        next += 1;
        latencies.push((await timed(() => exec(pooled))).wall);
      }
    }),
  );
  const concurrentMs = performance.now() - started;
  const stats = pooled.stats();
  await pooled.close();

  const series: Record<string, ReturnType<typeof distribution>> = {};
  for (const name of names) series[`${name}: wall`] = distribution(wall[name] ?? []);
  series[`pooled, ${CONCURRENCY} at a time: wall per command`] = distribution(latencies);
  // OpenSSH's CPU is spent in its own process; only the two in-process sides are comparable here.
  series['pooled: CPU in this process'] = distribution(cpu.pooled ?? []);
  series['fresh ssh2 transport: CPU in this process'] = distribution(cpu['fresh ssh2 transport'] ?? []);
  const med = (name: string) => series[`${name}: wall`]?.median ?? NaN;
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  writeResult({
    name: 'ssh-pool',
    title: `SSH: ${COMMANDS} × \`${ARGV.join(' ')}\` pooled vs a fresh connection per command`,
    settings: {
      host: `${m.user}@${m.host}:${m.port}`,
      commands: COMMANDS,
      command: ARGV.join(' '),
      warmup: WARMUP,
      concurrency: CONCURRENCY,
      knownHosts: process.env.GANETI_TEST_KNOWN_HOSTS
        ? 'GANETI_TEST_KNOWN_HOSTS'
        : 'ssh-keyscan of the master',
    },
    series,
    figures: {
      'pooled, one at a time: commands/s': Math.round((1000 * COMMANDS) / sum(wall.pooled ?? [])),
      [`pooled, ${CONCURRENCY} at a time: commands/s`]: Math.round((1000 * COMMANDS) / concurrentMs),
      'fresh ssh2 transport: commands/s': Math.round(
        (1000 * COMMANDS) / sum(wall['fresh ssh2 transport'] ?? []),
      ),
      'OpenSSH ssh: commands/s': Math.round((1000 * COMMANDS) / sum(wall['OpenSSH ssh'] ?? [])),
      'pooled transport: connections opened': stats.connects,
      'pooled transport: most channels open at once': stats.maxOpenChannels,
      'pooled transport: channel opens refused and retried': stats.channelOpenRetries,
    },
    targets: [
      target(
        'fresh ssh2 transport median / pooled median',
        med('fresh ssh2 transport') / med('pooled'),
        'min',
        3,
        '×',
      ),
      target('OpenSSH ssh median / pooled median', med('OpenSSH ssh') / med('pooled'), 'min', 3, '×'),
    ],
    notes: [
      `Sides alternate command by command (rotating which goes first); ${WARMUP} warm-up rounds of each before.`,
      'fresh ssh2 transport: createSshTransport, one exec, timed until its result; the transport is closed after, untimed. OpenSSH ssh: execFile until the process exits (BatchMode, the same key and known_hosts, no multiplexing).',
      'CPU is process.cpuUsage() of this process over the call: the key exchange of a fresh ssh2 connection is paid here.',
    ],
  });
}

const found = master();
if (!found) {
  console.error(
    'ssh-pool: no cluster: set GANETI_TEST_SSH_HOSTS (the master first) and GANETI_TEST_SSH_KEY_FILE (optional: GANETI_TEST_SSH_USER, GANETI_TEST_KNOWN_HOSTS)',
  );
  process.exit(1);
}
runBench(() => main(found));
