import type { Logger } from 'pino';
import { ClusterUnavailableError, UserError } from '../core/errors.js';
import { argv } from './argv.js';
import { parseNotMasterHint } from './parsers/submit-output.js';
import type { ExecOptions, ExecResult, RemoteTransport } from './transport.js';

export interface MasterShell {
  /** Runs argv on the current master, finding it first when needed. */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** The master's node name, as Ganeti reports it. */
  master(): Promise<string>;
  /** Forget the master so the next command looks for it again. */
  forget(): void;
  close(): Promise<void>;
}

const shortName = (name: string) => name.trim().split('.')[0] ?? '';

interface Found {
  masterName: string;
  transport: RemoteTransport;
}

/**
 * Finds the Ganeti master among the configured candidates and follows a master failover:
 * each candidate is asked `gnt-cluster getmaster` (answered from ssconf on any node) and its
 * own name; the master is the candidate whose name is the one the cluster gives.
 * A command refused with "This is not the master node" is run again once on the new master
 * (it did nothing the first time).
 */
export function createMasterShell(
  candidates: readonly RemoteTransport[],
  deps: { logger: Logger },
): MasterShell {
  if (candidates.length === 0) throw new Error('createMasterShell needs at least one candidate');
  let current: Found | null = null;
  let discovering: Promise<Found> | null = null;

  async function ask(transport: RemoteTransport): Promise<{ master: string; self: string }> {
    const [m, h] = await Promise.all([
      transport.exec(argv.getMaster(), { timeoutMs: 15_000 }),
      transport.exec(argv.hostName(), { timeoutMs: 15_000 }),
    ]);
    if (m.code !== 0 || m.stdout.trim() === '') {
      throw new UserError(
        'not_a_ganeti_node',
        `${transport.label} did not answer \`gnt-cluster getmaster\`: ${m.stderr.trim() || `exit ${m.code}`}`,
      );
    }
    return { master: m.stdout.trim(), self: h.stdout.trim() };
  }

  async function discover(): Promise<Found> {
    const previous = current?.transport;
    // The last known master first: after a restart it is most likely still the master.
    const ordered = previous ? [previous, ...candidates.filter((c) => c !== previous)] : [...candidates];
    const answers = await Promise.allSettled(ordered.map(async (t) => ({ t, ...(await ask(t)) })));
    const reasons: string[] = [];
    let named: string | null = null;
    for (const a of answers) {
      if (a.status === 'rejected') {
        reasons.push(a.reason instanceof UserError ? a.reason.userMessage : String(a.reason));
        continue;
      }
      named = a.value.master;
      if (shortName(a.value.self) === shortName(a.value.master)) {
        deps.logger.info({ master: a.value.master, via: a.value.t.label }, 'found the Ganeti master');
        return { masterName: a.value.master, transport: a.value.t };
      }
    }
    if (named) {
      throw new UserError(
        'master_not_configured',
        `The cluster says its master is \`${named}\`, but that node is not one the bot can reach.`,
        {
          hint: `Add ${named} to GANETI_SSH_HOSTS (and its host key to GANETI_SSH_KNOWN_HOSTS).`,
        },
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
    master: async () => (await found()).masterName,
    forget: () => {
      current = null;
    },
    close: async () => {
      await Promise.allSettled(candidates.map((c) => c.close()));
    },
  };
}
