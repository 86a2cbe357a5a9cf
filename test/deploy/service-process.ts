/**
 * The bot started the way a service manager starts it: one argv, the environment systemd gives a
 * service (no settings in it: they come from the --settings file), its working directory, stdout
 * and stderr captured. Stopped with SIGTERM by its own pid, like `systemctl stop`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { REPO } from './service-files.js';

/** What systemd puts in a service's environment (systemd.exec(5), "Environment variables"). */
export const SERVICE_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin',
  LANG: 'C.UTF-8',
  HOME: '/nonexistent',
  USER: 'ganeti-chatops',
  LOGNAME: 'ganeti-chatops',
  SHELL: '/usr/sbin/nologin',
};

export interface ServiceProcess {
  /** The JSON log lines so far. */
  lines: Array<Record<string, unknown>>;
  stderr(): string;
  /** Resolves with the first log line whose msg is `msg`; rejects if the process exits first. */
  waitForLog(msg: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Resolves when the process has exited by itself. */
  exited(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * SIGTERM, then waits up to `timeoutMs` (the unit's stop timeout) for the exit; past it the
   * process gets SIGKILL, as systemd would do, and the result says so.
   */
  stop(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

export function startService(argv: readonly string[], cwd: string): ServiceProcess {
  const [command, ...args] = argv;
  if (!command) throw new Error('empty command line');
  const child: ChildProcess = spawn(command, args, {
    cwd,
    env: SERVICE_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  let partial = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line, notJson: true });
      }
    }
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const describe = () => `stderr:\n${stderr}\nlog:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`;
  const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms\n${describe()}`)), ms);
      promise.then(
        (v) => (clearTimeout(timer), resolve(v)),
        (e: unknown) => (clearTimeout(timer), reject(e as Error)),
      );
    });

  return {
    lines,
    stderr: () => stderr,
    waitForLog(msg, timeoutMs) {
      const found = new Promise<Record<string, unknown>>((resolve, reject) => {
        const check = () => {
          const line = lines.find((l) => l.msg === msg);
          if (line) {
            listeners.delete(check);
            resolve(line);
          }
        };
        listeners.add(check);
        check();
        void exit.then(({ code, signal }) => {
          listeners.delete(check);
          reject(new Error(`the bot exited (${code ?? signal}) before logging "${msg}"\n${describe()}`));
        });
      });
      return withTimeout(found, timeoutMs, `no "${msg}" log line`);
    },
    exited: (timeoutMs) => withTimeout(exit, timeoutMs, 'the bot did not exit'),
    async stop(timeoutMs) {
      const started = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exit;
      clearTimeout(timer);
      return { ...result, ms: Date.now() - started };
    },
  };
}

/** Compiles src/ into dist/ as `npm run build` does; throws with tsc's output when it fails. */
export function buildDist(): void {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (tsc.status !== 0)
    throw new Error(`npm run build (tsc -p tsconfig.build.json) failed:\n${tsc.stdout}${tsc.stderr}`);
}
