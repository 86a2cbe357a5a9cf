import type { GanetiAction } from '../cluster/actions.js';

/** Cancelling a Ganeti job is immediate (no job of its own) and harmless to repeat. */
export interface CancelJobAction {
  op: 'job-cancel';
  jobId: number;
}

export type StepAction = GanetiAction | CancelJobAction;

/** One Ganeti job of an operation. `key` is unique within the plan and stable (for exactly-once). */
export interface PlannedStep {
  key: string;
  /** What a person reads: "inst2.ganeti.test: node2 → node3". */
  label: string;
  action: StepAction;
}

/**
 * What a changing command will do, worked out before anything runs: shown on the confirmation
 * card and executed step by step. Pre-check results are listed so people see why it is safe.
 */
export interface OperationPlan {
  /** "Fail over inst2.ganeti.test". */
  title: string;
  /** "inst2.ganeti.test: node2.ganeti.test → node3.ganeti.test". */
  summary: string;
  /** Pre-checks that passed, e.g. "node3.ganeti.test is online and not drained". */
  checks: string[];
  /** Things to know before confirming (the instance goes down during a failover, …). */
  warnings: string[];
  /** Run the steps one after another (their order matters), not a few at a time. */
  sequential?: boolean;
  steps: PlannedStep[];
}
