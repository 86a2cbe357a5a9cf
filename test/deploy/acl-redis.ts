import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from '../support/password-redis.js';
import { freePort } from '../support/free-port.js';

/** The file docs/deploy.md tells operators to include in redis.conf. */
export const ACL_CONF = 'deploy/redis-acl.conf';
const PLACEHOLDER = '>CHANGE-ME';

/** The `user …` lines of deploy/redis-acl.conf, as they are written there (password placeholder included). */
export function aclUserLines(text = readFileSync(ACL_CONF, 'utf8')): string[] {
  return text.split('\n').filter((line) => /^user\s/.test(line));
}

export interface AclRedis {
  port: number;
  /** The default user (no password): for the test's own checks, never for the bot. */
  adminUrl: string;
  /** What the bot's REDIS_URL would be: the restricted user and its password. */
  botUrl: string;
  close(): Promise<void>;
}

/**
 * A throwaway redis-server on 127.0.0.1 whose configuration includes the user lines of
 * deploy/redis-acl.conf, with the placeholder replaced by `password`. Stopped by its own pid.
 */
export async function startAclRedis(password: string): Promise<AclRedis> {
  const lines = aclUserLines();
  if (lines.length === 0 || !lines.every((l) => l.includes(PLACEHOLDER)))
    throw new Error(`${ACL_CONF}: expected user lines with the password placeholder ${PLACEHOLDER}`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gc-redis-acl-'));
  const conf = join(dir, 'redis.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      'save ""',
      'appendonly no',
      `dir ${dir}`,
      'daemonize no',
      ...lines.map((l) => l.replace(PLACEHOLDER, `>${password}`)),
      '',
    ].join('\n'),
  );
  let stderr = '';
  const proc = spawn('redis-server', [conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const adminUrl = `redis://127.0.0.1:${port}`;
  const botUrl = `redis://ganeti-chatops:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const close = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await redisAnswers(adminUrl)) break;
    if (proc.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`redis-server with ${ACL_CONF} did not start on ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, adminUrl, botUrl, close };
}
