import type { Redis } from 'ioredis';
import { z } from 'zod';
import { operationRequestSchema } from './operation-schemas.js';
import {
  messageRefSchema,
  REQUEST_STATES,
  type MessageRef,
  type OperationRequest,
  type RequestState,
} from './operation-types.js';

export interface StoredRequest {
  request: OperationRequest;
  state: RequestState;
  decidedBy: string | null;
  decidedAt: number | null;
  /** The card or progress message, once posted. */
  card: MessageRef | null;
  /** Once done: success, partial, failed or unknown, and one line saying what happened. */
  outcome: string | null;
  outcomeSummary: string | null;
}

export type Transition = { ok: true } | { ok: false; state: RequestState | null };

export interface RequestStore {
  /** Stores a new request; false when one with this id exists already (then nothing changes). */
  create(request: OperationRequest, state: RequestState, decidedBy?: string | null): Promise<boolean>;
  get(requestId: string): Promise<StoredRequest | null>;
  /** Moves the state atomically, only from one of `from`: of two racing clicks exactly one wins. */
  transition(
    requestId: string,
    from: readonly RequestState[],
    to: RequestState,
    by?: string,
  ): Promise<Transition>;
  setCard(requestId: string, card: MessageRef): Promise<void>;
  /** Records how a finished request ended (for the incident that asked for it). */
  setOutcome(requestId: string, outcome: string, summary: string): Promise<void>;
  /** Requests approved before `at` (ms) that have not started running. */
  approvedBefore(at: number): Promise<string[]>;
  /** How many requests wait for an approver now (the /metrics gauge). */
  pendingCount(): Promise<number>;
  /** The ids of requests waiting for an approver, newest first, at most `limit` (App Home). */
  pendingIds(limit: number): Promise<string[]>;
}

/** Keys live this long after creation: long enough for audits of a week's requests. */
const TTL_SECONDS = 30 * 24 * 3600;

// KEYS[1] request hash, KEYS[2] the index of approved requests, KEYS[3] the index of pending ones;
// ARGV: to, by, at, id, from... Approved requests are indexed in the same step, so one whose
// queueing was lost (Redis slow at the click) is found and queued by the worker's sweep
// (approval-sweeper.ts); pending ones are counted for /metrics.
const TRANSITION = `
local s = redis.call('HGET', KEYS[1], 'state')
if not s then return {0, ''} end
for i = 5, #ARGV do
  if ARGV[i] == s then
    redis.call('HSET', KEYS[1], 'state', ARGV[1])
    if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'decidedBy', ARGV[2], 'decidedAt', ARGV[3]) end
    if ARGV[1] == 'approved' then redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
    else redis.call('ZREM', KEYS[2], ARGV[4]) end
    if ARGV[1] == 'pending' then redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
    else redis.call('ZREM', KEYS[3], ARGV[4]) end
    return {1, ARGV[1]}
  end
end
return {0, s}
`;

// KEYS[1] request hash, KEYS[2] approved index, KEYS[3] pending index; ARGV: data, state,
// decidedBy, decidedAt, ttl, id.
// All or nothing.
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[1], 'state', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'decidedBy', ARGV[3], 'decidedAt', ARGV[4]) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
if ARGV[2] == 'approved' then redis.call('ZADD', KEYS[2], ARGV[4], ARGV[6]) end
if ARGV[2] == 'pending' then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[6]) end
return 1
`;

const stateSchema = z.enum(REQUEST_STATES);

export function createRequestStore(deps: { redis: Redis; prefix: string; now?: () => number }): RequestStore {
  const now = deps.now ?? Date.now;
  const key = (id: string) => `${deps.prefix}:request:${id}`;
  const approvedIndex = `${deps.prefix}:requests-approved`;
  const pendingIndex = `${deps.prefix}:requests-pending`;
  return {
    async create(request, state, decidedBy = null) {
      const data = JSON.stringify(operationRequestSchema.parse(request));
      const args = [data, state, decidedBy ?? '', String(now()), String(TTL_SECONDS), request.requestId];
      const keys = [key(request.requestId), approvedIndex, pendingIndex];
      return (await deps.redis.eval(CREATE, keys.length, ...keys, ...args)) === 1;
    },
    async get(requestId) {
      const raw = await deps.redis.hgetall(key(requestId));
      if (!raw.data || !raw.state) return null;
      return {
        request: operationRequestSchema.parse(JSON.parse(raw.data)),
        state: stateSchema.parse(raw.state),
        decidedBy: raw.decidedBy ?? null,
        decidedAt: raw.decidedAt ? Number(raw.decidedAt) : null,
        card: raw.card ? messageRefSchema.parse(JSON.parse(raw.card)) : null,
        outcome: raw.outcome ?? null,
        outcomeSummary: raw.outcomeSummary ?? null,
      };
    },
    async transition(requestId, from, to, by) {
      const result = (await deps.redis.eval(
        TRANSITION,
        3,
        key(requestId),
        approvedIndex,
        pendingIndex,
        to,
        by ?? '',
        String(now()),
        requestId,
        ...from,
      )) as [number, string];
      if (result[0] === 1) return { ok: true };
      const parsed = stateSchema.safeParse(result[1]);
      return { ok: false, state: parsed.success ? parsed.data : null };
    },
    async setCard(requestId, card) {
      await deps.redis.hset(key(requestId), 'card', JSON.stringify(card));
    },
    async setOutcome(requestId, outcome, summary) {
      await deps.redis.hset(key(requestId), 'outcome', outcome, 'outcomeSummary', summary);
    },
    async approvedBefore(at) {
      const ids = await deps.redis.zrangebyscore(approvedIndex, '-inf', at);
      // Requests expire after 30 days: their index entries go with them.
      await deps.redis.zremrangebyscore(approvedIndex, '-inf', now() - TTL_SECONDS * 1000);
      return ids;
    },
    async pendingCount() {
      // A pending request always ends (approved, denied, cancelled or expired by its expiry job);
      // entries older than the keys' life are only what a lost Redis write could leave behind.
      await deps.redis.zremrangebyscore(pendingIndex, '-inf', now() - TTL_SECONDS * 1000);
      return deps.redis.zcard(pendingIndex);
    },
    async pendingIds(limit) {
      return limit <= 0 ? [] : deps.redis.zrevrange(pendingIndex, 0, limit - 1);
    },
  };
}
