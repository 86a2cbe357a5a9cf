import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { quoteArgv } from '../../src/cluster/shell-quote.js';
import { botArgvs, SAMPLE_REASONS } from './bot-argvs.js';

/** contrib/ganeti-chatops-ssh-command run as sshd would run it, with the client's command in its env. */
const WRAPPER = resolve('contrib/ganeti-chatops-ssh-command');
const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
const PYTHON = python.stdout.trim();
if (!PYTHON)
  throw new Error('these tests need python3 on PATH (contrib/ganeti-chatops-ssh-command is Python)');
const dir = mkdtempSync(join(tmpdir(), 'gc-forced-'));
const logFile = join(dir, 'refusals.log');

function run(command: string | undefined, options: { dryRun?: boolean; path?: string } = {}) {
  const env: Record<string, string> = { PATH: options.path ?? process.env.PATH ?? '' };
  if (command !== undefined) env.SSH_ORIGINAL_COMMAND = command;
  if (options.dryRun ?? true) env.GANETI_CHATOPS_SSH_COMMAND_DRY_RUN = '1';
  const r = spawnSync(PYTHON, [WRAPPER, '--log-file', logFile], { env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const log = () => {
  try {
    return readFileSync(logFile, 'utf8');
  } catch {
    return '';
  }
};

/** How the script shows a command in its log: Python's json.dumps (non-ASCII escaped). */
const pyJson = (text: string) =>
  JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the forced command lets through every argv the bot builds, exactly as built', () => {
  beforeEach(() => rmSync(logFile, { force: true }));

  it.each(botArgvs().map((b) => [b.label, b.argv] as const))('%s: %j', (_label, argv) => {
    const r = run(quoteArgv(argv));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(argv);
    expect(log()).toBe('');
  });
});

const R = quoteArgv([SAMPLE_REASONS[0] ?? '']);
/** A `gnt-instance add` as the bot sends it (diskless, by hail), with `args` in place of `-I hail`. */
const ADD_BASE = [
  '-t',
  'diskless',
  '-o',
  'noop',
  '--no-name-check',
  '--no-ip-check',
  '-B',
  'memory=128M,vcpus=1',
];
const add = (args: string[], base = ADD_BASE) =>
  quoteArgv([
    'gnt-instance',
    'add',
    ...base,
    ...args,
    '--submit',
    '--reason',
    SAMPLE_REASONS[0] ?? '',
    '--',
    'web-1',
  ]);
const HOSTILE: Array<[string, string | undefined]> = [
  ['a command the bot never runs', 'gnt-instance rename -- inst1.ganeti.test inst9.ganeti.test'],
  ['a command that reboots the host', 'gnt-node powercycle node1.ganeti.test'],
  ['shell syntax after an allowed command', 'gnt-instance list; rm -rf /'],
  ['a command substitution', '$(id)'],
  ['a command substitution as an operand', `gnt-instance startup --submit --reason ${R} -- '$(id)'`],
  ['a shell', 'bash -c id'],
  ['a path instead of the program name', '/usr/sbin/gnt-cluster getmaster'],
  ['an option the bot does not use', 'gnt-cluster verify --error-codes --debug-simulate-errors'],
  ['hbal told to execute its plan', 'hbal -L -v -C -X'],
  ['an option smuggled as the name', `gnt-instance startup --submit --reason ${R} -- --force`],
  [
    'an option smuggled as the value of -n',
    `gnt-instance failover -f -n --ignore-consistency --submit --reason ${R} -- inst1.ganeti.test`,
  ],
  ['an operand without --', `gnt-instance startup --submit --reason ${R} inst1.ganeti.test`],
  ['two operands', 'gnt-instance info -- inst1.ganeti.test inst2.ganeti.test'],
  ['an operand where none is taken', 'gnt-cluster getmaster -- node1'],
  ['an extra word', 'gnt-cluster getmaster now'],
  ['an unknown output field', "gnt-instance list --no-headers '--separator=|' -o name,hv/kernel_path"],
  ['another separator', "gnt-node list --no-headers '--separator=;' -o name"],
  ['an option given twice', 'gnt-node list --no-headers --no-headers -o name'],
  ['a change without --submit', `gnt-instance shutdown --reason ${R} -- inst1.ganeti.test`],
  ['a change without the reason', 'gnt-instance shutdown --submit -- inst1.ganeti.test'],
  [
    'a reason that is not the bot’s',
    "gnt-instance shutdown --submit --reason 'because' -- inst1.ganeti.test",
  ],
  [
    '--force with anything but onlining',
    `gnt-node modify --force --drained yes --submit --reason ${R} -- node2`,
  ],
  ['both node flags at once', `gnt-node modify --drained yes --offline yes --submit --reason ${R} -- node2`],
  ['--no-voting without --yes-do-it', 'gnt-cluster master-failover --no-voting'],
  ['gnt-os diagnose', 'gnt-os diagnose'],
  ['gnt-os list without --no-headers', 'gnt-os list'],
  ['gnt-cluster info with an option', 'gnt-cluster info --roman'],
  ['adding a network', 'gnt-network add --network=10.99.0.0/24 lab-net1'],
  [
    'a network field the bot does not ask for',
    "gnt-network list --no-headers '--separator=|' -o name,group_list",
  ],
  ['an instance add with OS parameters', add(['-I', 'hail', '--os-parameters', 'dhcp=yes'])],
  ['an instance add with -H', add(['-I', 'hail', '-H', 'kernel_path=/tmp/vmlinuz'])],
  ['an instance add with --hypervisor-parameters', add(['-I', 'hail', '--hypervisor-parameters', 'fake:'])],
  [
    'an instance add with another backend parameter',
    add(
      ['-I', 'hail'],
      [
        '-t',
        'diskless',
        '-o',
        'noop',
        '--no-name-check',
        '--no-ip-check',
        '-B',
        'memory=1M,vcpus=1,always_failover=true',
      ],
    ),
  ],
  ['an instance add adopting a device', add(['--disk', '0:size=1M,adopt=/dev/sda', '-I', 'hail'])],
  ['an instance add with a second disk', add(['--disk', '1:size=1M', '-I', 'hail'])],
  ['an instance add with a NIC link', add(['--net', '0:link=br0', '-I', 'hail'])],
  ['an instance add with a NIC ip that is not IPv4', add(['--net', '0:ip=10.0.0.256', '-I', 'hail'])],
  [
    'an instance add with the network after the ip',
    add(['--net', '0:ip=10.0.0.1,network=lab-net1', '-I', 'hail']),
  ],
  ['an instance add with the same node twice', add(['-n', 'node1:node1'])],
  ['an instance add with three nodes', add(['-n', 'node1:node2:node3'])],
  ['an instance add with both -n and -I', add(['-n', 'node1', '-I', 'hail'])],
  ['an instance add with neither -n nor -I', add([])],
  ['an instance add with another allocator', add(['-I', 'hroller'])],
  ['an instance add with an unknown disk template', add(['-I', 'hail'], ['-t', 'lvm', ...ADD_BASE.slice(2)])],
  [
    'an instance add with an OS name that is an option',
    add(['-I', 'hail'], ['-o', '-H', ...ADD_BASE.slice(0, 2), ...ADD_BASE.slice(4)]),
  ],
  ['an instance add with a tag with a space', add(['-I', 'hail', '--tags', 'env:prod,a b'])],
  ['an instance add with a tag with a ;', add(['-I', 'hail', '--tags', 'a;id'])],
  ['an instance add with an empty tag', add(['-I', 'hail', '--tags', 'a,,b'])],
  [
    'an instance add with 17 tags',
    add(['-I', 'hail', '--tags', Array.from({ length: 17 }, (_, i) => `t${i}`).join(',')]),
  ],
  [
    'an instance add without --no-name-check',
    add(
      ['-I', 'hail'],
      ADD_BASE.filter((a) => a !== '--no-name-check'),
    ),
  ],
  ['an instance add started with --no-start', add(['-I', 'hail', '--no-start'])],
  ['an instance remove without -f', `gnt-instance remove --submit --reason ${R} -- inst1.ganeti.test`],
  [
    'an instance remove with --ignore-failures',
    `gnt-instance remove -f --ignore-failures --submit --reason ${R} -- inst1.ganeti.test`,
  ],
  ['an instance remove without --submit', `gnt-instance remove -f --reason ${R} -- inst1.ganeti.test`],
  [
    'an instance remove with its operand before --',
    `gnt-instance remove -f --submit --reason ${R} inst1.ganeti.test`,
  ],
  ['an instance remove of two instances', `gnt-instance remove -f --submit --reason ${R} -- inst1 inst2`],
  ['a job id that is not a number', 'gnt-job cancel -- 1x'],
  ['job id 0', 'gnt-job info -- 0'],
  ['an upper-case name', 'gnt-instance info -- INST1'],
  ['an unbalanced quote', "gnt-cluster 'getmaster"],
  ['a newline', 'gnt-cluster getmaster\nid'],
  ['a carriage return', 'gnt-cluster getmaster\rid'],
  ['a non-ASCII character', 'gnt-instance info -- ínst1'],
  ['an sftp subsystem request', 'internal-sftp'],
  ['a very long command', `gnt-instance info -- ${'a'.repeat(5000)}`],
  ['an empty command', ''],
  ['blanks only', '   '],
  ['no command at all (interactive login)', undefined],
];

describe('the forced command refuses everything else, says so in one line and logs it', () => {
  beforeEach(() => rmSync(logFile, { force: true }));

  it.each(HOSTILE)('%s', (_what, command) => {
    const r = run(command);
    expect(r.code).toBe(126);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ganeti-chatops-ssh-command: refused: [^\n]+\n$/);
    const lines = log().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ ganeti-chatops-ssh-command\[\d+\]: refused from local: .+; command: /);
    const shown = command === undefined ? '(none)' : pyJson(command.slice(0, 300));
    expect(lines[0]).toContain(`command: ${shown}`);
  });

  it('keeps the log line short for a long command and says how long it was', () => {
    run(`gnt-instance info -- ${'a'.repeat(5000)}`);
    expect(log()).toMatch(/\.\.\.\(5021 characters\)\n$/);
    expect(log().length).toBeLessThan(600);
  });

  it('names the reason for the refusal', () => {
    expect(run('gnt-instance rename x').stderr).toBe(
      'ganeti-chatops-ssh-command: refused: `gnt-instance rename` is not a command the bot runs\n',
    );
    expect(run(add(['-n', 'node1', '-I', 'hail'])).stderr).toMatch(
      /gnt-instance add needs exactly one of -n, -I\n$/,
    );
    expect(run(add(['--net', '0:link=br0', '-I', 'hail'])).stderr).toMatch(
      /gnt-instance add: the value of --net is not 0:network=NAME,ip=IPV4, 0:network=NAME or 0:ip=IPV4\n$/,
    );
    expect(run(`gnt-instance startup --submit --reason ${R} -- --force`).stderr).toMatch(
      /gnt-instance startup: operand "--force" is not a Ganeti name/,
    );
  });
});

describe('the forced command runs the checked argv itself, without a shell', () => {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  // A stand-in gnt-cluster that prints the argv it was given, one word a line, and exits 3.
  writeFileSync(join(bin, 'gnt-cluster'), '#!/bin/sh\nprintf "%s\\n" "$0" "$@"\nexit 3\n');
  chmodSync(join(bin, 'gnt-cluster'), 0o755);

  it('execs the program from PATH with the exact argv and passes its exit status back', () => {
    const r = run('gnt-cluster master-failover --no-voting --yes-do-it', { dryRun: false, path: bin });
    expect(r.stdout).toBe(`${join(bin, 'gnt-cluster')}\nmaster-failover\n--no-voting\n--yes-do-it\n`);
    expect(r.code).toBe(3);
  });

  it('exits 127 when the program is not installed', () => {
    const r = run('hcheck -L --machine-readable', { dryRun: false, path: bin });
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/^ganeti-chatops-ssh-command: cannot run hcheck: /);
  });
});
