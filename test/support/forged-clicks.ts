import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { emptyIncident } from '../../src/monitor/incident-reducer.js';
import { createMonitorStore } from '../../src/monitor/monitor-store.js';
import type { Incident } from '../../src/monitor/types.js';
import { QUEUE_COMMANDS, QUEUE_OPERATIONS } from '../../src/queue/names.js';
import { createRequestStore } from '../../src/queue/request-store.js';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import {
  blockActionPayload,
  sendInteraction,
  type BlockActionInput,
  type SignOptions,
} from '../../src/demo/slack/slack-requests.js';
import { SIGNING_SECRET, type Harness } from '../integration/support/harness.js';
import { auditTrail } from './audit-trail.js';

/** What a harness's app stored in Redis under its prefix: requests, queues, the audit stream. */
export function appState(redis: Redis, h: Harness) {
  const prefix = h.env.GANETI_CHATOPS_QUEUE_PREFIX ?? '';
  const operations = new Queue(QUEUE_OPERATIONS, { connection: redis, prefix });
  const commands = new Queue(QUEUE_COMMANDS, { connection: redis, prefix });
  return {
    prefix,
    audit: auditTrail(redis, prefix),
    requests: createRequestStore({ redis, prefix }),
    operations,
    commands,
    close: () => Promise.all([operations.close(), commands.close()]),
  };
}

/**
 * Sends any block_actions payload through the harness's real Bolt receiver, signed with `secret`
 * (default: the app's) and `sign`; the bot's answer goes to a fresh response_url.
 */
export async function sendClick(
  h: Harness,
  input: Omit<BlockActionInput, 'responseUrl'>,
  options: { secret?: string; sign?: SignOptions } = {},
) {
  const responseUrl = h.slack.newResponseUrl({ channel: input.channel });
  const payload = blockActionPayload({ ...input, responseUrl });
  const result = await sendInteraction(h.baseUrl, options.secret ?? SIGNING_SECRET, payload, options.sign);
  return { ...result, responseUrl };
}

/** The private answer to a click, through its response_url. */
export function toClicker(h: Harness, responseUrl: string): Promise<RecordedCall> {
  return h.slack.waitFor((c) => c.method === 'response_url' && c.url === responseUrl, { timeoutMs: 5_000 });
}

/**
 * Sends a click the bot must refuse: expects the 200 ack and a private (ephemeral) answer
 * matching `message`, and returns the audit records written meanwhile (but `requested` ones,
 * which the commands that made the cards write on their own time).
 */
export async function expectRefusal(
  h: Harness,
  state: ReturnType<typeof appState>,
  input: Omit<BlockActionInput, 'responseUrl'>,
  message: string | RegExp,
) {
  const mark = await state.audit.mark();
  const sent = await sendClick(h, input);
  if (sent.status !== 200) throw new Error(`expected the click to be acked (200), got ${sent.status}`);
  const answer = await toClicker(h, sent.responseUrl);
  if (answer.body.response_type !== 'ephemeral') throw new Error('the refusal was not private');
  const text = String(answer.body.text);
  if (!(typeof message === 'string' ? text.includes(message) : message.test(text)))
    throw new Error(`the clicker was told "${text}", not ${String(message)}`);
  return (await state.audit.since(mark)).filter((r) => r.event !== 'requested');
}

/** Stores an open node-loss incident for `node`, shown in `message`, as the poller would. */
export async function seedNodeLoss(
  redis: Redis,
  prefix: string,
  node: string,
  message: { channel: string; ts: string },
): Promise<Incident> {
  const now = Date.now();
  const incident: Incident = {
    ...emptyIncident('ganeti', now, 'node-loss'),
    nodes: [
      {
        name: node,
        since: now,
        cause: 'no-answer',
        wasMaster: false,
        primaries: [],
        secondaries: [],
        capacityOk: true,
        freeMiB: 0,
        neededMiB: 0,
        returnedAt: null,
        returnedWhileOffline: false,
        recoveredAt: null,
      },
    ],
    message,
  };
  // Incidents are kept by id whatever the cluster; a store of its own takes a lease to write one.
  const seeder = createMonitorStore({ redis, prefix, cluster: 'seed' });
  await seeder.lease('seeder', 60_000);
  if (!(await seeder.saveIncident('seeder', incident))) throw new Error('could not store the incident');
  return incident;
}
