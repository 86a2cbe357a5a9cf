import type { Logger } from 'pino';
import { reasonText, reasonToken, type GanetiAction } from '../cluster/actions.js';
import type { GanetiClient } from '../cluster/ganeti-client.js';
import type { PlannedStep } from '../commands/operation-plan.js';
import { ClusterUnavailableError, GanetiCommandError } from '../core/errors.js';
import type { FailpointHook } from '../core/failpoints.js';
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
  /** The outcome was posted to the channel; a worker resuming after that only closes the request. */
  announced?: boolean;
}

/**
 * Whether this worker still holds the execution: `held`; `taken` when its lock expired and
 * another worker took over (BullMQ's stalled-job recovery, e.g. after Redis stalled past the lock);
 * `gone` when the execution's record vanished from Redis (restarted without its data).
 */
export type Holding = 'held' | 'taken' | 'gone';

/** Thrown to stop a worker that lost its execution to another: it must not submit or post. */
export class ExecutionTakenError extends Error {
  constructor(requestId: string) {
    super(`execution of ${requestId} was taken over by another worker`);
    this.name = 'ExecutionTakenError';
  }
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
  /** Asked right before each submit and before the outcome is posted (see Holding). Default: held. */
  holds?: () => Promise<Holding>;
  /** Crash points for the crash tests (src/core/failpoints.ts). */
  failpoint?: FailpointHook;
  /** Resubmit a step interrupted mid-submit only this soon after; Ganeti archives old jobs. Default 1 h. */
  resubmitWithinMs?: number;
}

/**
 * Runs an approved request's steps, each exactly once, saving every step's state in the job
 * (`save`) before acting on it:
 * - `pending` → saved as `submitting` → Ganeti's job queue asked for a job whose reason names this
 *   request and step (the truth, whatever Redis remembers) → only if there is none, and this
 *   worker still holds the execution, submitted with that reason → saved as `submitted` with the
 *   job id → followed to its end;
 * - a restarted worker finds `submitted` and follows the stored job id, never submitting again;
 * - it finds `submitting` (died mid-submit): after a grace period it looks the job up by its
 *   reason twice; one job is followed, none means it never reached Ganeti and it is submitted
 *   (only within resubmitWithinMs, before Ganeti could have archived it); several, or a cluster
 *   that does not answer, make the step `unknown`: it says so and does nothing more.
 * - a worker whose execution was taken over stops at once, without submitting or posting.
 */
export async function runOperation(
  data: ExecutionData,
  /** Saves the execution: fenced by the worker's lock, it says whether the worker still holds it. */
  save: (data: ExecutionData) => Promise<Holding | void>,
  deps: RunnerDeps,
): Promise<OperationView | null> {
  const log = deps.logger.child({ requestId: data.requestId });
  const failpoint = deps.failpoint ?? (() => undefined);
  failpoint('before-start');
  let orphanNoted = false;
  const noteOrphaned = () => {
    if (!orphanNoted)
      log.error('the execution vanished from Redis (restarted without its data?): submitting nothing more');
    orphanNoted = true;
    orphaned = true;
  };
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
  /** Set once the execution is lost; every further step of this worker stops or saves nothing. */
  let taken = false;
  let orphaned = false;
  const saveOnce = async () => {
    if (taken) throw new ExecutionTakenError(data.requestId);
    if (orphaned) return;
    const holding = await save(data);
    if (holding === 'taken') {
      taken = true;
      throw new ExecutionTakenError(data.requestId);
    }
    if (holding === 'gone') noteOrphaned();
  };
  const persist = () => (saving = saving.then(saveOnce, saveOnce));
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
      ...(stored.request.cluster ? { cluster: stored.request.cluster } : {}),
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

  /** Whether this worker may go on; throws when another worker took the execution over. */
  const mayAct = async (): Promise<boolean> => {
    if (taken) throw new ExecutionTakenError(data.requestId);
    if (orphaned) return false;
    const holding = deps.holds ? await deps.holds() : 'held';
    if (holding === 'taken') {
      taken = true;
      throw new ExecutionTakenError(data.requestId);
    }
    if (holding === 'gone') noteOrphaned();
    return !orphaned;
  };
  const notRun = (key: string, why: string) =>
    update(key, { status: 'refused', endedAt: deps.now(), error: `not run: ${why}` });
  const ORPHANED =
    "the bot's job queue (Redis) lost this operation's record while it ran, so nothing more was submitted; check `/ganeti jobs` and ask again if it is still needed";

  const lookUp = (step: PlannedStep) =>
    patiently(() => deps.cluster.findJobs(reasonToken(data.requestId, step.key)));

  const adopt = async (step: PlannedStep, id: number, how: string) => {
    const s = data.steps[step.key] ?? newStepState();
    log.info({ step: step.key, jobId: id }, `found the step's job by its reason ${how}`);
    await update(step.key, { status: 'submitted', jobId: id, startedAt: s.submittingAt ?? deps.now() });
    await audit('submitted', {
      target: step.key,
      ganetiJobId: id,
      detail: `${step.label} (found by its reason ${how})`,
    });
  };

  const lostTrack = async (step: PlannedStep, why: string, jobs?: unknown) => {
    log.error({ step: step.key, jobs }, 'cannot tell whether a step was submitted');
    await update(step.key, {
      status: 'unknown',
      endedAt: deps.now(),
      error: `The bot lost track while submitting this and cannot tell what happened: ${why}. It did nothing more; check \`/ganeti jobs\` before asking again.`,
    });
  };
  const unclear = (jobs: Array<{ id: number }> | null) =>
    jobs === null
      ? 'the cluster did not answer'
      : jobs.length === 0
        ? 'no Ganeti job carries this request, and it is too long ago to be sure Ganeti has not archived it'
        : `several Ganeti jobs carry this request (${jobs.map((j) => j.id).join(', ')})`;

  /** Submits a step that no Ganeti job carries yet; the caller checked the job queue. */
  const submit = async (step: PlannedStep, action: GanetiAction): Promise<void> => {
    if (!(await mayAct())) return notRun(step.key, ORPHANED);
    try {
      const reason = reasonText({
        requestId: data.requestId,
        stepKey: step.key,
        requester: stored.request.userId,
        approver: stored.decidedBy,
      });
      const jobId = await deps.cluster.submit(action, reason);
      failpoint('after-submit');
      await update(step.key, { status: 'submitted', jobId, startedAt: deps.now() });
      await audit('submitted', { target: step.key, ganetiJobId: jobId, detail: step.label });
    } catch (error) {
      if (error instanceof GanetiCommandError) {
        await update(step.key, { status: 'refused', endedAt: deps.now(), error: error.userMessage });
        return;
      }
      log.warn({ err: error, step: step.key }, 'submit interrupted; looking for the job by its reason');
    }
  };

  /** A step found `submitting`: the worker before died (or the connection dropped) mid-submit. */
  const reconcile = async (step: PlannedStep, action: GanetiAction): Promise<void> => {
    const s = data.steps[step.key] ?? newStepState();
    const grace = deps.reconcileGraceMs ?? 5_000;
    const since = deps.now() - (s.submittingAt ?? 0);
    if (since < grace) await deps.sleep(grace - since);
    let jobs = await lookUp(step);
    if (jobs && jobs.length === 0) {
      // A submit still on its way would show up by now; look once more to be sure.
      await deps.sleep(grace);
      jobs = await lookUp(step);
    }
    const [only] = jobs ?? [];
    if (jobs?.length === 1 && only) return adopt(step, only.id, 'after an interrupted submit');
    const recent = deps.now() - (s.submittingAt ?? 0) < (deps.resubmitWithinMs ?? 3_600_000);
    if (jobs?.length === 0 && recent) {
      log.info(
        { step: step.key },
        'no Ganeti job carries an interrupted submit: it never got there; submitting it',
      );
      await submit(step, action);
      return;
    }
    await lostTrack(step, unclear(jobs), jobs);
  };

  const follow = async (step: PlannedStep): Promise<void> => {
    const jobId = data.steps[step.key]?.jobId;
    if (!jobId) return;
    for (;;) {
      if (taken) throw new ExecutionTakenError(data.requestId);
      const info = await patiently(() => deps.cluster.job(jobId));
      const s = data.steps[step.key] ?? newStepState();
      if (info === null) {
        const gone = `Ganeti no longer reports job ${jobId}; check \`/ganeti job ${jobId}\`.`;
        await update(step.key, { status: 'unknown', endedAt: deps.now(), error: gone });
        return;
      }
      failpoint('while-following');
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
      if (!(await mayAct())) return notRun(step.key, ORPHANED);
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
      if (orphaned) return notRun(step.key, ORPHANED);
      await update(step.key, { status: 'submitting', submittingAt: deps.now() });
      failpoint('after-submitting-saved');
      // Ganeti's job queue, not Redis, says whether this step was submitted (Redis may have lost
      // or rolled back what it knew; another worker may have run it).
      const jobs = await lookUp(step);
      const [only] = jobs ?? [];
      if (jobs?.length === 1 && only) await adopt(step, only.id, 'before submitting: it was already queued');
      else if (jobs?.length === 0) await submit(step, action);
      else await lostTrack(step, unclear(jobs), jobs);
    }
    // Found `submitting`, or the submit just now was interrupted: reconcile, at most twice.
    for (let tries = 0; data.steps[step.key]?.status === 'submitting'; tries += 1) {
      if (tries === 2) await lostTrack(step, 'submitting it was interrupted twice and no job carries it yet');
      else await reconcile(step, action);
    }
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
  failpoint('before-outcome');
  // Only the holder posts the outcome (an orphan, whose record is gone, still tells what it did).
  if (!orphaned) await mayAct();

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
  if (!data.announced) {
    await deps.reporter.show(final, ref);
    await deps.reporter.announce(final, ref);
    data.announced = true;
    await persist();
  }
  await deps.store.transition(data.requestId, ['running'], 'done');
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
