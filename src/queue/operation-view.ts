import { FINAL_STEP_STATUSES, newStepState, type OperationView, type StepState } from './operation-types.js';
import type { StoredRequest } from './request-store.js';

/** The neutral picture of a request and its steps, for the renderer. */
export function buildView(
  stored: StoredRequest,
  steps: Record<string, StepState>,
  now: number,
  startedAt: number | null,
): OperationView {
  const rows = stored.request.plan.steps.map((s) => ({
    key: s.key,
    label: s.label,
    ...(steps[s.key] ?? newStepState()),
  }));
  const allFinal = rows.every((r) => FINAL_STEP_STATUSES.has(r.status));
  let outcome: OperationView['outcome'] = null;
  if (stored.state === 'done' || (stored.state === 'running' && allFinal && rows.length > 0)) {
    const ok = rows.filter((r) => r.status === 'success').length;
    if (rows.some((r) => r.status === 'unknown')) outcome = 'unknown';
    else if (ok === rows.length) outcome = 'success';
    else if (ok === 0) outcome = 'failed';
    else outcome = 'partial';
  }
  const first =
    startedAt ??
    rows.reduce<number | null>(
      (m, r) => (r.submittingAt && (!m || r.submittingAt < m) ? r.submittingAt : m),
      null,
    );
  const last = rows.reduce<number | null>(
    (m, r) => (r.endedAt && (!m || r.endedAt > m) ? r.endedAt : m),
    null,
  );
  return {
    request: stored.request,
    state: stored.state,
    decidedBy: stored.decidedBy,
    steps: rows,
    outcome,
    durationMs: first !== null ? (outcome ? (last ?? now) : now) - first : null,
  };
}
