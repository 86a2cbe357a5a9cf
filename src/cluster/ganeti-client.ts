import { GanetiCommandError } from '../core/errors.js';
import { argv } from './argv.js';
import type { MasterShell, MasterSurvey } from './master-shell.js';
import { parseNodeHealthList, type NodeHealthRow } from './parsers/node-health-list.js';
import { parseClusterVerify, parseVerifyStepLine, resolveVerifyUuids } from './parsers/cluster-verify.js';
import { parseInstanceFacts } from './parsers/instance-facts.js';
import { parseInstanceInfo } from './parsers/instance-info.js';
import { parseInstanceList } from './parsers/instance-list.js';
import { parseJobInfo } from './parsers/job-info.js';
import { parseJobList } from './parsers/job-list.js';
import { parseNodeList } from './parsers/node-list.js';
import { parseNodeUuids } from './parsers/node-uuids.js';
import { parseGanetiFailure } from './parsers/submit-output.js';
import type { ExecOptions, ExecResult } from './transport.js';
import { parseHbal, type HbalPlan } from './parsers/hbal.js';
import { parseHcheck, type HcheckReport } from './parsers/hcheck.js';
import { parseHspace, type HspaceReport } from './parsers/hspace.js';
import { parseHtoolsFailure, type HtoolsOutcome } from './parsers/htools-output.js';
import { submitArgv, type GanetiAction } from './actions.js';
import { findJobsMentioning } from './parsers/job-ops.js';
import { parseSubmitOutput } from './parsers/submit-output.js';
import { parseClusterInfo, type ClusterSettings } from './parsers/cluster-info.js';
import { parseNetworkList, type GanetiNetwork } from './parsers/network-list.js';
import { parseOsList } from './parsers/os-list.js';
import type {
  GanetiInstance,
  GanetiNode,
  InstanceInfo,
  JobInfo,
  JobStatus,
  JobSummary,
  VerifyReport,
} from './types.js';

/** What a new instance can be made of: the cluster's settings, OS definitions and networks. */
export interface CreateOptions {
  settings: ClusterSettings;
  oses: string[];
  networks: GanetiNetwork[];
}

/** What the commands need from a Ganeti cluster, in Ganeti's terms. */
export interface GanetiClient {
  /** False when SSH host keys are not checked (the insecure flag): `/ganeti status` says so. */
  readonly hostKeysChecked?: boolean;
  master(): Promise<string>;
  nodes(): Promise<GanetiNode[]>;
  /** The monitor's poll of every node; `timeoutMs` bounds a master that does not answer. */
  nodeHealth(options?: { timeoutMs?: number }): Promise<NodeHealthRow[]>;
  /** `instances()` with a bound on the wait, for the monitor. */
  instancesWithin(timeoutMs: number): Promise<GanetiInstance[]>;
  /** Every master candidate asked who the master is (for a master that went silent). */
  survey(options?: { timeoutMs?: number }): Promise<MasterSurvey>;
  /**
   * `gnt-cluster master-failover` run on `node` (not a job: it takes tens of seconds). Resolves
   * with what it printed; a GanetiCommandError when it failed. The master is looked up afresh after.
   */
  masterFailover(node: string, options: { noVoting: boolean }): Promise<string>;
  instances(): Promise<GanetiInstance[]>;
  /** What `/ganeti info` shows (a list query); `full` adds hypervisor parameters (`gnt-instance info`, a Ganeti job: slower). */
  instanceInfo(name: string, options?: { full?: boolean }): Promise<InstanceInfo>;
  jobs(): Promise<JobSummary[]>;
  /** Null when Ganeti has no such job (any more). */
  job(id: number): Promise<JobInfo | null>;
  /** `gnt-cluster verify`; `onStep` gets each step as it starts (it can take a minute). */
  verify(onStep?: (step: string) => void): Promise<VerifyReport>;
  /** Node and instance names, from the configuration only (fast, no node is asked). */
  names(options?: { maxAgeMs?: number }): Promise<{ nodes: string[]; instances: string[] }>;
  /**
   * Submits one action as a Ganeti job and returns its id. A GanetiCommandError means Ganeti
   * refused it (nothing was queued); a ClusterUnavailableError means the outcome is unknown.
   */
  submit(action: GanetiAction, reason: string): Promise<number>;
  /** Jobs whose reason trail contains `token` (see reasonToken). */
  findJobs(token: string): Promise<Array<{ id: number; status: JobStatus }>>;
  /** `gnt-job cancel`: Ganeti cancels only jobs that have not started. */
  cancelJob(id: number): Promise<{ cancelled: boolean; message: string }>;
  /**
   * `hcheck`: Ganeti's N+1, offline-node and balance check. Like the other htools it answers
   * `ok: false` (not an error) when it cannot load the cluster, e.g. a node that does not answer.
   */
  hcheck(): Promise<HtoolsOutcome<HcheckReport>>;
  /** `hspace`: how many more instances of the standard and tiered specs fit. */
  hspace(): Promise<HtoolsOutcome<HspaceReport>>;
  /** `hbal -C` without `-X`: the moves hbal would make; nothing is executed. */
  hbalPlan(): Promise<HtoolsOutcome<HbalPlan>>;
  /** For `/ganeti create`: `gnt-cluster info`, `gnt-os list` and `gnt-network list`, read together. */
  createOptions(): Promise<CreateOptions>;
  /** Cluster calls made, and reads that joined one already in flight instead. */
  callStats?(): { calls: number; joined: number };
}

export interface GanetiClientDeps {
  shell: MasterShell;
  /** False when the transports do not check host keys. Default true. */
  hostKeysChecked?: boolean;
  now?: () => number;
  /** How long names() answers from its cache. Default 30 s. */
  namesTtlMs?: number;
  /** Timeout for gnt-cluster verify, which takes ~55 s with a node down. Default 10 min. */
  verifyTimeoutMs?: number;
  /** Timeout for hbal, hcheck and hspace (under a second on 3 nodes; minutes on big clusters). Default 5 min. */
  htoolsTimeoutMs?: number;
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

  /**
   * Identical reads in flight share one cluster call: a burst of `/ganeti instances` costs a
   * handful of reads, not one each. A caller that joins gets data at most one read's duration
   * older than its question (a quarter of a second for live fields), never a result kept from an
   * earlier read.
   */
  const inFlight = new Map<string, Promise<ExecResult>>();
  const counts = { calls: 0, joined: 0 };
  const exec = (command: readonly string[], options?: ExecOptions) => {
    counts.calls += 1;
    return deps.shell.exec(command, options);
  };
  function read(command: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    // The bound is part of the call: the monitor's reads must end within theirs, and a user's
    // read must not fail at the monitor's shorter one.
    const key = `${options?.timeoutMs ?? ''}\0${command.join('\0')}`;
    const running = inFlight.get(key);
    if (running) {
      counts.joined += 1;
      return running;
    }
    const call = exec(command, options).finally(() => inFlight.delete(key));
    inFlight.set(key, call);
    return call;
  }

  /** Runs a gnt-* command that must succeed; Ganeti's own error text goes to the user. */
  async function run(
    command: readonly string[],
    options?: ExecOptions,
    /** `own`: a call of its own (a change, or a read that must start after the caller asked). */
    call: 'shared' | 'own' = 'shared',
  ): Promise<ExecResult> {
    const result = await (call === 'shared' ? read(command, options) : exec(command, options));
    if (result.code !== 0) {
      const message =
        parseGanetiFailure(result.stderr) ?? (result.stderr.trim() || `exit status ${result.code}`);
      throw new GanetiCommandError(`\`${command.slice(0, 2).join(' ')}\` failed: ${message}`, result.code);
    }
    return result;
  }

  /**
   * Runs an htools program. They warn on stderr even when they succeed ("cluster has
   * inconsistent data", always seen on the fake hypervisor), so stderr counts only when the exit
   * status says it failed. `answered` accepts exit statuses that still carry a full report
   * (hcheck exits 1 when it finds problems). Exit 1 with `Error: …` means the program could not
   * load the cluster: that is an answer for the user, not a crash.
   */
  async function htools<T>(
    command: readonly string[],
    parse: (stdout: string) => T,
    answered: (result: ExecResult) => boolean = () => false,
  ): Promise<HtoolsOutcome<T>> {
    const result = await exec(command, { timeoutMs: deps.htoolsTimeoutMs ?? 300_000 });
    if (result.code === 0 || answered(result)) return { ok: true, report: parse(result.stdout) };
    const failure = result.code === 1 ? parseHtoolsFailure(result.stderr) : null;
    if (failure) return { ok: false, failure };
    throw new GanetiCommandError(
      `\`${command[0]}\` failed: ${result.stderr.trim().split('\n').slice(-3).join(' ') || `exit status ${result.code}`}`,
      result.code,
      result.code === 127
        ? { hint: 'The htools are not installed on the master (Debian: ganeti-htools).' }
        : {},
    );
  }

  return {
    hostKeysChecked: deps.hostKeysChecked ?? true,
    master: () => deps.shell.master(),
    nodes: async () => parseNodeList((await run(argv.nodeList())).stdout),
    nodeHealth: async (options) =>
      parseNodeHealthList(
        (await run(argv.nodeHealth(), options?.timeoutMs ? { timeoutMs: options.timeoutMs } : undefined))
          .stdout,
      ),
    instancesWithin: async (timeoutMs) =>
      parseInstanceList((await run(argv.instanceList(), { timeoutMs })).stdout),
    survey: (options) => deps.shell.survey(options),
    masterFailover: async (node, options) => {
      const result = await deps.shell.execOn(node, argv.masterFailover(options.noVoting), {
        timeoutMs: 300_000,
      });
      deps.shell.forget();
      const output = [result.stdout, result.stderr].join('\n').trim();
      if (result.code !== 0) {
        throw new GanetiCommandError(
          `\`gnt-cluster master-failover\` on ${node} failed: ${parseGanetiFailure(result.stderr) ?? (output || `exit status ${result.code}`)}`,
          result.code,
        );
      }
      return output;
    },
    instances: async () => parseInstanceList((await run(argv.instanceList())).stdout),
    instanceInfo: async (name, options) =>
      options?.full
        ? parseInstanceInfo((await run(argv.instanceInfo(name))).stdout)
        : parseInstanceFacts((await run(argv.instanceFacts(name))).stdout, name),
    jobs: async () => parseJobList((await run(argv.jobList())).stdout),
    job: async (id) => parseJobInfo((await run(argv.jobInfo(id))).stdout),
    verify: async (onStep) => {
      let pending = '';
      const result = await exec(argv.verify(), {
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
    submit: async (action, reason) => {
      const result = await run(submitArgv(action, reason), undefined, 'own');
      const id = parseSubmitOutput(result.stdout, result.stderr);
      if (id === null) {
        // Exit 0 without a job id: Ganeti's output changed. Never guess; the caller reconciles.
        throw new Error(
          `no job id in the output of ${submitArgv(action, reason).slice(0, 2).join(' ')}: ${result.stdout} ${result.stderr}`,
        );
      }
      return id;
    },
    // Exactly-once rests on this read seeing every job submitted before it: never a shared one.
    findJobs: async (token) => findJobsMentioning((await run(argv.jobOps(), undefined, 'own')).stdout, token),
    cancelJob: async (id) => {
      const result = await exec(argv.jobCancel(id));
      const message = (result.stdout.trim() || result.stderr.trim()).split('\n')[0] ?? '';
      return { cancelled: result.code === 0, message };
    },
    hcheck: () => htools(argv.hcheck(), parseHcheck, (r) => r.code === 1 && /^HCHECK_OK=1$/m.test(r.stdout)),
    hspace: () => htools(argv.hspace(), parseHspace),
    hbalPlan: () => htools(argv.hbalPlan(), parseHbal),
    createOptions: async () => {
      const [info, oses, networks] = await Promise.all([
        run(argv.clusterInfo()),
        run(argv.osList()),
        run(argv.networkList()),
      ]);
      return {
        settings: parseClusterInfo(info.stdout),
        oses: parseOsList(oses.stdout),
        networks: parseNetworkList(networks.stdout),
      };
    },
    callStats: () => ({ ...counts }),
  };
}
