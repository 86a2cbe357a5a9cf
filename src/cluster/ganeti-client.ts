import { GanetiCommandError } from '../core/errors.js';
import { argv } from './argv.js';
import type { MasterShell } from './master-shell.js';
import { parseClusterVerify, parseVerifyStepLine, resolveVerifyUuids } from './parsers/cluster-verify.js';
import { parseInstanceInfo } from './parsers/instance-info.js';
import { parseInstanceList } from './parsers/instance-list.js';
import { parseJobInfo } from './parsers/job-info.js';
import { parseJobList } from './parsers/job-list.js';
import { parseNodeList } from './parsers/node-list.js';
import { parseNodeUuids } from './parsers/node-uuids.js';
import { parseGanetiFailure } from './parsers/submit-output.js';
import type { ExecOptions, ExecResult } from './transport.js';
import type { GanetiInstance, GanetiNode, InstanceInfo, JobInfo, JobSummary, VerifyReport } from './types.js';

/** What the commands need from a Ganeti cluster, in Ganeti's terms. */
export interface GanetiClient {
  master(): Promise<string>;
  nodes(): Promise<GanetiNode[]>;
  instances(): Promise<GanetiInstance[]>;
  instanceInfo(name: string): Promise<InstanceInfo>;
  jobs(): Promise<JobSummary[]>;
  /** Null when Ganeti has no such job (any more). */
  job(id: number): Promise<JobInfo | null>;
  /** `gnt-cluster verify`; `onStep` gets each step as it starts (it can take a minute). */
  verify(onStep?: (step: string) => void): Promise<VerifyReport>;
  /** Node and instance names, from the configuration only (fast, no node is asked). */
  names(options?: { maxAgeMs?: number }): Promise<{ nodes: string[]; instances: string[] }>;
}

export interface GanetiClientDeps {
  shell: MasterShell;
  now?: () => number;
  /** How long names() answers from its cache. Default 30 s. */
  namesTtlMs?: number;
  /** Timeout for gnt-cluster verify, which takes ~55 s with a node down. Default 10 min. */
  verifyTimeoutMs?: number;
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

export function createGanetiClient(deps: GanetiClientDeps): GanetiClient {
  const now = deps.now ?? Date.now;
  const namesTtl = deps.namesTtlMs ?? 30_000;
  let namesCache: { at: number; value: { nodes: string[]; instances: string[] } } | null = null;

  /** Runs a gnt-* command that must succeed; Ganeti's own error text goes to the user. */
  async function run(command: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    const result = await deps.shell.exec(command, options);
    if (result.code !== 0) {
      const message =
        parseGanetiFailure(result.stderr) ?? (result.stderr.trim() || `exit status ${result.code}`);
      throw new GanetiCommandError(`\`${command.slice(0, 2).join(' ')}\` failed: ${message}`, result.code);
    }
    return result;
  }

  return {
    master: () => deps.shell.master(),
    nodes: async () => parseNodeList((await run(argv.nodeList())).stdout),
    instances: async () => parseInstanceList((await run(argv.instanceList())).stdout),
    instanceInfo: async (name) => parseInstanceInfo((await run(argv.instanceInfo(name))).stdout),
    jobs: async () => parseJobList((await run(argv.jobList())).stdout),
    job: async (id) => parseJobInfo((await run(argv.jobInfo(id))).stdout),
    verify: async (onStep) => {
      let pending = '';
      const result = await deps.shell.exec(argv.verify(), {
        timeoutMs: deps.verifyTimeoutMs ?? 600_000,
        onStdout: (chunk) => {
          pending += chunk;
          const parts = pending.split('\n');
          pending = parts.pop() ?? '';
          for (const line of parts) {
            const step = parseVerifyStepLine(line);
            if (step && onStep) onStep(step);
          }
        },
      });
      // verify exits 1 when it found errors: that is its answer, not a failure.
      if (result.code !== 0 && result.code !== 1) {
        throw new GanetiCommandError(
          `\`gnt-cluster verify\` failed: ${parseGanetiFailure(result.stderr) ?? result.stderr.trim()}`,
          result.code,
        );
      }
      const report = parseClusterVerify(result.stdout);
      const uuids = parseNodeUuids((await run(argv.nodeUuids())).stdout);
      return resolveVerifyUuids(report, uuids);
    },
    names: async (options) => {
      const maxAge = options?.maxAgeMs ?? namesTtl;
      if (namesCache && now() - namesCache.at <= maxAge) return namesCache.value;
      const [n, i] = await Promise.all([run(argv.nodeNames()), run(argv.instanceNames())]);
      namesCache = { at: now(), value: { nodes: lines(n.stdout), instances: lines(i.stdout) } };
      return namesCache.value;
    },
  };
}
