import type { Logger } from 'pino';
import type { OperationQueue } from './operation-queue.js';
import type { RequestStore } from './request-store.js';

export interface ApprovalSweeperDeps {
  store: Pick<RequestStore, 'approvedBefore' | 'get'>;
  queue: Pick<OperationQueue, 'execute'>;
  logger: Logger;
  now?: () => number;
  /** How often to look. Default 15 s. */
  everyMs?: number;
  /** Requests approved this recently are left to the click that approved them. Default 10 s. */
  graceMs?: number;
}

/**
 * Queues approved requests that nobody queued: the click's Redis write landed but the queueing
 * after it timed out or failed (Redis slow or restarting at that moment). Safe on every worker at
 * once: queueing is idempotent and only one execution can start a request.
 */
export function createApprovalSweeper(deps: ApprovalSweeperDeps) {
  const now = deps.now ?? Date.now;
  const sweep = async (): Promise<string[]> => {
    const queued: string[] = [];
    for (const id of await deps.store.approvedBefore(now() - (deps.graceMs ?? 10_000))) {
      const stored = await deps.store.get(id);
      if (stored?.state !== 'approved') continue;
      await deps.queue.execute(id, stored.request.cluster);
      deps.logger.warn({ requestId: id }, 'queued an approved request whose queueing was lost');
      queued.push(id);
    }
    return queued;
  };
  let timer: NodeJS.Timeout | null = null;
  return {
    sweep,
    start() {
      timer = setInterval(() => {
        sweep().catch((error: unknown) =>
          deps.logger.warn({ err: error }, 'could not look for approved requests (Redis?); trying again'),
        );
      }, deps.everyMs ?? 15_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
