import { describe, expect, it } from 'vitest';
import { argv } from '../../../src/cluster/argv.js';
import { parseHbal } from '../../../src/cluster/parsers/hbal.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';
import { HBAL_DOCUMENTED_EXAMPLE as DOCUMENTED_EXAMPLE } from './hbal-documented-example.js';

const noMoves = {
  nodes: 3,
  instances: 4,
  group: 'default',
  badNodes: 0,
  badInstances: 0,
  initialScore: 2.12382355,
  finalScore: 2.12382355,
  alreadyBalanced: false,
  empty: false,
  moves: [],
  jobsets: [],
  notes: [],
};

describe('parseHbal on real output (the lab never needs a move)', () => {
  it('reads `hbal -L -v -C`, the argv the client runs: balanced, no moves, no commands', () => {
    expect(readFixtureRaw('hbal.L-dry-run-verbose.txt').split('\n')[0]).toBe(
      `$ ${argv.hbalPlan().join(' ')}`,
    );
    expect(parseHbal(readFixture('hbal.L-dry-run-verbose.txt'))).toEqual(noMoves);
  });

  it('reads `hbal -L -C` without -v the same way', () => {
    expect(parseHbal(readFixture('hbal.L-C.txt'))).toEqual(noMoves);
  });

  it('keeps hbal’s warnings about an offline node as notes (plain `hbal -L`, no command list)', () => {
    const plan = parseHbal(readFixture('hbal.L.node3-offline.txt'));
    expect(plan.initialScore).toBe(22.25265505);
    expect(plan.moves).toEqual([]);
    expect(plan.notes).toEqual([
      'The cluster contains 1 policy-violating nodes.',
      'Continuing, but the set of moves might be too restricted; consider using the --ignore-soft-errors option.',
    ]);
  });
});

describe('parseHbal on an example built from the documented format', () => {
  const plan = parseHbal(DOCUMENTED_EXAMPLE);

  it('reads the moves with full names again, nodes before and after, and the actions', () => {
    expect(plan.initialScore).toBe(12.3456789);
    expect(plan.finalScore).toBe(1.05);
    expect(plan.moves).toEqual([
      {
        step: 1,
        instance: 'web1.example.org',
        from: { primary: 'node1.example.org', secondary: null },
        to: { primary: 'node3.example.org', secondary: null },
        scoreAfter: 7.5,
        actions: 'fa:node3',
      },
      {
        step: 2,
        instance: 'web2.example.org',
        from: { primary: 'node2.example.org', secondary: null },
        to: { primary: 'node4.example.org', secondary: null },
        scoreAfter: 3.25,
        actions: 'fa:node4',
      },
      {
        step: 3,
        instance: 'db1.example.org',
        from: { primary: 'node1.example.org', secondary: 'node2.example.org' },
        to: { primary: 'node3.example.org', secondary: 'node2.example.org' },
        scoreAfter: 1.05,
        actions: 'f r:node3 f',
      },
    ]);
  });

  it('keeps the commands as argv, grouped in jobsets and jobs, ready to be executed in order', () => {
    expect(plan.jobsets).toEqual([
      [
        {
          instance: 'web1.example.org',
          commands: [['gnt-instance', 'migrate', '-f', '-n', 'node3.example.org', 'web1.example.org']],
        },
        {
          instance: 'web2.example.org',
          commands: [['gnt-instance', 'failover', '-f', '-n', 'node4.example.org', 'web2.example.org']],
        },
      ],
      [
        {
          instance: 'db1.example.org',
          commands: [
            ['gnt-instance', 'migrate', '-f', 'db1.example.org'],
            ['gnt-instance', 'replace-disks', '-n', 'node3.example.org', 'db1.example.org'],
            ['gnt-instance', 'migrate', '-f', 'db1.example.org'],
          ],
        },
      ],
    ]);
  });

  it('keeps the names as printed when hbal did not say what it stripped (no -v)', () => {
    const bare = parseHbal(DOCUMENTED_EXAMPLE.replace(/^Note: .*\n/m, ''));
    expect(bare.moves[0]?.instance).toBe('web1');
    expect(bare.jobsets[0]?.[0]?.commands[0]).toEqual([
      'gnt-instance',
      'migrate',
      '-f',
      '-n',
      'node3',
      'web1',
    ]);
  });

  it('reads "already well balanced" as no moves, without a command list', () => {
    const quiet = parseHbal(
      [
        'Loaded 3 nodes, 4 instances',
        'Group size 3 nodes, 4 instances',
        'Selected node group: default',
        'Initial check done: 0 bad nodes, 0 bad instances.',
        'Initial score: 0.00000001',
        'Cluster is already well balanced (initial score 1e-08,',
        'optimum score due to N+1 reservations 0,',
        'minimum score 1e-09).',
        'Nothing to do, exiting',
      ].join('\n'),
    );
    expect(quiet).toMatchObject({
      alreadyBalanced: true,
      initialScore: 1e-8,
      finalScore: 1e-8,
      moves: [],
      notes: [],
    });
  });

  it('reads an empty cluster', () => {
    expect(parseHbal('Loaded 3 nodes, 0 instances\nCluster is empty, exiting.\n')).toMatchObject({
      empty: true,
      instances: 0,
      moves: [],
    });
  });
});

describe('parseHbal refuses a plan it cannot trust (it will be executed)', () => {
  it('an unknown line in the command list', () => {
    expect(() =>
      parseHbal(DOCUMENTED_EXAMPLE.replace('    echo job 1/2', '    echo job 1/2\n    rm -rf /')),
    ).toThrow(/unexpected line in the command list: "rm -rf \/"/);
  });

  it('a jobset with fewer jobs than it announces', () => {
    expect(() =>
      parseHbal(DOCUMENTED_EXAMPLE.replace('echo jobset 2, 1 jobs', 'echo jobset 2, 2 jobs')),
    ).toThrow(/jobset 2 announces 2 jobs but lists 1/);
  });

  it('commands that do not match the moves', () => {
    const dropped = DOCUMENTED_EXAMPLE.replace(/ {2}\n {2}echo jobset 2[\s\S]*$/, '');
    expect(() => parseHbal(dropped)).toThrow(/does not match the 3 moves/);
    expect(() => parseHbal(DOCUMENTED_EXAMPLE.replace('Solution length=3', 'Solution length=2'))).toThrow(
      /solution length 2 but 3 moves/,
    );
  });

  it('a job naming two instances, or jobs out of order', () => {
    expect(() =>
      parseHbal(DOCUMENTED_EXAMPLE.replace('replace-disks -n node3 db1', 'replace-disks -n node3 web1')),
    ).toThrow(/does not name exactly one instance/);
    expect(() => parseHbal(DOCUMENTED_EXAMPLE.replace('echo job 1/2', 'echo job 1/3'))).toThrow(
      /unexpected line/,
    );
  });

  it('moves without a command list', () => {
    expect(() => parseHbal(DOCUMENTED_EXAMPLE.replace(/\nCommands to run[\s\S]*$/, ''))).toThrow(
      /no command list/,
    );
  });
});
