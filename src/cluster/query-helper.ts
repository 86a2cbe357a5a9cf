/**
 * Reads through the master's long-lived query helper (contrib/ganeti-chatops-query) instead of
 * one gnt-* process per read. A gnt-* command pays ~0.35 s of Python start-up on the master
 * before it asks the query daemon anything; the helper has paid it once and runs the same CLI
 * code in-process, so it prints exactly what the command would have (docs/performance.md).
 *
 * The wrapper is a RemoteTransport like the one it wraps: reads the helper answers go to it,
 * everything else (and everything while it is starting, missing or gone) runs as before. Reads
 * are safe to run again, so a helper that dies mid-read costs a CLI run, never an answer.
 */
import type { Logger } from 'pino';
import { ClusterUnavailableError } from '../core/errors.js';
import { argv as defaultArgv } from './argv.js';
import type { ExecOptions, ExecResult, RemoteStream, RemoteTransport } from './transport.js';

export interface QueryHelperOptions {
  /** The helper's argv on the node. Default `['ganeti-chatops-query']`. */
  argv?: readonly string[];
  /** How long it may take to say it is ready. Default 15 s. */
  startTimeoutMs?: number;
  /** After it could not start (not installed, refused): try again after this long. Default 10 min. */
  retryAfterMs?: number;
  /** After a helper that was running ended: wait this long before starting another. Default 5 s. */
  restartAfterMs?: number;
  /** A read's timeout when the caller gives none. Default 60 s (the transport's default). */
  defaultTimeoutMs?: number;
  /** Largest answer line accepted; more ends the helper. Default 64 MiB. */
  maxLineChars?: number;
  now?: () => number;
}

export interface QueryHelperStats {
  state: 'off' | 'starting' | 'ready' | 'unavailable';
  /** Reads the helper answered, and reads that ran as a command instead. */
  answered: number;
  fellBack: number;
  starts: number;
  /** The running helper's process id on the node (for logs and tests). */
  pid: number | null;
}

export interface QueryingTransport extends RemoteTransport {
  queryStats(): QueryHelperStats;
}

interface Ready {
  stream: RemoteStream;
  pid: number | null;
  answers: Set<string>;
  pending: Map<number, Pending>;
}

interface Pending {
  resolve: (result: ExecResult) => void;
  reject: (error: Error) => void;
}

/** The helper went away before it answered: the read runs as a command instead. */
class HelperGone extends Error {}

const pairOf = (argv: readonly string[]) => `${argv[0] ?? ''} ${argv[1] ?? ''}`;

/** Reads that start the helper: those of the master's (the survey asks every candidate). */
const STARTS_HELPER = new Set([
  'gnt-node list',
  'gnt-instance list',
  'gnt-instance info',
  'gnt-job list',
  'gnt-job info',
]);

interface Answer {
  id?: unknown;
  code?: unknown;
  stdout?: unknown;
  stderr?: unknown;
  ready?: unknown;
  protocol?: unknown;
  answers?: unknown;
  pid?: unknown;
}

export function withQueryHelper(
  transport: RemoteTransport,
  deps: { logger: Logger },
  options: QueryHelperOptions = {},
): QueryingTransport {
  const helperArgv = options.argv ?? defaultArgv.queryHelper();
  const now = options.now ?? Date.now;
  const log = deps.logger.child({ transport: transport.label, component: 'query-helper' });
  const maxLine = options.maxLineChars ?? 64 * 1024 * 1024;
  let ready: Ready | null = null;
  let starting = false;
  let notBefore = 0;
  let closed = false;
  let nextId = 1;
  const stats = { answered: 0, fellBack: 0, starts: 0, unavailable: false };

  function start(): void {
    if (!transport.stream || starting || closed || now() < notBefore) return;
    starting = true;
    stats.starts += 1;
    const began = now();
    let buffer = '';
    let stderr = '';
    let helper = null as Ready | null;
    let stream = null as RemoteStream | null;

    const onLine = (line: string): void => {
      let message: Answer;
      try {
        message = JSON.parse(line) as Answer;
      } catch {
        log.warn({ line: line.slice(0, 200) }, 'query helper wrote something that is not JSON');
        return;
      }
      if (!helper) {
        if (message.ready === true && message.protocol === 1 && Array.isArray(message.answers) && stream) {
          const answers = new Set(
            message.answers.filter((a): a is string[] => Array.isArray(a)).map((a) => pairOf(a.map(String))),
          );
          helper = {
            stream,
            answers,
            pending: new Map(),
            pid: typeof message.pid === 'number' ? message.pid : null,
          };
          ready = helper;
          stats.unavailable = false;
          log.info({ ms: now() - began, pid: helper.pid }, 'query helper ready');
        } else {
          // Another version of contrib/ganeti-chatops-query: install the one of this bot.
          log.warn({ line: line.slice(0, 200) }, 'the query helper speaks another protocol; not using it');
          stream?.close();
        }
        return;
      }
      const id = typeof message.id === 'number' ? message.id : null;
      const waiting = id === null ? undefined : helper.pending.get(id);
      if (!waiting || id === null) return;
      helper.pending.delete(id);
      waiting.resolve({
        code: typeof message.code === 'number' ? message.code : null,
        stdout: typeof message.stdout === 'string' ? message.stdout : '',
        stderr: typeof message.stderr === 'string' ? message.stderr : '',
      });
    };

    const onStdout = (chunk: string): void => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        onLine(line);
        newline = buffer.indexOf('\n');
      }
      if (buffer.length > maxLine) {
        log.warn({ chars: buffer.length }, 'query helper answer too long; ending it');
        stream?.close();
      }
    };

    const timer = setTimeout(() => {
      if (helper) return;
      log.warn(
        { ms: options.startTimeoutMs ?? 15_000 },
        'query helper did not get ready; reads use the gnt-* commands',
      );
      stream?.close();
    }, options.startTimeoutMs ?? 15_000);
    timer.unref();

    void (async () => {
      try {
        stream = await transport.stream!(helperArgv, {
          onStdout,
          onStderr: (chunk) => {
            stderr = (stderr + chunk).slice(-2000);
          },
        });
      } catch (error) {
        log.info({ err: error }, 'could not start the query helper; reads use the gnt-* commands');
        clearTimeout(timer);
        notBefore = now() + (options.retryAfterMs ?? 600_000);
        starting = false;
        return;
      }
      const code = await stream.ended;
      clearTimeout(timer);
      const wasReady = helper !== null;
      if (helper) {
        if (ready === helper) ready = null;
        for (const waiting of helper.pending.values()) waiting.reject(new HelperGone());
        helper.pending.clear();
      }
      starting = false;
      if (closed) return;
      if (wasReady) {
        log.warn(
          { code, stderr: stderr.trim().slice(-500) },
          'query helper ended; starting another on the next read',
        );
        notBefore = now() + (options.restartAfterMs ?? 5_000);
      } else {
        // 127: not installed; 126: a forced command without it in its table.
        stats.unavailable = true;
        log.info(
          { code, stderr: stderr.trim().slice(-500) },
          'the query helper is not available on this node; reads use the gnt-* commands (slower)',
        );
        notBefore = now() + (options.retryAfterMs ?? 600_000);
      }
    })();
  }

  function ask(helper: Ready, command: readonly string[], timeoutMs: number): Promise<ExecResult> {
    const id = nextId++;
    return new Promise<ExecResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        helper.pending.delete(id);
        reject(
          new ClusterUnavailableError(`${command[0]} on ${transport.label} timed out after ${timeoutMs} ms`, {
            hint: 'The master did not answer in time; it only reads, so asking again is safe.',
          }),
        );
      }, timeoutMs);
      const done =
        <T>(settle: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          settle(value);
        };
      helper.pending.set(id, { resolve: done(resolve), reject: done(reject) });
      helper.stream.write(`${JSON.stringify({ id, argv: command })}\n`);
    });
  }

  return {
    label: transport.label,
    async exec(command: readonly string[], opts?: ExecOptions): Promise<ExecResult> {
      // Output streamed as it comes (verify's progress) only a command can give.
      if (!opts?.onStdout) {
        const helper = ready;
        if (helper?.answers.has(pairOf(command))) {
          try {
            const result = await ask(helper, command, opts?.timeoutMs ?? options.defaultTimeoutMs ?? 60_000);
            stats.answered += 1;
            return result;
          } catch (error) {
            if (!(error instanceof HelperGone)) throw error;
          }
        } else if (!helper && STARTS_HELPER.has(pairOf(command))) start();
      }
      stats.fellBack += 1;
      return transport.exec(command, opts);
    },
    ...(transport.stream ? { stream: transport.stream.bind(transport) } : {}),
    queryStats: () => ({
      state: ready ? 'ready' : starting ? 'starting' : stats.unavailable ? 'unavailable' : 'off',
      answered: stats.answered,
      fellBack: stats.fellBack,
      starts: stats.starts,
      pid: ready?.pid ?? null,
    }),
    async close() {
      closed = true;
      ready?.stream.close();
      await transport.close();
    },
  };
}
