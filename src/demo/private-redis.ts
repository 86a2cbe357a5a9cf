import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tcpCheck } from '../cluster/node-prober.js';
import { freePort } from './free-port.js';

/** A redis-server the demo started for itself, on 127.0.0.1, without persistence. */
export interface PrivateRedis {
  url: string;
  /** Stops it (by its own pid) and removes its directory. */
  stop(): Promise<void>;
}

/** Thrown when there is no redis-server to start: the message says how to install one. */
export class RedisMissingError extends Error {}

const INSTALL_HINT =
  'redis-server was not found on PATH. Install it (Debian/Ubuntu: sudo apt-get install redis-server; ' +
  'or scripts/setup.sh as root), or point the demo at a Redis of yours with REDIS_URL=redis://HOST:PORT';

/**
 * Starts `redis-server` from PATH on a free port. The demo's state is throwaway: no RDB, no AOF,
 * a directory of its own in the temp dir.
 */
export async function startPrivateRedis(
  options: { command?: string; timeoutMs?: number } = {},
): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ganeti-chatops-demo-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  // A process group of its own: Ctrl-C in the terminal reaches the demo only, which stops the bot
  // while Redis still answers and then stops Redis. Should the demo exit otherwise, Redis goes too.
  const child = spawn(options.command ?? 'redis-server', args, { stdio: 'ignore', detached: true });
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      rmSync(dir, { recursive: true, force: true });
      reject(error.code === 'ENOENT' ? new RedisMissingError(INSTALL_HINT) : error);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited at start (status ${String(code)})`)));
  });
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const listening = (async () => {
    while ((await tcpCheck('127.0.0.1', port, 1_000)) !== 'open') {
      if (Date.now() > deadline) throw new Error(`redis-server did not listen on 127.0.0.1:${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([listening, failed]);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  failed.catch(() => undefined); // later exits are the demo's to notice, not unhandled rejections
  return { url: `redis://127.0.0.1:${port}`, stop };
}
