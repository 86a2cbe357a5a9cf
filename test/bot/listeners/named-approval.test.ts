import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../src/audit/audit-log.js';
import {
  createNameSubmission,
  nameFormView,
  typedTheName,
  type NameFormMetadata,
} from '../../../src/bot/listeners/named-approval.js';
import { createOperationButtons } from '../../../src/bot/listeners/operation-buttons.js';
import type { ViewAck } from '../../../src/bot/listeners/create-form.js';
import type { Failure } from '../../../src/core/failure.js';
import type { OperationRequest } from '../../../src/queue/operation-types.js';
import { createRedisConnection } from '../../../src/queue/redis-connection.js';
import { createRequestStore, type RequestStore } from '../../../src/queue/request-store.js';
import { checkBlocks, checkModal, VIEW_MAX_BLOCKS } from '../../../src/demo/slack/block-kit-limits.js';
import { captureLogger } from '../../support/capture-logger.js';
import { startRedis } from '../../support/redis-server.js';

const CARD = { channel: 'C0OPS', ts: '1700000000.000300' };
const NAME = 'web5.example.org';

function removeRequest(requestId: string): OperationRequest {
  return {
    requestId,
    command: 'remove',
    text: 'remove web5',
    risk: 'destructive',
    userId: 'U0ALICE',
    channelId: CARD.channel,
    responseUrl: null,
    plan: {
      title: `Remove ${NAME}`,
      summary: NAME,
      checks: [],
      warnings: [],
      confirmName: NAME,
      steps: [{ key: 'remove', label: 'remove', action: { op: 'instance-remove', instance: NAME } }],
    },
    createdAt: 1,
    expiresAt: null,
    approval: 'two-person',
  };
}

describe('approving a removal by typing the instance’s name', () => {
  let server: Awaited<ReturnType<typeof startRedis>>;
  let redis: ReturnType<typeof createRedisConnection>;
  let store: RequestStore;
  const told: Failure[] = [];
  const opened: Array<{ trigger: string; meta: NameFormMetadata }> = [];
  const executed: string[] = [];
  let buttons: ReturnType<typeof createOperationButtons>;
  let n = 0;

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedisConnection(server.url, 'producer');
    await new Promise<void>((r) => (redis.status === 'ready' ? r() : redis.once('ready', () => r())));
    store = createRequestStore({ redis, prefix: 'named' });
    const logger = captureLogger('silent').logger;
    buttons = createOperationButtons({
      store,
      queue: { execute: async (id) => void executed.push(id) },
      reporter: {
        show: async () => null,
        thread: async () => undefined,
        announce: async () => undefined,
        tell: async (_to, failure) => void told.push(failure),
      },
      policy: { admins: ['U0ALICE', 'U0BOB', 'U0CAROL'], operators: [], viewers: ['*'] },
      groups: { groupsOf: async () => [] },
      audit: createAuditLog({ redis, prefix: 'named', maxEntries: 100, logger }),
      logger,
      nameForm: { open: async (trigger, meta) => void opened.push({ trigger, meta }) },
    });
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  async function pendingRemoval(): Promise<string> {
    n += 1;
    const requestId = `req-named${n}-abcdef12`;
    await store.create(removeRequest(requestId), 'pending');
    await store.setCard(requestId, CARD);
    return requestId;
  }
  const click = (actionId: string, requestId: string, user = 'U0BOB') =>
    buttons({
      ack: async () => undefined,
      body: {
        user: { id: user },
        channel: { id: CARD.channel },
        container: { channel_id: CARD.channel, message_ts: CARD.ts },
        trigger_id: 'trigger-1',
      },
      action: { action_id: actionId, value: requestId },
    });
  async function submit(meta: NameFormMetadata, typed: string, user = 'U0BOB'): Promise<ViewAck | undefined> {
    let answer: ViewAck | undefined;
    const onSubmit = createNameSubmission({
      approveNamed: buttons.approveNamed,
      logger: captureLogger('silent').logger,
    });
    const view = nameFormView(meta);
    await onSubmit({
      ack: async (a) => void (answer = a),
      body: { user: { id: user } },
      view: {
        private_metadata: view.private_metadata,
        state: { values: { name: { value: { value: typed } } } },
      },
    });
    return answer;
  }

  it('refuses a plain Approve click (a forged or old button): nothing is decided', async () => {
    const requestId = await pendingRemoval();
    told.length = 0;
    await click('op_approve', requestId);
    expect(told[0]?.message).toBe(`Approving this request takes typing \`${NAME}\`; nothing was done.`);
    expect((await store.get(requestId))?.state).toBe('pending');
  });

  it('opens the form from the card’s Approve…, with the request and the card it came from', async () => {
    const requestId = await pendingRemoval();
    opened.length = 0;
    await click('op_approve_named', requestId);
    expect(opened).toEqual([
      { trigger: 'trigger-1', meta: { requestId, channel: CARD.channel, ts: CARD.ts, name: NAME } },
    ]);
    const view = nameFormView(opened[0]!.meta);
    expect([
      ...checkBlocks(view.blocks, VIEW_MAX_BLOCKS, '/view/blocks'),
      ...checkModal({ ...view }),
    ]).toEqual([]);
  });

  it('opens the same form from the approver’s App Home, pointing at the card', async () => {
    const requestId = await pendingRemoval();
    opened.length = 0;
    await buttons({
      ack: async () => undefined,
      body: {
        user: { id: 'U0BOB' },
        container: { type: 'view', view_id: 'V0HOME' },
        view: { id: 'V0HOME', type: 'home' },
        trigger_id: 'trigger-2',
      },
      action: { action_id: 'op_approve_named', value: requestId },
    });
    expect(opened).toEqual([
      { trigger: 'trigger-2', meta: { requestId, channel: CARD.channel, ts: CARD.ts, name: NAME } },
    ]);
  });

  it('keeps the request pending on a wrong name, and shows why under the field', async () => {
    const requestId = await pendingRemoval();
    const answer = await submit({ requestId, channel: CARD.channel, ts: CARD.ts, name: NAME }, 'web6');
    expect(answer).toEqual({
      response_action: 'errors',
      errors: { name: `That is not ${NAME}. Type its name exactly to approve; nothing was done.` },
    });
    expect((await store.get(requestId))?.state).toBe('pending');
    expect(executed).not.toContain(requestId);
  });

  it('approves and runs it exactly once on the right name (its short name will do)', async () => {
    const requestId = await pendingRemoval();
    const meta = { requestId, channel: CARD.channel, ts: CARD.ts, name: NAME };
    expect(await submit(meta, ' web5 ')).toBeUndefined(); // acked without errors: the form closes
    expect((await store.get(requestId))?.state).toBe('approved');
    expect(executed.filter((id) => id === requestId)).toHaveLength(1);
    told.length = 0;
    await submit(meta, NAME, 'U0CAROL');
    expect(executed.filter((id) => id === requestId)).toHaveLength(1);
    expect(told[0]?.message).toMatch(/already approved/);
  });

  it('still keeps the two-person rule: the requester typing the name is refused', async () => {
    const requestId = await pendingRemoval();
    told.length = 0;
    await submit({ requestId, channel: CARD.channel, ts: CARD.ts, name: NAME }, NAME, 'U0ALICE');
    expect(told[0]?.message).toMatch(/another approver has to approve it/);
    expect((await store.get(requestId))?.state).toBe('pending');
  });

  it('refuses a form whose metadata names another card than the request’s', async () => {
    const requestId = await pendingRemoval();
    told.length = 0;
    await submit({ requestId, channel: 'C0OTHER', ts: CARD.ts, name: NAME }, NAME);
    expect(told[0]?.message).toBe(
      `This button is not on the card of request \`${requestId}\`; nothing was done.`,
    );
    expect((await store.get(requestId))?.state).toBe('pending');
  });

  it('compares names without case or a trailing dot, and only whole names', () => {
    expect(typedTheName('WEB5.example.org.', NAME)).toBe(true);
    expect(typedTheName('web', NAME)).toBe(false);
    expect(typedTheName('web5.example', NAME)).toBe(false);
  });
});
