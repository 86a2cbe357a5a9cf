/**
 * Small probes of one master candidate for the SSH checks: TCP, the forced command
 * (contrib/ganeti-chatops-ssh-command) and the query helper (contrib/ganeti-chatops-query).
 */
import { connect } from 'node:net';
import type { RemoteStream, RemoteTransport } from '../cluster/transport.js';
import { fail, pass, warn, type CheckResult } from './report.js';

/** Opens and closes a TCP connection: does anything listen there? */
export function probeTcp(host: string, port: number, timeoutMs: number, what: string): Promise<CheckResult> {
  const started = Date.now();
  const hint =
    'check that the node is up, that sshd listens on that port and that no firewall drops it; GANETI_SSH_HOSTS lists the master candidates (host or host:port)';
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: CheckResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done(fail(what, `no answer on TCP port ${port} within ${timeoutMs} ms`, hint)),
      timeoutMs,
    );
    socket.once('connect', () => done(pass(what, `TCP port ${port} answered in ${Date.now() - started} ms`)));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.message;
      if (code === 'ECONNREFUSED') done(fail(what, `connection refused on TCP port ${port}`, hint));
      else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        done(fail(what, `host name ${host} not found`, 'fix GANETI_SSH_HOSTS or the DNS of this host'));
      else done(fail(what, `cannot connect to TCP port ${port} (${code})`, hint));
    });
  });
}

/**
 * A word the forced command refuses (it is not a command the bot runs), and that any shell echoes
 * back. A refusal is logged on the node, where this word says who asked.
 */
export const PROBE_ARGV = ['echo', 'ganeti-chatops-doctor'] as const;
/** What the forced command prints on stderr when it refuses (exit status 126). */
const REFUSED = /^ganeti-chatops-ssh-command: refused: /m;
const RESTRICT_HINT =
  'restrict it with the forced command contrib/ganeti-chatops-ssh-command (contrib/README.md)';

/** Whether the bot's key is held to the forced command on this node. */
export async function probeForcedCommand(
  transport: RemoteTransport,
  timeoutMs: number,
  what: string,
): Promise<CheckResult> {
  const r = await transport.exec(PROBE_ARGV, { timeoutMs });
  if (r.code === 126 && REFUSED.test(r.stderr))
    return pass(
      what,
      'forced command in place: it refused `echo`, as it refuses any command the bot does not send',
    );
  if (r.code === 0 && r.stdout.trim() === PROBE_ARGV[1])
    return warn(what, 'the key can run any command (it ran `echo`)', RESTRICT_HINT);
  const said = (r.stderr.trim().split('\n')[0] ?? '').slice(0, 200);
  return warn(
    what,
    `cannot tell: \`echo\` ended with exit ${r.code ?? 'by a signal'}${said ? ` (${said})` : ''}; another forced command?`,
    RESTRICT_HINT,
  );
}

/** The helper's first line: `{"ready": true, "protocol": 1, "ganeti": "3.0.2", ...}`. */
interface Ready {
  ready?: unknown;
  protocol?: unknown;
  ganeti?: unknown;
}

/** Starts the query helper, waits for its ready line, and ends it (it exits when its input closes). */
export async function probeQueryHelper(
  transport: RemoteTransport,
  helperArgv: readonly string[],
  timeoutMs: number,
  what: string,
): Promise<CheckResult> {
  const slower = `reads run the gnt-* commands instead (slower, docs/performance.md); install ${helperArgv[0]} from contrib/ (contrib/README.md), or set GANETI_QUERY_HELPER=off`;
  if (!transport.stream) return warn(what, 'this transport cannot start it', slower);
  let stdout = '';
  let stderr = '';
  let stream: RemoteStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  const firstLine = new Promise<string | null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
    void transport
      .stream?.(helperArgv, {
        timeoutMs,
        onStdout: (chunk) => {
          stdout += chunk;
          if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
        },
        onStderr: (chunk) => {
          stderr = (stderr + chunk).slice(-2000);
        },
      })
      .then(
        (s) => {
          stream = s;
          void s.ended.then(() =>
            resolve(stdout.includes('\n') ? stdout.slice(0, stdout.indexOf('\n')) : ''),
          );
        },
        () => resolve(''),
      );
  });
  const line = await firstLine;
  clearTimeout(timer);
  stream?.close();
  // Its exit status when it ended by itself (127: not installed); an ended channel settles at once.
  const code = stream
    ? await Promise.race([stream.ended, new Promise<null>((r) => setTimeout(r, 1000, null).unref())])
    : null;
  if (line === null)
    return warn(what, `${helperArgv[0]} did not say it was ready within ${timeoutMs} ms`, slower);
  let ready: Ready = {};
  try {
    ready = JSON.parse(line) as Ready;
  } catch {
    // Not the helper's protocol: reported below.
  }
  if (ready.ready === true && ready.protocol === 1)
    return pass(
      what,
      `${helperArgv[0]} started (Ganeti ${typeof ready.ganeti === 'string' ? ready.ganeti : '?'})`,
    );
  const said = (stderr.trim().split('\n').pop() ?? '').slice(0, 200);
  if (line !== '')
    return warn(
      what,
      `${helperArgv[0]} speaks another protocol`,
      `install the contrib/${helperArgv[0]} of this bot`,
    );
  if (code === 127 || /not found|No such file/i.test(said))
    return warn(what, `${helperArgv[0]} is not installed (${said || 'exit 127'})`, slower);
  if (code === 126 || REFUSED.test(stderr))
    return warn(
      what,
      `the forced command does not run ${helperArgv[0]} (${said || 'exit 126'})`,
      'install this bot’s contrib/ganeti-chatops-ssh-command and contrib/ganeti-chatops-query side by side (contrib/README.md)',
    );
  return warn(what, `${helperArgv[0]} did not start (exit ${code ?? '?'}${said ? `: ${said}` : ''})`, slower);
}
