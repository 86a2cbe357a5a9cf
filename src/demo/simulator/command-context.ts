import { formatRows, table } from './fields.js';
import { prereqFailure } from './format.js';
import { submitJob, type JobSpec } from './jobs.js';
import { isSilent, type SimCluster, type SimNode } from './model.js';
import { UsageError, type ParsedOptions } from './options.js';

/** What a command printed and how it ended, as the SSH transport returns it. */
export interface SimResult {
  code: number;
  stdout: string;
  stderr: string;
  /** How long the real command would take beyond the usual (a node that does not answer: ~5 s). */
  slowMs: number;
}

/** What every command handler gets: the cluster, its clock, the pace of jobs. */
export interface SimContext {
  c: SimCluster;
  now: () => number;
  speed: number;
}

export const ok = (stdout: string, stderr = '', slowMs = 0): SimResult => ({
  code: 0,
  stdout,
  stderr,
  slowMs,
});
export const fail = (code: number, stderr: string, stdout = ''): SimResult => ({
  code,
  stdout,
  stderr,
  slowMs: 0,
});

export const LIST = { flags: ['--no-headers'], values: ['-o', '--output', '--separator'] };
export const SUBMIT = ['--submit'];
export const REASON = ['--reason'];

/** A list command: the fields asked for, with `*`/`?` for nodes that are offline or silent. */
export function list<T>(
  { c }: SimContext,
  o: ParsedOptions,
  fields: Parameters<typeof table<T>>[0],
  rows: readonly T[],
  nodeOf: (row: T) => SimNode | undefined,
  named: (name: string) => T | undefined,
  kind: string,
): SimResult {
  const requested = (o.values.get('-o') ?? o.values.get('--output') ?? 'name').split(',');
  let selected = rows;
  if (o.operands.length > 0) {
    const picked: T[] = [];
    for (const name of o.operands) {
      const row = named(name);
      if (row === undefined)
        return fail(1, prereqFailure('unknown_entity', `${kind} name ${name} not found`));
      picked.push(row);
    }
    selected = picked;
  }
  const t = table(fields, requested, selected, c, nodeOf);
  const body = formatRows(t.rows, o.values.get('--separator') ?? null);
  const header = o.flags.has('--no-headers')
    ? ''
    : formatRows(
        [requested.map((f) => f.replace(/^\w/, (s) => s.toUpperCase()))],
        o.values.get('--separator') ?? null,
      );
  const live = requested.some((f) => fields[f]?.live);
  const slow = live && c.nodes.some((n) => isSilent(n) && !n.offline) ? 5_000 : 0;
  const warning = t.unknown.length > 0 ? `Warning: Queried for unknown fields ${t.unknown.join(', ')}\n` : '';
  return ok(header + body, warning, slow);
}

export function submitted(
  { c, now, speed }: SimContext,
  spec: JobSpec,
  style: 'stderr' | 'stdout',
  name: string,
): SimResult {
  const job = submitJob(c, now(), spec, speed);
  // The lab prints nothing on stdout here (test/integration/simulator-contract.test.ts).
  return style === 'stderr' ? ok('', `JobID: ${job.id}\n`) : ok(`${job.id}: ${name}\n`);
}

/** Ganeti expands a unique short name (`inst1` → `inst1.ganeti.test`). */
function fullName(names: readonly string[], name: string): string {
  if (names.includes(name)) return name;
  const matches = names.filter((n) => n.startsWith(`${name}.`));
  return matches.length === 1 ? (matches[0] ?? name) : name;
}
export const instanceName = ({ c }: SimContext, n: string) =>
  fullName(
    c.instances.map((i) => i.name),
    n,
  );
export const nodeName = ({ c }: SimContext, n: string) =>
  fullName(
    c.nodes.map((x) => x.name),
    n,
  );

export function one(o: ParsedOptions): string {
  if (o.operands.length !== 1) throw new UsageError('exactly one argument expected');
  return o.operands[0] ?? '';
}

/** Without `--submit` the real command waits for its job; the bot always submits. */
export function needsSubmit(o: ParsedOptions): SimResult | null {
  return o.flags.has('--submit') ? null : fail(2, 'the simulator runs changes only with --submit\n');
}

export function usage(program: string, sub: string): SimResult {
  return fail(1, `Command '${sub}' not known. Run '${program} --help' for a list of commands.\n`);
}
