/**
 * Redis (REDIS_URL): that it answers with the given password, and that it keeps what it is told
 * across a crash (AOF, docs/reliability.md) and never evicts the queue's keys. One connection, no
 * reconnects, closed at the end.
 */
import { Redis } from 'ioredis';
import { fail, pass, warn, type CheckResult } from './report.js';

/** REDIS_URL for display: the password replaced by `***`, any query string left out. */
export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    const auth = u.username || u.password ? `${u.username}${u.password ? ':***' : ''}@` : '';
    return `${u.protocol}//${auth}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'REDIS_URL';
  }
}

/** The password in REDIS_URL as given and decoded, for the report's redactor. */
export function redisSecrets(url: string | undefined): string[] {
  try {
    const u = new URL(url ?? '');
    return u.password ? [u.password, decodeURIComponent(u.password)] : [];
  } catch {
    return [];
  }
}

/** `field:value` lines of an INFO section. */
function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

type Failure = { detail: string; hint: string };

/** Why the connection failed, in words, from ioredis's own error (the rejection only says "closed"). */
function describeFailure(error: Error | undefined, timeoutMs: number): Failure {
  const message = error?.message ?? '';
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = 'the host and port in REDIS_URL';
  if (message.startsWith('WRONGPASS'))
    return {
      detail: 'the password (or user) in REDIS_URL was refused (WRONGPASS)',
      hint: 'put the password of requirepass (or of the ACL user) in REDIS_URL: redis://:PASSWORD@HOST:PORT, URL-encoded',
    };
  if (message.startsWith('NOAUTH'))
    return {
      detail: 'Redis wants a password and REDIS_URL gives none (NOAUTH)',
      hint: 'put it in REDIS_URL: redis://:PASSWORD@HOST:PORT (URL-encoded)',
    };
  if (code === 'ECONNREFUSED')
    return {
      detail: 'connection refused',
      hint: `start Redis (systemctl start redis-server) or fix ${where}`,
    };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { detail: 'host name not found', hint: `fix ${where}` };
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message) || error === undefined)
    return {
      detail: `no answer within ${timeoutMs} ms`,
      hint: `check ${where}, that Redis is up and that no firewall drops the connection`,
    };
  return { detail: message, hint: `check ${where} and the Redis server's log` };
}

export async function checkRedis(url: string, timeoutMs: number): Promise<CheckResult[]> {
  const what = `redis ${maskRedisUrl(url)}`;
  const redis = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      const { detail, hint } = describeFailure(lastError ?? (error as Error), timeoutMs);
      return [fail(what, detail, hint)];
    }
    const server = infoFields(await redis.info('server'));
    const results = [pass(what, `PING answered (Redis ${server.get('redis_version') ?? '?'})`)];
    results.push(persistence(infoFields(await redis.info('persistence')), await appendfsync(redis)));
    results.push(eviction(infoFields(await redis.info('memory'))));
    return results;
  } finally {
    redis.disconnect();
  }
}

/** CONFIG GET appendfsync; null where CONFIG is not allowed (managed Redis services rename it). */
async function appendfsync(redis: Redis): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', 'appendfsync')) as unknown;
    // RESP2 answers [name, value]; RESP3 a map, which ioredis gives as an object.
    if (Array.isArray(reply)) return typeof reply[1] === 'string' ? reply[1] : null;
    const value = (reply as Record<string, unknown> | null)?.appendfsync;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function persistence(info: Map<string, string>, fsync: string | null): CheckResult {
  const what = 'redis persistence';
  const fix =
    'set appendonly yes and appendfsync always in redis.conf and restart Redis (docs/reliability.md)';
  if (info.get('aof_enabled') !== '1')
    return fail(
      what,
      'AOF is off (aof_enabled:0): after a crash Redis comes back with old or no state, and pending requests, approvals and cards are lost',
      fix,
    );
  if (info.get('aof_last_write_status') === 'err')
    return fail(
      what,
      'AOF is on but its last write failed (aof_last_write_status:err)',
      'check the disk of Redis',
    );
  if (fsync !== null && fsync !== 'always')
    return warn(
      what,
      `AOF is on with appendfsync ${fsync}: a crash can lose the last writes (an approval may revert to pending)`,
      'set appendfsync always (docs/reliability.md)',
    );
  if (fsync === null)
    return warn(
      what,
      'AOF is on, but appendfsync cannot be read here (CONFIG is not allowed for this user)',
      'make sure redis.conf says appendfsync always (docs/reliability.md)',
    );
  return pass(what, `AOF on, appendfsync ${fsync}`);
}

function eviction(info: Map<string, string>): CheckResult {
  const policy = info.get('maxmemory_policy') ?? 'unknown';
  if (policy === 'noeviction') return pass('redis eviction', 'maxmemory-policy noeviction');
  return fail(
    'redis eviction',
    `maxmemory-policy ${policy}: Redis may drop queued jobs and requests when it is full`,
    'set maxmemory-policy noeviction (BullMQ needs it)',
  );
}
