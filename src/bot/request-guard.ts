import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Slack's rule: a request more than five minutes from local time, either way, is refused. */
export const MAX_SKEW_SECONDS = 300;

/** Remembers request signatures for the skew window, across bot processes. */
export interface ReplayGuard {
  /** True the first time a signature is seen within the window. */
  firstTime(signature: string): Promise<boolean>;
}

/**
 * Over Redis (`SET NX EX`), so a captured request replayed to another bot process is refused
 * too. Redis gets `waitMs` to answer (a connection still being made queues the command, for 500 ms); when it
 * does not, the request goes on (the user then hears that the queue is down) and this process's
 * own memory still refuses replays it saw.
 */
export function createReplayGuard(deps: {
  redis: Redis;
  prefix: string;
  now?: () => number;
  waitMs?: number;
}): ReplayGuard {
  const now = deps.now ?? Date.now;
  const waitMs = deps.waitMs ?? 500;
  const local = new Map<string, number>();
  return {
    async firstTime(signature) {
      const id = createHash('sha256').update(signature).digest('hex');
      const t = now();
      // Entries expire in the order they were added (a Map keeps it): drop from the front only.
      for (const [k, until] of local) {
        if (until >= t) break;
        local.delete(k);
      }
      if (local.has(id)) return false;
      local.set(id, t + 2 * MAX_SKEW_SECONDS * 1000);
      let timer: NodeJS.Timeout | undefined;
      try {
        const set = await Promise.race([
          deps.redis.set(`${deps.prefix}:seen:${id}`, '1', 'EX', 2 * MAX_SKEW_SECONDS, 'NX'),
          new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), waitMs))),
        ]);
        return set === 'OK' || set === 'timeout';
      } catch {
        return true; // Redis is down: the command cannot be queued anyway, and the user is told so
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function refuse(res: ServerResponse, why: string): void {
  res.writeHead(401, { 'content-type': 'text/plain' });
  res.end(why);
}

/**
 * Puts two checks in front of Bolt's own signature check (which refuses only old timestamps):
 * a timestamp more than five minutes ahead is refused too, and the exact same signed request
 * (same signature) is accepted only once. Both answer 401, like a bad signature.
 */
export function guardRequests(
  receiver: HTTPReceiver,
  deps: { replays: ReplayGuard; logger: Logger; now?: () => number },
): void {
  const now = deps.now ?? Date.now;
  const bolt = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (req.method !== 'POST') return bolt(req, res);
    const ts = Number(header(req, 'x-slack-request-timestamp'));
    const signature = header(req, 'x-slack-signature');
    if (!Number.isFinite(ts) || Math.abs(now() / 1000 - ts) > MAX_SKEW_SECONDS || !signature) {
      deps.logger.warn({ ts, path: req.url }, 'refused a request with a missing or out-of-window timestamp');
      return refuse(res, 'stale or future request');
    }
    deps.replays.firstTime(signature).then(
      (first) => {
        if (first) return bolt(req, res);
        deps.logger.warn({ path: req.url }, 'refused a replayed request');
        return refuse(res, 'replayed request');
      },
      () => bolt(req, res),
    );
  };
}
