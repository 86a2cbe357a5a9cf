import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The real worker (`src/main.ts --roles worker`) as a child process, so a test can SIGKILL it
 * by its pid like a crash and start another.
 */
export interface WorkerProcess {
  pid: number;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resolves when the process ended, with the signal that ended it (null: it exited). */
  exited: Promise<NodeJS.Signals | null>;
  /** Its exit status once it exited by itself (null while running or when a signal ended it). */
  exitCode(): number | null;
}

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    // No settings file: the test's env is the whole configuration (a developer's .env stays out).
    ['--import', 'tsx', 'src/main.ts', '--roles', 'worker', '--settings', '/dev/null'],
    {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  if (child.pid === undefined) throw new Error('could not start the worker process');
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  return {
    pid: child.pid,
    output: () => out,
    exited,
    exitCode: () => child.exitCode,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
