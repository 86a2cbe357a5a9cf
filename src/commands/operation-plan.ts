import type { GanetiAction } from '../cluster/actions.js';

/** Cancelling a Ganeti job is immediate (no job of its own) and harmless to repeat. */
export interface CancelJobAction {
  op: 'job-cancel';
  jobId: number;
}

/**
 * `gnt-cluster master-failover` run on `node`: not a Ganeti job (it must run on the node that
 * takes over, and works while the old master is dead), so it is run directly and checked after.
 */
export interface MasterFailoverAction {
  op: 'master-failover';
  node: string;
  noVoting: boolean;
}

export type StepAction = GanetiAction | CancelJobAction | MasterFailoverAction;

/** One Ganeti job of an operation. `key` is unique within the plan and stable (for exactly-once). */
export interface PlannedStep {
  key: string;
  /** What a person reads: "inst2.ganeti.test: node2 → node3". */
  label: string;
  action: StepAction;
  /**
   * Run before every step not so marked, one at a time; when one of them does not succeed the
   * others are not run (marking a dead node offline before failing over from it).
   */
  first?: boolean;
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
  /**
   * What the approver attests by approving, shown in the approve button's confirm dialog and
   * kept in the audit trail, e.g. "I confirm node3 is powered off or fenced (out-of-band)."
   */
  attestation?: string;
  /**
   * The approver must type this (the instance's name) to approve: Approve opens a form instead
   * of a dialog (`/ganeti remove`). Its short name will do.
   */
  confirmName?: string;
  /** Run the steps one after another (their order matters), not a few at a time. */
  sequential?: boolean;
  steps: PlannedStep[];
}
