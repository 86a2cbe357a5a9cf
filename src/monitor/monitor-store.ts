import type { Redis } from 'ioredis';
import type { ClusterModel, Incident, IncidentSummary, MonitorReader } from './types.js';

/** Marks people set on an incident with its buttons; kept apart from the poller's writes. */
export interface IncidentMarks {
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  snoozedBy: string | null;
  snoozedUntil: number | null;
}

/**
 * The monitor's state in Redis, per cluster: the model, the open incident, and the lease that
 * makes one process the poller however many share this Redis. Every write of the poller is
 * fenced by its lease token (a Lua check-and-set), so a poller that lost its lease (paused, cut
 * off from Redis) cannot overwrite its successor's state.
 */
export interface MonitorStore extends MonitorReader {
  /** Takes or renews the lease for `ttlMs`; true when `owner` holds it now. */
  lease(owner: string, ttlMs: number): Promise<boolean>;
  release(owner: string): Promise<void>;
  model(): Promise<ClusterModel | null>;
  openIncident(): Promise<Incident | null>;
  incident(id: string): Promise<Incident | null>;
  /** Saves the model and the incident (null: none open) only while `owner` holds the lease. */
  save(owner: string, model: ClusterModel, incident: Incident | null): Promise<boolean>;
  /** Saves the incident alone (after posting it), only while `owner` holds the lease. */
  saveIncident(owner: string, incident: Incident): Promise<boolean>;
  marks(id: string): Promise<IncidentMarks>;
  /** First acknowledgement wins; false when it was acknowledged before. */
  acknowledge(id: string, user: string, now: number): Promise<boolean>;
  snooze(id: string, user: string, until: number): Promise<void>;
  /** Links a request (an evacuation, a master failover) to an incident; false if one for this node exists. */
  linkRequest(id: string, link: { requestId: string; what: string; node: string }): Promise<boolean>;
  /** Replaces the link (after its request was denied, expired or cancelled). */
  relinkRequest(id: string, link: { requestId: string; what: string; node: string }): Promise<void>;
  requests(id: string): Promise<Array<{ requestId: string; what: string; node: string }>>;
  setLastSummaryAt(at: number): Promise<void>;
}

const KEEP_SECONDS = 30 * 24 * 3600;

// KEYS: lease, model, open, incident-prefix. ARGV: owner, model json, incident json or '', incident id.
const SAVE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[4] .. ARGV[4], ARGV[3], 'EX', ${KEEP_SECONDS})
  if ARGV[5] == 'open' then redis.call('SET', KEYS[3], ARGV[4]) else redis.call('DEL', KEYS[3]) end
else
  redis.call('DEL', KEYS[3])
end
return 1
`;

// KEYS: lease, open, incident key. ARGV: owner, incident json, id, open|closed.
const SAVE_INCIDENT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[3], ARGV[2], 'EX', ${KEEP_SECONDS})
if ARGV[4] == 'open' then redis.call('SET', KEYS[2], ARGV[3]) elseif redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
`;

// KEYS: lease. ARGV: owner, ttl ms.
const LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

// KEYS: links hash. ARGV: node, json.
const LINK = `return redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])`;

export function createMonitorStore(deps: { redis: Redis; prefix: string; cluster: string }): MonitorStore {
  const base = `${deps.prefix}:monitor:${deps.cluster}`;
  const incidentKey = `${deps.prefix}:incident:`;
  const keys = {
    lease: `${base}:lease`,
    model: `${base}:model`,
    open: `${base}:open`,
    summary: `${base}:summary-at`,
  };
  const marksKey = (id: string) => `${incidentKey}${id}:marks`;
  const linksKey = (id: string) => `${incidentKey}${id}:requests`;
  const parse = <T>(raw: string | null): T | null => (raw ? (JSON.parse(raw) as T) : null);
  const incident = async (id: string) => parse<Incident>(await deps.redis.get(`${incidentKey}${id}`));
  const openIncident = async () => {
    const id = await deps.redis.get(keys.open);
    return id ? incident(id) : null;
  };

  return {
    async lease(owner, ttlMs) {
      return (await deps.redis.eval(LEASE, 1, keys.lease, owner, String(ttlMs))) === 1;
    },
    async release(owner) {
      await deps.redis.eval(RELEASE, 1, keys.lease, owner);
    },
    model: async () => parse<ClusterModel>(await deps.redis.get(keys.model)),
    openIncident,
    incident,
    async save(owner, model, inc) {
      const args = [
        owner,
        JSON.stringify(model),
        inc ? JSON.stringify(inc) : '',
        inc?.id ?? '',
        inc && inc.resolvedAt === null ? 'open' : 'closed',
      ];
      return (await deps.redis.eval(SAVE, 4, keys.lease, keys.model, keys.open, incidentKey, ...args)) === 1;
    },
    async saveIncident(owner, inc) {
      const state = inc.resolvedAt === null ? 'open' : 'closed';
      const args = [owner, JSON.stringify(inc), inc.id, state];
      return (
        (await deps.redis.eval(
          SAVE_INCIDENT,
          3,
          keys.lease,
          keys.open,
          `${incidentKey}${inc.id}`,
          ...args,
        )) === 1
      );
    },
    async marks(id) {
      const m = await deps.redis.hgetall(marksKey(id));
      const num = (v: string | undefined) => (v ? Number(v) : null);
      return {
        acknowledgedBy: m.ackBy ?? null,
        acknowledgedAt: num(m.ackAt),
        snoozedBy: m.snoozeBy ?? null,
        snoozedUntil: num(m.snoozeUntil),
      };
    },
    async acknowledge(id, user, now) {
      const first = await deps.redis.hsetnx(marksKey(id), 'ackBy', user);
      if (first !== 1) return false;
      await deps.redis.hset(marksKey(id), 'ackAt', String(now));
      await deps.redis.expire(marksKey(id), KEEP_SECONDS);
      return true;
    },
    async snooze(id, user, until) {
      await deps.redis.hset(marksKey(id), 'snoozeBy', user, 'snoozeUntil', String(until));
      await deps.redis.expire(marksKey(id), KEEP_SECONDS);
    },
    async linkRequest(id, link) {
      const made =
        (await deps.redis.eval(LINK, 1, linksKey(id), `${link.what}:${link.node}`, JSON.stringify(link))) ===
        1;
      if (made) await deps.redis.expire(linksKey(id), KEEP_SECONDS);
      return made;
    },
    async relinkRequest(id, link) {
      await deps.redis.hset(linksKey(id), `${link.what}:${link.node}`, JSON.stringify(link));
    },
    async requests(id) {
      const all = await deps.redis.hvals(linksKey(id));
      return all.map((raw) => JSON.parse(raw) as { requestId: string; what: string; node: string });
    },
    async openIncidents(): Promise<IncidentSummary[]> {
      const inc = await openIncident();
      if (!inc) return [];
      const marks = await this.marks(inc.id);
      return [
        {
          id: inc.id,
          cluster: inc.cluster,
          kind: inc.kind,
          openedAt: inc.openedAt,
          nodes:
            inc.kind === 'master-loss' && inc.lostMaster ? [inc.lostMaster] : inc.nodes.map((n) => n.name),
          acknowledgedBy: marks.acknowledgedBy,
        },
      ];
    },
    async lastSummaryAt() {
      const v = await deps.redis.get(keys.summary);
      return v ? Number(v) : null;
    },
    async setLastSummaryAt(at) {
      await deps.redis.set(keys.summary, String(at));
    },
  };
}
