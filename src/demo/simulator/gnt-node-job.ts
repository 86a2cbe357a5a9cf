import { evacuateSecondariesJob, nodeFlagJob } from './changes.js';
import { NODE_FIELDS, formatRows } from './fields.js';
import { cancelJob, jobField, jobInfo } from './jobs.js';
import { nodeByName } from './model.js';
import { parseOptions, UsageError } from './options.js';
import {
  fail,
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

/** `gnt-node list|modify|evacuate`. */
export function gntNode(ctx: SimContext, sub: string, args: readonly string[]): SimResult {
  const { c } = ctx;
  switch (sub) {
    case 'list': {
      const o = parseOptions(args, LIST);
      return list(
        ctx,
        o,
        NODE_FIELDS,
        c.nodes,
        (n) => n,
        (n) => nodeByName(c, nodeName(ctx, n)),
        'Node',
      );
    }
    case 'modify': {
      const o = parseOptions(args, {
        flags: ['--force', ...SUBMIT],
        values: ['--drained', '--offline', ...REASON],
      });
      const flag = o.values.has('--drained') ? 'drained' : o.values.has('--offline') ? 'offline' : null;
      const value = flag === null ? undefined : o.values.get(`--${flag}`);
      if (flag === null || (value !== 'yes' && value !== 'no'))
        throw new UsageError('--drained or --offline yes|no expected');
      // Bringing a node online without --force asks on /dev/tty: exit 1, nothing printed (README.md, "How changes run").
      if (flag === 'offline' && value === 'no' && !o.flags.has('--force')) return fail(1, '');
      const spec = nodeFlagJob(
        c,
        nodeName(ctx, one(o)),
        flag,
        value === 'yes',
        o.values.get('--reason') ?? null,
      );
      return needsSubmit(o) ?? submitted(ctx, spec, 'stderr', '');
    }
    case 'evacuate': {
      const o = parseOptions(args, { flags: ['-f', '--secondary-only', ...SUBMIT], values: REASON });
      if (!o.flags.has('--secondary-only'))
        return fail(2, 'gnt-node evacuate: only --secondary-only is simulated\n');
      const spec = evacuateSecondariesJob(c, nodeName(ctx, one(o)), o.values.get('--reason') ?? null);
      return needsSubmit(o) ?? submitted(ctx, spec, 'stderr', '');
    }
    default:
      return usage('gnt-node', sub);
  }
}

/** `gnt-job list|info|cancel`. */
export function gntJob(ctx: SimContext, sub: string, args: readonly string[]): SimResult {
  const { c, now } = ctx;
  switch (sub) {
    case 'list': {
      const o = parseOptions(args, LIST);
      const requested = (o.values.get('-o') ?? 'id,status,summary').split(',');
      const rows = c.jobs.map((job) => requested.map((f) => jobField(job, f)));
      return ok(formatRows(rows, o.values.get('--separator') ?? null));
    }
    case 'info': {
      const o = parseOptions(args, {});
      const id = Number(one(o));
      const job = c.jobs.find((j) => j.id === id);
      return ok(job ? jobInfo(job, now()) : `- Job ID ${one(o)} not found\n`);
    }
    case 'cancel': {
      const r = cancelJob(c, Number(one(parseOptions(args, {}))), now());
      return r.code === 0 ? ok(r.stdout) : fail(r.code, '', r.stdout);
    }
    default:
      return usage('gnt-job', sub);
  }
}
