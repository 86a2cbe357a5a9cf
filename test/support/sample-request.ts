import type { OperationRequest } from '../../src/queue/operation-types.js';

/** A destructive request as the bot stores it: shut down `instance`, two-person approval. */
export function shutdownRequest(
  requestId: string,
  instance: string,
  times = { createdAt: 1, expiresAt: 2 },
): OperationRequest {
  return {
    requestId,
    command: 'shutdown',
    text: 'shutdown inst1',
    risk: 'destructive',
    userId: 'U0ALICE',
    channelId: 'C0OPS',
    responseUrl: null,
    plan: {
      title: 'Shut down inst1',
      summary: 'inst1',
      checks: [],
      warnings: [],
      steps: [{ key: 'shutdown', label: 'shut down inst1', action: { op: 'instance-shutdown', instance } }],
    },
    ...times,
    approval: 'two-person',
  };
}
