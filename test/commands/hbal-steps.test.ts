import { describe, expect, it } from 'vitest';
import { submitArgv } from '../../src/cluster/actions.js';
import { parseHbal } from '../../src/cluster/parsers/hbal.js';
import { hbalSteps } from '../../src/commands/hbal-steps.js';
import { readFixture } from '../support/fixtures.js';
import { HBAL_DOCUMENTED_EXAMPLE } from '../cluster/parsers/hbal-documented-example.js';

describe('hbalSteps (rebalance runs hbal’s plan itself, step by step)', () => {
  it('turns each command of the (documented-format) plan into one action, in hbal’s order', () => {
    const steps = hbalSteps(parseHbal(HBAL_DOCUMENTED_EXAMPLE));
    expect(steps.map((s) => [s.key, s.action])).toEqual([
      [
        'move-1-1-1',
        {
          op: 'instance-migrate',
          instance: 'web1.example.org',
          target: 'node3.example.org',
          allowFailover: false,
        },
      ],
      ['move-1-2-1', { op: 'instance-failover', instance: 'web2.example.org', target: 'node4.example.org' }],
      [
        'move-2-1-1',
        { op: 'instance-migrate', instance: 'db1.example.org', target: null, allowFailover: false },
      ],
      [
        'move-2-1-2',
        { op: 'instance-replace-secondary', instance: 'db1.example.org', node: 'node3.example.org' },
      ],
      [
        'move-2-1-3',
        { op: 'instance-migrate', instance: 'db1.example.org', target: null, allowFailover: false },
      ],
    ]);
  });

  it('submits a secondary replacement with replace-disks -n, without a prompt', () => {
    expect(
      submitArgv(
        { op: 'instance-replace-secondary', instance: 'db1.example.org', node: 'node3.example.org' },
        'R',
      ),
    ).toEqual([
      'gnt-instance',
      'replace-disks',
      '-n',
      'node3.example.org',
      '--submit',
      '--reason',
      'R',
      '--',
      'db1.example.org',
    ]);
  });

  it('has nothing to run for the lab’s real, balanced output', () => {
    expect(hbalSteps(parseHbal(readFixture('hbal.L-C.txt')))).toEqual([]);
  });

  it('refuses a plan with a command it does not know, naming it', () => {
    const plan = parseHbal(HBAL_DOCUMENTED_EXAMPLE);
    const first = plan.jobsets[0]?.[0];
    if (first) first.commands[0] = ['gnt-instance', 'move', '-n', 'node3.example.org', 'web1.example.org'];
    expect(() => hbalSteps(plan)).toThrowError(
      /hbal proposes `gnt-instance move -n node3.example.org web1.example.org`, which the bot does not run/,
    );
  });
});
