import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { webClientOptions } from '../../src/bot/slack-app.js';
import { createSlackIncidentReporter } from '../../src/bot/slack-incident-reporter.js';
import { createSlackOperationReporter } from '../../src/bot/slack-operation-reporter.js';
import { createSlackReplies } from '../../src/bot/slack-replies.js';
import type { GanetiClient } from '../../src/cluster/ganeti-client.js';
import type { JobInfo } from '../../src/cluster/types.js';
import { runOperation } from '../../src/queue/operation-runner.js';
import { newStepState, type OperationRequest, type OperationView } from '../../src/queue/operation-types.js';
import { createRequestStore, type RequestStore } from '../../src/queue/request-store.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../src/demo/slack/fake-slack.js';
import { createTestLogger } from '../fakes/test-logger.js';
import { captureLogger } from '../support/capture-logger.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.quit());

let slack: FakeSlack;
let logs: ReturnType<typeof captureLogger>;
let store: RequestStore;
let seq = 0;
let requestId: string;

beforeEach(async () => {
  slack = await startFakeSlack({ notMemberOf: ['C0PRIVATE'] });
  logs = captureLogger('debug');
  seq += 1;
  requestId = `req-faults${seq}-${Date.now().toString(36)}`;
  store = createRequestStore({ redis, prefix: `test-slack-faults-${process.pid}` });
});
afterEach(() => slack.close());

/** A WebClient with the production options, against the fake. */
const client = () =>
  new WebClient('xoxb-test', { ...webClientOptions({ apiUrl: slack.apiUrl }), logger: createTestLogger() });

/** The reporter as the bot builds it. */
function reporter(options: { patienceMs?: number } = {}) {
  return createSlackOperationReporter({ client: client(), logger: logs.logger, ...options });
}

function request(): OperationRequest {
  return {
    requestId,
    command: 'failover',
    text: 'failover inst1',
    risk: 'destructive',
    userId: 'U0ALICE',
    channelId: 'C0OPS',
    responseUrl: null,
    plan: {
      title: 'Fail over inst1',
      summary: 'inst1: node1 → node2',
      checks: [],
      warnings: [],
      steps: [
        {
          key: 'inst1',
          label: 'inst1: node1 → node2',
          action: { op: 'instance-failover', instance: 'inst1', target: 'node2' },
        },
      ],
    },
    createdAt: 1,
    expiresAt: null,
    approval: 'two-person',
  };
}

function view(state: OperationView['state']): OperationView {
  return {
    request: request(),
    state,
    decidedBy: state === 'pending' ? null : 'U0BOB',
    steps: [{ key: 'inst1', label: 'inst1: node1 → node2', ...newStepState() }],
    outcome: state === 'done' ? 'success' : null,
    durationMs: null,
  };
}

/** A cluster whose one job succeeds at once, with Ganeti log lines. */
const cluster = {
  findJobs: async () => [],
  submit: async () => 100,
  job: async (id: number): Promise<JobInfo> => ({
    id,
    status: 'success',
    receivedAt: null,
    startedAt: null,
    endedAt: null,
    totalSeconds: 1,
    opcodes: [{ opcode: 'OP_INSTANCE_FAILOVER', status: 'success', error: null }],
    log: [{ time: '2026-11-24 03:00:00.000000', message: '* failing over inst1' }],
    reasons: [],
  }),
} as Partial<GanetiClient> as GanetiClient;

/** Runs the approved request through the real runner; resolves with when it returned. */
/** Posts the card, then (after `meanwhile`, e.g. a fault) runs the approved operation. */
async function runApproved(r: ReturnType<typeof reporter>, meanwhile: () => void = () => undefined) {
  const card = await r.show(view('pending'), null);
  meanwhile();
  await store.create(request(), 'approved', 'U0BOB');
  if (card) await store.setCard(requestId, card);
  let stepsDoneAt = 0;
  const save = async (d: { steps: Record<string, { status: string }> }) => {
    const all = Object.values(d.steps);
    if (!stepsDoneAt && all.length > 0 && all.every((s) => s.status === 'success')) stepsDoneAt = Date.now();
  };
  await runOperation({ requestId, steps: {}, message: null }, save, {
    cluster,
    store,
    reporter: r,
    logger: logs.logger,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    maxParallel: 1,
    viewIntervalMs: 0,
  });
  return { stepsDoneAt, card };
}

const text = (c: RecordedCall) => String(c.body.text);
const attemptsOf = (method: string, match: string) =>
  slack.callsTo(method).filter((c) => text(c).includes(match));
const deliveredOf = (method: string, match: string) =>
  slack.delivered(method).filter((c) => text(c).includes(match));

describe('posting to Slack while it answers 429 or 5xx: delayed and retried, never lost or duplicated', () => {
  it('posts a card once, and only after the Retry-After of a 429', async () => {
    slack.fault({ method: 'chat.postMessage', status: 429, retryAfterSec: 1, times: 1 });
    const ref = await reporter().show(view('pending'), null);
    expect(ref).toMatchObject({ channel: 'C0OPS' });
    const [limited, delivered, ...more] = slack.callsTo('chat.postMessage');
    expect([limited?.status, delivered?.status, more.length]).toEqual([429, 200, 0]);
    expect((delivered?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(slack.delivered('chat.postMessage')).toHaveLength(1);
    expect(slack.messages('C0OPS')).toHaveLength(1);
  });

  it('delivers a thread line and the outcome once each, in order, after two 503s', async () => {
    const r = reporter();
    const ref = await r.show(view('pending'), null);
    if (!ref || !('ts' in ref)) throw new Error('no card');
    slack.fault({ method: 'chat.postMessage', status: 503, times: 2 });
    await r.thread(ref, ['* failing over inst1']);
    await r.announce(view('done'), ref);
    expect(await r.drain(10_000)).toBe(true);
    expect(attemptsOf('chat.postMessage', 'failing over').map((c) => c.status)).toEqual([503, 503, 200]);
    const replies = slack.delivered('chat.postMessage').filter((c) => c.body.thread_ts === ref.ts);
    expect(replies.map((c) => (c.body.reply_broadcast === 'true' ? 'outcome' : text(c)))).toEqual([
      '```\n* failing over inst1\n```',
      'outcome',
    ]);
  });

  it('never lands an older edit after a newer one: a rate-limited edit goes first, the newest replaces what waited', async () => {
    // Each call gives up waiting long before the Retry-After: the newer edits queue up behind.
    const r = reporter({ patienceMs: 50 });
    const ref = await r.show(view('pending'), null);
    if (!ref) throw new Error('no card');
    slack.fault({ method: 'chat.update', status: 429, retryAfterSec: 1, times: 1 });
    await r.show(view('approved'), ref);
    await r.show(view('running'), ref);
    await r.show(view('done'), ref);
    expect(await r.drain(10_000)).toBe(true);
    const edits = slack.delivered('chat.update').map((c) => text(c).slice(0, 30));
    expect(edits).toEqual([
      expect.stringMatching(/^⏳ Fail over inst1: starting/),
      expect.stringMatching(/^✅ Fail over inst1: done/),
    ]);
    expect(slack.messages('C0OPS')[0]?.text).toMatch(/^✅ Fail over inst1: done/);
  });

  it('retries an edit after internal_error, but not a new message after fatal_error (Slack may have posted it)', async () => {
    const r = reporter();
    const ref = await r.show(view('pending'), null);
    if (!ref || !('ts' in ref)) throw new Error('no card');
    slack.fault({ method: 'chat.update', error: 'internal_error', times: 1 });
    slack.fault({ method: 'chat.postMessage', error: 'fatal_error', times: 1, applied: true });
    await r.show(view('done'), ref);
    await r.announce(view('done'), ref);
    expect(await r.drain(10_000)).toBe(true);
    expect(slack.callsTo('chat.update').map((c) => c.fault?.label ?? 'ok')).toEqual(['internal_error', 'ok']);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.reply_broadcast)).toHaveLength(1);
    expect(slack.messages('C0OPS').filter((m) => m.thread_ts === ref.ts)).toHaveLength(1);
    expect(logs.lines.map((l) => l.msg)).toContain(
      'could not announce an outcome in Slack (fatal_error: Slack may or may not have done it); gave up on it, the operation goes on',
    );
  });

  it('retries a new message after HTTP 5xx although Slack may have posted it: a rare duplicate rather than a lost outcome', async () => {
    const r = reporter();
    const ref = await r.show(view('pending'), null);
    if (!ref) throw new Error('no card');
    slack.fault({ method: 'chat.postMessage', status: 500, times: 1, applied: true });
    await r.announce(view('done'), ref);
    expect(await r.drain(10_000)).toBe(true);
    expect(deliveredOf('chat.postMessage', 'Fail over inst1')).toHaveLength(3); // the card, twice the outcome
  });

  it('does not hold up the Ganeti work behind a rate-limited post: every step ends before the post goes out, once', async () => {
    const r = reporter();
    slack.fault({
      method: 'chat.postMessage',
      status: 429,
      retryAfterSec: 2,
      times: 1,
      match: (body) => String(body.text).includes('failing over'),
    });
    const { stepsDoneAt, card } = await runApproved(r);
    // The outcome waits its turn behind the held line: the request closes once Slack has it.
    expect((await store.get(requestId))?.state).toBe('done');
    expect(await r.drain(10_000)).toBe(true);
    const [limited, line] = attemptsOf('chat.postMessage', 'failing over');
    expect([limited?.status, line?.status]).toEqual([429, 200]);
    expect(stepsDoneAt).toBeGreaterThan(0);
    expect(line?.at ?? 0).toBeGreaterThan(stepsDoneAt);
    expect(deliveredOf('chat.postMessage', 'failing over')).toHaveLength(1);
    // In the thread, the log line still comes before the outcome.
    const thread = slack.messages('C0OPS').filter((m) => card && 'ts' in card && m.thread_ts === card.ts);
    expect(thread.map((m) => (m.text?.includes('failing over') ? 'log' : 'outcome'))).toEqual([
      'log',
      'outcome',
    ]);
  });

  it('when Slack is down longer than the retry budget, logs what was lost and the operation still finishes', async () => {
    const r = reporter();
    await runApproved(r, () => {
      slack.fault({ method: 'chat.postMessage', status: 503, forMs: 120_000 });
      slack.fault({ method: 'chat.update', status: 503, forMs: 120_000 });
    });
    expect((await store.get(requestId))?.state).toBe('done');
    expect(await r.drain(15_000)).toBe(true);
    const errors = logs.lines.filter((l) => l.level === 50).map((l) => l.msg);
    expect(errors).toContain(
      'could not announce an outcome in Slack (HTTP 503); gave up on it, the operation goes on',
    );
    expect(errors).toContain(
      'could not post Ganeti log lines in Slack (HTTP 503); gave up on it, the operation goes on',
    );
    // WebClient tried each post 4 times (3 retries), then gave up: nothing got through.
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.reply_broadcast)).toHaveLength(4);
    expect(slack.delivered('chat.postMessage')).toHaveLength(1); // the card, before the outage
  }, 30_000);

  it('answers through a response_url once after a 503 and a 429 from it', async () => {
    const replies = createSlackReplies({ client: client(), logger: logs.logger });
    const responseUrl = slack.newResponseUrl({ channel: 'C0PRIVATE' });
    slack.fault({ method: 'response_url', status: 503, times: 1 });
    slack.fault({ method: 'response_url', status: 429, retryAfterSec: 1, times: 1 });
    const reply = replies.open({
      requestId,
      channelId: 'C0PRIVATE',
      userId: 'U0ALICE',
      responseUrl,
      text: 'nodes',
    });
    await reply.progress('Reading the nodes…');
    expect(await replies.drain(10_000)).toBe(true);
    expect(slack.responses(responseUrl).map((c) => c.status)).toEqual([503, 429, 200]);
    expect(slack.delivered('response_url')).toHaveLength(1);
    expect(slack.messages('C0PRIVATE')).toHaveLength(1);
  });

  it('posts only the incident thread lines not out yet when the monitor sends a failed batch again', async () => {
    const incidents = createSlackIncidentReporter({
      client: client(),
      channel: 'C0ALERTS',
      logger: logs.logger,
    });
    const ref = { channel: 'C0ALERTS', ts: '1700000000.000100' };
    const lines = [
      { text: 'node3 is down' },
      { text: 'node3 was marked offline' },
      { text: 'inst2 failed over' },
    ];
    slack.fault({
      method: 'chat.postMessage',
      error: 'fatal_error',
      times: 1,
      match: (b) => b.text === lines[1]?.text,
    });
    expect(await incidents.thread(ref, lines.slice(0, 2))).toBe(false);
    expect(await incidents.thread(ref, lines)).toBe(true);
    expect(slack.delivered('chat.postMessage').map((c) => c.body.text)).toEqual(lines.map((l) => l.text));
  });
});
