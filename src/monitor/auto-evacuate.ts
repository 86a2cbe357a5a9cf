import type { Logger } from 'pino';
import type { GanetiClient } from '../cluster/ganeti-client.js';
import type { MonitorStore } from './monitor-store.js';
import type { ClusterModel, Incident } from './types.js';

/** AUTO_EVACUATE's two side effects, wired in main.ts. */
export interface AutoEvacuation {
  /** The cluster's fencing command for `node` (IPMI, `gnt-node power off`…): ok only on exit 0. */
  fence(node: string): Promise<{ ok: boolean; detail: string }>;
  /** Starts the same guarded evacuation as the button, approved by the monitor; its request id. */
  start(incident: Incident, node: string, attestation: string): Promise<string>;
}

/** Why the automatic evacuation does not run now, or null when every condition holds. */
export function autoEvacuationBlocker(
  incident: Incident,
  model: ClusterModel,
  linked: readonly string[],
): string | null {
  if (incident.kind !== 'node-loss' || incident.resolvedAt !== null)
    return 'the incident is not an open node loss';
  if (incident.nodes.length !== 1) return 'more than one node is lost in this cluster';
  const [lost] = incident.nodes;
  if (!lost) return 'no lost node';
  if (model.nodes[lost.name]?.health !== 'down') return `${lost.name} is not down (any more)`;
  if (linked.includes(lost.name)) return 'someone already asked for an evacuation';
  if (!lost.capacityOk) return 'the other nodes lack the memory for its instances';
  if (!lost.primaries.some((p) => p.target !== null)) return 'no instance of it can move';
  return null;
}

/**
 * AUTO_EVACUATE: the guarded evacuation without a click, only when all hold: the node is down
 * (the grace period has passed), it is the only node lost, the master and a majority of the
 * master candidates answer, the other nodes have the memory, and the fencing command succeeded.
 * Tried once per node and incident; what happened is in the incident's thread.
 */
export async function autoEvacuateIfSafe(
  deps: {
    client: GanetiClient;
    store: MonitorStore;
    now: () => number;
    log: Logger;
    autoEvacuate?: AutoEvacuation;
  },
  incident: Incident,
  model: ClusterModel,
): Promise<void> {
  const auto = deps.autoEvacuate;
  const lost = incident.nodes[0];
  if (!auto || !lost || incident.autoEvacuation[lost.name]) return;
  const linked = (await deps.store.requests(incident.id)).map((r) => r.node);
  const blocker = autoEvacuationBlocker(incident, model, linked);
  if (blocker) return;
  const say = (text: string, loud = false) => {
    incident.autoEvacuation[lost.name] = text;
    incident.timeline.push({ at: deps.now(), text, ...(loud ? { loud } : {}) });
  };
  const survey = await deps.client.survey({ timeoutMs: 10_000 });
  const answering = survey.answers.filter((a) => a.self !== null).length;
  if (survey.master === null || answering * 2 <= survey.answers.length) {
    say(`AUTO_EVACUATE: not run: only ${answering} of ${survey.answers.length} master candidates answer.`);
    return;
  }
  const fenced = await auto.fence(lost.name);
  if (!fenced.ok) {
    say(
      `AUTO_EVACUATE: not run: fencing ${lost.name} failed (${fenced.detail}). Fail over by hand once it is off.`,
      true,
    );
    return;
  }
  const attestation = `${lost.name} was fenced by the configured fencing command (${fenced.detail}).`;
  try {
    const requestId = await auto.start(incident, lost.name, attestation);
    say(`🤖 AUTO_EVACUATE: ${attestation} Failing over its instances (request \`${requestId}\`).`, true);
  } catch (error) {
    deps.log.error({ err: error }, 'could not start the automatic evacuation');
    say('AUTO_EVACUATE: fenced, but the evacuation could not be queued; use the button.', true);
  }
}
