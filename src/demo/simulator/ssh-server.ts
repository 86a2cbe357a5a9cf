import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Simulator } from './interpreter.js';
import { nodeByName } from './model.js';
import { unquoteArgv } from './unquote.js';
import { newEd25519KeyPair } from './key-pair.js';

const { Server, utils } = ssh2;

export interface SimulatorSshOptions {
  simulator: Simulator;
  /** The one public key allowed in (OpenSSH `ssh-ed25519 AAAA…` line). */
  authorizedKey: string;
  /** The node this server stands for (`uname -n`, where gnt-* commands run). Default: the master at start. */
  node?: string;
  /** Default 0: a free port on 127.0.0.1. */
  port?: number;
  /** Multiplies how long slow commands take (a silent node: ~5 s a list). Default 1; 0 answers at once. */
  delayScale?: number;
}

export interface SimulatorSsh {
  host: string;
  port: number;
  node: string;
  /** The server's host key as a known_hosts line (`[127.0.0.1]:PORT ssh-ed25519 …`). */
  knownHostsLine: string;
  close(): Promise<void>;
}

/**
 * A real SSH server (ssh2's Server) on loopback in front of the simulator: publickey
 * authentication with one key, each exec request's command unquoted strictly (unquote.ts) and
 * run by the interpreter, never by a shell. A node with a fault other than `noded-down` does not
 * answer: its connections are closed.
 */
export async function startSimulatorSsh(options: SimulatorSshOptions): Promise<SimulatorSsh> {
  const allowed = utils.parseKey(options.authorizedKey);
  if (allowed instanceof Error) throw new Error(`authorizedKey: ${allowed.message}`);
  const allowedKey = Array.isArray(allowed) ? allowed[0] : allowed;
  if (!allowedKey) throw new Error('authorizedKey: no key');
  const allowedBlob = allowedKey.getPublicSSH();
  const host = newEd25519KeyPair();
  const hostKey = utils.parseKey(host.private);
  if (hostKey instanceof Error) throw hostKey;
  const node = options.node ?? options.simulator.cluster.nodes.find((n) => n.role === 'master')?.name ?? '';
  const delayScale = options.delayScale ?? 1;
  const timers = new Set<NodeJS.Timeout>();
  const clients = new Set<ssh2.Connection>();
  const silent = () => {
    const fault = nodeByName(options.simulator.cluster, node)?.fault ?? null;
    return fault !== null && fault !== 'noded-down';
  };

  const server = new Server({ hostKeys: [host.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => clients.delete(client));
    if (silent()) {
      client.end();
      return;
    }
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') {
        ctx.reject(['publickey']);
        return;
      }
      const same =
        ctx.key.algo === allowedKey.type &&
        ctx.key.data.length === allowedBlob.length &&
        timingSafeEqual(ctx.key.data, allowedBlob);
      if (!same) {
        ctx.reject(['publickey']);
        return;
      }
      if (ctx.signature && ctx.blob) {
        if (allowedKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) ctx.accept();
        else ctx.reject(['publickey']);
        return;
      }
      ctx.accept(); // the client asks whether the key would do; it signs next
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          const argv = unquoteArgv(info.command);
          if (argv === null) {
            stream.stderr.write('refused: not a command the bot sends (src/cluster/shell-quote.ts)\n');
            stream.exit(126);
            stream.end();
            return;
          }
          const answer = () => {
            if (silent()) {
              client.end();
              return;
            }
            let result;
            try {
              result = options.simulator.run(argv, node);
            } catch (error) {
              result = { code: 70, stdout: '', stderr: `simulator: ${String(error)}\n`, slowMs: 0 };
            }
            const finish = () => {
              if (result.stdout) stream.write(result.stdout);
              if (result.stderr) stream.stderr.write(result.stderr);
              stream.exit(result.code);
              stream.end();
            };
            const wait = result.slowMs * delayScale;
            if (wait <= 0) finish();
            else {
              const t = setTimeout(() => {
                timers.delete(t);
                finish();
              }, wait);
              timers.add(t);
            }
          };
          answer();
        });
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const publicLine = `${hostKey.type} ${hostKey.getPublicSSH().toString('base64')}`;
  return {
    host: '127.0.0.1',
    port,
    node,
    knownHostsLine: `[127.0.0.1]:${port} ${publicLine}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}
