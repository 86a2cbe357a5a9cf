import type { OperationRequest } from '../../src/queue/operation-types.js';

/** A one-step `reboot inst1` request from U0ALICE, waiting for a second person's approval. */
export function rebootRequest(requestId: string, channelId = 'C0OPS'): OperationRequest {
  return {
    requestId,
    command: 'reboot',
    text: 'reboot inst1',
    risk: 'write',
    userId: 'U0ALICE',
    channelId,
    responseUrl: null,
    plan: {
      title: 'Reboot inst1',
      summary: 'inst1',
      checks: [],
      warnings: [],
      steps: [
        {
          key: 'reboot',
          label: 'reboot',
          action: { op: 'instance-reboot', instance: 'inst1.example.org', hard: false },
        },
      ],
    },
    createdAt: 1,
    expiresAt: null,
    approval: 'two-person',
  };
}
