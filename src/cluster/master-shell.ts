import type { Logger } from 'pino';
import { ClusterUnavailableError, UserError } from '../core/errors.js';
import { argv } from './argv.js';
import { parseNotMasterHint } from './parsers/submit-output.js';
import type { ExecOptions, ExecResult, RemoteTransport } from './transport.js';

/** What one master candidate said when asked who the master is. */
export interface CandidateAnswer {
  /** The transport's label, e.g. `root@198.51.100.12:22`. */
  label: string;
  /** Its own node name (`uname -n`), when it answered. */
  self: string | null;
  /** Who it says the master is (`gnt-cluster getmaster`, from its ssconf), when it answered. */
  says: string | null;
  /** Why it did not answer. */
  error: string | null;
}

/** The candidates' answers and what follows from them. */
export interface MasterSurvey {
  answers: CandidateAnswer[];
  /** The master most answering candidates name, if it answered itself; else null. */
  master: string | null;
  /** The name most candidates give, answering or not (the master that went silent). */
  named: string | null;
  /** Candidates (other than `master`) that claim to be the master themselves: a split brain. */
  rivals: string[];
}

export interface MasterShell {
  /** Runs argv on the current master, finding it first when needed. */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Runs argv on one candidate by node name (e.g. `gnt-cluster master-failover` there). */
  execOn(node: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** The master's node name, as Ganeti reports it. */
  master(): Promise<string>;
  /** Asks every candidate, now, who the master is (the monitor does when the master is silent). */
  survey(options?: { timeoutMs?: number }): Promise<MasterSurvey>;
  /** Forget the master so the next command looks for it again. */
  forget(): void;
  close(): Promise<void>;
}

const shortName = (name: string) => name.trim().split('.')[0] ?? '';

interface Found {
  masterName: string;
  transport: RemoteTransport;
}

/** The value given most often (ties: the first seen), or null. */
function mostCommon(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = v;
  return best;
}

/**
 * Who the master is, from the candidates' answers: the name most of them give (their ssconf,
 * which a master failover updates on every reachable node), provided that node answered as
 * itself. An old master that comes back after a failover still names itself; it is outvoted and
 * reported as a rival, never used.
 */
export function decideMaster(answers: readonly CandidateAnswer[]): Omit<MasterSurvey, 'answers'> {
  const named = mostCommon(answers.flatMap((a) => (a.says ? [shortName(a.says)] : [])));
  const namedFull = answers.find((a) => a.says && shortName(a.says) === named)?.says?.trim() ?? null;
  const answeredItself = answers.some((a) => a.self && shortName(a.self) === named);
  const rivals = answers
    .filter((a) => a.self && a.says && shortName(a.self) === shortName(a.says) && shortName(a.self) !== named)
    .map((a) => a.self ?? '');
  return { master: answeredItself ? namedFull : null, named: namedFull, rivals };
}

/**
 * Finds the Ganeti master among the configured candidates and follows a master failover:
 * each candidate is asked `gnt-cluster getmaster` (answered from ssconf on any node) and its
 * own name; the master is the node most of them name (decideMaster). A command refused with
 * "This is not the master node" is run again once on the new master (it did nothing the first
 * time).
 */
export function createMasterShell(
  candidates: readonly RemoteTransport[],
  deps: { logger: Logger },
): MasterShell {
  if (candidates.length === 0) throw new Error('createMasterShell needs at least one candidate');
  let current: Found | null = null;
  let discovering: Promise<Found> | null = null;
  /** Node name → transport, learnt from the candidates' answers. */
  const byName = new Map<string, RemoteTransport>();

  async function ask(transport: RemoteTransport, timeoutMs: number): Promise<CandidateAnswer> {
    try {
      const [m, h] = await Promise.all([
        transport.exec(argv.getMaster(), { timeoutMs }),
        transport.exec(argv.hostName(), { timeoutMs }),
      ]);
      const self = h.code === 0 && h.stdout.trim() ? h.stdout.trim() : null;
      if (self) byName.set(shortName(self), transport);
      if (m.code !== 0 || m.stdout.trim() === '') {
        const why = `${transport.label} did not answer \`gnt-cluster getmaster\`: ${m.stderr.trim() || `exit ${m.code}`}`;
        return { label: transport.label, self, says: null, error: why };
      }
      return { label: transport.label, self, says: m.stdout.trim(), error: null };
    } catch (error) {
      const why = error instanceof UserError ? error.userMessage : String(error);
      return { label: transport.label, self: null, says: null, error: why };
    }
  }

  async function survey(options: { timeoutMs?: number } = {}): Promise<MasterSurvey> {
    // `gnt-cluster getmaster` reads ssconf: half a second when the node is fine.
    const answers = await Promise.all(candidates.map((t) => ask(t, options.timeoutMs ?? 8_000)));
    return { answers, ...decideMaster(answers) };
  }

  async function discover(): Promise<Found> {
    const result = await survey();
    const transport = result.master ? byName.get(shortName(result.master)) : undefined;
    if (result.master && transport) {
      if (result.rivals.length > 0)
        deps.logger.error(
          { master: result.master, rivals: result.rivals },
          'another node also claims to be the master',
        );
      deps.logger.info({ master: result.master, via: transport.label }, 'found the Ganeti master');
      return { masterName: result.master, transport };
    }
    const reasons = result.answers.flatMap((a) => (a.error ? [a.error] : []));
    if (result.named && reasons.length > 0) {
      throw new ClusterUnavailableError(
        `The master \`${result.named}\` does not answer (${reasons.join('; ')}).`,
        {
          hint: 'If it is down for good, make another candidate the master (`gnt-cluster master-failover` on it).',
        },
      );
    }
    if (result.named) {
      throw new UserError(
        'master_not_configured',
        `The cluster says its master is \`${result.named}\`, but that node is not one the bot can reach.`,
        { hint: `Add ${result.named} to GANETI_SSH_HOSTS (and its host key to GANETI_SSH_KNOWN_HOSTS).` },
      );
    }
    throw new ClusterUnavailableError(`Could not reach any Ganeti master candidate: ${reasons.join('; ')}`, {
      hint: 'Check that the nodes in GANETI_SSH_HOSTS are up and sshd answers; `/ganeti status` again once they are.',
    });
  }

  async function found(): Promise<Found> {
    if (current) return current;
    discovering ??= discover().finally(() => {
      discovering = null;
    });
    current = await discovering;
    return current;
  }

  async function exec(command: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    const first = await found();
    let result: ExecResult;
    try {
      result = await first.transport.exec(command, options);
    } catch (error) {
      // The master may have gone away: look again next time instead of hammering it.
      if (error instanceof ClusterUnavailableError && current === first) current = null;
      throw error;
    }
    const moved = result.code !== 0 ? parseNotMasterHint(result.stderr) : null;
    if (!moved) return result;
    deps.logger.warn({ was: first.masterName, now: moved }, 'the master moved; looking for it again');
    if (current === first) current = null;
    const second = await found();
    return second.transport.exec(command, options);
  }

  return {
    exec,
    async execOn(node, command, options) {
      let transport = byName.get(shortName(node));
      if (!transport) {
        await survey();
        transport = byName.get(shortName(node));
      }
      if (!transport)
        throw new UserError(
          'unknown_candidate',
          `\`${node}\` is not one of the master candidates the bot reaches.`,
          {
            hint: 'GANETI_SSH_HOSTS lists the candidates the bot logs in to.',
          },
        );
      return transport.exec(command, options);
    },
    master: async () => (await found()).masterName,
    survey,
    forget: () => {
      current = null;
    },
    close: async () => {
      await Promise.allSettled(candidates.map((c) => c.close()));
    },
  };
}
