import type { AuditLog, AuditRecord } from '../../audit/audit-log.js';
import {
  isMember,
  mayApprove,
  projectOnCluster,
  projectOwns,
  roleOf,
  type AccessPolicy,
  type Role,
} from '../../commands/authorize.js';
import type { MonitorStore } from '../../monitor/monitor-store.js';
import { incidentView } from '../../monitor/publish.js';
import type { ClusterModel, Incident, IncidentView, InstanceModel } from '../../monitor/types.js';
import type { RequestStore, StoredRequest } from '../../queue/request-store.js';
import type { GroupDirectory } from '../user-groups.js';

export interface HomeCluster {
  name: string;
  model: ClusterModel | null;
  incident: Incident | null;
  /** The open incident with its marks and requests, for its buttons. */
  incidentView: IncidentView | null;
  monitorOn: boolean;
}

/** What one person's App Home shows, gathered from the stores (never from the cluster itself). */
export interface HomeData {
  user: string;
  role: Role | null;
  /** Each cluster as its monitor last saw it; empty for someone without a role (projects only). */
  clusters: HomeCluster[];
  /** The projects they belong to, with the instances of each (by tag or name pattern) the monitor knows. */
  projects: Array<{
    name: string;
    actions: readonly string[];
    instances: InstanceModel[];
  }>;
  /** Requests waiting for them to approve. */
  approvals: StoredRequest[];
  /** What they asked for lately, newest first. */
  mine: AuditRecord[];
  alertChannel: string | null;
  now: number;
}

export interface HomeDeps {
  /** Every cluster the bot serves, with its monitor's store (null when the monitor is off). */
  clusters: ReadonlyArray<{ name: string; monitor: MonitorStore | null }>;
  requests: RequestStore;
  audit: AuditLog;
  policy: AccessPolicy;
  groups: GroupDirectory;
  alertChannel: string | null;
  now?: () => number;
}

/** Pending requests looked at for approvals; an App Home is a glance, not a queue browser. */
const PENDING_LOOKED_AT = 50;
const RECENT_REQUESTS = 6;

export async function gatherHome(user: string, deps: HomeDeps): Promise<HomeData> {
  const principal = { userId: user, groups: await deps.groups.groupsOf(user) };
  const role = roleOf(principal, deps.policy);
  const now = deps.now ?? Date.now;
  const clusters = await Promise.all(
    deps.clusters.map(async ({ name, monitor }): Promise<HomeCluster> => {
      const [model, incident] = monitor
        ? await Promise.all([monitor.model(), monitor.openIncident()])
        : [null, null];
      const view =
        role !== null && incident && monitor
          ? await incidentView({ store: monitor, requests: deps.requests, now }, incident)
          : null;
      return { name, model, incident, incidentView: view, monitorOn: monitor !== null };
    }),
  );
  const pending = await Promise.all(
    (await deps.requests.pendingIds(PENDING_LOOKED_AT)).map((id) => deps.requests.get(id)),
  );
  const approvals = pending.filter(
    (r): r is StoredRequest =>
      r !== null &&
      r.state === 'pending' &&
      mayApprove(r.request.command, principal, r.request.userId, deps.policy).allowed,
  );
  const instances = clusters.flatMap((c) =>
    Object.values(c.model?.instances ?? {}).map((instance) => ({ cluster: c.name, instance })),
  );
  const projects = (deps.policy.projects ?? [])
    .filter((p) => isMember(principal, p.members))
    .map((p) => ({
      name: p.name,
      actions: p.actions,
      instances: instances
        .filter(
          ({ cluster, instance: i }) =>
            projectOnCluster(p, cluster) && projectOwns(p, { instance: i.name, tags: i.tags ?? [] }),
        )
        .map(({ instance }) => instance),
    }));
  // Their requests, each by its latest record (newest first): what became of it.
  const latest = new Map<string, AuditRecord>();
  for (const r of await deps.audit.recent({ limit: 200, user })) {
    if (r.user === user && r.requestId !== null && !latest.has(r.requestId)) latest.set(r.requestId, r);
  }
  const mine = [...latest.values()].slice(0, RECENT_REQUESTS);
  return {
    user,
    role,
    clusters: role === null ? [] : clusters,
    projects,
    approvals,
    mine,
    alertChannel: deps.alertChannel,
    now: now(),
  };
}
