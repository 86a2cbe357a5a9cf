import { connect } from 'node:net';
import type { ProbeResult } from '../monitor/types.js';

/** Asks a node's address directly whether it is alive (Ganeti stops asking offline nodes). */
export interface NodeProber {
  probe(ip: string): Promise<Exclude<ProbeResult, 'not-probed'>>;
}

/** Ganeti's node daemon port; sshd is the second witness that the host itself is up. */
export const NODED_PORT = 1811;
export const SSH_PORT = 22;

/** Whether a TCP connection opens (`open`), is refused (`refused`: host up, nothing listening) or times out. */
export function tcpCheck(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<'open' | 'refused' | 'silent'> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: 'open' | 'refused' | 'silent') => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('silent'), timeoutMs);
    socket.once('connect', () => done('open'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : 'silent'),
    );
  });
}

/**
 * TCP probes from the worker's host: noded answering means the node is back; noded refused while
 * sshd answers means the host is up with Ganeti's daemon stopped; nothing means silent (powered
 * off or cut off: the two cannot be told apart from here). Needs the worker to reach the nodes'
 * primary addresses on ports 1811 and 22 (docs/monitor.md).
 */
export function createTcpNodeProber(
  options: { timeoutMs?: number; ports?: { noded: number; ssh: number } } = {},
): NodeProber {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const ports = options.ports ?? { noded: NODED_PORT, ssh: SSH_PORT };
  return {
    async probe(ip) {
      const [noded, ssh] = await Promise.all([
        tcpCheck(ip, ports.noded, timeoutMs),
        tcpCheck(ip, ports.ssh, timeoutMs),
      ]);
      if (noded === 'open') return 'answers';
      if (ssh === 'open' || noded === 'refused') return 'noded-down';
      return 'silent';
    },
  };
}
