import { masterFailover } from './changes.js';
import { gntNetwork, gntOs } from './cluster-facts.js';
import { clusterInfo } from './cluster-info.js';
import { fail, ok, usage, type SimContext, type SimResult } from './command-context.js';
import { prereqFailure } from './format.js';
import { gntInstance } from './gnt-instance.js';
import { gntJob, gntNode } from './gnt-node-job.js';
import { advanceJobs, finishedJob } from './jobs.js';
import { isSilent, masterNode, nodeByName, type NodeFault, type SimCluster, type SimNode } from './model.js';
import { parseOptions, UsageError } from './options.js';
import { clusterVerify, hbalPlan, hcheck, hspace, htoolsLoadError } from './reports.js';

export type { SimResult } from './command-context.js';

export interface SimulatorDeps {
  cluster: SimCluster;
  /** Epoch ms. Default Date.now. */
  now?: () => number;
  /** Multiplies every job's duration: 1 is the lab's pace, 0.1 ten times faster. Default 1. */
  speed?: number;
}

export interface Simulator {
  readonly cluster: SimCluster;
  /** Runs one argv as if on `node` (default: the master). Never a shell. */
  run(argv: readonly string[], node?: string): SimResult;
  /** Injects a fault on a node, or clears it (null). */
  setFault(node: string, fault: NodeFault | null): void;
}

const notFound = (command: string): SimResult => fail(127, `bash: line 1: ${command}: command not found\n`);

export function createSimulator(deps: SimulatorDeps): Simulator {
  const c = deps.cluster;
  const now = deps.now ?? Date.now;
  const ctx: SimContext = { c, now, speed: deps.speed ?? 1 };

  function gntCluster(sub: string, args: readonly string[], on: SimNode): SimResult {
    switch (sub) {
      case 'getmaster':
        parseOptions(args, {});
        return ok(`${masterNode(c).name}\n`);
      case 'info':
        parseOptions(args, {});
        return ok(clusterInfo(c));
      case 'verify': {
        parseOptions(args, { flags: ['--error-codes'] });
        const t = now();
        const op = (id: string) => ({ opId: id, fields: { error_codes: true, verbose: false } });
        finishedJob(c, t, 'CLUSTER_VERIFY', op('OP_CLUSTER_VERIFY'), ['gnt-cluster', 'verify']);
        const a = finishedJob(c, t, 'CLUSTER_VERIFY_CONFIG', op('OP_CLUSTER_VERIFY_CONFIG'), [
          'gnt-cluster',
          'verify',
        ]);
        const b = finishedJob(c, t, `CLUSTER_VERIFY_GROUP(${c.groupUuid})`, op('OP_CLUSTER_VERIFY_GROUP'), [
          'gnt-cluster',
          'verify',
        ]);
        const report = clusterVerify(c, t, [a.id, b.id]);
        const slow = c.nodes.some((n) => isSilent(n) && !n.offline) ? 50_000 : 0;
        return { code: report.failed ? 1 : 0, stdout: report.stdout, stderr: '', slowMs: slow };
      }
      case 'master-failover': {
        parseOptions(args, { flags: ['--no-voting', '--yes-do-it'] });
        const why = masterFailover(c, on);
        return why === null ? ok('') : fail(1, prereqFailure('wrong_input', why));
      }
      default:
        return usage('gnt-cluster', sub);
    }
  }

  function htools(program: string, args: readonly string[]): SimResult {
    const o = parseOptions(args, { flags: ['-L', '--machine-readable', '-v', '-C'] });
    if (!o.flags.has('-L')) return fail(1, `Error: ${program} needs -L in the simulator\n`);
    const loadError = htoolsLoadError(c);
    if (loadError) return fail(1, loadError);
    const text = program === 'hbal' ? hbalPlan(c) : program === 'hcheck' ? hcheck(c) : hspace(c);
    return ok(text);
  }

  function run(argv: readonly string[], node?: string): SimResult {
    advanceJobs(c, now());
    const on = node === undefined ? masterNode(c) : nodeByName(c, node);
    if (!on) return fail(255, `no such node in the simulator: ${node}\n`);
    const [program = '', sub = '', ...rest] = argv;
    try {
      if (program === 'uname')
        return argv[1] === '-n' && argv.length === 2 ? ok(`${on.name}\n`) : fail(1, 'uname: only -n\n');
      const gnt = program.startsWith('gnt-');
      if (
        gnt &&
        !(program === 'gnt-cluster' && (sub === 'getmaster' || sub === 'master-failover')) &&
        on.role !== 'master'
      )
        return fail(
          1,
          prereqFailure(
            'wrong_input',
            `This is not the master node, please connect to node '${masterNode(c).name}' and rerun the command`,
          ),
        );
      switch (program) {
        case 'gnt-instance':
          return gntInstance(ctx, sub, rest);
        case 'gnt-node':
          return gntNode(ctx, sub, rest);
        case 'gnt-job':
          return gntJob(ctx, sub, rest);
        case 'gnt-cluster':
          return gntCluster(sub, rest, on);
        case 'gnt-os':
          return gntOs(ctx, sub, rest);
        case 'gnt-network':
          return gntNetwork(ctx, sub, rest);
        case 'hbal':
        case 'hcheck':
        case 'hspace':
          return htools(program, argv.slice(1));
        default:
          return notFound(program);
      }
    } catch (error) {
      if (error instanceof UsageError)
        return fail(2, `Usage: ${argv.slice(0, 2).join(' ')} ...\n\n${program}: error: ${error.message}\n`);
      throw error;
    }
  }

  return {
    cluster: c,
    run,
    setFault(name, fault) {
      const node = nodeByName(c, name);
      if (!node) throw new Error(`no node ${name} in the simulated cluster`);
      if (fault === 'powered-off') {
        for (const i of c.instances) if (i.pnode === name) i.running = false;
        node.bootId = `${node.bootId.slice(0, -4)}${(parseInt(node.bootId.slice(-4), 16) + 1).toString(16).padStart(4, '0').slice(-4)}`;
      }
      node.fault = fault;
    },
  };
}
