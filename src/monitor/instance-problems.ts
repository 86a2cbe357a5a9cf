import type { ClusterModel, InstanceModel, InstanceProblemsNote } from './types.js';

/**
 * Instance states that are the instance's own problem. `ERROR_nodedown` and `ERROR_nodeoffline`
 * are left out: they belong to the node's incident.
 */
const OWN_PROBLEMS = new Set(['ERROR_down', 'ERROR_wrongnode', 'ERROR_up']);

/**
 * Tracks instance problems across polls and says when to post: a problem counts once it lasted
 * `graceMs` (an instance being moved or restarted is not a problem), and a note is due when the
 * set of counted problems differs from the one last announced: one message per change of the
 * set, never one per instance.
 */
export function trackInstanceProblems(
  model: Pick<ClusterModel, 'cluster' | 'instanceProblems' | 'announcedInstanceProblems'>,
  instances: readonly InstanceModel[],
  now: number,
  graceMs: number,
): {
  instanceProblems: ClusterModel['instanceProblems'];
  announced: ClusterModel['announcedInstanceProblems'];
  note: InstanceProblemsNote | null;
} {
  const tracked: ClusterModel['instanceProblems'] = {};
  for (const i of instances) {
    if (!OWN_PROBLEMS.has(i.status)) continue;
    const before = model.instanceProblems[i.name];
    tracked[i.name] = { status: i.status, since: before?.status === i.status ? before.since : now };
  }
  const counted = Object.fromEntries(
    Object.entries(tracked)
      .filter(([, p]) => now - p.since >= graceMs)
      .map(([name, p]) => [name, p.status]),
  );
  const previous = model.announcedInstanceProblems;
  // An instance still bad but not yet counted again (its status changed) keeps its old entry.
  for (const [name, status] of Object.entries(previous))
    if (tracked[name] && !counted[name]) counted[name] = status;
  const same =
    Object.keys(counted).length === Object.keys(previous).length &&
    Object.entries(counted).every(([name, status]) => previous[name] === status);
  if (same) return { instanceProblems: tracked, announced: previous, note: null };
  const byName = new Map(instances.map((i) => [i.name, i]));
  return {
    instanceProblems: tracked,
    announced: counted,
    note: {
      cluster: model.cluster,
      problems: Object.entries(counted).map(([name, status]) => ({
        name,
        status,
        primaryNode: byName.get(name)?.primaryNode ?? '?',
        since: tracked[name]?.since ?? now,
        isNew: previous[name] !== status,
      })),
      cleared: Object.keys(previous).filter((name) => !(name in counted)),
    },
  };
}
