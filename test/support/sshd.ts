/**
 * A throwaway OpenSSH server on 127.0.0.1 for transport tests. Needs root: sshd refuses to run
 * unprivileged with privilege separation.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  user: 'root';
  /** Private key (OpenSSH format, no passphrase) that authorized_keys accepts. */
  clientKeyPath: string;
  clientKey: Buffer;
  /** The server's ed25519 host key blob and its `SHA256:` fingerprint from `ssh-keygen -lf`. */
  hostKeyBlob: Buffer;
  fingerprint: string;
  /** One known_hosts line: `[127.0.0.1]:PORT ssh-ed25519 AAAA…`. */
  knownHostsText: string;
  /** What sshd wrote to stderr so far (`-e`), for diagnosing failed tests. */
  log(): string;
  /**
   * Stops sshd and waits for it to exit, like a host going down: established connections are
   * cut too. Kills only our child and its descendants, by pid. Idempotent.
   */
  stop(): Promise<void>;
  /** Cuts every established connection (kills the per-connection sshd processes) but keeps listening. */
  dropConnections(): Promise<void>;
  /** Starts sshd again on the same port with the same keys. */
  restart(): Promise<void>;
  /** Stops sshd and deletes the temporary directory. */
  cleanup(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function keygen(path: string): { blob: Buffer; line: string; fingerprint: string } {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path]);
  const [type, base64 = ''] = readFileSync(`${path}.pub`, 'utf8').trim().split(' ');
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1];
  return { blob: Buffer.from(base64, 'base64'), line: `${type} ${base64}`, fingerprint: fingerprint ?? '' };
}

/** Parent pid and state of a process, or undefined once it is gone. */
function procStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    // `pid (comm) state ppid ...`; comm may hold spaces or parentheses, so split after the last `)`.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state };
  } catch {
    return undefined;
  }
}

/** All descendants of `root`, found through /proc (no kill by name, no process groups). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    const ppid = Number.isInteger(pid) ? procStat(pid)?.ppid : undefined;
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const walk = (pid: number): void =>
    (children.get(pid) ?? []).forEach((child) => {
      found.push(child);
      walk(child);
    });
  walk(root);
  return found;
}

/**
 * sshd forks one process tree per connection and puts it in its own session, so stopping the
 * listener alone would leave established connections working. Killing that tree is what a
 * host going down does to them.
 */
async function killTrees(listener: number): Promise<void> {
  const pids = descendants(listener);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  // A killed process has closed its sockets once it is a zombie (`Z`), reaped or not.
  while (pids.some((pid) => (procStat(pid)?.state ?? 'Z') !== 'Z')) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts sshd and resolves once its port accepts TCP connections. */
export async function startSshd(): Promise<TestSshd> {
  if (process.getuid?.() !== 0) throw new Error('startSshd needs root (sshd privilege separation)');
  const dir = mkdtempSync(join(tmpdir(), 'test-sshd-'));
  const hostKey = keygen(join(dir, 'host_ed25519'));
  const clientKey = keygen(join(dir, 'client_ed25519'));
  writeFileSync(join(dir, 'authorized_keys'), `${clientKey.line}\n`);
  const config = join(dir, 'sshd_config');
  let port = 0;
  const writeConfig = (): void =>
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_ed25519')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'MaxSessions 10',
        'UseDNS no',
        // bash sources ~/.bashrc for commands run by sshd; this machine's root .bashrc runs
        // `pyenv init` (0.5-1 s an exec). A HOME of our own keeps tests fast and hermetic.
        `SetEnv HOME=${dir}`,
        '',
      ].join('\n'),
    );
  // Privilege separation directory; Debian creates it only when the sshd service starts.
  mkdirSync('/run/sshd', { recursive: true });

  let child: ChildProcess | undefined;
  let log = '';

  async function start(): Promise<void> {
    const proc = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    // If the test process dies without stop(), sshd -D would keep listening forever.
    const killOnExit = (): boolean => proc.kill('SIGKILL');
    process.once('exit', killOnExit);
    proc.once('exit', () => process.off('exit', killOnExit));
    proc.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => reject(new Error(`sshd exited with ${code}:\n${log}`))),
    );
    exited.catch(() => undefined); // only awaited while starting
    // Our own sshd's log line, not just any listener: the port may have been taken meanwhile.
    const logStart = log.length;
    const listening = async (): Promise<boolean> =>
      log.includes(`Server listening on 127.0.0.1 port ${port}.`, logStart) && (await accepts(port));
    const deadline = Date.now() + 5000;
    while (!(await Promise.race([listening(), exited]))) {
      if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port}:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    if (proc.pid !== undefined) await killTrees(proc.pid);
    proc.kill('SIGTERM'); // our own child, by pid; sshd -D closes its listener and exits
    await exited;
  }

  // The free port can be taken between our probe and sshd's bind: try a few.
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    writeConfig();
    try {
      await start();
      break;
    } catch (error) {
      await stop();
      if (attempt === 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    clientKeyPath: join(dir, 'client_ed25519'),
    clientKey: readFileSync(join(dir, 'client_ed25519')),
    hostKeyBlob: hostKey.blob,
    fingerprint: hostKey.fingerprint,
    knownHostsText: `[127.0.0.1]:${port} ${hostKey.line}\n`,
    log: () => log,
    stop,
    dropConnections: async () => {
      if (child?.pid !== undefined) await killTrees(child.pid);
    },
    restart: async () => {
      await stop();
      await start();
    },
    cleanup: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
