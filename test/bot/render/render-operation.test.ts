import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { renderOperation } from '../../../src/bot/render/render-operation.js';
import { slackDate } from '../../../src/core/slack-date.js';
import { newStepState, type OperationView } from '../../../src/queue/operation-types.js';
import { checkBlocks, MESSAGE_MAX_BLOCKS } from '../../../src/demo/slack/block-kit-limits.js';

const golden = (name: string) => `./golden/${name}.json`;
/** 2026-12-02 05:12:07 UTC; the request expires 30 minutes later. */
const NOW = Date.UTC(2026, 11, 2, 5, 12, 7);
const EXPIRES = NOW + 30 * 60_000;

function view(state: OperationView['state']): OperationView {
  return {
    request: {
      requestId: 'req-abc-123',
      command: 'failover',
      text: 'failover inst2',
      risk: 'destructive',
      userId: 'U0ALICE',
      channelId: 'C0OPS',
      responseUrl: null,
      plan: {
        title: 'Fail over inst2',
        summary: 'inst2: node2 → node3',
        checks: ['node3 has 2.0G free for 512M'],
        warnings: [],
        steps: [
          {
            key: 'inst2',
            label: 'inst2: node2 → node3',
            action: { op: 'instance-failover', instance: 'inst2', target: 'node3' },
          },
        ],
      },
      createdAt: NOW,
      expiresAt: EXPIRES,
      approval: 'two-person',
    },
    state,
    decidedBy: state === 'pending' ? null : 'U0BOB',
    steps: [
      {
        key: 'inst2',
        label: 'inst2: node2 → node3',
        ...newStepState(),
        ...(state === 'done'
          ? { status: 'success' as const, jobId: 42, startedAt: NOW + 1000, endedAt: NOW + 4000 }
          : {}),
      },
    ],
    outcome: state === 'done' ? 'success' : null,
    durationMs: state === 'done' ? 4000 : null,
  };
}

/** Every plain_text in the blocks: headers, button labels, confirm dialog parts. */
function plainTexts(blocks: KnownBlock[]): string[] {
  const found: string[] = [];
  JSON.stringify(blocks, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && 'type' in value && 'text' in value) {
      if (value.type === 'plain_text' && typeof value.text === 'string') found.push(value.text);
    }
    return value;
  });
  return found;
}

describe('renderOperation', () => {
  it('says when a pending card expires as a date token in the reader’s zone, UTC as the fallback', async () => {
    const message = renderOperation(view('pending'), NOW);
    expect(checkBlocks(message.blocks, MESSAGE_MAX_BLOCKS)).toEqual([]);
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain(`expires ${slackDate(EXPIRES)}`);
    expect(slackDate(EXPIRES)).toBe('<!date^1796190127^{date_short_pretty} {time}|2026-12-02 05:42 UTC>');
    // Neither the notification text nor any plain_text (header, buttons, confirm dialogs) has a token.
    expect(message.text).not.toContain('<!date');
    expect(plainTexts(message.blocks).length).toBeGreaterThan(5);
    expect(plainTexts(message.blocks).join('\n')).not.toContain('<!date');
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('operation.pending'));
  });

  it('shows no expiry once decided, and how long it took as a duration', () => {
    const message = renderOperation(view('done'), NOW + 5000);
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).not.toContain('expires');
    expect(blocks).toContain('took 4.0 s');
    expect(blocks).toContain('job 42 · success · 3.0 s');
  });
});
