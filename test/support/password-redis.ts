import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

/**
 * A throwaway redis-server on 127.0.0.1 that requires a password (`requirepass`), for tests of
 * what the bot does with the password in REDIS_URL. Stopped by its own pid.
 */
export async function startPasswordRedis(
  password: string,
): Promise<{ port: number; url: (pw?: string) => string; close(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gc-redis-pw-'));
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', password].concat([
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
    ]),
    { stdio: 'ignore' },
  );
  const url = (pw = password) => `redis://:${encodeURIComponent(pw)}@127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await redisAnswers(url())) break;
    if (Date.now() > deadline) throw new Error(`redis-server with a password did not start on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url,
    async close() {
      if (proc.exitCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a Redis at `url` accepts the login and answers PING, asked once without retries. */
export async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  const ok = await probe.connect().then(
    () => probe.ping().then(() => true),
    () => false,
  );
  probe.disconnect();
  return ok;
}
