import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHostVerifier, parseKnownHosts } from '../../src/cluster/known-hosts.js';
import { Semaphore } from '../../src/cluster/semaphore.js';
import {
  createSshTransport,
  type SshTransport,
  type SshTransportOptions,
} from '../../src/cluster/ssh-transport.js';
import type { RemoteTransport } from '../../src/cluster/transport.js';
import { ClusterUnavailableError, UserError } from '../../src/core/errors.js';
import { startSshd, type TestSshd } from '../support/sshd.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { describeTransportContract } from './transport-contract.js';

const silent = pino({ level: 'silent' });
let sshd: TestSshd;
let otherKeyDir: string;
/** Keys the test sshd does not know: an ed25519 pair (private key, `type base64`), an ecdsa base64. */
let otherKey: { privateKey: Buffer; line: string; ecdsa: string };

/** Transports made by a test; afterEach closes them. */
const opened: SshTransport[] = [];

function transportFor(overrides: Partial<SshTransportOptions> = {}, logger = silent): SshTransport {
  const transport = createSshTransport(
    {
      host: sshd.host,
      port: sshd.port,
      username: sshd.user,
      privateKey: sshd.clientKey,
      hostVerifier: createHostVerifier(parseKnownHosts(sshd.knownHostsText), sshd.host, sshd.port),
      ...overrides,
    },
    { logger },
  );
  opened.push(transport);
  return transport;
}

/** A transport whose known_hosts holds just `line`. */
function pinnedTo(line: string): SshTransport {
  return transportFor({ hostVerifier: createHostVerifier(parseKnownHosts(line), sshd.host, sshd.port) });
}

/** Catches a promise's rejection, failing the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<ClusterUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ClusterUnavailableError);
  return error as ClusterUnavailableError;
}

/** Starts `count` execs of argv, with their rejections already caught (no unhandled rejections). */
function startMany(transport: RemoteTransport, count: number, argv: string[]) {
  return Array.from({ length: count }, () =>
    transport.exec(argv).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    ),
  );
}

beforeAll(async () => {
  sshd = await startSshd();
  otherKeyDir = mkdtempSync(join(tmpdir(), 'ssh-transport-test-'));
  const path = join(otherKeyDir, 'other');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-C', '', '-f', `${path}-ecdsa`]);
  otherKey = {
    privateKey: readFileSync(path),
    line: readFileSync(`${path}.pub`, 'utf8').trim(),
    ecdsa: readFileSync(`${path}-ecdsa.pub`, 'utf8').split(' ')[1] ?? '',
  };
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((transport) => transport.close()));
});

afterAll(async () => {
  await sshd?.cleanup();
  rmSync(otherKeyDir, { recursive: true, force: true });
});

describeTransportContract('ssh2 transport to a local sshd', async () => {
  const transport = transportFor();
  opened.pop(); // lives for the whole contract suite, not one test
  return { transport, cleanup: () => transport.close() };
});

describe('createSshTransport', () => {
  it('never opens more than 8 channels, so 20 parallel execs all pass OpenSSH MaxSessions 10', async () => {
    const transport = transportFor();
    // Each command reports when it ran, by the remote clock: overlap is measured on the host.
    const argv = ['sh', '-c', 'date +%s%N; sleep 0.3; date +%s%N'];
    const results = await Promise.all(Array.from({ length: 20 }, () => transport.exec(argv)));
    const spans = results.map((result) => result.stdout.trim().split('\n').map(Number));
    const overlap = (at: number) => spans.filter(([start = 0, end = 0]) => start <= at && at < end).length;
    expect(Math.max(...spans.map(([start = 0]) => overlap(start)))).toBe(8);
    expect(transport.stats()).toMatchObject({ connects: 1, maxOpenChannels: 8, openChannels: 0, queued: 0 });
  });

  it('retries channels that sshd refuses right after others close, so none fail', async () => {
    const transport = transportFor();
    const results = await Promise.all(Array.from({ length: 200 }, () => transport.exec(['true'])));
    expect(results.filter((result) => result.code !== 0)).toEqual([]);
    expect(transport.stats().maxOpenChannels).toBe(8);
  });

  it('rejects a command that outlives its timeout, naming the command and host', async () => {
    const transport = transportFor();
    const started = Date.now();
    const error = await rejectionOf(transport.exec(['sh', '-c', 'sleep 2'], { timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error.message).toBe(`sh on root@127.0.0.1:${sshd.port} timed out after 300 ms`);
    expect(error.retryable).toBe(true);
    expect(error.hint).toMatch(/may still be running/);
    // sshd refuses signals in root sessions, so the command runs out its 2 s and keeps its
    // session until then; the slot stays taken meanwhile, and other execs still run.
    expect(transport.stats().openChannels).toBe(1);
    expect((await transport.exec(['echo', 'still usable'])).stdout).toBe('still usable\n');
    await expect.poll(() => transport.stats().openChannels, { timeout: 5000 }).toBe(0);
  });

  it('counts the wait for a free channel against the timeout', async () => {
    const transport = transportFor({ maxChannels: 1 });
    const first = transport.exec(['sleep', '1']);
    await expect.poll(() => transport.stats().openChannels, { timeout: 5000 }).toBe(1);
    const error = await rejectionOf(transport.exec(['echo', 'queued'], { timeoutMs: 200 }));
    expect(error.message).toMatch(/^echo on .* timed out after 200 ms$/);
    expect(error.hint).toBe('It never started: all 1 SSH channels stayed busy.');
    expect(transport.stats().queued).toBe(0);
    expect((await first).code).toBe(0);
  });

  it('trusts the host key pinned in known_hosts', async () => {
    await expect(transportFor().exec(['true'])).resolves.toMatchObject({ code: 0 });
  });

  it('refuses a changed host key, naming the offered fingerprint and GANETI_SSH_KNOWN_HOSTS', async () => {
    const error = await rejectionOf(pinnedTo(`[127.0.0.1]:${sshd.port} ${otherKey.line}`).exec(['true']));
    expect(error.message).toContain(`host key for root@127.0.0.1:${sshd.port} CHANGED`);
    expect(error.message).toContain(`offered ${sshd.fingerprint}`);
    expect(error.hint).toContain('GANETI_SSH_KNOWN_HOSTS');
  });

  it('refuses a host missing from known_hosts and says so', async () => {
    const error = await rejectionOf(pinnedTo(`[127.0.0.1]:1 ${otherKey.line}`).exec(['true']));
    expect(error.message).toContain(`is not in KNOWN_HOSTS (offered ${sshd.fingerprint})`);
    expect(error.hint).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1`);
  });

  it('asks for the pinned key type and reports a host that has none of that type', async () => {
    const line = `[127.0.0.1]:${sshd.port} ecdsa-sha2-nistp256 ${otherKey.ecdsa}`;
    const error = await rejectionOf(pinnedTo(line).exec(['true']));
    expect(error.message).toContain('CHANGED: it has no key of the pinned types (ecdsa-sha2-nistp256)');
    expect(error.hint).toContain('GANETI_SSH_KNOWN_HOSTS');
  });

  it('refuses a host when a plain verifier says no, still pointing at known_hosts', async () => {
    const error = await rejectionOf(transportFor({ hostVerifier: () => false }).exec(['true']));
    expect(error.message).toContain(`offered ${sshd.fingerprint}`);
    expect(error.hint).toContain('GANETI_SSH_KNOWN_HOSTS');
  });

  it('reports a refused login with a hint about the key file and authorized_keys', async () => {
    const error = await rejectionOf(transportFor({ privateKey: otherKey.privateKey }).exec(['true']));
    expect(error.message).toBe(
      `Could not connect to root@127.0.0.1:${sshd.port}: SSH login as root was refused`,
    );
    expect(error.hint).toMatch(/GANETI_SSH_KEY_FILE.*authorized_keys/);
  });

  it('refuses to start with a private key it cannot parse or too many channels', () => {
    expect(() => transportFor({ privateKey: 'not a key' })).toThrow(UserError);
    expect(() => transportFor({ maxChannels: 10 })).toThrow(/MaxSessions/);
  });

  it('gives up on a port that accepts TCP but never speaks SSH', async () => {
    const sockets: Socket[] = [];
    const silentServer: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    const { port } = silentServer.address() as { port: number };
    try {
      const error = await rejectionOf(transportFor({ port, connectTimeoutMs: 300 }).exec(['true']));
      expect(error.message).toBe(`Could not connect to root@127.0.0.1:${port}: no SSH answer within 300 ms`);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      silentServer.close();
    }
  });

  it('rejects running and queued execs when the connection drops, then reconnects once for many', async () => {
    const transport = transportFor();
    await transport.exec(['true']);
    const inFlight = startMany(transport, 12, ['sleep', '5']);
    await expect.poll(() => transport.stats().openChannels, { timeout: 5000 }).toBe(8);
    await sshd.dropConnections();
    for (const { error } of await Promise.all(inFlight)) {
      expect(error).toBeInstanceOf(ClusterUnavailableError);
      expect((error as Error).message).toMatch(/SSH connection to root@127\.0\.0\.1:\d+/);
    }
    const again = await Promise.all(Array.from({ length: 5 }, () => transport.exec(['echo', 'back'])));
    expect(again.map((result) => result.stdout)).toEqual(Array(5).fill('back\n'));
    expect(transport.stats().connects).toBe(2);
  });

  it('stops a command that prints more than the output limit, naming the command and the limit', async () => {
    const transport = transportFor({ maxOutputBytes: 1_000_000 });
    const error = (await transport.exec(['head', '-c', '5000000', '/dev/zero']).then(
      () => new Error('no error'),
      (e: unknown) => e as Error,
    )) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.code).toBe('output_too_large');
    expect(error.message).toBe(
      `\`head -c\` on root@127.0.0.1:${sshd.port} printed more than 1000000 bytes; it was stopped.`,
    );
    expect((await transport.exec(['echo', 'still fine'])).stdout).toBe('still fine\n');
  });

  it('ends an exec at its timeout on a connection that died silently (a cut link), not at the keepalive', async () => {
    const proxy = await startTcpProxy('127.0.0.1', sshd.port);
    try {
      const transport = transportFor({ port: proxy.port });
      await transport.exec(['true']);
      proxy.freeze();
      const started = Date.now();
      const error = await rejectionOf(transport.exec(['true'], { timeoutMs: 1_000 }));
      expect(error).toBeInstanceOf(ClusterUnavailableError);
      expect(error.message).toBe(`true on root@127.0.0.1:${proxy.port} timed out after 1000 ms`);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await proxy.close();
    }
  });

  it('fails fast while sshd is down and works again after it restarts', async () => {
    const transport = transportFor();
    await transport.exec(['true']);
    try {
      await sshd.stop();
      // The old connection's close can reach the transport a moment after sshd is gone; an exec in
      // that moment fails with "was closed" (the dropped-connection test covers it). Wait for it.
      await expect.poll(() => transport.stats().connected, { timeout: 5000 }).toBe(false);
      const started = Date.now();
      const errors = await Promise.all([transport.exec(['true']), transport.exec(['true'])].map(rejectionOf));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(errors[0]?.message).toBe(`Could not connect to root@127.0.0.1:${sshd.port}: connection refused`);
      expect(errors[0]?.hint).toBe('Is sshd running on the master candidates? Check GANETI_SSH_HOSTS.');
      await sshd.restart();
      expect((await transport.exec(['echo', 'ok'])).stdout).toBe('ok\n');
    } finally {
      await sshd.restart(); // whatever happened, leave sshd up for the next test
    }
  });

  it('rejects waiting execs on close and refuses new ones', async () => {
    const transport = transportFor();
    const execs = startMany(transport, 10, ['sleep', '5']);
    await expect.poll(() => transport.stats().openChannels, { timeout: 5000 }).toBe(8);
    await transport.close();
    for (const { error } of await Promise.all(execs)) expect(String(error)).toMatch(/shut down/);
    await expect(transport.exec(['true'])).rejects.toThrow(/closed/);
  });

  it('warns at every connect when host keys are not checked, and never when they are', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')));
        done();
      },
    });
    const unchecked = transportFor({ hostVerifier: undefined }, pino({ level: 'info' }, sink));
    await unchecked.exec(['true']);
    await sshd.dropConnections();
    await unchecked.exec(['true']).catch(() => unchecked.exec(['true']));
    const warned = lines.filter((l) => l.level === 40 && /WITHOUT checking the SSH host key/.test(l.msg));
    expect(warned.length).toBeGreaterThanOrEqual(2);
    lines.length = 0;
    await transportFor({}, pino({ level: 'info' }, sink)).exec(['true']);
    expect(lines.filter((l) => /WITHOUT checking/.test(l.msg))).toEqual([]);
  });

  it('logs each exec at debug and a lost connection at warn', async () => {
    const lines: Array<{ level: number; msg: string; argv?: string[]; code?: number }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')));
        done();
      },
    });
    const transport = transportFor({}, pino({ level: 'debug' }, sink));
    await transport.exec(['sh', '-c', 'exit 2']);
    const execLine = lines.find((line) => line.msg === 'exec');
    expect(execLine).toMatchObject({
      level: 20,
      argv: ['sh', '-c', 'exit 2'],
      code: 2,
      ms: expect.any(Number),
    });
    const running = rejectionOf(transport.exec(['sleep', '5'])); // handled before the drop
    await expect.poll(() => transport.stats().openChannels, { timeout: 5000 }).toBe(1);
    await sshd.dropConnections();
    await running;
    expect(lines.some((line) => line.level === 40 && /SSH connection/.test(line.msg))).toBe(true);
  });
});

describe('Semaphore', () => {
  it('serves waiters in arrival order and lets an aborted waiter leave the queue', async () => {
    const semaphore = new Semaphore(1);
    const order: string[] = [];
    const releaseFirst = await semaphore.acquire();
    const abort = new AbortController();
    const second = semaphore.acquire().then((release) => (order.push('second'), release));
    const aborted = semaphore
      .acquire(abort.signal)
      .catch((reason: unknown) => order.push(`aborted: ${reason}`));
    const third = semaphore.acquire().then((release) => (order.push('third'), release));
    expect(semaphore.queued).toBe(3);
    abort.abort('gave up');
    await aborted;
    releaseFirst();
    releaseFirst(); // a second call must not free another slot
    (await second)();
    (await third)();
    expect(order).toEqual(['aborted: gave up', 'second', 'third']);
    expect(semaphore.inUse).toBe(0);
  });
});
