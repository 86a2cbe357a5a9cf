import type { NodeHealthRow } from '../cluster/parsers/node-health-list.js';
import type { LossCause, NodeModel, NodeObservation, ProbeResult } from './types.js';

/** One node as seen in one poll: Ganeti's row plus our own probe of it (for non-ok nodes). */
export interface NodeSighting {
  row: NodeHealthRow;
  probe: ProbeResult;
}

const observation = (row: NodeHealthRow): NodeObservation =>
  row.offline || row.live === 'offline' ? 'offline' : row.live === 'unreachable' ? 'unreachable' : 'ok';

function causeOf(obs: NodeObservation, probe: ProbeResult): LossCause {
  if (obs === 'offline') return 'marked-offline';
  return probe === 'noded-down' ? 'noded-down' : 'no-answer';
}

/** Our own probe says the node is up again, though Ganeti does not (yet) talk to it. */
const answersUs = (probe: ProbeResult) => probe === 'answers' || probe === 'noded-down';

/**
 * The node state machine, pure and clock-injected:
 * healthy → suspect on the first bad poll (nothing posted; one lost poll or slow answer is
 * forgiven) → down once still bad `graceMs` after the first bad poll → returned when it answers
 * again (Ganeti reaches it, or, while it is marked offline, our own probe does) → healthy when
 * Ganeti reaches it again. A node already offline the first time it is seen is `offline-known`
 * (planned maintenance), not an incident.
 */
export function nextNodeModel(
  prev: NodeModel | undefined,
  seen: NodeSighting,
  now: number,
  graceMs: number,
  /** When the poll asked (a slow answer is judged as of then); default `now`. */
  seenAt: number = now,
): NodeModel {
  const obs = observation(seen.row);
  const r = seen.row;
  const base = {
    name: r.name,
    ip: r.ip,
    observed: obs,
    probe: seen.probe,
    offline: r.offline,
    drained: r.drained,
    role: r.role,
    masterCandidate: r.masterCandidate,
    // Keep the last known figures of a node that stopped answering: the summary shows them as such.
    memoryTotalMiB: r.memoryTotalMiB ?? prev?.memoryTotalMiB ?? null,
    memoryFreeMiB: r.memoryFreeMiB ?? null,
    diskTotalMiB: r.diskTotalMiB ?? prev?.diskTotalMiB ?? null,
    diskFreeMiB: r.diskFreeMiB ?? null,
    bootId: r.bootId ?? prev?.bootId ?? null,
    primaryInstances: r.primaryInstances,
    secondaryInstances: r.secondaryInstances,
  };
  const at = (health: NodeModel['health'], extra: Partial<NodeModel> = {}): NodeModel => ({
    ...base,
    health,
    since: prev && prev.health === health ? prev.since : seenAt,
    badSince: prev?.badSince ?? null,
    cause: prev?.cause ?? null,
    ...extra,
  });

  if (!prev) {
    if (obs === 'offline') return at('offline-known', { badSince: null, cause: null });
    if (obs === 'ok') return at('healthy', { badSince: null, cause: null });
    return at('suspect', { badSince: seenAt, cause: causeOf(obs, seen.probe) });
  }
  const bad = obs !== 'ok';
  switch (prev.health) {
    case 'healthy':
      return bad ? at('suspect', { badSince: seenAt, cause: causeOf(obs, seen.probe) }) : at('healthy');
    case 'offline-known':
      return bad ? at('offline-known') : at('healthy', { badSince: null, cause: null });
    case 'suspect': {
      if (!bad) return at('healthy', { badSince: null, cause: null });
      const badSince = prev.badSince ?? seenAt;
      const cause = causeOf(obs, seen.probe);
      return now - badSince >= graceMs ? at('down', { badSince, cause }) : at('suspect', { badSince, cause });
    }
    case 'down':
      if (!bad || answersUs(seen.probe)) return at('returned');
      return at('down');
    case 'returned':
      if (!bad)
        return prev.observed === 'ok' ? at('healthy', { badSince: null, cause: null }) : at('returned');
      // Marked offline and still answering us: it stays "returned" until someone onlines it.
      return answersUs(seen.probe) ? at('returned') : at('down');
  }
}
