import { describe, expect, it } from 'vitest';
import { argv } from '../../src/cluster/argv.js';
import { createGanetiClient } from '../../src/cluster/ganeti-client.js';
import { parseInstanceInfo } from '../../src/cluster/parsers/instance-info.js';
import type { InstanceInfo } from '../../src/cluster/types.js';
import { allCommands } from '../../src/commands/all-commands.js';
import { consoleAccess, instanceConsole } from '../../src/commands/defs/console.js';
import type { ConsoleResult } from '../../src/commands/results.js';
import { fixtureShell } from '../fakes/fixture-shell.js';
import { readFixture } from '../support/fixtures.js';

const cmd = (a: string[]) => a.join(' ');
const MASTER = 'node1.ganeti.test';
const inst1 = parseInstanceInfo(readFixture('gnt-instance_info.inst1.txt'));

/**
 * NOT captured (the lab runs the fake hypervisor): a KVM instance in Ganeti's own
 * `gnt-instance info` layout (gnt_instance.py _FormatInstanceInfo), parameters inherited from
 * the cluster shown as `default (VALUE)`.
 */
function kvmInfo(params: Record<string, string>, port = '11000'): InstanceInfo {
  const stdout = [
    '- Instance name: web.ganeti.test',
    '  State: configured to be up, actual state is up',
    '  Nodes: ',
    '    - primary: node2.ganeti.test',
    '      group: default (UUID 9f28b1b2-cbe4-4cac-a469-72d52c00f9f4)',
    '    - secondaries: ',
    `  Allocated network port: ${port}`,
    '  Hypervisor: kvm',
    '  Hypervisor parameters: ',
    ...Object.entries(params).map(([k, v]) => `    ${k}: ${v}`),
    '  Back-end parameters: ',
    '    maxmem: 1024',
    '  Disk template: diskless',
    '  Disks: ',
  ].join('\n');
  return parseInstanceInfo(stdout);
}

describe('consoleAccess', () => {
  it('says the fake hypervisor (the lab) has no console', () => {
    expect(consoleAccess(inst1, MASTER)).toEqual({
      kind: 'unavailable',
      reason: 'Consoles are not available for the `fake` hypervisor.',
    });
  });

  it('sends a KVM serial console through gnt-instance console on the master, with a TTY', () => {
    const info = kvmInfo({ serial_console: 'default (True)', vnc_bind_address: '0.0.0.0' });
    expect(consoleAccess(info, MASTER)).toEqual({
      kind: 'gnt-console',
      what: 'serial console',
      command: 'ssh -t root@node1.ganeti.test gnt-instance console web.ganeti.test',
    });
  });

  it('tunnels a VNC display bound to every address through loopback on the primary', () => {
    const info = kvmInfo({ serial_console: 'False', vnc_bind_address: 'default (0.0.0.0)' });
    expect(consoleAccess(info, MASTER)).toEqual({
      kind: 'vnc',
      node: 'node2.ganeti.test',
      listensOn: '0.0.0.0:11000',
      display: 5100,
      tunnel: 'ssh -N -L 11000:127.0.0.1:11000 root@node2.ganeti.test',
      viewer: 'vncviewer localhost::11000',
      note: null,
    });
  });

  it('tunnels to the bind address itself, a Unix socket, or names the interface to look up', () => {
    const ip = consoleAccess(
      kvmInfo({ serial_console: 'False', vnc_bind_address: '192.0.2.5' }, '5901'),
      MASTER,
    );
    expect(ip).toMatchObject({ display: 1, tunnel: 'ssh -N -L 5901:192.0.2.5:5901 root@node2.ganeti.test' });
    const socket = consoleAccess(
      kvmInfo({ serial_console: 'False', vnc_bind_address: '/run/ganeti/vnc/' }),
      MASTER,
    );
    expect(socket).toMatchObject({
      listensOn: '/run/ganeti/vnc/web.ganeti.test.vnc',
      tunnel: 'ssh -N -L 5900:/run/ganeti/vnc/web.ganeti.test.vnc root@node2.ganeti.test',
      viewer: 'vncviewer localhost::5900',
    });
    const iface = consoleAccess(kvmInfo({ serial_console: 'False', vnc_bind_address: 'eth0' }), MASTER);
    expect(iface).toMatchObject({ note: expect.stringContaining('`eth0` is an interface name') });
  });

  it('mentions the VNC password file', () => {
    const info = kvmInfo({
      serial_console: 'False',
      vnc_bind_address: '0.0.0.0',
      vnc_password_file: '/etc/ganeti/vnc-cluster-password',
    });
    expect(consoleAccess(info, MASTER)).toMatchObject({
      note: 'The VNC password is in `/etc/ganeti/vnc-cluster-password` on the nodes.',
    });
  });

  it('offers SPICE when there is no VNC, and says when KVM has no console at all', () => {
    const spice = kvmInfo(
      { serial_console: 'False', vnc_bind_address: 'default ()', spice_bind: '0.0.0.0' },
      '11002',
    );
    expect(consoleAccess(spice, MASTER)).toMatchObject({
      kind: 'spice',
      tunnel: 'ssh -N -L 11002:127.0.0.1:11002 root@node2.ganeti.test',
      viewer: 'remote-viewer spice://localhost:11002',
      display: null,
    });
    const none = kvmInfo(
      { serial_console: 'False', vnc_bind_address: 'default ()', spice_bind: 'default ()' },
      'None',
    );
    expect(consoleAccess(none, MASTER)).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringContaining('serial_console'),
    });
  });

  it('uses gnt-instance console for Xen PV and LXC', () => {
    expect(consoleAccess({ ...inst1, hypervisor: 'xen-pvm' }, MASTER)).toMatchObject({ what: 'Xen console' });
    expect(consoleAccess({ ...inst1, hypervisor: 'lxc' }, MASTER)).toMatchObject({ what: 'LXC console' });
  });
});

describe('the console command', () => {
  it('answers the requester alone, like help and the audit trail and unlike every other command', () => {
    expect(instanceConsole.visibility).toBe('requester');
    expect(allCommands.filter((c) => c.visibility === 'requester').map((c) => c.name)).toEqual([
      'help',
      'console',
      'audit',
    ]);
  });

  it('expands the short name, reads gnt-instance info and answers for the fake hypervisor', async () => {
    const shell = fixtureShell({
      [cmd(argv.nodeNames())]: { stdout: 'node1.ganeti.test\n' },
      [cmd(argv.instanceNames())]: { stdout: 'inst1.ganeti.test\ninst2.ganeti.test\n' },
      [cmd(argv.instanceInfo('inst1.ganeti.test'))]: { stdout: { fixture: 'gnt-instance_info.inst1.txt' } },
    });
    const result = (await instanceConsole.run(
      { cluster: createGanetiClient({ shell }), progress: () => undefined, help: [], now: () => 0 },
      { instance: 'inst1' },
    )) as ConsoleResult;
    expect(result).toEqual({
      kind: 'console',
      instance: 'inst1.ganeti.test',
      hypervisor: 'fake',
      primaryNode: 'node1.ganeti.test',
      actualState: 'up',
      access: { kind: 'unavailable', reason: 'Consoles are not available for the `fake` hypervisor.' },
    });
  });
});
