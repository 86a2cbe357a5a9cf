/**
 * The README's first command on a fresh clone: `scripts/run-bot.sh` with nothing configured runs
 * the demo, prints its one URL, serves the page, and stops what it started on Ctrl-C (SIGINT to
 * its process group, as a terminal sends it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpCheck } from '../../src/cluster/node-prober.js';
import { REPO } from './service-files.js';
import { buildDist } from './service-process.js';

let child: ChildProcess | undefined;
let output = '';

/** The environment of a new user's shell: nothing of the bot's set. */
function freshEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

const refused = async (port: number) => (await tcpCheck('127.0.0.1', port, 2_000)) === 'refused';

beforeAll(() => {
  if (existsSync(join(REPO, '.env'))) {
    throw new Error('this test runs the README’s first command as on a fresh clone: move .env aside first');
  }
  buildDist();
}, 120_000);

afterAll(() => {
  if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
});

describe('the README’s first command on a fresh clone', () => {
  it('runs the demo, prints its URL, serves the page, and stops everything on Ctrl-C', async () => {
    const started = Date.now();
    const proc = spawn('scripts/run-bot.sh', [], { cwd: REPO, env: freshEnv(), detached: true });
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    await expect
      .poll(() => /Open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1], { timeout: 60_000 })
      .toBeTruthy();
    console.info(`first command: URL printed after ${Date.now() - started} ms`);
    const url = /Open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1] ?? '';
    expect(output).toMatch(
      /demo: the bot on a simulated cluster \(4 nodes, 60 instances\),\na private redis-server/,
    );
    expect(await (await fetch(url)).text()).toContain('ganeti-chatops demo');
    const workspace = (await (await fetch(new URL('/demo/workspace', url))).json()) as { users: unknown[] };
    expect(workspace.users).toHaveLength(5);
    const redisPort = Number(/a private redis-server \(redis:\/\/127\.0\.0\.1:(\d+)\)/.exec(output)?.[1]);
    expect(redisPort).toBeGreaterThan(0);

    process.kill(-(proc.pid ?? 0), 'SIGINT');
    expect(await exited).toBe(0);
    expect(await refused(Number(new URL(url).port))).toBe(true);
    expect(await refused(redisPort)).toBe(true);
  }, 120_000);
});
