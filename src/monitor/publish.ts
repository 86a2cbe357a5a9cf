import type { Logger } from 'pino';
import type { MonitorStore } from './monitor-store.js';
import type { Incident, IncidentReporter, IncidentRequest, IncidentView } from './types.js';

/** What the monitor reads of a request it started (the request store implements it). */
export interface RequestLookup {
  get(requestId: string): Promise<{
    state: string;
    decidedBy: string | null;
    outcome: string | null;
    outcomeSummary: string | null;
  } | null>;
}

export interface PublishDeps {
  store: MonitorStore;
  requests: RequestLookup;
  reporter: IncidentReporter;
  owner: string;
  now: () => number;
  logger: Logger;
  reminderMs?: number;
}

/** The incident with its marks and the state of the requests it started, for the renderer. */
export async function incidentView(
  deps: Pick<PublishDeps, 'store' | 'requests' | 'now'>,
  incident: Incident,
): Promise<IncidentView> {
  const [marks, links] = await Promise.all([deps.store.marks(incident.id), deps.store.requests(incident.id)]);
  const requests: IncidentRequest[] = await Promise.all(
    links.map(async (l) => {
      const r = await deps.requests.get(l.requestId);
      return {
        ...l,
        state: r?.state ?? null,
        decidedBy: r?.decidedBy ?? null,
        outcome: r?.outcome ?? null,
        summary: r?.outcomeSummary ?? null,
      };
    }),
  );
  return {
    incident,
    acknowledgedBy: marks.acknowledgedBy,
    acknowledgedAt: marks.acknowledgedAt,
    snoozedUntil: marks.snoozedUntil,
    requests,
    now: deps.now(),
  };
}

/** A reminder in the thread while nobody acknowledged an open incident (not while snoozed). */
function remind(incident: Incident, view: IncidentView, now: number, everyMs: number): void {
  if (incident.resolvedAt !== null || view.acknowledgedBy) return;
  if (view.snoozedUntil !== null && now < view.snoozedUntil) return;
  const last = Math.max(incident.remindedAt ?? incident.openedAt, view.snoozedUntil ?? 0);
  if (now - last < everyMs) return;
  incident.remindedAt = now;
  const minutes = Math.round((now - incident.openedAt) / 60_000);
  incident.timeline.push({
    at: now,
    loud: true,
    text: `⏰ Still open after ${minutes} min and nobody has acknowledged it.`,
  });
}

/**
 * Brings Slack up to date with an incident: posts its message once, edits it when what it shows
 * changed, and adds the timeline lines not posted yet to its thread (loud ones also to the
 * channel). The incident is saved again (fenced by the lease) with where its message is and how
 * many lines are out, so a successor does not post them twice.
 */
export async function publishIncident(
  deps: PublishDeps,
  incident: Incident,
  changed: boolean,
): Promise<void> {
  const now = deps.now();
  let view = await incidentView(deps, incident);
  remind(incident, view, now, deps.reminderMs ?? 15 * 60_000);
  const shown = JSON.stringify([
    view.acknowledgedBy,
    view.snoozedUntil,
    view.requests.map((r) => [r.requestId, r.state, r.outcome]),
  ]);
  let ref = incident.message;
  if (!ref) {
    if (incident.resolvedAt !== null) return; // over before it was ever shown: nothing to say
    ref = await deps.reporter.post(view);
    if (!ref) return;
    incident.message = ref;
    incident.postedLines = 1; // the opening line is the message itself
  } else if (changed || shown !== incident.shown || incident.timeline.length > incident.postedLines) {
    view = { ...view, incident };
    await deps.reporter.update(view, ref);
  }
  incident.shown = shown;
  const fresh = incident.timeline.slice(incident.postedLines);
  if (fresh.length > 0 && (await deps.reporter.thread(ref, fresh)))
    incident.postedLines = incident.timeline.length;
  if (!(await deps.store.saveIncident(deps.owner, incident)))
    deps.logger.warn({ incident: incident.id }, 'lost the monitor lease while posting an incident');
}
