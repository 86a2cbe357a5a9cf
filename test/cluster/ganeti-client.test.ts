import { describe, expect, it } from 'vitest';
import { submitArgv } from '../../src/cluster/actions.js';
import { argv } from '../../src/cluster/argv.js';
import { createGanetiClient } from '../../src/cluster/ganeti-client.js';
import { GanetiCommandError } from '../../src/core/errors.js';
import { fixtureShell } from '../fakes/fixture-shell.js';

const cmd = (a: string[]) => a.join(' ');

describe('argv builders', () => {
  it('ask for explicit fields with a separator the parsers know', () => {
    expect(argv.nodeList()).toEqual([
      'gnt-node',
      'list',
      '--no-headers',
      '--separator=|',
      '-o',
      'name,mtotal,mnode,mfree,dtotal,dfree,pinst_cnt,sinst_cnt,offline,drained,master_candidate,role',
    ]);
  });

  it('end the options before a name, so a name can never be read as an option', () => {
    expect(argv.instanceInfo('inst1.ganeti.test')).toEqual([
      'gnt-instance',
      'info',
      '--',
      'inst1.ganeti.test',
    ]);
    expect(argv.jobInfo(20)).toEqual(['gnt-job', 'info', '--', '20']);
  });
});

describe('createGanetiClient', () => {
  it('parses the node list of a cluster with an unreachable node', async () => {
    const shell = fixtureShell({
      [cmd(argv.nodeList())]: { stdout: { fixture: 'gnt-node_list.fields.node3-unreachable.txt' } },
    });
    const nodes = await createGanetiClient({ shell }).nodes();
    expect(nodes.map((n) => [n.name, n.reachability])).toEqual([
      ['node1.ganeti.test', 'ok'],
      ['node2.ganeti.test', 'ok'],
      ['node3.ganeti.test', 'unreachable'],
    ]);
  });

  it("turns a failed gnt-* command into Ganeti's own error text", async () => {
    const shell = fixtureShell({
      [cmd(argv.instanceInfo('nosuch.ganeti.test'))]: {
        stderr: { fixture: 'error.gnt-instance_info.nonexistent.stderr.txt' },
        code: 1,
      },
      [cmd(argv.instanceFacts('nosuch.ganeti.test'))]: {
        stderr: { fixture: 'gnt-instance_list.facts.unknown.stderr.txt' },
        code: 1,
      },
    });
    const client = createGanetiClient({ shell });
    const full = await client.instanceInfo('nosuch.ganeti.test', { full: true }).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(GanetiCommandError);
    expect((full as GanetiCommandError).userMessage).toContain("Instance 'nosuch.ganeti.test' not known");
    const facts = await client.instanceInfo('nosuch.ganeti.test').catch((e: unknown) => e);
    expect(facts).toBeInstanceOf(GanetiCommandError);
    expect((facts as GanetiCommandError).userMessage).toContain('Instance name nosuch.ganeti.test not found');
  });

  it('reads /ganeti info as a list query, without the Ganeti job of gnt-instance info', async () => {
    const shell = fixtureShell({
      [cmd(argv.instanceFacts('inst4.ganeti.test'))]: {
        stdout: { fixture: 'gnt-instance_list.facts.inst4.txt' },
      },
    });
    const info = await createGanetiClient({ shell }).instanceInfo('inst4.ganeti.test');
    expect(shell.calls).toEqual([argv.instanceFacts('inst4.ganeti.test')]);
    expect(info).toMatchObject({
      name: 'inst4.ganeti.test',
      state: { configured: 'down', actual: 'down' },
      primaryNode: 'node1.ganeti.test',
      secondaryNodes: [],
      os: 'noop',
      hypervisor: 'fake',
      diskTemplate: 'diskless',
      memoryMiB: 256,
      vcpus: 1,
      nics: [{ mac: 'aa:00:00:e5:5e:6b', ip: '198.51.100.104', mode: 'routed', link: '100' }],
      disks: [],
      createdAt: '2026-12-02 01:24:14',
      networkPort: null,
    });
  });

  it('accepts exit 1 from verify as a report with errors, streams its steps and names nodes given by UUID', async () => {
    const shell = fixtureShell({
      [cmd(argv.verify())]: {
        stdout: { fixture: 'gnt-cluster_verify.error-codes.node3-unreachable.txt' },
        code: 1,
      },
      [cmd(argv.nodeUuids())]: { stdout: 'node3.ganeti.test|ffa32023-b70c-4797-8613-8b8b6ee6da64\n' },
    });
    const steps: string[] = [];
    const report = await createGanetiClient({ shell }).verify((s) => steps.push(s));
    expect(steps[0]).toBe('Verifying cluster config');
    expect(steps).toContain('Verifying N+1 Memory redundancy');
    const hooks = report.findings.find((f) => f.code === 'ENODEHOOKS');
    expect(hooks?.item).toBe('node3.ganeti.test');
    expect(report.findings.filter((f) => f.severity === 'ERROR').length).toBeGreaterThan(5);
  });

  it('shares one call among identical reads in flight, and reads again once it is done', async () => {
    const shell = fixtureShell({
      [cmd(argv.nodeList())]: { stdout: { fixture: 'gnt-node_list.fields.node3-unreachable.txt' } },
      [cmd(argv.jobOps())]: { stdout: '' },
      [cmd(argv.instanceList())]: { stdout: { fixture: 'gnt-instance_list.fields.txt' } },
    });
    const client = createGanetiClient({ shell });
    const answers = await Promise.all(Array.from({ length: 50 }, () => client.nodes()));
    expect(shell.calls).toHaveLength(1);
    expect(answers.every((a) => a.length === 3)).toBe(true);
    await client.nodes();
    expect(shell.calls).toHaveLength(2);
    // A read with a bound of its own (the monitor's poll) never joins one without, nor the reverse.
    await Promise.all([client.instances(), client.instancesWithin(8_000), client.instancesWithin(8_000)]);
    expect(shell.calls).toHaveLength(4);
    // The exactly-once lookup before a submit never joins a read that started before it.
    await Promise.all([client.findJobs('req=a'), client.findJobs('req=a')]);
    expect(shell.calls).toHaveLength(6);
  });

  it('never shares a submission, even of the same action', async () => {
    const action = { op: 'instance-startup', instance: 'inst4.ganeti.test' } as const;
    const shell = fixtureShell({
      [cmd(submitArgv(action, 'why'))]: { stderr: 'JobID: 12\n' },
    });
    const client = createGanetiClient({ shell });
    expect(await Promise.all([client.submit(action, 'why'), client.submit(action, 'why')])).toEqual([12, 12]);
    expect(shell.calls).toHaveLength(2);
  });

  it('answers names from its cache until it is older than asked for', async () => {
    let t = 0;
    const shell = fixtureShell({
      [cmd(argv.nodeNames())]: { stdout: 'node1.ganeti.test\n' },
      [cmd(argv.instanceNames())]: { stdout: 'inst1.ganeti.test\ninst2.ganeti.test\n' },
    });
    const client = createGanetiClient({ shell, now: () => t, namesTtlMs: 1000 });
    expect(await client.names()).toEqual({
      nodes: ['node1.ganeti.test'],
      instances: ['inst1.ganeti.test', 'inst2.ganeti.test'],
    });
    t = 500;
    await client.names();
    expect(shell.calls).toHaveLength(2);
    await client.names({ maxAgeMs: 0 });
    expect(shell.calls).toHaveLength(4);
  });
});
