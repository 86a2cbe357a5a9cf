/**
 * A local stand-in for Slack's Socket Mode endpoint: a `ws` server on 127.0.0.1 that greets each
 * client with `hello`, sends envelopes and waits for their acks, as `@slack/socket-mode` expects.
 *
 * The client (socket-mode 3.x, on undici's WebSocket) needs only `hello` to count as connected; it
 * pings the server every ~1.7 s and `ws` answers with pongs by itself. It only watches for server
 * pings once it has received one, so this server never pings. Give the fake Slack this server's
 * `url` for `apps.connections.open`.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { slashCommandFields, type SlashCommandFields } from '../../src/demo/slack/slack-requests.js';

/** The client's answer to an envelope. */
export interface AckEnvelope {
  envelope_id: string;
  /** What the app passed to `ack()` (`{}` for a bare `ack()`). */
  payload?: Record<string, unknown>;
  /** Milliseconds from sending the envelope to receiving the ack. */
  ms: number;
}

/** How long to wait. */
export interface WaitOptions {
  /** Default 5000. */
  timeoutMs?: number;
}

/** A running Socket Mode server. Stop the app first, then `close()` it. */
export interface SocketModeServer {
  /** `ws://127.0.0.1:PORT/link`: what `apps.connections.open` should return. */
  readonly url: string;
  /** Every message the clients sent, parsed, oldest first. */
  readonly received: readonly unknown[];
  /** How many connections were accepted so far (reconnects included). */
  readonly connectionCount: number;
  /** Resolves when a client is connected (and has been sent `hello`). */
  waitForClient(options?: WaitOptions): Promise<void>;
  /** Resolves when no client is connected. */
  waitForNoClients(options?: WaitOptions): Promise<void>;
  /** Sends a `slash_commands` envelope (defaults from `slashCommandFields`) and waits for the ack. */
  sendSlashCommand(fields?: Partial<SlashCommandFields>, options?: WaitOptions): Promise<AckEnvelope>;
  /** Sends an `interactive` envelope (e.g. a block_actions payload) and waits for the ack. */
  sendInteractive(payload: object, options?: WaitOptions): Promise<AckEnvelope>;
  /** Sends any envelope type to the newest client and waits for the ack. */
  sendEnvelope(
    type: string,
    payload: object,
    options?: WaitOptions & { acceptsResponsePayload?: boolean },
  ): Promise<AckEnvelope>;
  /** Sends `{type:'disconnect'}`, as Slack does before recycling a connection. */
  sendDisconnect(reason?: string): void;
  /** Terminates the clients and stops the server; pending acks reject. */
  close(): Promise<void>;
}

interface PendingAck {
  sentAt: number;
  resolve: (ack: AckEnvelope) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

function hello(): string {
  return JSON.stringify({
    type: 'hello',
    num_connections: 1,
    debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
    connection_info: { app_id: 'A1' },
  });
}

/** Starts a Socket Mode server on 127.0.0.1, on a free port or on `port` (to come back where one was). */
export async function startSocketModeServer(port = 0): Promise<SocketModeServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const clients: WebSocket[] = [];
  const received: unknown[] = [];
  const pending = new Map<string, PendingAck>();
  const changes = new EventEmitter();
  let connectionCount = 0;

  wss.on('connection', (socket) => {
    connectionCount += 1;
    clients.push(socket);
    socket.send(hello());
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      received.push(message);
      const id = (message as { envelope_id?: unknown }).envelope_id;
      const waiting = typeof id === 'string' ? pending.get(id) : undefined;
      if (typeof id !== 'string' || waiting === undefined) return;
      pending.delete(id);
      clearTimeout(waiting.timer);
      const { payload } = message as { payload?: Record<string, unknown> };
      waiting.resolve({ envelope_id: id, payload, ms: performance.now() - waiting.sentAt });
    });
    socket.on('close', () => {
      const index = clients.indexOf(socket);
      if (index >= 0) clients.splice(index, 1);
      changes.emit('change');
    });
    changes.emit('change');
  });

  const waitUntil = (done: () => boolean, what: string, { timeoutMs = 5000 }: WaitOptions = {}) =>
    new Promise<void>((resolve, reject) => {
      if (done()) return resolve();
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        changes.off('change', check);
        resolve();
      };
      const timer = setTimeout(() => {
        changes.off('change', check);
        reject(new Error(`Socket Mode server: ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      changes.on('change', check);
    });

  const sendEnvelope: SocketModeServer['sendEnvelope'] = (type, payload, options = {}) => {
    const client = clients.at(-1);
    if (client === undefined) return Promise.reject(new Error('Socket Mode server: no client connected'));
    const envelopeId = randomUUID();
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<AckEnvelope>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(envelopeId);
        reject(new Error(`Socket Mode server: no ack for ${type} envelope within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(envelopeId, { sentAt: performance.now(), resolve, reject, timer });
      const accepts = options.acceptsResponsePayload ?? type === 'slash_commands';
      client.send(
        JSON.stringify({ envelope_id: envelopeId, type, accepts_response_payload: accepts, payload }),
      );
    });
  };

  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`,
    received,
    get connectionCount() {
      return connectionCount;
    },
    waitForClient: (options) => waitUntil(() => clients.length > 0, 'no client connected', options),
    waitForNoClients: (options) => waitUntil(() => clients.length === 0, 'clients still connected', options),
    sendSlashCommand: (fields, options) =>
      sendEnvelope('slash_commands', slashCommandFields(fields), options),
    sendInteractive: (payload, options) => sendEnvelope('interactive', payload, options),
    sendEnvelope,
    sendDisconnect(reason = 'refresh_requested') {
      const message = { type: 'disconnect', reason, debug_info: { host: 'applink-fake' } };
      for (const client of clients) client.send(JSON.stringify(message));
    },
    async close() {
      for (const [id, waiting] of pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error(`Socket Mode server closed before envelope ${id} was acked`));
      }
      pending.clear();
      for (const client of clients) client.terminate();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
