import { describe, expect, it } from 'vitest';
import { createMasterShell, decideMaster, type CandidateAnswer } from '../../src/cluster/master-shell.js';
import { ClusterUnavailableError } from '../../src/core/errors.js';
import type { ExecResult, RemoteTransport } from '../../src/cluster/transport.js';
import { captureLogger } from '../support/capture-logger.js';

const testLogger = () => captureLogger('silent').logger;

const answer = (self: string | null, says: string | null, error: string | null = null): CandidateAnswer => ({
  label: `root@${self ?? 'silent'}:22`,
  self,
  says,
  error,
});

/** A candidate that answers getmaster and uname -n as a node with this view of the cluster. */
function candidate(self: string, says: () => string | null): RemoteTransport & { ran: string[][] } {
  const ran: string[][] = [];
  return {
    label: `root@${self}:22`,
    ran,
    async exec(argv): Promise<ExecResult> {
      const master = says();
      if (master === null) throw new ClusterUnavailableError(`root@${self}:22 timed out`);
      ran.push([...argv]);
      if (argv[0] === 'gnt-cluster' && argv[1] === 'getmaster')
        return { stdout: `${master}\n`, stderr: '', code: 0 };
      if (argv[0] === 'uname') return { stdout: `${self}\n`, stderr: '', code: 0 };
      return { stdout: `ran on ${self}`, stderr: '', code: 0 };
    },
    close: async () => undefined,
  };
}

describe('decideMaster', () => {
  it('takes the master every candidate names, when it answers as itself', () => {
    const d = decideMaster([
      answer('node1.ganeti.test', 'node1.ganeti.test'),
      answer('node2.ganeti.test', 'node1.ganeti.test'),
    ]);
    expect(d).toEqual({ master: 'node1.ganeti.test', named: 'node1.ganeti.test', rivals: [] });
  });

  it('names a silent master but does not take it', () => {
    const d = decideMaster([
      answer(null, null, 'timed out'),
      answer('node2.ganeti.test', 'node1.ganeti.test'),
      answer('node3.ganeti.test', 'node1.ganeti.test'),
    ]);
    expect(d).toEqual({ master: null, named: 'node1.ganeti.test', rivals: [] });
  });

  it('outvotes an old master that came back still claiming the role after a failover', () => {
    const d = decideMaster([
      answer('node1.ganeti.test', 'node1.ganeti.test'),
      answer('node2.ganeti.test', 'node2.ganeti.test'),
      answer('node3.ganeti.test', 'node2.ganeti.test'),
    ]);
    expect(d).toEqual({
      master: 'node2.ganeti.test',
      named: 'node2.ganeti.test',
      rivals: ['node1.ganeti.test'],
    });
  });
});

describe('createMasterShell', () => {
  it('runs commands on the master most candidates name, and on a named candidate when asked', async () => {
    let master = 'node1.ganeti.test';
    const c1 = candidate('node1.ganeti.test', () => 'node1.ganeti.test');
    const c2 = candidate('node2.ganeti.test', () => master);
    const c3 = candidate('node3.ganeti.test', () => master);
    const shell = createMasterShell([c1, c2, c3], { logger: testLogger() });
    expect(await shell.master()).toBe('node1.ganeti.test');
    master = 'node2.ganeti.test';
    shell.forget();
    expect(await shell.master()).toBe('node2.ganeti.test');
    expect((await shell.exec(['gnt-node', 'list'])).stdout).toBe('ran on node2.ganeti.test');
    expect((await shell.execOn('node3', ['gnt-cluster', 'master-failover'])).stdout).toBe(
      'ran on node3.ganeti.test',
    );
  });

  it('says the master does not answer when the others still name it', async () => {
    const shell = createMasterShell(
      [candidate('node1.ganeti.test', () => null), candidate('node2.ganeti.test', () => 'node1.ganeti.test')],
      { logger: testLogger() },
    );
    await expect(shell.master()).rejects.toThrow(/The master `node1\.ganeti\.test` does not answer/);
    const survey = await shell.survey();
    expect(survey.answers.map((a) => a.self)).toEqual([null, 'node2.ganeti.test']);
  });
});
