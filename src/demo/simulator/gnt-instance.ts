import { addJob } from './add-job.js';
import { parseAddOptions } from './add-options.js';
import { powerJob, replaceSecondaryJob } from './changes.js';
import { moveJob } from './move-job.js';
import { INSTANCE_FIELDS } from './fields.js';
import { prereqFailure } from './format.js';
import { finishedJob } from './jobs.js';
import { instanceByName, nodeByName } from './model.js';
import { parseOptions } from './options.js';
import { removeJob } from './remove-job.js';
import { instanceInfo } from './reports.js';
import {
  fail,
  instanceName,
  LIST,
  list,
  needsSubmit,
  nodeName,
  ok,
  one,
  REASON,
  submitted,
  SUBMIT,
  usage,
  type SimContext,
  type SimResult,
} from './command-context.js';

/** `gnt-instance list|info|failover|migrate|startup|shutdown|reboot|replace-disks|add|remove`. */
export function gntInstance(ctx: SimContext, sub: string, args: readonly string[]): SimResult {
  const { c, now } = ctx;
  switch (sub) {
    case 'list': {
      const o = parseOptions(args, LIST);
      return list(
        ctx,
        o,
        INSTANCE_FIELDS,
        c.instances,
        (i) => nodeByName(c, i.pnode),
        (n) => instanceByName(c, instanceName(ctx, n)),
        'Instance',
      );
    }
    case 'info': {
      const o = parseOptions(args, { flags: ['-s', '--static'] });
      const name = instanceName(ctx, one(o));
      const i = instanceByName(c, name);
      // `gnt-instance info` is a job (OP_INSTANCE_QUERY_DATA), unlike the list queries.
      const op = { opId: 'OP_INSTANCE_QUERY_DATA', fields: { static: false, use_locking: false } };
      const job = finishedJob(c, now(), 'INSTANCE_QUERY_DATA', op, ['gnt-instance', 'info']);
      if (!i) {
        job.status = 'error';
        job.error = {
          kind: 'OpPrereqError',
          message: `Instance '${name}' not known`,
          type: 'unknown_entity',
        };
        return fail(1, prereqFailure('unknown_entity', `Instance '${name}' not known`));
      }
      return ok(instanceInfo(c, i));
    }
    case 'failover':
    case 'migrate': {
      const o = parseOptions(args, {
        flags: ['-f', ...SUBMIT, ...(sub === 'migrate' ? ['--allow-failover'] : [])],
        values: ['-n', ...REASON],
      });
      // Without -f Ganeti asks for confirmation on the terminal; over SSH without one it exits 1.
      if (!o.flags.has('-f')) return fail(1, '');
      const target = o.values.get('-n');
      const spec = moveJob(c, {
        instance: instanceName(ctx, one(o)),
        target: target === undefined ? null : nodeName(ctx, target),
        reason: o.values.get('--reason') ?? null,
        migrate: sub === 'migrate',
        allowFailover: o.flags.has('--allow-failover'),
      });
      return needsSubmit(o) ?? submitted(ctx, spec, 'stderr', '');
    }
    case 'startup':
    case 'shutdown':
    case 'reboot': {
      const o = parseOptions(args, {
        flags: SUBMIT,
        values: [...REASON, ...(sub === 'reboot' ? ['--type'] : [])],
      });
      const name = instanceName(ctx, one(o));
      if (!instanceByName(c, name))
        // What the lab answers (test/integration/simulator-contract.test.ts).
        return fail(1, prereqFailure('wrong_input', 'Selection filter does not match any instances'));
      const spec = powerJob(c, name, sub, o.values.get('--reason') ?? null, o.values.get('--type') ?? 'hard');
      return needsSubmit(o) ?? submitted(ctx, spec, 'stdout', name);
    }
    case 'replace-disks': {
      const o = parseOptions(args, { flags: SUBMIT, values: ['-n', ...REASON] });
      const spec = replaceSecondaryJob(
        c,
        instanceName(ctx, one(o)),
        nodeName(ctx, o.values.get('-n') ?? ''),
        o.values.get('--reason') ?? null,
      );
      return needsSubmit(o) ?? submitted(ctx, spec, 'stderr', '');
    }
    case 'add': {
      const req = parseAddOptions(args);
      return 'name' in req ? submitted(ctx, addJob(ctx, req), 'stderr', '') : req;
    }
    case 'remove': {
      const o = parseOptions(args, { flags: ['-f', ...SUBMIT], values: REASON });
      // Without -f Ganeti asks for confirmation on the terminal; over SSH without one it exits 1.
      if (!o.flags.has('-f')) return fail(1, '');
      const spec = removeJob(c, instanceName(ctx, one(o)), o.values.get('--reason') ?? null);
      return needsSubmit(o) ?? submitted(ctx, spec, 'stderr', '');
    }
    default:
      return usage('gnt-instance', sub);
  }
}
