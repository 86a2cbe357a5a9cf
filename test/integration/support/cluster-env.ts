import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Ganeti cluster the integration tests run against, from the environment:
 * GANETI_TEST_SSH_HOSTS (master candidates), GANETI_TEST_SSH_KEY_FILE, GANETI_TEST_SSH_USER
 * (default root) and GANETI_TEST_KNOWN_HOSTS (when unset, the hosts' keys are fetched with
 * ssh-keyscan: fine for a test cluster, never for production). `scripts/test.sh` sets them from
 * the Ganeti lab when it is up. GANETI_TEST_REQUIRE_CLUSTER=1 (CI) makes a missing cluster an
 * error instead of a skip. GANETI_TEST_BOT_SSH_KEY_FILE is the key the bot logs in with when it
 * is not GANETI_TEST_SSH_KEY_FILE: on the lab, one restricted on every node by the forced
 * command contrib/ganeti-chatops-ssh-command (scripts/lab-forced-command.sh), while the tests'
 * own commands (onMaster and the like) keep the unrestricted key.
 */
export interface TestCluster {
  hosts: string[];
  user: string;
  /** The tests' own key: any command. */
  keyFile: string;
  /** The bot's key (GANETI_SSH_KEY_FILE of the app under test); keyFile unless GANETI_TEST_BOT_SSH_KEY_FILE. */
  botKeyFile: string;
  knownHostsFile: string;
}

let cached: TestCluster | null | undefined;

export function testCluster(): TestCluster | null {
  if (cached !== undefined) return cached;
  const hosts = (process.env.GANETI_TEST_SSH_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const keyFile = process.env.GANETI_TEST_SSH_KEY_FILE;
  if (hosts.length === 0 || !keyFile) {
    if (process.env.GANETI_TEST_REQUIRE_CLUSTER === '1') {
      throw new Error(
        'GANETI_TEST_REQUIRE_CLUSTER=1 but GANETI_TEST_SSH_HOSTS / GANETI_TEST_SSH_KEY_FILE are not set',
      );
    }
    cached = null;
    return null;
  }
  const botKeyFile = process.env.GANETI_TEST_BOT_SSH_KEY_FILE || keyFile;
  if (botKeyFile !== keyFile && !existsSync(botKeyFile)) {
    // `up.sh --fresh` removes the lab's state, the bot's key with it.
    throw new Error(
      `GANETI_TEST_BOT_SSH_KEY_FILE=${botKeyFile} does not exist: run scripts/lab-forced-command.sh install`,
    );
  }
  let knownHostsFile = process.env.GANETI_TEST_KNOWN_HOSTS;
  if (!knownHostsFile) {
    knownHostsFile = join(mkdtempSync(join(tmpdir(), 'gc-known-')), 'known_hosts');
    writeFileSync(knownHostsFile, keyscan(hosts));
  }
  cached = { hosts, user: process.env.GANETI_TEST_SSH_USER ?? 'root', keyFile, botKeyFile, knownHostsFile };
  return cached;
}

/** `ssh-keyscan` of host[:port] entries, as known_hosts text. */
export function keyscan(hosts: readonly string[]): string {
  return hosts
    .map((entry) => {
      const [host, port] = entry.split(':');
      return execFileSync(
        'ssh-keyscan',
        ['-T', '5', '-t', 'ed25519,rsa', ...(port ? ['-p', port] : []), host ?? ''],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
    })
    .join('');
}

/** One line for the log when the integration tests have no cluster. */
export const NO_CLUSTER_NOTE =
  'integration: no Ganeti cluster given (GANETI_TEST_SSH_HOSTS, GANETI_TEST_SSH_KEY_FILE); cluster tests are skipped. `scripts/test.sh` uses the Ganeti lab when it is up.';

/** Runs a shell command on the cluster's master (first candidate) with the system ssh client: the tests' own view of the cluster. */
export function onMaster(cluster: TestCluster, command: string): string {
  return execFileSync('ssh', masterSshArgs(cluster, command), { encoding: 'utf8' });
}

/** OpenSSH's arguments for `command` on the master with the tests' key (a fresh connection). */
export function masterSshArgs(cluster: TestCluster, command: string): string[] {
  return [
    '-i',
    cluster.keyFile,
    '-o',
    `UserKnownHostsFile=${cluster.knownHostsFile}`,
    '-o',
    'BatchMode=yes',
    `${cluster.user}@${cluster.hosts[0] ?? ''}`,
    command,
  ];
}

/**
 * A command on one node by its address (`host` or `host:port`, as in GANETI_TEST_SSH_HOSTS) with
 * the tests' own key: what an admin would type there.
 */
export function onHost(cluster: TestCluster, host: string, command: string): string {
  const [address = '', port] = host.split(':');
  return execFileSync(
    'ssh',
    [
      '-i',
      cluster.keyFile,
      '-o',
      `UserKnownHostsFile=${cluster.knownHostsFile}`,
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=5',
      ...(port ? ['-p', port] : []),
      `${cluster.user}@${address}`,
      command,
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
}

/** Ganeti's jobs whose reason names this request (`--reason ... req=ID ...`). */
export function jobsForRequest(cluster: TestCluster, requestId: string): string[] {
  return onMaster(cluster, "gnt-job list --no-headers --separator='|' -o id,status,summary,ops")
    .split('\n')
    .filter((line) => line.includes(`req=${requestId} `))
    .map((line) => line.split('|').slice(0, 3).join('|'));
}

/** `name|pnode|status` of every instance. */
export function instancePlacement(cluster: TestCluster): Record<string, { node: string; status: string }> {
  const out = onMaster(cluster, "gnt-instance list --no-headers --separator='|' -o name,pnode,status");
  return Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('|'))
      .map(([name, node, status]) => [
        (name ?? '').split('.')[0] ?? '',
        { node: (node ?? '').split('.')[0] ?? '', status: status ?? '' },
      ]),
  );
}

/**
 * Whether the bot logs in with a key of its own (restricted by the forced command on the lab),
 * and whether tests that need it run: always in CI (GANETI_TEST_REQUIRE_CLUSTER=1, where they then
 * fail without it), else only with such a key, saying once that `what` is skipped.
 */
export function botKeyTests(
  cluster: TestCluster | null,
  what: string,
): { run: boolean; restricted: boolean } {
  const restricted = cluster !== null && cluster.botKeyFile !== cluster.keyFile;
  const required = process.env.GANETI_TEST_REQUIRE_CLUSTER === '1';
  if (cluster && !restricted && !required)
    console.warn(
      `integration: GANETI_TEST_BOT_SSH_KEY_FILE is not set; the ${what} tests are skipped (scripts/test.sh sets it on the lab).`,
    );
  return { run: cluster !== null && (restricted || required), restricted };
}
