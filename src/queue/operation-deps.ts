import type { OperationQueue } from './operation-queue.js';
import type { OperationReporter } from './operation-port.js';
import type { RequestStore } from './request-store.js';

/** What the command worker needs to plan operations. */
export interface OperationPort {
  store: RequestStore;
  queue: Pick<OperationQueue, 'execute' | 'scheduleExpiry'>;
  reporter: OperationReporter;
  /** How long a confirmation card waits (default 15 min). */
  approvalTtlMs: number;
  /** Commands whose requester approves their own request. */
  selfApprove: readonly string[];
  now: () => number;
}
