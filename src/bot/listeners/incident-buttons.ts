import type { Logger } from 'pino';
import type { AuditLog } from '../../audit/audit-log.js';
import { authorize, type AccessPolicy } from '../../commands/authorize.js';
import type { Registry } from '../../commands/registry.js';
import { isUserError } from '../../core/errors.js';
import type { MonitorStore } from '../../monitor/monitor-store.js';
import { incidentView, type RequestLookup } from '../../monitor/publish.js';
import type { IncidentReporter } from '../../monitor/types.js';
import type { CommandQueue } from '../../queue/command-queue.js';
import type { OperationReporter } from '../../queue/operation-port.js';
import { newRequestId } from '../../queue/payloads.js';
import {
  ACTION_INCIDENT_ACK,
  ACTION_INCIDENT_EVACUATE,
  ACTION_INCIDENT_MASTER,
  ACTION_INCIDENT_SNOOZE,
} from '../render/render-incident.js';
import { slackDate, TIME } from '../../core/slack-date.js';
import type { GroupDirectory } from '../user-groups.js';
import { clickedInHome, clickedOn, replyTo, type ButtonArgs } from './operation-buttons.js';

export interface IncidentButtonDeps {
  /** The bot serves several clusters: the requests it queues name the incident's. */
  multiCluster?: boolean;
  store: MonitorStore;
  requests: RequestLookup;
  registry: Registry;
  queue: Pick<CommandQueue, 'enqueue'>;
  incidents: IncidentReporter;
  /** For private answers (refusals). */
  operations: Pick<OperationReporter, 'tell'>;
  policy: AccessPolicy;
  groups: GroupDirectory;
  audit: AuditLog;
  logger: Logger;
  now?: () => number;
  snoozeMs?: number;
}

const VALUE = /^(inc-[A-Za-z0-9]+-[a-z0-9]+)\|([A-Za-z0-9._-]{1,255})$/;

/**
 * The buttons of an incident's message. **Fail over N instances** and **Make NODE master** ask
 * for the same operation a person could type (`recover NODE`, `master-failover NODE`): it is
 * queued as that command, with its card in the incident's thread, and goes through the usual
 * pre-checks and two-person approval. **Acknowledge** (first click wins) and **Snooze 1 h** (no
 * reminders meanwhile) are noted in the thread. Who may click is decided by the same policy.
 *
 * The button's value (`INCIDENT|NODE`) is checked against the incident itself: the click must
 * come from the incident's message, an evacuation only for a node the incident lost, a master
 * failover only to a candidate it found reachable. Anything else is refused and audited.
 */
export function createIncidentButtons(deps: IncidentButtonDeps) {
  const now = deps.now ?? Date.now;
  return async ({ ack, body, action }: ButtonArgs): Promise<void> => {
    await ack();
    const clicker = body.user.id;
    const to = replyTo(body);
    let target: string | null = null;
    const refuse = async (message: string, hint?: string) => {
      await deps.audit.record({
        event: 'refused',
        user: clicker,
        channel: to.channelId,
        target,
        detail: `${action.action_id}: ${message}`,
      });
      await deps.operations.tell(to, { code: 'refused', message, ...(hint ? { hint } : {}) });
    };
    const m = VALUE.exec(action.value ?? '');
    if (!m?.[1] || !m[2]) return refuse('That button does not belong to an incident this bot knows.');
    const [, id, node] = m as unknown as [string, string, string];
    target = node;
    const log = deps.logger.child({ incident: id, clicker, action: action.action_id });
    try {
      const incident = await deps.store.incident(id);
      if (!incident?.message) return refuse('This incident is no longer known.');
      const ref = incident.message;
      const from = clickedOn(body);
      const inHome = clickedInHome(body);
      if (!inHome && (from.channel !== ref.channel || (from.ts !== null && from.ts !== ref.ts))) {
        log.warn({ from }, 'refused a click that did not come from the incident’s message');
        return refuse(`This button is not on the message of incident \`${id}\`; nothing was done.`);
      }
      const commandName =
        action.action_id === ACTION_INCIDENT_EVACUATE
          ? 'recover'
          : action.action_id === ACTION_INCIDENT_MASTER
            ? 'master-failover'
            : null;
      const command = commandName
        ? deps.registry.find(commandName)
        : { name: 'acknowledge', risk: 'write' as const };
      if (!command) return refuse('Unknown button.');
      const groups = await deps.groups.groupsOf(clicker);
      // Channel rules apply where the incident is, also for a click in the Home.
      const decision = authorize(command, { userId: clicker, groups }, ref.channel, deps.policy);
      if (!decision.allowed || decision.via !== 'role')
        return refuse(decision.allowed ? 'Incident buttons need a role on the bot.' : decision.reason);
      const refresh = async () => deps.incidents.update(await incidentView({ ...deps, now }, incident), ref);

      if (action.action_id === ACTION_INCIDENT_ACK) {
        if (!(await deps.store.acknowledge(id, clicker, now())))
          return refuse('Someone acknowledged this incident already.');
        log.info('incident acknowledged');
        await deps.incidents.thread(ref, [{ text: `👀 Acknowledged by <@${clicker}>: no more reminders.` }]);
        await refresh();
        return;
      }
      if (action.action_id === ACTION_INCIDENT_SNOOZE) {
        const until = now() + (deps.snoozeMs ?? 3_600_000);
        await deps.store.snooze(id, clicker, until);
        await deps.incidents.thread(ref, [
          {
            text: `😴 Snoozed by <@${clicker}> until ${slackDate(until, TIME)}: no reminders until then.`,
          },
        ]);
        await refresh();
        return;
      }
      if (!commandName) return refuse('Unknown button.');
      if (incident.resolvedAt !== null) return refuse('This incident is resolved; nothing to do.');
      const offered =
        commandName === 'recover'
          ? incident.kind !== 'master-loss' && incident.nodes.some((n) => n.name === node)
          : incident.kind === 'master-loss' && incident.reachableCandidates.includes(node);
      if (!offered)
        return refuse(
          commandName === 'recover'
            ? `\`${node}\` is not a node this incident lost; nothing was asked.`
            : `\`${node}\` is not a master candidate this incident offers; nothing was asked.`,
        );
      const requestId = newRequestId(now());
      const what = commandName;
      if (!(await deps.store.linkRequest(id, { requestId, what, node }))) {
        const existing = (await deps.store.requests(id)).find((r) => r.what === what && r.node === node);
        const state = existing ? (await deps.requests.get(existing.requestId))?.state : null;
        if (state && !['denied', 'expired', 'cancelled'].includes(state))
          return refuse(
            `Someone asked for this already (request \`${existing?.requestId}\`, ${state}).`,
            'Its card is in the incident’s thread.',
          );
        await deps.store.relinkRequest(id, { requestId, what, node });
      }
      const text = `${commandName} ${node}`;
      await deps.queue.enqueue({
        requestId,
        command: commandName,
        args: { node },
        text,
        userId: clicker,
        channelId: ref.channel,
        responseUrl: body.response_url ?? null,
        requestedAt: now(),
        groups,
        grant: { via: 'role', role: decision.role },
        threadTs: ref.ts,
        ...(deps.multiCluster ? { cluster: incident.cluster } : {}),
      });
      log.info({ requestId }, `queued ${text} from an incident`);
      await deps.audit.record({
        event: 'requested',
        requestId,
        user: clicker,
        channel: ref.channel,
        command: commandName,
        target: node,
        detail: `from incident ${id}`,
      });
      await refresh();
    } catch (error) {
      log.error({ err: error }, 'incident button failed');
      return refuse(
        isUserError(error) ? error.userMessage : 'The bot could not handle that click; nothing was run.',
        'Try again in a minute.',
      );
    }
  };
}
