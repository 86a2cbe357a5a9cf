import type { Logger } from 'pino';
import { reasonText, reasonToken } from '../cluster/actions.js';
import type { GanetiClient } from '../cluster/ganeti-client.js';
import type { PlannedStep } from '../commands/operation-plan.js';
import { ClusterUnavailableError, GanetiCommandError } from '../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import { buildView } from './operation-view.js';
import type { OperationReporter } from './operation-port.js';
import {
  FINAL_STEP_STATUSES,
  newStepState,
  type MessageRef,
  type OperationView,
  type StepState,
} from './operation-types.js';
import type { RequestStore, StoredRequest } from './request-store.js';

/** What an execution keeps in its BullMQ job: enough to resume after a crash. */
export interface ExecutionData {
  requestId: string;
  steps: Record<string, StepState>;
  message: MessageRef | null;
}

export interface RunnerDeps {
  cluster: GanetiClient;
  store: RequestStore;
  reporter: OperationReporter;
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Ganeti jobs of one operation at once (evacuate). */
  maxParallel: number;
  /** How often a running Ganeti job is looked at. Default 2 s. */
  pollMs?: number;
  /** After a lost submit, wait this long before looking for the job by its reason. Default 5 s. */
  reconcileGraceMs?: number;
  /** Give up following (or reconciling) after the cluster was unreachable this long. Default 30 min. */
  giveUpMs?: number;
  /** Least time between two edits of the progress message. Default 2 s. */
  viewIntervalMs?: number;
  audit?: AuditLog;
}

/**
 * Runs an approved request's steps, each exactly once, saving every step's state in the job
 * (`save`) before acting on it:
 * - `pending` → saved as `submitting` → submitted with a `--reason` naming request and step →
 *   saved as `submitted` with Ganeti's job id → followed to its end;
 * - a restarted worker finds `submitted` and follows the stored job id, never submitting again;
 * - it finds `submitting` (died mid-submit) and looks the job up by its reason; when no job or
 *   several carry it, the step becomes `unknown`: it says so and does nothing more.
 */
export async function runOperation(
  data: ExecutionData,
  save: (data: ExecutionData) => Promise<void>,
  deps: RunnerDeps,
): Promise<OperationView | null> {
  const log = deps.logger.child({ requestId: data.requestId });
  const first = await deps.store.get(data.requestId);
  if (!first) {
    log.error('execution of an unknown request: nothing done');
    return null;
  }
  if (first.state === 'approved') {
    const moved = await deps.store.transition(data.requestId, ['approved'], 'running');
    if (!moved.ok) {
      log.warn({ state: moved.state }, 'request changed before it started: nothing done');
      return null;
    }
  } else if (first.state === 'running') {
    log.info({ steps: data.steps }, 'resuming an execution that was interrupted');
  } else {
    log.info({ state: first.state }, 'request is not approved or running: nothing done');
    return null;
  }
  const stored: StoredRequest = { ...first, state: 'running' };
  const { plan } = stored.request;
  for (const step of plan.steps) data.steps[step.key] ??= newStepState();
  const startedAt = Object.values(data.steps).reduce<number | null>(
    (min, s) => (s.startedAt && (!min || s.startedAt < min) ? s.startedAt : min),
    null,
  );

  // Saves are serialised: parallel steps must not overwrite each other's state.
  let saving: Promise<void> = Promise.resolve();
  const persist = () => (saving = saving.then(() => save(data)));
  const view = (): OperationView => buildView(stored, data.steps, deps.now(), startedAt);

  let ref: MessageRef | null = data.message ?? stored.card;
  let lastShown = 0;
  let showTimer: NodeJS.Timeout | null = null;
  let showing: Promise<unknown> = Promise.resolve();
  const show = () => {
    if (showTimer) return;
    const wait = Math.max(0, lastShown + (deps.viewIntervalMs ?? 2_000) - deps.now());
    showTimer = setTimeout(() => {
      showTimer = null;
      lastShown = deps.now();
      showing = showing.then(() => deps.reporter.show(view(), ref));
    }, wait);
  };
  const flushShow = async () => {
    if (showTimer) clearTimeout(showTimer);
    showTimer = null;
    await showing;
  };

  const posted = await deps.reporter.show(view(), ref);
  if (!data.message && posted) {
    ref = posted;
    data.message = posted;
    await persist();
  }

  const update = async (key: string, patch: Partial<StepState>) => {
    const current = data.steps[key] ?? newStepState();
    data.steps[key] = { ...current, ...patch };
    await persist();
    show();
  };

  const audit = (
    event: 'submitted' | 'result',
    extra: { target: string; ganetiJobId?: number | null; outcome?: string | null; detail?: string | null },
  ) =>
    deps.audit?.record({
      event,
      requestId: data.requestId,
      user: stored.request.userId,
      channel: stored.request.channelId,
      command: stored.request.command,
      approver: stored.decidedBy,
      ...extra,
    });

  const prefix = plan.steps.length > 1;
  const thread = async (step: PlannedStep, lines: string[]) => {
    if (ref && 'ts' in ref && lines.length > 0) {
      await deps.reporter.thread(
        ref,
        lines.map((l) => (prefix ? `[${step.key}] ${l}` : l)),
      );
    }
  };

  /** Retries `what` while the cluster is unreachable, up to giveUpMs; null when it gave up. */
  const patiently = async <T>(what: () => Promise<T>): Promise<T | null> => {
    const started = deps.now();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await what();
      } catch (error) {
        if (!(error instanceof ClusterUnavailableError)) throw error;
        if (deps.now() - started > (deps.giveUpMs ?? 30 * 60_000)) return null;
        log.warn({ err: error }, 'cluster unreachable while running an operation; trying again');
        await deps.sleep(Math.min(1_000 * 2 ** attempt, 15_000));
      }
    }
  };

  const reconcile = async (step: PlannedStep): Promise<void> => {
    const s = data.steps[step.key] ?? newStepState();
    const since = deps.now() - (s.submittingAt ?? 0);
    const grace = deps.reconcileGraceMs ?? 5_000;
    if (since < grace) await deps.sleep(grace - since);
    const jobs = await patiently(() => deps.cluster.findJobs(reasonToken(data.requestId, step.key)));
    const [only] = jobs ?? [];
    if (jobs && jobs.length === 1 && only) {
      log.info({ step: step.key, jobId: only.id }, 'found the job of an interrupted submit by its reason');
      await update(step.key, { status: 'submitted', jobId: only.id, startedAt: s.submittingAt });
      await audit('submitted', {
        target: step.key,
        ganetiJobId: only.id,
        detail: `${step.label} (found again by its reason)`,
      });
      return;
    }
    const why =
      jobs === null
        ? 'the cluster did not answer'
        : jobs.length === 0
          ? 'no Ganeti job carries this request, so it was most likely never submitted'
          : `several Ganeti jobs carry this request (${jobs.map((j) => j.id).join(', ')})`;
    log.error({ step: step.key, jobs }, 'cannot tell whether a step was submitted');
    await update(step.key, {
      status: 'unknown',
      endedAt: deps.now(),
      error: `The bot lost track while submitting this and cannot tell what happened: ${why}. It did nothing more; check \`/ganeti jobs\` before asking again.`,
    });
  };

  const follow = async (step: PlannedStep): Promise<void> => {
    const jobId = data.steps[step.key]?.jobId;
    if (!jobId) return;
    for (;;) {
      const info = await patiently(() => deps.cluster.job(jobId));
      const s = data.steps[step.key] ?? newStepState();
      if (info === null) {
        const gone = `Ganeti no longer reports job ${jobId}; check \`/ganeti job ${jobId}\`.`;
        await update(step.key, { status: 'unknown', endedAt: deps.now(), error: gone });
        return;
      }
      const fresh = info.log.slice(s.logSeen).map((l) => l.message);
      if (fresh.length > 0) {
        await thread(step, fresh);
        await update(step.key, { logSeen: info.log.length });
      }
      if (info.status === 'success' || info.status === 'error' || info.status === 'canceled') {
        const failed = info.opcodes.find((o) => o.error)?.error;
        await update(step.key, {
          status: info.status,
          endedAt: deps.now(),
          error: failed
            ? `${failed.kind}: ${failed.message}`
            : info.status === 'error'
              ? `job ${jobId} failed`
              : null,
        });
        return;
      }
      await deps.sleep(deps.pollMs ?? 2_000);
    }
  };

  /**
   * `gnt-cluster master-failover` on the node that takes over: run directly, not as a job. A
   * worker that finds it `submitting` (it died meanwhile) asks the candidates who the master is
   * instead of running it again.
   */
  const runMasterFailover = async (step: PlannedStep, node: string, noVoting: boolean): Promise<void> => {
    const short = (n: string | null) => (n ?? '').split('.')[0];
    if (data.steps[step.key]?.status === 'pending') {
      await update(step.key, { status: 'submitting', submittingAt: deps.now(), startedAt: deps.now() });
      await audit('submitted', { target: step.key, detail: step.label });
      try {
        const output = await deps.cluster.masterFailover(node, { noVoting });
        await thread(
          step,
          output.split('\n').filter((l) => l.trim() !== ''),
        );
        await update(step.key, { status: 'success', endedAt: deps.now() });
        return;
      } catch (error) {
        if (error instanceof GanetiCommandError) {
          await update(step.key, { status: 'error', endedAt: deps.now(), error: error.userMessage });
          return;
        }
        log.warn({ err: error, step: step.key }, 'master-failover interrupted; asking who the master is');
      }
    }
    const survey = await patiently(() => deps.cluster.survey());
    if (survey && short(survey.master) === short(node)) {
      await update(step.key, { status: 'success', endedAt: deps.now() });
      return;
    }
    await update(step.key, {
      status: 'unknown',
      endedAt: deps.now(),
      error: `The bot lost track of \`gnt-cluster master-failover\` on ${node}; the master is now ${survey?.master ?? 'unknown'}. Check \`gnt-cluster getmaster\` on the candidates before trying again.`,
    });
  };

  const runStep = async (step: PlannedStep): Promise<void> => {
    const action = step.action;
    if (action.op === 'master-failover') return runMasterFailover(step, action.node, action.noVoting);
    if (action.op === 'job-cancel') {
      // Immediate and harmless to repeat: no job of its own to follow.
      const result = await patiently(() => deps.cluster.cancelJob(action.jobId));
      await update(step.key, {
        status: result?.cancelled ? 'success' : 'error',
        startedAt: deps.now(),
        endedAt: deps.now(),
        error: result?.cancelled ? null : (result?.message ?? 'the cluster did not answer'),
      });
      return;
    }
    if (data.steps[step.key]?.status === 'pending') {
      await update(step.key, { status: 'submitting', submittingAt: deps.now() });
      try {
        const reason = reasonText({
          requestId: data.requestId,
          stepKey: step.key,
          requester: stored.request.userId,
          approver: stored.decidedBy,
        });
        const jobId = await deps.cluster.submit(action, reason);
        await update(step.key, { status: 'submitted', jobId, startedAt: deps.now() });
        await audit('submitted', { target: step.key, ganetiJobId: jobId, detail: step.label });
      } catch (error) {
        if (error instanceof GanetiCommandError) {
          await update(step.key, { status: 'refused', endedAt: deps.now(), error: error.userMessage });
          return;
        }
        log.warn({ err: error, step: step.key }, 'submit interrupted; looking for the job by its reason');
      }
    }
    if (data.steps[step.key]?.status === 'submitting') await reconcile(step);
    if (data.steps[step.key]?.status === 'submitted') await follow(step);
  };

  // Steps marked `first` run alone, in order; if one does not succeed, nothing else runs.
  let stop = false;
  for (const step of plan.steps.filter((s) => s.first)) {
    if (!FINAL_STEP_STATUSES.has(data.steps[step.key]?.status ?? 'pending')) await runStep(step);
    if (data.steps[step.key]?.status !== 'success') {
      stop = true;
      for (const other of plan.steps.filter((s) => !s.first && data.steps[s.key]?.status === 'pending')) {
        await update(other.key, {
          status: 'refused',
          endedAt: deps.now(),
          error: `not run: "${step.label}" did not succeed`,
        });
      }
      break;
    }
  }
  // A pool of maxParallel runners over the steps not yet final; an unknown step stops new ones.
  const todo = stop
    ? []
    : plan.steps.filter((s) => !s.first && !FINAL_STEP_STATUSES.has(data.steps[s.key]?.status ?? 'pending'));
  const parallel = plan.sequential ? 1 : deps.maxParallel;
  const runners = Array.from({ length: Math.max(1, Math.min(parallel, todo.length)) }, async () => {
    for (let next = todo.shift(); next && !stop; next = todo.shift()) {
      await runStep(next);
      if (data.steps[next.key]?.status === 'unknown') stop = true;
    }
  });
  await Promise.all(runners);
  await saving;
  await flushShow();

  const final = buildView({ ...stored, state: 'done' }, data.steps, deps.now(), startedAt);
  const ok = final.steps.filter((s) => s.status === 'success').length;
  await deps.store.setOutcome(
    data.requestId,
    final.outcome ?? 'unknown',
    `${ok} of ${final.steps.length} step(s) succeeded${final.steps.some((s) => s.error) ? `: ${final.steps.flatMap((s) => (s.error ? [`${s.key}: ${s.error}`] : [])).join('; ')}` : ''}`.slice(
      0,
      500,
    ),
  );
  await deps.store.transition(data.requestId, ['running'], 'done');
  await deps.reporter.show(final, ref);
  await deps.reporter.announce(final, ref);
  for (const s of final.steps) {
    await audit('result', {
      target: s.key,
      ganetiJobId: s.jobId,
      outcome: s.status,
      detail: s.error ?? s.label,
    });
  }
  log.info({ outcome: final.outcome }, 'operation finished');
  return final;
}
