/**
 * Reads the service files of deploy/ the way their service managers do, closely enough to start
 * the bot with their own command lines: systemd units (sections, repeated keys, `%i`) and the
 * OpenRC script (sourced by /bin/sh after its conf.d files, as openrc-run does, with the OpenRC
 * helpers stubbed; `command_args` word-split through `eval`, as supervise-daemon.sh does).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const SYSTEMD_DIR = resolve(REPO, 'deploy/systemd');
export const OPENRC_SCRIPT = resolve(REPO, 'deploy/openrc/ganeti-chatops');
export const OPENRC_CONFD = resolve(REPO, 'deploy/openrc/ganeti-chatops.confd');

/** Where the service files expect the checkout, node and the settings. */
export const INSTALLED = {
  dir: '/opt/ganeti-chatops',
  node: '/usr/bin/node',
  settings: '/etc/ganeti-chatops/env',
};

export interface Unit {
  /** Every value of `key` in `section`, in file order (systemd keys such as SystemCallFilter= repeat). */
  all(section: string, key: string): string[];
  /** The last value of `key` (what systemd uses for keys that do not add up), or undefined. */
  last(section: string, key: string): string | undefined;
}

export function readUnit(file: string): Unit {
  const entries: Array<{ section: string; key: string; value: string }> = [];
  let section = '';
  for (const raw of readFileSync(resolve(SYSTEMD_DIR, file), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.endsWith('\\')) throw new Error(`${file}: continued lines are not read by this test`);
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1] ?? '';
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${file}: not a Key=Value line: ${line}`);
    entries.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  }
  const all = (s: string, k: string) =>
    entries.filter((e) => e.section === s && e.key === k).map((e) => e.value);
  return { all, last: (s, k) => all(s, k).at(-1) };
}

/** ExecStart= as argv, with `%i` replaced by `instance`. Quotes and other specifiers are refused. */
export function execStart(unit: Unit, instance?: string): string[] {
  const lines = unit.all('Service', 'ExecStart');
  if (lines.length !== 1) throw new Error(`expected one ExecStart=, got ${lines.length}`);
  const line = lines[0] ?? '';
  if (/["'\\]/.test(line) || /^[-@+!:]/.test(line))
    throw new Error(`ExecStart= too fancy for this test: ${line}`);
  const words = line.split(/\s+/).map((w) => {
    if (w.includes('%i')) {
      if (instance === undefined) throw new Error('the unit is a template: give an instance');
      return w.replaceAll('%i', instance);
    }
    if (w.includes('%')) throw new Error(`unexpected specifier in ExecStart=: ${w}`);
    return w;
  });
  return words;
}

/** systemd's time span (`45`, `45s`, `1min 30s`) in milliseconds. */
export function timeSpanMs(value: string): number {
  const units: Record<string, number> = { '': 1000, s: 1000, sec: 1000, min: 60_000, m: 60_000, ms: 1 };
  let total = 0;
  for (const part of value.trim().split(/\s+/)) {
    const m = /^(\d+)([a-z]*)$/.exec(part);
    const factor = m ? units[m[2] ?? ''] : undefined;
    if (!m || factor === undefined) throw new Error(`not a time span this test reads: ${value}`);
    total += Number(m[1]) * factor;
  }
  return total;
}

export interface OpenrcService {
  vars: Record<string, string>;
  /** What supervise-daemon runs: `command` and the words of `command_args`. */
  argv: string[];
  /** What depend() declares, one `need net`-like line per call. */
  depend: string[];
  /** The exit status of start_pre() and what it said. */
  startPre: { status: number; output: string };
}

const VARS = [
  'command',
  'command_args',
  'command_user',
  'supervisor',
  'directory',
  'pidfile',
  'output_log',
  'error_log',
  'retry',
  'respawn_delay',
  'respawn_max',
  'respawn_period',
  'no_new_privs',
  'umask',
  'chatops_roles',
];

/**
 * The OpenRC script as openrc-run would set it up for service `name`: /etc/conf.d/ganeti-chatops
 * (deploy/openrc/ganeti-chatops.confd) first, then the instance's conf.d text, then the script
 * (test/deploy/openrc-service.sh does it, in /bin/sh).
 */
export function openrcService(name: string, instanceConfd = ''): OpenrcService {
  const out = execFileSync(
    '/bin/sh',
    [
      resolve(import.meta.dirname, 'openrc-service.sh'),
      name,
      OPENRC_CONFD,
      instanceConfd,
      OPENRC_SCRIPT,
      ...VARS,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
  );
  const service: OpenrcService = { vars: {}, argv: [], depend: [], startPre: { status: -1, output: '' } };
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    const [key, value] = [line.slice(0, eq), line.slice(eq + 1)];
    if (key.startsWith('var.')) service.vars[key.slice(4)] = value;
    else if (key === 'argv') service.argv.push(value);
    else if (key === 'depend') service.depend.push(value);
    else if (key === 'start_pre') service.startPre.status = Number(value);
    else if (key === 'start_pre_out') service.startPre.output += `${value}\n`;
  }
  return service;
}

/** OpenRC's `retry` schedule (`SIGTERM/45/SIGKILL/5`) as [signal, seconds] pairs. */
export function retrySchedule(retry: string): Array<[string, number]> {
  const parts = retry.split('/');
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i + 1 < parts.length; i += 2) pairs.push([parts[i] ?? '', Number(parts[i + 1])]);
  return pairs;
}

/**
 * The installed command line as it runs from this checkout: node is this node, the checkout is
 * this repository, and the settings file is `settings`.
 */
export function localArgv(argv: readonly string[], settings: string): string[] {
  const i = argv.indexOf('--settings');
  if (i === -1 || argv[i + 1] !== INSTALLED.settings)
    throw new Error(`expected --settings ${INSTALLED.settings} in: ${argv.join(' ')}`);
  return argv.map((word, j) =>
    j === i + 1
      ? settings
      : word === INSTALLED.node
        ? process.execPath
        : word.replaceAll(`${INSTALLED.dir}/`, `${REPO}/`),
  );
}
