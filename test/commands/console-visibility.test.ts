import { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createSlackReplies } from '../../src/bot/slack-replies.js';
import { argv } from '../../src/cluster/argv.js';
import { createGanetiClient } from '../../src/cluster/ganeti-client.js';
import type { MasterShell } from '../../src/cluster/master-shell.js';
import { allCommands } from '../../src/commands/all-commands.js';
import { createRegistry } from '../../src/commands/registry.js';
import { createCommandQueue, type CommandQueue } from '../../src/queue/command-queue.js';
import { createCommandWorker, type CommandWorker } from '../../src/queue/command-worker.js';
import type { CommandJob } from '../../src/queue/payloads.js';
import { createRedisConnection } from '../../src/queue/redis-connection.js';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';
import { fixtureShell } from '../fakes/fixture-shell.js';
import { captureLogger } from '../support/capture-logger.js';
import { dropKeys } from '../support/drop-keys.js';

const cmd = (a: string[]) => a.join(' ');

/** A slow cluster, so that a channel command would show its progress line. */
function slowShell(): MasterShell {
  const shell = fixtureShell({
    [cmd(argv.nodeNames())]: { stdout: 'node1.ganeti.test\n' },
    [cmd(argv.instanceNames())]: { stdout: 'inst1.ganeti.test\n' },
    [cmd(argv.instanceInfo('inst1.ganeti.test'))]: { stdout: { fixture: 'gnt-instance_info.inst1.txt' } },
    [cmd(argv.nodeList())]: { stdout: { fixture: 'gnt-node_list.fields.txt' } },
  });
  return {
    ...shell,
    exec: async (a, o) => {
      await new Promise((res) => setTimeout(res, 150));
      return shell.exec(a, o);
    },
  };
}

let slack: FakeSlack;
let connections: Redis[];
let queue: CommandQueue;
let worker: CommandWorker;
let prefix: string;
let seq = 0;

function job(command: string, args: Record<string, string>, responseUrl: string | null): CommandJob {
  seq += 1;
  return {
    requestId: `req-vis${seq}-${Date.now().toString(36)}`,
    command,
    args,
    text: `${command} ${Object.values(args).join(' ')}`.trim(),
    userId: 'U0ALICE',
    channelId: 'C0OPS',
    responseUrl,
    requestedAt: Date.now(),
    grant: { via: 'role', role: 'admin' },
  };
}

beforeEach(async () => {
  slack = await startFakeSlack();
  prefix = `test-visibility-${process.pid}-${Date.now().toString(36)}`;
  const { logger } = captureLogger('silent');
  connections = [
    createRedisConnection(inject('redisUrl'), 'producer'),
    createRedisConnection(inject('redisUrl'), 'worker'),
  ];
  queue = createCommandQueue({ connection: connections[0] as Redis, prefix, logger });
  worker = createCommandWorker({
    connection: connections[1] as Redis,
    prefix,
    registry: createRegistry(allCommands),
    cluster: createGanetiClient({ shell: slowShell() }),
    replies: createSlackReplies({
      client: new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
      logger,
    }),
    logger,
    progressDelayMs: 0,
    progressIntervalMs: 50,
  });
});

afterEach(async () => {
  await worker.close();
  await queue.close();
  await dropKeys(prefix);
  for (const c of connections) c.disconnect();
  await slack.close();
});

describe('a requester-only command (console)', () => {
  it('answers only the requester through the response_url, with no progress line in the channel', async () => {
    const j = job('console', { instance: 'inst1' }, slack.newResponseUrl({ channel: 'C0OPS' }));
    await queue.enqueue(j);
    const answer = await slack.waitFor('response_url');
    expect(answer.url).toBe(j.responseUrl);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.body.text).toBe(
      'No console for inst1.ganeti.test: Consoles are not available for the `fake` hypervisor.',
    );
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('uses chat.postEphemeral when there is no response_url', async () => {
    await queue.enqueue(job('console', { instance: 'inst1' }, null));
    const answer = await slack.waitFor('chat.postEphemeral');
    expect(answer.body).toMatchObject({ channel: 'C0OPS', user: 'U0ALICE' });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('leaves channel commands as they were: progress, then the answer in the channel', async () => {
    await queue.enqueue(job('nodes', {}, slack.newResponseUrl({ channel: 'C0OPS' })));
    const final = await slack.waitFor(
      (c) => c.method === 'chat.update' && String(c.body.text).startsWith('3 nodes'),
    );
    expect(final.body.channel).toBe('C0OPS');
    expect(String(slack.callsTo('chat.postMessage')[0]?.body.text)).toMatch(/^⏳/);
  });
});
