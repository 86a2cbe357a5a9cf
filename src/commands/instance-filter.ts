import type { GanetiInstance } from '../cluster/types.js';
import { globMatch } from '../core/glob.js';

/** Ganeti's instance statuses (gnt-instance list `status`). */
export const GANETI_STATUSES = [
  'running',
  'ADMIN_down',
  'ADMIN_offline',
  'USER_down',
  'ERROR_up',
  'ERROR_down',
  'ERROR_wrongnode',
  'ERROR_nodedown',
  'ERROR_nodeoffline',
] as const;

/** Words for groups of statuses, as an admin would say them. */
export const STATE_GROUPS = ['running', 'stopped', 'error'] as const;

export function stateMatches(status: string, wanted: string): boolean {
  const w = wanted.toLowerCase();
  if (w === 'stopped') return status === 'ADMIN_down' || status === 'ADMIN_offline' || status === 'USER_down';
  if (w === 'error') return status.startsWith('ERROR_');
  return status.toLowerCase() === w;
}

/**
 * `web*`, `*db?`: glob with * and ?, matching the whole name or the name up to one of its dots
 * (`web*` finds `web1.example.org`); without wildcards, a substring match.
 */
export function patternMatches(name: string, pattern: string): boolean {
  if (!/[*?]/.test(pattern)) return name.includes(pattern);
  if (globMatch(name, pattern)) return true;
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1))
    if (globMatch(name.slice(0, dot), pattern)) return true;
  return false;
}

export function filterInstances(
  instances: readonly GanetiInstance[],
  filter: { pattern: string | null; node: string | null; state: string | null },
): GanetiInstance[] {
  return instances.filter(
    (i) =>
      (filter.pattern === null || patternMatches(i.name, filter.pattern)) &&
      (filter.node === null || i.primaryNode === filter.node || i.secondaryNodes.includes(filter.node)) &&
      (filter.state === null || stateMatches(i.status, filter.state)),
  );
}
