/**
 * Properties of the argv builders (src/cluster/argv.ts, src/cluster/actions.ts) fed with any
 * normalised Ganeti name, job id and request:
 * - every element is a non-empty string and the options come first: exactly one `--`, followed
 *   by exactly the one name or id, so a name can never be read as an option;
 * - where a name or id is expected the element is that value itself, with no shell syntax, and
 *   needs no quoting at all (quoteArg leaves it as is: what the logs show is what ran);
 * - option/value pairs stay together: `-n` is followed by the target, `--reason` by the whole
 *   reason (one element, spaces and all), `--drained`/`--offline` by yes or no;
 * - the reason token a crashed operation looks for matches its own step's reason and no other's.
 *
 * Inside properties we assert with node:assert: vitest's expect costs ~20 µs a call.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reasonText, reasonToken, submitArgv, type GanetiAction } from '../../src/cluster/actions.js';
import { argv } from '../../src/cluster/argv.js';
import { quoteArg } from '../../src/cluster/shell-quote.js';
import { newRequestId } from '../../src/queue/payloads.js';
import { NORMALISED_NAME, UNSAFE_WORD, longValidName, validName } from './arbitraries.js';

const RUNS = 5_000;

const name = fc.oneof({ weight: 9, arbitrary: validName }, { weight: 1, arbitrary: longValidName });
const jobId = fc.integer({ min: 1, max: 2 ** 31 });

const action: fc.Arbitrary<GanetiAction> = fc.oneof(
  name.map((instance) => ({ op: 'instance-startup' as const, instance })),
  name.map((instance) => ({ op: 'instance-shutdown' as const, instance })),
  fc.record({ op: fc.constant('instance-reboot' as const), instance: name, hard: fc.boolean() }),
  fc.record({ op: fc.constant('instance-failover' as const), instance: name, target: fc.option(name) }),
  fc.record({
    op: fc.constant('instance-migrate' as const),
    instance: name,
    target: fc.option(name),
    allowFailover: fc.boolean(),
  }),
  fc.record({ op: fc.constant('instance-replace-secondary' as const), instance: name, node: name }),
  fc.record({
    op: fc.constant('node-set' as const),
    node: name,
    flag: fc.constantFrom('drained' as const, 'offline' as const),
    value: fc.boolean(),
  }),
  name.map((node) => ({ op: 'node-evacuate-secondaries' as const, node })),
);

/** Request ids as the bot makes them (payloads.ts), and the step keys plans use. */
const requestId = fc
  .tuple(fc.integer({ min: 1, max: 2 ** 42 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
  .map(([now, r]) => newRequestId(now, () => r));
const stepKey = fc.oneof(
  name,
  name.map((n) => `offline-${n}`),
  name.map((n) => `secondaries-${n}`),
  jobId.map((id) => `cancel-${id}`),
  fc.constantFrom('reboot', 'shutdown', 'start'),
);
const slackUser = fc.stringMatching(/^[UW][A-Z0-9]{8,10}$/);
const request = fc.record({
  requestId,
  stepKey,
  requester: slackUser,
  approver: fc.option(slackUser),
});

/** Where the value after `option` is; the option must appear exactly once. */
function valueIndex(args: readonly string[], option: string): number {
  assert.equal(args.filter((a) => a === option).length, 1, `${option} once in ${args.join(' ')}`);
  return args.indexOf(option) + 1;
}

/** The value right after `option`, which must appear exactly once. */
function valueOf(args: readonly string[], option: string): string | undefined {
  return args[valueIndex(args, option)];
}

describe('submitArgv (property)', () => {
  it('ends the options with one "--" before the single name, and pairs every option with its value', () => {
    fc.assert(
      fc.property(action, request, (a, r) => {
        const reason = reasonText(r);
        const args = submitArgv(a, reason);
        for (const element of args) {
          assert.equal(typeof element, 'string');
          assert.notEqual(element, '');
        }
        const subject = 'instance' in a ? a.instance : a.node;
        assert.equal(args[0], 'instance' in a ? 'gnt-instance' : 'gnt-node');
        assert.deepEqual(args.slice(valueIndex(args, '--')), [subject]);
        assert.match(subject, NORMALISED_NAME);
        assert.doesNotMatch(subject, UNSAFE_WORD);
        assert.equal(quoteArg(subject), subject);

        assert.equal(valueOf(args, '--submit'), '--reason');
        assert.equal(valueOf(args, '--reason'), reason);
        const node = a.op === 'instance-replace-secondary' ? a.node : 'target' in a ? a.target : null;
        if (node === null) assert.ok(!args.includes('-n'));
        else {
          assert.equal(valueOf(args, '-n'), node);
          assert.equal(quoteArg(node), node);
        }
        if (a.op === 'node-set') assert.equal(valueOf(args, `--${a.flag}`), a.value ? 'yes' : 'no');

        // Everything else before `--` is a constant of ours: a subcommand, an option, yes or no.
        const constants = args.slice(1, args.indexOf('--')).filter((x) => x !== reason && x !== node);
        for (const word of constants) assert.match(word, /^-{0,2}[a-z][a-z-]*(=[a-z]+)?$/);
      }),
      { numRuns: RUNS },
    );
  });

  it('puts a reason that a step can be found by, and no other step', () => {
    fc.assert(
      fc.property(request, request, (mine, other) => {
        const text = reasonText(mine);
        assert.ok(!text.startsWith('-'));
        assert.ok(text.includes(reasonToken(mine.requestId, mine.stepKey)));
        const same = mine.requestId === other.requestId && mine.stepKey === other.stepKey;
        assert.equal(text.includes(reasonToken(other.requestId, other.stepKey)), same);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('argv builders (property)', () => {
  it('passes a name or job id after "--" as one element, unchanged and unquoted', () => {
    fc.assert(
      fc.property(name, jobId, (n, id) => {
        assert.deepEqual(argv.instanceInfo(n), ['gnt-instance', 'info', '--', n]);
        for (const args of [argv.jobInfo(id), argv.jobCancel(id)]) {
          assert.deepEqual(args.slice(valueIndex(args, '--')), [String(id)]);
          assert.match(args.at(-1) ?? '', /^[1-9][0-9]*$/);
        }
        assert.equal(quoteArg(n), n);
      }),
      { numRuns: RUNS },
    );
  });

  it('builds the fixed commands from constants: -o is always followed by a field list', () => {
    for (const [builder, build] of Object.entries(argv)) {
      if (build.length > 0) continue;
      const args = (build as () => string[])();
      expect(args, builder).toEqual((build as () => string[])());
      expect(args[0], builder).toMatch(/^[a-z-]+$/);
      if (args.includes('-o')) expect(valueOf(args, '-o'), builder).toMatch(/^[a-z_/]+(,[a-z_/]+)*$/);
    }
    for (const noVoting of [true, false]) {
      expect(argv.masterFailover(noVoting).slice(0, 2)).toEqual(['gnt-cluster', 'master-failover']);
    }
  });
});
