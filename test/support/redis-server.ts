import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tcpCheck } from '../../src/cluster/node-prober.js';
import { freePort } from './free-port.js';

/** A throwaway Debian redis-server on 127.0.0.1, owned by the test that started it. */
export interface TestRedis {
  url: string;
  port: number;
  /** Ends the server (SIGKILL by default, like a crash) by its own pid and waits for it. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port: with its data when started with `appendonly`, else empty. */
  restart(): Promise<void>;
  /** Freezes the server (SIGSTOP by its pid): connections stay open, nothing answers. */
  pause(): void;
  /** Lets a paused server go on (SIGCONT). */
  resume(): void;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await tcpCheck('127.0.0.1', port, 1_000)) === 'open') return;
    if (Date.now() > deadline)
      throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedis(options: { appendonly?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gc-redis-'));
  let child: ChildProcess | null = null;

  const launch = async () => {
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        // AOF with a sync per write: what docs/reliability.md asks of a deployment.
        ...(options.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
        '--dir',
        dir,
        '--daemonize',
        'no',
      ],
      { stdio: 'ignore' },
    );
    proc.once('error', (error) => {
      throw new Error(`cannot start redis-server (apt-get install redis-server): ${error.message}`);
    });
    child = proc;
    await waitForPort(port, 10_000);
  };

  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.pid === undefined) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGCONT'); // a paused server would not die of SIGTERM
    proc.kill(signal);
    await exited;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    restart: launch,
    pause: () => void (child?.pid && process.kill(child.pid, 'SIGSTOP')),
    resume: () => void (child?.pid && process.kill(child.pid, 'SIGCONT')),
    close: async () => {
      await stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
