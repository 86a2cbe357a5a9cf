/**
 * RemoteTransport over one pooled ssh2 connection. The connection opens on the
 * first exec, is shared by concurrent execs, and is reopened by the first exec after it is lost.
 */
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';
import { ClusterUnavailableError, UserError } from '../core/errors.js';
import { type HostKeyVerdict, hostKeyAlgorithms } from './known-hosts.js';
import { Semaphore } from './semaphore.js';
import { quoteArgv } from './shell-quote.js';
import { collect, kill, untilAborted } from './ssh-channel.js';
import { describeConnectError, type SshError } from './ssh-errors.js';
import type { RemoteStream, RemoteTransport, StreamOptions } from './transport.js';

/** OpenSSH's default `MaxSessions` is 10; 8 leaves room for an admin's own session or two. */
const MAX_CHANNELS_LIMIT = 8;
/**
 * sshd frees a closed session only after reading every packet that came with the close, so a
 * channel request sent right after a close can be refused below MaxSessions (measured with
 * back-to-back `true` execs: 10-20% refused at 8 channels, under 1% at 6). A refused channel
 * ran nothing, so retrying is safe even for destructive commands.
 */
const CHANNEL_OPEN_ATTEMPTS = 5;

export interface SshTransportOptions {
  host: string;
  /** Default 22. */
  port?: number;
  username: string;
  /** Unencrypted OpenSSH or PEM private key. */
  privateKey: Buffer | string;
  /**
   * True trusts the raw host key blob; undefined skips the check (insecure: the caller warns).
   * A `createHostVerifier` verifier also explains refusals and picks the host key algorithms.
   */
  hostVerifier?: ((key: Buffer) => boolean) & {
    explain?: (key: Buffer) => HostKeyVerdict;
    keyTypes?: readonly string[];
  };
  /** TCP connect + handshake + login. Default 10000 ms. */
  connectTimeoutMs?: number;
  /** Per exec, waiting for a free channel included; ExecOptions.timeoutMs overrides. Default 60000 ms. */
  commandTimeoutMs?: number;
  /**
   * Output one exec may return (stdout and stderr); more ends it with a clear error instead of
   * filling the process's memory. Default 64 MiB (a 10,000-instance list is a few MiB).
   */
  maxOutputBytes?: number;
  /** SSH keepalive period. Default 10000 ms. */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as lost. Default 3. */
  keepaliveCountMax?: number;
  /** Channels open at once on the connection, 1..8. Default 8. */
  maxChannels?: number;
}

export interface SshTransportDeps {
  logger: Logger;
}

/** Counters for health checks and tests. */
export interface SshTransportStats {
  /** Connections that reached "logged in". */
  connects: number;
  /** Whether a logged-in connection is open now. */
  connected: boolean;
  /** Channels open now on the current connection, and the most ever open at once. */
  openChannels: number;
  maxOpenChannels: number;
  /** Execs waiting for a free channel. */
  queued: number;
  /** Channel requests that sshd refused and that were retried. */
  channelOpenRetries: number;
}

export interface SshTransport extends RemoteTransport {
  stats(): SshTransportStats;
}

/** Everything tied to one SSH connection; it all dies with the connection. */
interface Connection {
  client: ssh2.Client;
  ready: Promise<void>;
  slots: Semaphore;
  /** One per exec bound to this connection, queued or running; aborted when it is lost. */
  running: Set<AbortController>;
  /** Set once the connection is unusable; the first cause wins. */
  lost?: ClusterUnavailableError;
  socketClosed: boolean;
  offeredKey?: Buffer;
  loggedIn?: boolean;
}

/**
 * Creates the transport; nothing connects until the first `exec`.
 *
 * @throws UserError `ssh_key_invalid` when the private key cannot be parsed, so a bad
 *   GANETI_SSH_KEY_FILE stops the bot at start instead of failing every command.
 */
export function createSshTransport(options: SshTransportOptions, deps: SshTransportDeps): SshTransport {
  const port = options.port ?? 22;
  const label = `${options.username}@${options.host}:${port}`;
  const maxChannels = options.maxChannels ?? MAX_CHANNELS_LIMIT;
  if (!Number.isInteger(maxChannels) || maxChannels < 1 || maxChannels > MAX_CHANNELS_LIMIT) {
    throw new RangeError(`maxChannels must be 1..${MAX_CHANNELS_LIMIT} (OpenSSH MaxSessions is 10)`);
  }
  const key = ssh2.utils.parseKey(options.privateKey);
  if (key instanceof Error) {
    const hint = 'GANETI_SSH_KEY_FILE must name an unencrypted OpenSSH or PEM private key.';
    const message = `Unusable SSH key for ${label}: ${key.message}`;
    throw new UserError('ssh_key_invalid', message, { hint, cause: key });
  }
  const target = { label, host: options.host, port, username: options.username };
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 60_000;
  const verifier = options.hostVerifier;
  const log = deps.logger.child({ transport: label });
  const stats = { connects: 0, maxOpenChannels: 0, channelOpenRetries: 0 };
  let current: Connection | undefined;
  let closed = false;

  function fail(conn: Connection, error: ClusterUnavailableError, expected = false): void {
    if (conn.lost !== undefined) return;
    conn.lost = error;
    if (current === conn) current = undefined;
    if (!expected) log.warn({ err: error.cause, execs: conn.running.size }, error.message);
    for (const controller of conn.running) controller.abort(error);
  }

  function open(): Connection {
    const client = new ssh2.Client();
    const started = performance.now();
    const slots = new Semaphore(maxChannels);
    const conn: Connection = {
      client,
      ready: Promise.resolve(),
      slots,
      running: new Set(),
      socketClosed: false,
    };
    conn.ready = new Promise<void>((resolve, reject) => {
      let isReady = false;
      const down = (error: ClusterUnavailableError): void => {
        fail(conn, error);
        reject(conn.lost); // a no-op once ready
      };
      client.once('ready', () => {
        isReady = true;
        conn.loggedIn = true;
        // GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK: said at every connect, not only at start.
        if (!verifier)
          log.warn('connected WITHOUT checking the SSH host key (GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK)');
        stats.connects += 1;
        log.debug({ ms: Math.round(performance.now() - started) }, 'SSH connected');
        resolve();
      });
      client.on('error', (err: SshError) => {
        if (!isReady)
          return down(describeConnectError(err, { ...target, connectTimeoutMs }, conn.offeredKey, verifier));
        const hint = 'The host stopped answering or dropped the connection; check that it is up.';
        const message = `Lost the SSH connection to ${label}: ${err.message}`;
        down(new ClusterUnavailableError(message, { hint, cause: err }));
      });
      client.on('close', () => {
        conn.socketClosed = true;
        const what = isReady ? `The SSH connection to ${label} was closed` : `${label} hung up during login`;
        down(new ClusterUnavailableError(what, { hint: 'Check the host’s sshd log.' }));
      });
    });
    const algorithms = hostKeyAlgorithms(verifier?.keyTypes ?? []);
    const config: ConnectConfig = {
      host: options.host,
      port,
      username: options.username,
      privateKey: options.privateKey,
      readyTimeout: connectTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs ?? 10_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      ...(algorithms.length > 0 && { algorithms: { serverHostKey: algorithms } }),
      // Remember the key so that a refusal can name the fingerprint that was offered.
      ...(verifier && { hostVerifier: (hostKey: Buffer) => verifier((conn.offeredKey = hostKey)) }),
    };
    client.connect(config);
    // ssh2 leaves Nagle on: its back-to-back small packets then wait for delayed ACKs
    // (measured on loopback: 52 ms per `true` exec with Nagle, 9 ms without).
    client.setNoDelay(true);
    return conn;
  }

  /** Opens a session channel, retrying refusals (see CHANNEL_OPEN_ATTEMPTS). */
  async function openChannel(conn: Connection, command: string, signal: AbortSignal): Promise<ClientChannel> {
    for (let attempt = 1; ; attempt += 1) {
      // Never start the command once the exec has timed out or the connection is gone.
      if (signal.aborted) throw signal.reason;
      const opening = new Promise<ClientChannel>((resolve, reject) =>
        conn.client.exec(command, (err, channel) => (err ? reject(err) : resolve(channel))),
      );
      try {
        // On a connection that died silently (a cut link) the open is never answered: the
        // exec's timeout must end the wait, not the keepalive half a minute later.
        return await untilAborted(opening, signal);
      } catch (err) {
        if (signal.aborted) {
          opening.then(kill, () => undefined); // a late channel is closed at once
          throw signal.reason;
        }
        if (conn.lost || attempt >= CHANNEL_OPEN_ATTEMPTS) throw err;
        stats.channelOpenRetries += 1;
        await delay(10 * 2 ** attempt, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  return {
    label,
    async exec(argv, opts = {}) {
      if (closed) throw new Error(`SSH transport ${label} is closed`);
      const command = quoteArgv(argv); // refuses a bad argv before touching the network
      const started = performance.now();
      current ??= open();
      const conn = current; // execs arriving during a connect share its attempt
      await conn.ready;
      // One signal ends an exec for both causes: its timeout and the loss of the connection.
      // The timeout covers the wait for a channel too, so a queue behind stuck commands ends.
      const timeoutMs = opts.timeoutMs ?? commandTimeoutMs;
      const abort = new AbortController();
      let requested = false; // once the channel is requested, the command may be running
      const timer = setTimeout(() => {
        const message = `${argv[0]} on ${label} timed out after ${timeoutMs} ms`;
        const hint = requested
          ? 'It may have done part of its work and may still be running: check before repeating it.'
          : `It never started: all ${maxChannels} SSH channels stayed busy.`;
        abort.abort(new ClusterUnavailableError(message, { hint }));
      }, timeoutMs);
      conn.running.add(abort);
      try {
        if (conn.lost) throw conn.lost;
        const release = await conn.slots.acquire(abort.signal);
        stats.maxOpenChannels = Math.max(stats.maxOpenChannels, conn.slots.inUse);
        requested = true;
        const channel = await openChannel(conn, command, abort.signal).catch((err: Error) => {
          release();
          if (abort.signal.aborted) throw abort.signal.reason;
          const hint = 'Check MaxSessions (at least 10) in the host’s sshd_config and its sshd log.';
          const message = `${label} refused a channel: ${err.message}`;
          throw new ClusterUnavailableError(message, { hint, cause: err });
        });
        // sshd confirms our close only once the command has exited; until then it still counts
        // against MaxSessions, so the slot stays taken too.
        channel.once('close', release);
        // Nothing is ever written to a command: it reads end-of-file, never waits for input.
        channel.end();
        const bytes = options.maxOutputBytes ?? 64 * 1024 * 1024;
        const tooMuch = () =>
          new UserError(
            'output_too_large',
            `\`${argv.slice(0, 2).join(' ')}\` on ${label} printed more than ${bytes} bytes; it was stopped.`,
            {
              hint: 'Narrow the command (a filter, fewer fields), or raise the limit if this output is expected.',
            },
          );
        const collected = collect(channel, opts.onStdout, log, { bytes, tooMuch });
        const result = await untilAborted(collected, abort.signal).catch((err) => {
          kill(channel);
          throw err;
        });
        log.debug({ argv, code: result.code, ms: Math.round(performance.now() - started) }, 'exec');
        return result;
      } finally {
        clearTimeout(timer);
        conn.running.delete(abort);
      }
    },
    async stream(argv: readonly string[], opts: StreamOptions): Promise<RemoteStream> {
      if (closed) throw new Error(`SSH transport ${label} is closed`);
      const command = quoteArgv(argv);
      current ??= open();
      const conn = current;
      await conn.ready;
      const abort = new AbortController();
      const timeoutMs = opts.timeoutMs ?? commandTimeoutMs;
      const timer = setTimeout(
        () =>
          abort.abort(
            new ClusterUnavailableError(`${argv[0]} on ${label} did not start within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      conn.running.add(abort);
      let channel: ClientChannel;
      let release: () => void = () => undefined;
      try {
        if (conn.lost) throw conn.lost;
        // A stream holds one of the connection's channels for as long as it runs.
        release = await conn.slots.acquire(abort.signal);
        channel = await openChannel(conn, command, abort.signal);
      } catch (error) {
        release();
        conn.running.delete(abort);
        throw error;
      } finally {
        clearTimeout(timer);
      }
      // From here the connection's loss (or close()) ends the command.
      abort.signal.addEventListener('abort', () => kill(channel), { once: true });
      const out = new StringDecoder('utf8');
      const err = new StringDecoder('utf8');
      channel.on('data', (chunk: Buffer) => opts.onStdout(out.write(chunk)));
      channel.stderr.on('data', (chunk: Buffer) => opts.onStderr?.(err.write(chunk)));
      const ended = new Promise<number | null>((resolve) => {
        // See collect() in ssh-channel.ts for why the status is read from 'close'.
        channel.once('close', (exitCode?: unknown) => {
          release();
          conn.running.delete(abort);
          resolve(typeof exitCode === 'number' ? exitCode : null);
        });
      });
      return {
        write: (text) => {
          channel.write(text);
        },
        ended,
        close: () => kill(channel),
      };
    },
    async close() {
      closed = true;
      const conn = current;
      current = undefined;
      if (conn === undefined || conn.socketClosed) return;
      fail(conn, new ClusterUnavailableError(`The SSH transport for ${label} was shut down`), true);
      await new Promise<void>((resolve) => {
        conn.client.once('close', resolve);
        conn.client.end();
        // A socket still in its TCP handshake ignores end(); do not wait for it.
        setTimeout(() => {
          conn.client.destroy();
          resolve();
        }, 1000).unref();
      });
    },
    stats: () => ({
      ...stats,
      connected: current?.loggedIn === true && current.lost === undefined,
      openChannels: current?.slots.inUse ?? 0,
      queued: current?.slots.queued ?? 0,
    }),
  };
}
