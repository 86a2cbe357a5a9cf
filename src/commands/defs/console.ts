import { z } from 'zod';
import type { InstanceInfo } from '../../cluster/types.js';
import { defineCommand, nameArgument } from '../define-command.js';
import { ganetiName } from '../names.js';
import { resolveInstance } from '../resolve.js';
import type { ConsoleAccess } from '../results.js';

/** Ganeti's VNC_BASE_PORT: display N listens on 5900 + N. */
const VNC_BASE_PORT = 5900;

const isSet = (value: string | undefined): value is string =>
  value !== undefined && value !== '' && value !== 'None';
const isTrue = (value: string | undefined) => value !== undefined && /^true$/i.test(value);
const isIPv4 = (text: string) => /^\d{1,3}(?:\.\d{1,3}){3}$/.test(text);
const isIPv6 = (text: string) => text.includes(':');

/** What `gnt-instance console` gives for hypervisors whose console Ganeti opens over SSH. */
const GNT_CONSOLE: Readonly<Record<string, string>> = {
  kvm: 'serial console',
  'xen-pvm': 'Xen console',
  lxc: 'LXC console',
  chroot: 'shell in the chroot',
};

/**
 * A display on the primary node, reached through an SSH tunnel. A TCP display is forwarded to
 * the same local port (5900 + display); an address that means "any" is reached as loopback.
 */
function tunnelled(
  kind: 'vnc' | 'spice',
  node: string,
  bind: string,
  port: number | null,
  name: string,
): ConsoleAccess {
  const viewerFor = (local: number) =>
    kind === 'vnc' ? `vncviewer localhost::${local}` : `remote-viewer spice://localhost:${local}`;
  if (bind.startsWith('/')) {
    // Ganeti's KVM code: a path as vnc_bind_address means a Unix socket PATH/NAME.vnc.
    const socket = `${bind.replace(/\/$/, '')}/${name}.vnc`;
    return {
      kind,
      node,
      listensOn: socket,
      display: null,
      tunnel: `ssh -N -L ${VNC_BASE_PORT}:${socket} root@${node}`,
      viewer: viewerFor(VNC_BASE_PORT),
      note: null,
    };
  }
  const local = port ?? VNC_BASE_PORT;
  const any = bind === '0.0.0.0' || bind === '::';
  const target = any ? '127.0.0.1' : isIPv6(bind) ? `[${bind}]` : bind;
  const iface = !any && !isIPv4(bind) && !isIPv6(bind);
  return {
    kind,
    node,
    listensOn: `${bind}:${local}`,
    display: kind === 'vnc' ? local - VNC_BASE_PORT : null,
    tunnel: `ssh -N -L ${local}:${target}:${local} root@${node}`,
    viewer: viewerFor(local),
    note: iface
      ? `\`${bind}\` is an interface name: use that interface's address on ${node} in the tunnel.`
      : null,
  };
}

/** How to reach the console, by the rules of Ganeti's hypervisor code (GetInstanceConsole). */
export function consoleAccess(info: InstanceInfo, master: string): ConsoleAccess {
  const hv = info.hypervisor ?? '';
  const params = info.hypervisorParams;
  const port = info.networkPort !== null && /^\d+$/.test(info.networkPort) ? Number(info.networkPort) : null;
  const node = info.primaryNode;
  const gntConsole = (what: string): ConsoleAccess => ({
    kind: 'gnt-console',
    what,
    command: `ssh -t root@${master} gnt-instance console ${info.name}`,
  });
  if (hv === 'fake')
    return { kind: 'unavailable', reason: 'Consoles are not available for the `fake` hypervisor.' };
  if (node === null) return { kind: 'unavailable', reason: 'Ganeti did not say which node is its primary.' };
  if (hv === 'kvm' && isTrue(params.serial_console)) return gntConsole('serial console');
  if (hv === 'kvm' || hv === 'xen-hvm') {
    const vnc = params.vnc_bind_address;
    if (isSet(vnc) && (vnc.startsWith('/') || (port !== null && port > VNC_BASE_PORT))) {
      const access = tunnelled('vnc', node, vnc, port, info.name);
      const password = params.vnc_password_file;
      return isSet(password) && access.kind === 'vnc'
        ? { ...access, note: `The VNC password is in \`${password}\` on the nodes.` }
        : access;
    }
    const spice = params.spice_bind;
    if (hv === 'kvm' && isSet(spice) && port !== null)
      return tunnelled('spice', node, spice, port, info.name);
    return {
      kind: 'unavailable',
      reason:
        hv === 'kvm'
          ? 'It has no serial console, VNC or SPICE display (hypervisor parameters `serial_console`, `vnc_bind_address`, `spice_bind`).'
          : 'It has no VNC display (hypervisor parameter `vnc_bind_address`).',
    };
  }
  return gntConsole(GNT_CONSOLE[hv] ?? 'console');
}

export const instanceConsole = defineCommand({
  name: 'console',
  aliases: ['vnc'],
  summary: "How to reach an instance's console (answered only to you)",
  usage: 'console INSTANCE',
  details:
    'KVM with a serial console or Xen PV: `gnt-instance console` on the master. VNC or SPICE: the SSH ' +
    'tunnel to the primary node and the viewer command. The answer is shown only to you.',
  examples: [{ line: 'console web1', what: 'how to reach web1’s console' }],
  group: 'read',
  risk: 'read',
  visibility: 'requester',
  params: { positionals: [{ name: 'instance', description: nameArgument.instance }] },
  schema: z.object({ instance: ganetiName('instance') }).strict(),
  run: async (ctx, args) => {
    const name = await resolveInstance(ctx.cluster, args.instance);
    const [info, master] = await Promise.all([
      ctx.cluster.instanceInfo(name, { full: true }),
      ctx.cluster.master(),
    ]);
    return {
      kind: 'console',
      instance: info.name,
      hypervisor: info.hypervisor,
      primaryNode: info.primaryNode,
      actualState: info.state?.actual ?? null,
      access: consoleAccess(info, master),
    };
  },
});
