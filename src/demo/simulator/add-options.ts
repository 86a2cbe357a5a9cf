/**
 * The client side of `gnt-instance add`: the options the bot sends (src/cluster/actions.ts,
 * `addArgv`) read as Ganeti 3.0's CLI reads them (`cli.GenericInstanceCreate`), with its
 * refusals before any job is submitted.
 */
import { fail, needsSubmit, one, type SimResult } from './command-context.js';
import { prereqFailure } from './format.js';
import { parseOptions, UsageError } from './options.js';

/** What the CLI puts in the OP_INSTANCE_CREATE opcode. */
export interface AddRequest {
  name: string;
  /** `-t`; null: the cluster's first enabled template. */
  template: string | null;
  os: string | null;
  /** `-B` after the CLI's upgrade of `memory` to `maxmem`/`minmem`. */
  beparams: Record<string, number | boolean>;
  /** MiB of disk 0; null without `--disk`. */
  diskMb: number | null;
  /** `--net 0:…` keys as given (`ip`, `network`, `mode`, `link`). */
  nic: Record<string, string>;
  pnode: string | null;
  snode: string | null;
  iallocator: string | null;
  tags: string[];
  reason: string | null;
}

/** The disk templates `-t` accepts (optparse `choices`, Ganeti's DISK_TEMPLATES). */
const TEMPLATES = ['diskless', 'file', 'sharedfile', 'plain', 'blockdev', 'drbd', 'rbd', 'ext', 'gluster'];

type ParamType = 'size' | 'int' | 'bool';
const BE_TYPES: Record<string, ParamType> = {
  always_failover: 'bool',
  auto_balance: 'bool',
  maxmem: 'size',
  memory: 'size',
  minmem: 'size',
  spindle_use: 'int',
  vcpus: 'int',
};
const NIC_KEYS = ['ip', 'link', 'mac', 'mode', 'name', 'network', 'vlan'];

/** A refusal of the CLI, printed as `cli.FormatError` does, exit 1. */
class ClientError extends Error {}
const inval = (message: string) => new ClientError(prereqFailure('wrong_input', message));
const paramError = (message: string) => new ClientError(`Parameter Error: ${message}\n`);

/** Ganeti's `utils.ParseUnit`: MiB, rounded up to a multiple of 4; or why the text is not a size. */
export function parseUnit(text: string): number | string {
  const m = /^([.\d]+)\s*([a-zA-Z]+)?$/.exec(text);
  if (!m || Number.isNaN(Number(m[1]))) return 'Invalid format';
  const unit = (m[2] ?? 'm').toLowerCase();
  const scale = ['m', 'mb', 'mib'].includes(unit)
    ? 1
    : ['g', 'gb', 'gib'].includes(unit)
      ? 1024
      : ['t', 'tb', 'tib'].includes(unit)
        ? 1024 * 1024
        : null;
  if (scale === null) return `Unknown unit: ${m[2] ?? ''}`;
  const mib = Math.ceil(Number(m[1]) * scale);
  return mib % 4 === 0 ? mib : mib + 4 - (mib % 4);
}

/** `key=val,key=val` (`cli_opts._SplitKeyVal`): a bare `key` is true, `no_key` false. */
function keyVal(option: string, data: string): Map<string, string | boolean> {
  const out = new Map<string, string | boolean>();
  for (const elem of data === '' ? [] : data.split(',')) {
    const eq = elem.indexOf('=');
    const [key, val]: [string, string | boolean] =
      eq >= 0
        ? [elem.slice(0, eq), elem.slice(eq + 1)]
        : elem.startsWith('no_')
          ? [elem.slice(3), false]
          : [elem, true];
    if (out.has(key))
      throw new ClientError(
        `Failure: unknown/wrong parameter name 'Duplicate key '${key}' in option ${option}'\n`,
      );
    out.set(key, val);
  }
  return out;
}

/** `N:key=val,…` (`--disk`, `--net`): the index must be 0, the simulator's one disk and NIC. */
function indexed(option: string, value: string, what: 'disk' | 'NIC'): Map<string, string | boolean> {
  const colon = value.indexOf(':');
  const ident = colon < 0 ? value : value.slice(0, colon);
  if (!/^\s*[+-]?\d+\s*$/.test(ident))
    throw inval(`Invalid ${what} index passed: invalid literal for int() with base 10: '${ident}'`);
  if (Number(ident) !== 0) throw new UsageError(`the simulator creates one ${what.toLowerCase()}, index 0`);
  return keyVal(option, colon < 0 ? '' : value.slice(colon + 1));
}

/** `-B`, type-checked as `utils.ForceDictType` does, `memory` becoming `maxmem` and `minmem`. */
function beParams(data: string): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [key, raw] of keyVal('-B', data)) {
    const type = BE_TYPES[key];
    if (type === undefined) throw paramError(`Unknown parameter '${key}'`);
    const text = String(raw === true ? 'True' : raw === false ? 'False' : raw);
    if (type === 'bool') {
      if (typeof raw !== 'boolean' && !['true', 'false'].includes(text.toLowerCase()))
        throw paramError(`'${key}' (value ${text}) is not a valid boolean`);
      out[key] = typeof raw === 'boolean' ? raw : text.toLowerCase() === 'true';
    } else if (type === 'int') {
      if (!/^\s*[+-]?\d+\s*$/.test(text)) throw paramError(`'${key}' (value ${text}) is not a valid integer`);
      out[key] = Number(text);
    } else {
      const mib = parseUnit(text);
      if (typeof mib === 'string')
        throw paramError(`'${key}' (value ${text}) is not a valid size. error: ${mib}`);
      out[key] = mib;
    }
  }
  const { memory, ...rest } = out;
  return memory === undefined ? rest : { ...rest, maxmem: memory, minmem: memory };
}

/** `--disk 0:size=N`, checked like the CLI; the simulator knows only `size`. */
function diskSize(template: string | null, disk: string | undefined): number | null {
  if (template === 'diskless') {
    if (disk !== undefined) throw inval('Diskless instance but disk information passed');
    return null;
  }
  if (disk === undefined) throw inval('No disk information specified');
  const params = indexed('--disk', disk, 'disk');
  const size = params.get('size');
  if (size === undefined) throw inval('Missing size or adoption source for disk 0');
  if ([...params.keys()].some((k) => k !== 'size'))
    throw new UsageError('the simulator creates disks with size= only');
  const mib = parseUnit(String(size));
  if (typeof mib === 'string') throw inval(`Invalid disk size for disk 0: ${mib}`);
  return mib;
}

function nicParams(net: string | undefined): Record<string, string> {
  if (net === undefined) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of indexed('--net', net, 'NIC')) {
    if (!NIC_KEYS.includes(key)) throw paramError(`Unknown parameter '${key}'`);
    if (typeof value !== 'string')
      throw paramError(`'${key}' (value ${String(value)}) is not a valid string`);
    out[key] = value;
  }
  return out;
}

/** Each of these may be given once here (Ganeti appends repeated `--disk`/`--net`). */
function once(args: readonly string[], option: string): void {
  if (args.filter((a) => a === option || a.startsWith(`${option}=`)).length > 1)
    throw new UsageError(`the simulator creates one disk and one NIC: ${option} given twice`);
}

/**
 * The request, or the CLI's refusal (or the simulator's, for what it does not model); a
 * UsageError for an option Ganeti's CLI would not take.
 */
export function parseAddOptions(args: readonly string[]): AddRequest | SimResult {
  once(args, '--disk');
  once(args, '--net');
  const o = parseOptions(args, {
    flags: ['--no-name-check', '--no-ip-check', '--submit'],
    values: ['-t', '-o', '-B', '--disk', '--net', '-n', '-I', '--tags', '--reason'],
  });
  const template = o.values.get('-t') ?? null;
  if (template !== null && !TEMPLATES.includes(template))
    throw new UsageError(
      `option -t: invalid choice: '${template}' (choose from ${TEMPLATES.map((t) => `'${t}'`).join(', ')})`,
    );
  const name = one(o);
  const iallocator = o.values.get('-I') ?? null;
  if (iallocator !== null && iallocator !== 'hail' && iallocator !== '.')
    return fail(2, 'the simulator has only the hail iallocator\n');
  const notSubmitted = needsSubmit(o);
  if (notSubmitted) return notSubmitted;
  try {
    const [pnode = null, snode = null] = o.values.get('-n')?.split(/:(.*)/s, 2) ?? [];
    // In the CLI's order: NICs, disks, then the back-end parameters.
    const nic = nicParams(o.values.get('--net'));
    const diskMb = diskSize(template, o.values.get('--disk'));
    return {
      name,
      template,
      os: o.values.get('-o') ?? null,
      beparams: beParams(o.values.get('-B') ?? ''),
      diskMb,
      nic,
      pnode,
      snode: snode === '' ? null : snode,
      iallocator,
      tags: o.values.get('--tags')?.split(',') ?? [],
      reason: o.values.get('--reason') ?? null,
    };
  } catch (error) {
    if (error instanceof ClientError) return fail(1, error.message);
    throw error;
  }
}
