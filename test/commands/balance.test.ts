import { describe, expect, it } from 'vitest';
import { argv } from '../../src/cluster/argv.js';
import { createGanetiClient } from '../../src/cluster/ganeti-client.js';
import { balance } from '../../src/commands/defs/balance.js';
import type { BalanceResult } from '../../src/commands/results.js';
import { fixtureShell, type Scripted } from '../fakes/fixture-shell.js';

const cmd = (a: string[]) => a.join(' ');

async function run(answer: Scripted): Promise<BalanceResult> {
  const shell = fixtureShell({ [cmd(argv.hbalPlan())]: answer });
  return (await balance.run(
    { cluster: createGanetiClient({ shell }), progress: () => undefined, help: [], now: () => 0 },
    {},
  )) as BalanceResult;
}

describe('the balance command', () => {
  it('runs hbal as a dry run only: -C prints the plan, and there is no -X', () => {
    expect(argv.hbalPlan()).toEqual(['hbal', '-L', '-v', '-C']);
    expect(argv.hbalPlan()).not.toContain('-X');
  });

  it('reads the real plan of the lab, ignoring the warnings on stderr', async () => {
    const result = await run({
      stdout: { fixture: 'hbal.L-dry-run-verbose.txt' },
      stderr: { fixture: 'hbal.L-dry-run-verbose.stderr.txt' },
    });
    expect(result.plan).toMatchObject({
      ok: true,
      report: { initialScore: 2.12382355, moves: [], jobsets: [] },
    });
  });

  it('answers that hbal cannot plan while a node does not answer (exit 1), instead of failing', async () => {
    const result = await run({
      stdout: { fixture: 'hbal.L.node3-unreachable.txt' },
      stderr: { fixture: 'hbal.L.node3-unreachable.stderr.txt' },
      code: 1,
    });
    expect(result.plan).toEqual({
      ok: false,
      failure: {
        message:
          "failed to load data, aborting: Node 'node3.ganeti.test', error while reading attribute 'mtotal': No data for a field",
        unreachableNode: 'node3.ganeti.test',
      },
    });
  });
});
