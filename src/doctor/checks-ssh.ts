/**
 * SSH to every master candidate (GANETI_SSH_HOSTS, worker role): the key, the known_hosts file,
 * each candidate (ssh-host.ts, all at once), then whether they agree on the master and whether
 * every master candidate of the cluster is configured.
 */
import ssh2 from 'ssh2';
import { fingerprintSha256, parseKnownHosts, type KnownHostEntry } from '../cluster/known-hosts.js';
import { decideMaster } from '../cluster/master-shell.js';
import type { ClusterConfig } from '../config/app-config.js';
import { fail, pass, warn, type CheckResult } from './report.js';
import { probeHost, type HostProbe } from './ssh-host.js';

const shortName = (name: string) => name.trim().split('.')[0] ?? '';

/** The private key: usable by ssh2, unencrypted; named by its public fingerprint only. */
export function checkKey(cluster: ClusterConfig): CheckResult {
  const what = `ssh key ${cluster.keyFile}`;
  const parsed = ssh2.utils.parseKey(cluster.privateKey);
  const key = Array.isArray(parsed) ? (parsed[0] as ssh2.ParsedKey | undefined) : parsed;
  if (key === undefined || key instanceof Error)
    return fail(
      what,
      `not a usable private key (${key instanceof Error ? key.message : 'empty'})`,
      `GANETI_SSH_KEY_FILE must name an unencrypted OpenSSH or PEM private key (ssh-keygen -t ed25519 -N '' -f FILE makes one; ssh-keygen -p -N '' -f FILE removes a passphrase)`,
    );
  const fp = fingerprintSha256(key.getPublicSSH());
  return pass(what, `${key.type} key ${fp} (ssh-keygen -lf ${cluster.keyFile} shows the same)`);
}

function checkKnownHosts(cluster: ClusterConfig): {
  result: CheckResult | null;
  entries: KnownHostEntry[] | null;
} {
  if (cluster.knownHosts === null) return { result: null, entries: null };
  const what = `ssh known_hosts ${cluster.knownHostsFile ?? ''}`;
  try {
    const entries = parseKnownHosts(cluster.knownHosts);
    return { result: pass(what, `${entries.length} host key${entries.length === 1 ? '' : 's'}`), entries };
  } catch (error) {
    return {
      result: fail(
        what,
        (error as Error).message,
        'fix or remove that line (ssh-keyscan HOST prints good ones)',
      ),
      entries: null,
    };
  }
}

/** Whether the candidates that answered agree on the master, and that it is one of them. */
export function masterAgreement(probes: readonly HostProbe[]): CheckResult | null {
  const answers = probes.flatMap((p) => (p.answer ? [p.answer] : []));
  if (!answers.some((a) => a.says)) return null;
  const { master, named, rivals } = decideMaster(answers);
  const said = answers.filter((a) => a.says).map((a) => `${a.label} says ${a.says ?? ''}`);
  const distinct = new Set(answers.flatMap((a) => (a.says ? [shortName(a.says)] : [])));
  if (master === null)
    return fail(
      'ssh master',
      `the candidates name ${named ?? '?'} as the master, but it is not among GANETI_SSH_HOSTS (or did not answer)`,
      'list every master candidate in GANETI_SSH_HOSTS (gnt-node list -o name,master_candidate on the master)',
    );
  if (distinct.size > 1 || rivals.length > 0)
    return warn(
      'ssh master',
      `the candidates disagree: ${said.join('; ')}${rivals.length ? `; ${rivals.join(', ')} also claim to be the master` : ''}`,
      'a master failover not finished everywhere, or a returning old master: run gnt-cluster getmaster and gnt-cluster verify on the master; the bot follows the name most candidates give',
    );
  return pass('ssh master', `${master} (${answers.filter((a) => a.says).length} candidates agree)`);
}

/** Every master candidate of the cluster should be in GANETI_SSH_HOSTS, or a failover to it loses the bot. */
export function candidatesConfigured(probes: readonly HostProbe[]): CheckResult | null {
  const list = probes.find((p) => p.candidates !== null)?.candidates;
  if (!list) return null;
  const configured = new Set(probes.flatMap((p) => (p.self ? [shortName(p.self)] : [])));
  const missing = list.filter((name) => !configured.has(shortName(name)));
  if (missing.length === 0)
    return pass('ssh candidates', `every master candidate is in GANETI_SSH_HOSTS (${list.join(', ')})`);
  return warn(
    'ssh candidates',
    `master candidates not in GANETI_SSH_HOSTS (or not answering): ${missing.join(', ')}; after a master failover to one of them the bot loses the cluster`,
    'add them to GANETI_SSH_HOSTS, with their host keys in known_hosts and the bot key on them',
  );
}

export async function checkSsh(cluster: ClusterConfig, timeoutMs: number): Promise<CheckResult[]> {
  const results = [checkKey(cluster)];
  const known = checkKnownHosts(cluster);
  if (known.result) results.push(known.result);
  if (results.some((r) => r.status === 'FAIL')) return results;
  const probes = await Promise.all(
    cluster.hosts.map(({ host, port }) => probeHost(cluster, host, port, known.entries, timeoutMs)),
  );
  for (const probe of probes) results.push(...probe.results);
  const agreement = masterAgreement(probes);
  if (agreement) results.push(agreement);
  const candidates = agreement?.status === 'FAIL' ? null : candidatesConfigured(probes);
  if (candidates) results.push(candidates);
  return results;
}
