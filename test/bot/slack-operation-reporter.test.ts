import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackOperationReporter } from '../../src/bot/slack-operation-reporter.js';
import type { OperationView } from '../../src/queue/operation-types.js';
import { newStepState } from '../../src/queue/operation-types.js';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';
import { captureLogger } from '../support/capture-logger.js';

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack({ notMemberOf: ['C0PRIVATE'] });
});
afterEach(() => slack.close());

function view(state: OperationView['state'], channelId: string, responseUrl: string | null): OperationView {
  return {
    request: {
      requestId: 'req-abc-123',
      command: 'failover',
      text: 'failover inst2',
      risk: 'destructive',
      userId: 'U0ALICE',
      channelId,
      responseUrl,
      plan: {
        title: 'Fail over inst2',
        summary: 'inst2: node2 → node3',
        checks: [],
        warnings: [],
        steps: [
          {
            key: 'inst2',
            label: 'inst2: node2 → node3',
            action: { op: 'instance-failover', instance: 'inst2', target: 'node3' },
          },
        ],
      },
      createdAt: 1,
      expiresAt: 2_000_000_000_000,
      approval: 'two-person',
    },
    state,
    decidedBy: state === 'pending' ? null : 'U0BOB',
    steps: [{ key: 'inst2', label: 'inst2: node2 → node3', ...newStepState() }],
    outcome: state === 'done' ? 'success' : null,
    durationMs: null,
  };
}

describe('the Slack operation reporter', () => {
  const reporter = () =>
    createSlackOperationReporter({
      client: new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
      logger: captureLogger('silent').logger,
    });

  it('edits the card in place as the operation moves on, and broadcasts the outcome in its thread', async () => {
    const r = reporter();
    const ref = await r.show(view('pending', 'C0OPS', null), null);
    expect(ref).toMatchObject({ channel: 'C0OPS' });
    await r.show(view('running', 'C0OPS', null), ref);
    await r.show(view('done', 'C0OPS', null), ref);
    await r.announce(view('done', 'C0OPS', null), ref);
    expect(slack.callsTo('chat.postMessage').map((c) => c.body.reply_broadcast ?? 'card')).toEqual([
      'card',
      'true',
    ]);
    expect(slack.callsTo('chat.update')).toHaveLength(2);
    expect(slack.messages('C0OPS')[0]?.text).toMatch(/^✅ Fail over inst2: done/);
  });

  it('spends no more than two of a response_url’s five posts where the bot is not a member', async () => {
    const r = reporter();
    const url = slack.newResponseUrl({ channel: 'C0PRIVATE' });
    const ref = await r.show(view('pending', 'C0PRIVATE', url), null);
    expect(ref).toEqual({ responseUrl: url });
    for (let i = 0; i < 10; i++) await r.show(view('running', 'C0PRIVATE', url), ref);
    await r.show(view('done', 'C0PRIVATE', url), ref);
    expect(slack.responses(url).map((c) => String(c.body.text).slice(0, 20))).toEqual([
      expect.stringMatching(/^🟡 Approval needed/),
      expect.stringMatching(/^✅ Fail over inst2/),
    ]);
  });
});
