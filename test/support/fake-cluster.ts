import { argv } from '../../src/cluster/argv.js';
import type { ClusterAccess } from '../../src/cluster/connect-cluster.js';
import { createGanetiClient } from '../../src/cluster/ganeti-client.js';
import type { MasterShell } from '../../src/cluster/master-shell.js';
import { fixtureShell, type Scripted } from '../fakes/fixture-shell.js';
import { readFixture } from './fixtures.js';

const key = (a: readonly string[]) => a.join(' ');

/** The healthy three-node lab (test/fixtures): what reads and the pre-checks of changes ask. */
export const HEALTHY_LAB: Record<string, Scripted> = {
  [key(argv.nodeList())]: { stdout: { fixture: 'gnt-node_list.fields.txt' } },
  [key(argv.instanceList())]: { stdout: { fixture: 'gnt-instance_list.fields.txt' } },
  [key(argv.nodeNames())]: { stdout: 'node1.ganeti.test\nnode2.ganeti.test\nnode3.ganeti.test\n' },
  [key(argv.instanceNames())]: {
    stdout: 'inst1.ganeti.test\ninst2.ganeti.test\ninst3.ganeti.test\ninst4.ganeti.test\n',
  },
};

/**
 * A cluster for `startHarness({ clusterOverride })`: reads answer from captured output, every
 * `--submit` is recorded and answers `JobID: N` (on stderr, like Ganeti), and every job is a
 * finished success. `submitted` is how a test knows whether anything was asked of Ganeti.
 */
export function fakeCluster(script: Record<string, Scripted> = HEALTHY_LAB): ClusterAccess & {
  submitted: string[][];
  calls: string[][];
} {
  const base = fixtureShell(script);
  const submitted: string[][] = [];
  const exec: MasterShell['exec'] = async (command, options) => {
    if (command.includes('--submit')) {
      submitted.push([...command]);
      return { stdout: '', stderr: `JobID: ${100 + submitted.length}\n`, code: 0 };
    }
    if (key(command) === key(argv.jobOps())) {
      // Ganeti's job list, which the runner asks before submitting: the jobs submitted here.
      const jobs = submitted.map((c, i) => `${101 + i}|success|[{'reason': [['${c.join(' ')}']]}]`);
      return { stdout: jobs.join('\n'), stderr: '', code: 0 };
    }
    if (command[0] === 'gnt-job' && command[1] === 'info')
      return { stdout: readFixture('gnt-job_info.failover.txt'), stderr: '', code: 0 };
    return base.exec(command, options);
  };
  const shell: MasterShell = { ...base, exec, execOn: (_node, command, options) => exec(command, options) };
  return {
    client: createGanetiClient({ shell }),
    shell,
    close: async () => undefined,
    submitted,
    calls: base.calls,
  };
}
