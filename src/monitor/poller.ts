import type { Logger } from 'pino';
import type { GanetiClient } from '../cluster/ganeti-client.js';
import type { NodeProber } from '../cluster/node-prober.js';
import type { NodeHealthRow } from '../cluster/parsers/node-health-list.js';
import type { GanetiInstance } from '../cluster/types.js';
import { ClusterUnavailableError } from '../core/errors.js';
import { reduceIncident, reduceMasterLoss, type IncidentChange } from './incident-reducer.js';
import { trackInstanceProblems } from './instance-problems.js';
import type { MonitorStore } from './monitor-store.js';
import { nextNodeModel } from './node-health.js';
import { publishIncident, type RequestLookup } from './publish.js';
import { autoEvacuateIfSafe, type AutoEvacuation } from './auto-evacuate.js';
import type {
  ClusterModel,
  Incident,
  IncidentReporter,
  InstanceModel,
  NodeModel,
  ProbeResult,
} from './types.js';

export interface PollerDeps {
  cluster: string;
  client: GanetiClient;
  prober: NodeProber;
  store: MonitorStore;
  requests: RequestLookup;
  reporter: IncidentReporter;
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  pollMs: number;
  graceMs: number;
  /** This process's lease token: unique per process. */
  owner: string;
  /**
   * Bound on one poll's gnt-* commands (a master that hangs). Default 12 s: a list with an
   * unreachable node takes about 5 s (Ganeti's RPC connect timeout).
   */
  queryTimeoutMs?: number;
  /** Reminder in the thread while an incident is not acknowledged. Default 15 min. */
  reminderMs?: number;
  /** Set when AUTO_EVACUATE is on. */
  autoEvacuate?: AutoEvacuation;
}

export interface Poller {
  /** One poll, if this process holds the lease: 'polled', or 'standby' when another one does. */
  tick(): Promise<'polled' | 'standby'>;
  start(): void;
  stop(): Promise<void>;
}

/** The model of a cluster not polled yet. */
export const emptyModel = (cluster: string): ClusterModel => ({
  cluster,
  master: null,
  polledAt: null,
  masterLostSince: null,
  nodes: {},
  instances: {},
  instanceProblems: {},
  announcedInstanceProblems: {},
});

/** The monitor's view of an instance from `gnt-instance list`. */
export const toInstanceModel = (i: GanetiInstance): InstanceModel => ({
  name: i.name,
  primaryNode: i.primaryNode,
  secondaryNodes: i.secondaryNodes,
  status: i.status,
  adminState: i.adminState,
  running: i.running,
  diskTemplate: i.diskTemplate,
  memoryMiB: i.memoryMiB,
  tags: i.tags,
});

/**
 * The health monitor of one cluster. Every process that runs it competes for one Redis lease;
 * the holder polls every `pollMs` (a cheap node and instance list, and a TCP probe of nodes that
 * do not answer), runs the node state machine and the incident logic, saves the model (fenced
 * by the lease) and only then talks to Slack, so two processes give one poll and one alert.
 */
export function createPoller(deps: PollerDeps): Poller {
  const log = deps.logger.child({ component: 'monitor', cluster: deps.cluster });
  const leaseMs = Math.max(3 * deps.pollMs, 15_000);
  const timeoutMs = deps.queryTimeoutMs ?? 12_000;
  let stopped = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  /** A node is suspect: poll again at once to confirm or clear it (not after a whole interval). */
  let suspicious = false;
  /** The loop's pause between polls, cut short by stop(). */
  const pause = (ms: number) =>
    Promise.race([deps.sleep(ms), new Promise<void>((resolve) => (wake = resolve))]).finally(() => {
      wake = null;
    });

  /**
   * Our own probe of the nodes Ganeti could not reach last time, run while Ganeti answers this
   * poll (so it adds no time). Healthy nodes are not probed: a connect to sshd every poll would
   * fill their auth logs.
   */
  async function probeAll(nodes: readonly NodeModel[]): Promise<Map<string, ProbeResult>> {
    const out = new Map<string, ProbeResult>();
    await Promise.all(
      nodes.map(async (n) => {
        if (n.ip) out.set(n.name, await deps.prober.probe(n.ip));
      }),
    );
    return out;
  }

  async function masterUnreachable(
    model: ClusterModel,
    open: Incident | null,
    error: unknown,
    now: number,
  ): Promise<void> {
    const since = model.masterLostSince ?? now;
    const next: ClusterModel = { ...model, masterLostSince: since };
    suspicious = true;
    let change: IncidentChange = { incident: open, opened: false, changed: false, onlined: [] };
    if (now - since >= deps.graceMs) {
      const survey = await deps.client.survey({ timeoutMs: 5_000 });
      if (survey.master === null) {
        const reachable = survey.answers.flatMap((a) => (a.self ? [a.self] : []));
        change = reduceMasterLoss(open, deps.cluster, now, survey.named ?? model.master, reachable);
      } else {
        log.warn({ err: error, master: survey.master }, 'the master answers its candidates but not the poll');
      }
    } else {
      log.warn({ err: error }, 'the master did not answer this poll (suspect)');
    }
    if (!(await deps.store.save(deps.owner, next, change.incident))) return;
    if (change.incident) await publishIncident(deps, change.incident, change.changed);
  }

  async function poll(): Promise<void> {
    // A node is judged as of the moment the poll asked, not when the slow answer came back.
    const now = deps.now();
    const model = (await deps.store.model()) ?? emptyModel(deps.cluster);
    const open = await deps.store.openIncident();
    let rows: NodeHealthRow[];
    let instances: InstanceModel[];
    let master: string;
    const probing = probeAll(Object.values(model.nodes).filter((n) => n.observed !== 'ok'));
    try {
      const [r, i] = await Promise.all([
        deps.client.nodeHealth({ timeoutMs }),
        deps.client.instancesWithin(timeoutMs),
      ]);
      rows = r;
      instances = i.map(toInstanceModel);
      master = await deps.client.master();
    } catch (error) {
      if (error instanceof ClusterUnavailableError) return masterUnreachable(model, open, error, now);
      log.error({ err: error }, 'poll failed; nothing decided this time');
      return;
    }
    const probes = await probing;
    // A slow answer (a node that does not answer takes Ganeti seconds) counts as of its end.
    const decidedAt = deps.now();
    const before: Record<string, NodeModel> = { ...model.nodes };
    // The old master after a master loss: it has been bad since the master went silent.
    const oldMaster = model.masterLostSince !== null ? model.master : null;
    const oldRow = rows.find((r) => r.name === oldMaster);
    const oldModel = oldMaster ? before[oldMaster] : undefined;
    if (oldMaster && oldRow && oldRow.live !== 'ok' && oldModel)
      before[oldMaster] = { ...oldModel, health: 'suspect', badSince: model.masterLostSince };
    const after: Record<string, NodeModel> = {};
    for (const row of rows)
      after[row.name] = nextNodeModel(
        before[row.name],
        { row, probe: row.live === 'ok' ? 'not-probed' : (probes.get(row.name) ?? 'not-probed') },
        decidedAt,
        deps.graceMs,
        now,
      );
    suspicious = Object.values(after).some((n) => n.health === 'suspect');

    const change = reduceIncident(open, {
      cluster: deps.cluster,
      now,
      before,
      after,
      instances,
      master,
      previousMaster: model.master,
    });
    const incident = change.incident;
    if (incident && change.onlined.length > 0) await reportVerify(incident, change.onlined);
    if (incident) await checkRivals(incident, after);
    const problems = trackInstanceProblems(model, instances, now, deps.graceMs);
    const next: ClusterModel = {
      cluster: deps.cluster,
      master,
      polledAt: now,
      masterLostSince: null,
      nodes: after,
      instances: Object.fromEntries(instances.map((i) => [i.name, i])),
      instanceProblems: problems.instanceProblems,
      announcedInstanceProblems: problems.announced,
    };
    if (!(await deps.store.save(deps.owner, next, incident))) {
      log.warn('lost the monitor lease while polling; another process polls now');
      return;
    }
    if (problems.note) await deps.reporter.instanceProblems(problems.note);
    if (!incident) return;
    if (deps.autoEvacuate && incident.resolvedAt === null)
      await autoEvacuateIfSafe({ ...deps, log }, incident, next);
    await publishIncident(deps, incident, change.changed || change.opened);
  }

  /** After a lost node is onlined, `gnt-cluster verify` says whether stale instances run there. */
  async function reportVerify(incident: Incident, nodes: string[]): Promise<void> {
    try {
      const report = await deps.client.verify();
      const stale = report.findings
        .filter((f) => /should not run on node/.test(f.message))
        .map((f) => `${f.item ?? ''}: ${f.message}`);
      incident.verifyFindings = stale;
      incident.timeline.push({
        at: deps.now(),
        loud: stale.length > 0,
        text:
          stale.length > 0
            ? `⚠️ After ${nodes.join(', ')} came online, \`gnt-cluster verify\` reports:\n${stale.map((s) => `• ${s}`).join('\n')}\nStop those instances on ${nodes.join(', ')} by hand; the bot starts and stops nothing there.`
            : `\`gnt-cluster verify\` after ${nodes.join(', ')} came online: no instance runs where it should not.`,
      });
    } catch (error) {
      log.warn({ err: error }, 'gnt-cluster verify after onlining failed');
      incident.timeline.push({
        at: deps.now(),
        text: `Could not run \`gnt-cluster verify\` after ${nodes.join(', ')} came online; run it by hand.`,
      });
    }
  }

  /** An old master that answers again may still claim the role (and hold the cluster IP). */
  async function checkRivals(incident: Incident, after: Record<string, NodeModel>): Promise<void> {
    const back = incident.nodes.filter(
      (n) =>
        n.wasMaster &&
        !incident.reported.includes(`rival:${n.name}`) &&
        (after[n.name]?.health === 'returned' || after[n.name]?.health === 'healthy'),
    );
    if (back.length === 0) return;
    const survey = await deps.client.survey({ timeoutMs: 10_000 });
    for (const n of back) {
      const short = n.name.split('.')[0] ?? n.name;
      if (!survey.rivals.some((r) => r.split('.')[0] === short)) continue;
      incident.reported.push(`rival:${n.name}`);
      incident.timeline.push({
        at: deps.now(),
        loud: true,
        text:
          `⚠️ *${n.name} answers again and still claims to be the master* (the master is ${survey.master ?? '?'}). ` +
          `It may still hold the cluster IP and run master daemons: two masters. On ${n.name}: stop its master ` +
          `daemons (\`/etc/init.d/ganeti stop\`) and remove the cluster IP from its interface (\`ip addr del …\`); ` +
          `then on the master: \`gnt-node add --readd ${n.name}\` (it gets the new master's configuration) and ` +
          `\`gnt-cluster verify\`.`,
      });
    }
  }

  async function tick(): Promise<'polled' | 'standby'> {
    if (!(await deps.store.lease(deps.owner, leaseMs))) return 'standby';
    // Keep the lease through a long poll (a verify with a node down takes about a minute).
    const renew = setInterval(
      () => {
        deps.store
          .lease(deps.owner, leaseMs)
          .catch((error: unknown) => log.warn({ err: error }, 'could not renew the monitor lease'));
      },
      Math.max(1_000, Math.floor(leaseMs / 3)),
    );
    try {
      await poll();
      return 'polled';
    } finally {
      clearInterval(renew);
    }
  }

  return {
    tick,
    start() {
      if (loop) return;
      log.info({ pollMs: deps.pollMs, graceMs: deps.graceMs }, 'health monitor started');
      loop = (async () => {
        while (!stopped) {
          const started = deps.now();
          try {
            await tick();
          } catch (error) {
            log.error({ err: error }, 'monitor poll failed');
          }
          const interval = suspicious ? Math.min(deps.pollMs, 1_000) : deps.pollMs;
          if (!stopped) await pause(Math.max(200, interval - (deps.now() - started)));
        }
      })();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await deps.store.release(deps.owner).catch(() => undefined);
    },
  };
}
