/**
 * One master candidate, through the bot's own SSH transport (src/cluster/ssh-transport.ts) and
 * host key check (src/cluster/known-hosts.ts): reachable, host key, login, `gnt-cluster
 * getmaster`, the forced command and the query helper, one line each, stopping at the first
 * failure that leaves nothing further to check.
 */
import { pino } from 'pino';
import { argv } from '../cluster/argv.js';
import { createHostVerifier, fingerprintSha256, type KnownHostEntry } from '../cluster/known-hosts.js';
import type { CandidateAnswer } from '../cluster/master-shell.js';
import { parseGetMaster } from '../cluster/parsers/getmaster.js';
import type { SshError } from '../cluster/ssh-errors.js';
import { createSshTransport } from '../cluster/ssh-transport.js';
import type { RemoteTransport } from '../cluster/transport.js';
import type { ClusterConfig } from '../config/app-config.js';
import { UserError } from '../core/errors.js';
import { fail, pass, warn, type CheckResult } from './report.js';
import { probeForcedCommand, probeQueryHelper, probeTcp } from './ssh-probes.js';

export interface HostProbe {
  results: CheckResult[];
  /** What it said about the master (for the candidates' agreement), when it got that far. */
  answer: CandidateAnswer | null;
  /** Its name for itself (`uname -n`). */
  self: string | null;
  /** On the master: the cluster's master candidates (`gnt-node list`), when it answered. */
  candidates: string[] | null;
}

/**
 * The master candidates, in a form the forced command allows (configuration fields only, so
 * answered without asking the nodes).
 */
export const CANDIDATES_ARGV = [
  'gnt-node',
  'list',
  '--no-headers',
  '--separator=|',
  '-o',
  'name,master_candidate',
];

const shortName = (name: string) => name.trim().split('.')[0] ?? '';

/** The type name at the start of an SSH public key blob (`ssh-ed25519`). */
function blobType(blob: Buffer): string {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return length > 0 && length < 64 && blob.length >= 4 + length
    ? blob.toString('latin1', 4, 4 + length)
    : '?';
}

/** Where sshd keeps the host key of that type: `ssh-keygen -lf` on it prints the fingerprint. */
function hostKeyFile(type: string): string {
  const kind =
    type === 'ssh-ed25519'
      ? 'ed25519'
      : type.startsWith('ecdsa-')
        ? 'ecdsa'
        : type === 'ssh-rsa'
          ? 'rsa'
          : '*';
  return `/etc/ssh/ssh_host_${kind}_key.pub`;
}

interface HostKeyContext {
  what: string;
  host: string;
  port: number;
  file: string | null;
}

function keyscan(c: HostKeyContext, type?: string): string {
  return `ssh-keyscan${type ? ` -t ${type}` : ''}${c.port === 22 ? '' : ` -p ${c.port}`} ${c.host} >> ${c.file ?? 'KNOWN_HOSTS'}`;
}

/** The host key line, from the key the host offered (undefined: it offered none we accept). */
function hostKeyResult(
  c: HostKeyContext,
  offered: Buffer | undefined,
  verifier: ReturnType<typeof createHostVerifier> | null,
): CheckResult {
  if (offered === undefined) {
    const pinned = verifier?.keyTypes.join(', ') ?? '?';
    return fail(
      c.what,
      `the node has no host key of the types in ${c.file} for it (${pinned})`,
      `compare the node's keys (ssh-keygen -lf ${hostKeyFile('*')} on the node) with ${keyscan(c)} and add the right one`,
    );
  }
  const fp = fingerprintSha256(offered);
  const type = blobType(offered);
  const compare = `compare with ssh-keygen -lf ${hostKeyFile(type)} on the node`;
  if (verifier === null)
    return warn(
      c.what,
      `not checked (GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK); it offered ${fp} (${type})`,
      `${compare}, add it to a known_hosts file (${keyscan(c, type)}) and set GANETI_SSH_KNOWN_HOSTS to it`,
    );
  const verdict = verifier.explain(offered);
  switch (verdict.status) {
    case 'trusted':
      return pass(c.what, `${fp} (${type}) is the one in ${c.file}`);
    case 'unknown':
      return fail(
        c.what,
        `host key not in ${c.file}; its fingerprint is ${fp} (${type})`,
        `${compare}, then add it: ${keyscan(c, type)}`,
      );
    case 'changed':
      return fail(
        c.what,
        `host key CHANGED: it offered ${fp} (${type}), ${c.file} has ${verdict.expected.join(', ')}`,
        `a reinstalled node or someone in the middle: ${compare}; only if they match, replace the node's line in ${c.file}`,
      );
    case 'revoked':
      return fail(c.what, `host key ${fp} is marked @revoked in ${c.file}`, 'the node needs a new host key');
  }
}

const silent = pino({ level: 'silent' });

export async function probeHost(
  cluster: ClusterConfig,
  host: string,
  port: number,
  entries: readonly KnownHostEntry[] | null,
  timeoutMs: number,
): Promise<HostProbe> {
  const base = `ssh ${host}:${port}`;
  const results: CheckResult[] = [];
  const none = (): HostProbe => ({ results, answer: null, self: null, candidates: null });
  const reach = await probeTcp(host, port, timeoutMs, `${base} reachable`);
  results.push(reach);
  if (reach.status === 'FAIL') return none();

  const verifier = entries ? createHostVerifier(entries, host, port) : null;
  let offered: Buffer | undefined;
  // The bot's own check, recording the key so that every outcome can name its fingerprint.
  const recording = Object.assign(
    (key: Buffer) => {
      offered = key;
      return verifier ? verifier(key) : true;
    },
    verifier ? { explain: verifier.explain, keyTypes: verifier.keyTypes } : {},
  );
  const keyContext = { what: `${base} host key`, host, port, file: cluster.knownHostsFile };
  const transport = createSshTransport(
    {
      host,
      port,
      username: cluster.user,
      privateKey: cluster.privateKey,
      hostVerifier: recording,
      connectTimeoutMs: timeoutMs,
      commandTimeoutMs: timeoutMs,
      maxChannels: 2,
    },
    { logger: silent },
  );
  const login = `${base} login`;
  try {
    let master;
    try {
      master = await transport.exec(argv.getMaster(), { timeoutMs });
    } catch (error) {
      const cause = (error instanceof Error ? error.cause : undefined) as SshError | undefined;
      const keyRefused = offered !== undefined && verifier !== null && !verifier(offered);
      const noPinnedType =
        offered === undefined && cause?.level === 'handshake' && /host key/i.test(cause.message);
      if (keyRefused || noPinnedType) {
        results.push(hostKeyResult(keyContext, offered, verifier));
        return none();
      }
      if (offered !== undefined) results.push(hostKeyResult(keyContext, offered, verifier));
      if (cause?.level === 'client-authentication')
        results.push(
          fail(
            login,
            `the node refused the key of GANETI_SSH_KEY_FILE for ${cluster.user}`,
            `append its public key (ssh-keygen -y -f ${cluster.keyFile}) to ~${cluster.user}/.ssh/authorized_keys on ${host}, with the forced command in front (contrib/README.md)`,
          ),
        );
      else {
        const e = error instanceof UserError ? error : null;
        results.push(fail(login, e?.userMessage ?? String(error), e?.hint ?? 'check the node’s sshd log'));
      }
      return none();
    }
    results.push(hostKeyResult(keyContext, offered, verifier));
    results.push(pass(login, `as ${cluster.user} with the key of GANETI_SSH_KEY_FILE`));
    const self = await transport.exec(argv.hostName(), { timeoutMs }).then(
      (r) => (r.code === 0 && r.stdout.trim() ? r.stdout.trim() : null),
      () => null,
    );
    const getmaster = `${base} gnt-cluster getmaster`;
    let says: string | null = null;
    if (master.code === 0) {
      try {
        says = parseGetMaster(master.stdout);
        results.push(pass(getmaster, `the master is ${says}`));
      } catch (error) {
        results.push(fail(getmaster, (error as Error).message, 'run gnt-cluster getmaster on the node'));
      }
    } else results.push(getmasterFailure(getmaster, master.code, master.stderr, host));
    const answer: CandidateAnswer = {
      label: `${host}:${port}`,
      self,
      says,
      error: says === null ? 'no answer to gnt-cluster getmaster' : null,
    };
    const isMaster = says !== null && self !== null && shortName(says) === shortName(self);
    const candidates = isMaster ? await listCandidates(transport, timeoutMs) : null;
    results.push(await probeForcedCommand(transport, timeoutMs, `${base} forced command`));
    if (cluster.queryHelper)
      results.push(
        await probeQueryHelper(transport, [cluster.queryHelper], timeoutMs, `${base} query helper`),
      );
    return { results, answer, self, candidates };
  } finally {
    await transport.close();
  }
}

async function listCandidates(transport: RemoteTransport, timeoutMs: number): Promise<string[] | null> {
  const r = await transport.exec(CANDIDATES_ARGV, { timeoutMs }).catch(() => null);
  if (r?.code !== 0) return null;
  return r.stdout.split('\n').flatMap((line) => {
    const [name, flag] = line.trim().split('|');
    return name && flag === 'Y' ? [name] : [];
  });
}

function getmasterFailure(what: string, code: number | null, stderr: string, host: string): CheckResult {
  const said = (stderr.trim().split('\n')[0] ?? '').slice(0, 300);
  if (code === 126 && said.startsWith('ganeti-chatops-ssh-command: refused'))
    return fail(
      what,
      `the forced command refused it (${said})`,
      'install this bot’s contrib/ganeti-chatops-ssh-command on the node (contrib/README.md)',
    );
  if (code === 127)
    return fail(
      what,
      `gnt-cluster not found on ${host}`,
      'GANETI_SSH_HOSTS must list Ganeti master candidates',
    );
  return fail(
    what,
    `exit ${code ?? 'by a signal'}${said ? `: ${said}` : ''}`,
    `is ${host} a master candidate of a running cluster? Run gnt-cluster getmaster there`,
  );
}
