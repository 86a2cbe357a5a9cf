/**
 * The bot as a deployment runs it (`src/main.ts`, bot and worker roles in one process, HTTP
 * mode, log level info), in a child process of its own, so that the load the benchmark makes and
 * the fake Slack it answers to do not share the bot's event loop. Its log goes to a file.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test/support/free-port.js';
import { sendSlashCommand } from '../../src/demo/slack/slack-requests.js';

export interface BotProcess {
  pid: number;
  baseUrl: string;
  logFile: string;
  /** Resident memory of the bot process, MiB (from /proc/PID/status). */
  rssMiB(): number;
  /** CPU time the bot process has used (user + system), ms, at 10 ms resolution. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export const BENCH_SECRET = 'bench-signing-secret';

export async function startBotProcess(
  env: Record<string, string>,
  logDir: string,
  roles?: 'bot' | 'worker',
): Promise<BotProcess> {
  const port = await freePort();
  const logFile = join(logDir, `${roles ?? 'bot+worker'}-${port}.log`);
  const fd = openSync(logFile, 'a');
  // The compiled bot (`npm run build`), as production runs it: no TypeScript compiler in memory.
  const extra = (process.env.BENCH_BOT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, 'dist/main.js', ...(roles ? ['--roles', roles] : [])], {
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_SIGNING_SECRET: BENCH_SECRET,
      PORT: String(port),
      SLACK_COMMANDS_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error('could not start the bot');
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (roles === 'worker') break; // no HTTP receiver to ask
    if (child.exitCode !== null) throw new Error(`the bot exited at start: see ${logFile}`);
    const answered = await sendSlashCommand(baseUrl, BENCH_SECRET, { text: 'help' }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (answered) break;
    if (Date.now() > deadline) throw new Error(`the bot did not answer within 60 s: see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid,
    baseUrl,
    logFile,
    rssMiB: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
      return Math.round((kib / 1024) * 10) / 10;
    },
    cpuMs: () => {
      // /proc/PID/stat: fields 14 and 15 (utime, stime) in clock ticks (100 per second here).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * How the bot is deployed for a run: `one` process with both roles (the README's quick start), or
 * `split` into a bot process (Slack side) and a worker process (cluster side) on the same Redis.
 */
export type Deployment = 'one' | 'split';

export interface RunningDeployment {
  kind: Deployment;
  baseUrl: string;
  /** The process that runs the worker (its log has the cluster-call counts). */
  worker: BotProcess;
  processes: BotProcess[];
  rssMiB(): number;
  /** The largest RSS of one of its processes, MiB. */
  largestRssMiB(): number;
  cpuMs(): number;
  stop(): Promise<void>;
}

export async function startDeployment(
  kind: Deployment,
  env: Record<string, string>,
  logDir: string,
): Promise<RunningDeployment> {
  const processes =
    kind === 'one'
      ? [await startBotProcess(env, logDir)]
      : [await startBotProcess(env, logDir, 'bot'), await startBotProcess(env, logDir, 'worker')];
  const [front, back] = [processes[0] as BotProcess, processes[processes.length - 1] as BotProcess];
  return {
    kind,
    baseUrl: front.baseUrl,
    worker: back,
    processes,
    rssMiB: () => Math.round(processes.reduce((sum, p) => sum + p.rssMiB(), 0) * 10) / 10,
    largestRssMiB: () => Math.max(...processes.map((p) => p.rssMiB())),
    cpuMs: () => processes.reduce((sum, p) => sum + p.cpuMs(), 0),
    stop: async () => void (await Promise.all(processes.map((p) => p.stop()))),
  };
}
