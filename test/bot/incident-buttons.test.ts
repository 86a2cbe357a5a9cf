import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, inject } from 'vitest';
import { createAuditLog } from '../../src/audit/audit-log.js';
import { createIncidentButtons } from '../../src/bot/listeners/incident-buttons.js';
import type { ButtonArgs } from '../../src/bot/listeners/operation-buttons.js';
import type { AccessPolicy } from '../../src/commands/authorize.js';
import { allCommands } from '../../src/commands/all-commands.js';
import { createRegistry } from '../../src/commands/registry.js';
import { emptyIncident } from '../../src/monitor/incident-reducer.js';
import { createMonitorStore } from '../../src/monitor/monitor-store.js';
import type { IncidentReporter } from '../../src/monitor/types.js';
import type { CommandJob } from '../../src/queue/payloads.js';
import { captureLogger } from '../support/capture-logger.js';
import { dropKeys } from '../support/drop-keys.js';

const redis = new Redis(inject('redisUrl'));
const prefix = `ibtest-${process.pid}`;
afterEach(() => dropKeys(prefix));
afterAll(() => redis.disconnect());

const policy: AccessPolicy = { admins: ['U0ADMIN', 'U0OTHER'], operators: ['U0OPS'], viewers: ['*'] };

async function setup() {
  const store = createMonitorStore({ redis, prefix, cluster: 'lab' });
  const owner = 'poller';
  await store.lease(owner, 60_000);
  const incident = {
    ...emptyIncident('lab', 1_000, 'node-loss'),
    id: 'inc-lab-abc',
    // The node the incident lost: only its evacuation may be asked for from this message.
    nodes: [
      {
        name: 'node3.ganeti.test',
        since: 1_000,
        cause: 'no-answer' as const,
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
    message: { channel: 'C0ALERTS', ts: '1700000000.000100' },
  };
  await store.saveIncident(owner, incident);
  const queued: CommandJob[] = [];
  const told: string[] = [];
  const thread: string[] = [];
  const incidents: IncidentReporter = {
    post: async () => null,
    update: async () => true,
    thread: async (_ref, lines) => {
      thread.push(...lines.map((l) => l.text));
      return true;
    },
    instanceProblems: async () => undefined,
  };
  const click = createIncidentButtons({
    store,
    requests: {
      get: async () => ({ state: 'pending', decidedBy: null, outcome: null, outcomeSummary: null }),
    },
    registry: createRegistry(allCommands),
    queue: { enqueue: async (job) => void queued.push(job) },
    incidents,
    operations: { tell: async (_to, failure) => void told.push(failure.message) },
    policy,
    groups: { groupsOf: async () => [] },
    audit: createAuditLog({ redis, prefix, maxEntries: 1000, logger: captureLogger('silent').logger }),
    logger: captureLogger('silent').logger,
    now: () => 5_000,
  });
  const press = (actionId: string, user: string, value = 'inc-lab-abc|node3.ganeti.test') =>
    click({
      ack: async () => undefined,
      body: { user: { id: user }, channel: { id: 'C0ALERTS' } },
      action: { action_id: actionId, value },
    } satisfies ButtonArgs);
  return { store, queued, told, thread, press };
}

describe('the buttons of an incident message', () => {
  it('asks for the guarded evacuation as the `recover` command, in the incident’s thread, once', async () => {
    const t = await setup();
    await t.press('incident_evacuate', 'U0ADMIN');
    expect(t.queued).toEqual([
      expect.objectContaining({
        command: 'recover',
        args: { node: 'node3.ganeti.test' },
        userId: 'U0ADMIN',
        channelId: 'C0ALERTS',
        threadTs: '1700000000.000100',
        grant: { via: 'role', role: 'admin' },
      }),
    ]);
    expect(await t.store.requests('inc-lab-abc')).toEqual([
      { requestId: t.queued[0]?.requestId, what: 'recover', node: 'node3.ganeti.test' },
    ]);
    await t.press('incident_evacuate', 'U0OTHER');
    expect(t.queued).toHaveLength(1);
    expect(t.told[0]).toMatch(/^Someone asked for this already \(request `req-[a-z0-9-]+`, pending\)\.$/);
  });

  it('refuses the evacuation to someone who is not an admin, and queues nothing', async () => {
    const t = await setup();
    await t.press('incident_evacuate', 'U0OPS');
    expect(t.queued).toEqual([]);
    expect(t.told[0]).toMatch(/`recover` needs the admin role and you are an operator/);
  });

  it('lets the first operator acknowledge, notes it in the thread, and refuses a second acknowledgement', async () => {
    const t = await setup();
    await t.press('incident_ack', 'U0OPS');
    await t.press('incident_ack', 'U0ADMIN');
    expect((await t.store.marks('inc-lab-abc')).acknowledgedBy).toBe('U0OPS');
    expect(t.thread).toEqual(['👀 Acknowledged by <@U0OPS>: no more reminders.']);
    expect(t.told).toEqual(['Someone acknowledged this incident already.']);
  });

  it('snoozes reminders for an hour', async () => {
    const t = await setup();
    await t.press('incident_snooze', 'U0OPS');
    expect((await t.store.marks('inc-lab-abc')).snoozedUntil).toBe(5_000 + 3_600_000);
    expect(t.thread[0]).toMatch(/^😴 Snoozed by <@U0OPS> until /);
  });

  it('refuses a viewer’s acknowledgement and a forged button value', async () => {
    const t = await setup();
    await t.press('incident_ack', 'U0VIEWER');
    await t.press('incident_ack', 'U0ADMIN', 'inc-lab-abc|node3;rm -rf /');
    await t.press('incident_ack', 'U0ADMIN', 'inc-nosuch-1|node3');
    expect(t.told).toEqual([
      expect.stringMatching(/needs the operator role/),
      'That button does not belong to an incident this bot knows.',
      'This incident is no longer known.',
    ]);
    expect((await t.store.marks('inc-lab-abc')).acknowledgedBy).toBeNull();
  });
});
