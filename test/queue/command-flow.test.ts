import { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createSlackReplies } from '../../src/bot/slack-replies.js';
import { argv } from '../../src/cluster/argv.js';
import { createGanetiClient } from '../../src/cluster/ganeti-client.js';
import type { MasterShell } from '../../src/cluster/master-shell.js';
import { allCommands } from '../../src/commands/all-commands.js';
import { createRegistry } from '../../src/commands/registry.js';
import { ClusterUnavailableError } from '../../src/core/errors.js';
import { createCommandQueue, type CommandQueue } from '../../src/queue/command-queue.js';
import { createCommandWorker, type CommandWorker } from '../../src/queue/command-worker.js';
import type { CommandJob } from '../../src/queue/payloads.js';
import { createRedisConnection } from '../../src/queue/redis-connection.js';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';
import { fixtureShell } from '../fakes/fixture-shell.js';
import { captureLogger } from '../support/capture-logger.js';
import { dropKeys } from '../support/drop-keys.js';

const cmd = (a: string[]) => a.join(' ');
const registry = createRegistry(allCommands);

let slack: FakeSlack;
let connections: Redis[];
let queue: CommandQueue;
let worker: CommandWorker | null;
let prefix: string;
let seq = 0;

function job(
  command: string,
  args: Record<string, string | boolean>,
  extra: Partial<CommandJob> = {},
): CommandJob {
  seq += 1;
  return {
    requestId: `req-test${seq}-${Date.now().toString(36)}`,
    command,
    args,
    text: `${command} ${Object.values(args).join(' ')}`.trim(),
    userId: 'U0ALICE',
    channelId: 'C0OPS',
    responseUrl: slack.newResponseUrl({ channel: 'C0OPS' }),
    requestedAt: Date.now(),
    grant: { via: 'role', role: 'admin' },
    ...extra,
  };
}

function startWorker(shell: MasterShell, options: { progressDelayMs?: number } = {}) {
  const { logger } = captureLogger('silent');
  const connection = createRedisConnection(inject('redisUrl'), 'worker');
  connections.push(connection);
  worker = createCommandWorker({
    connection,
    prefix,
    registry,
    cluster: createGanetiClient({ shell }),
    replies: createSlackReplies({
      client: new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
      logger,
    }),
    logger,
    progressDelayMs: options.progressDelayMs ?? 1_500,
    progressIntervalMs: 50,
  });
}

beforeEach(async () => {
  slack = await startFakeSlack({ notMemberOf: ['C0PRIVATE'] });
  prefix = `test-flow-${process.pid}-${Date.now().toString(36)}-${seq}`;
  connections = [createRedisConnection(inject('redisUrl'), 'producer')];
  queue = createCommandQueue({
    connection: connections[0] as Redis,
    prefix,
    logger: captureLogger('silent').logger,
  });
  worker = null;
});

afterEach(async () => {
  await worker?.close();
  await queue.close();
  await dropKeys(prefix);
  for (const c of connections) c.disconnect();
  await slack.close();
});

describe('a queued command', () => {
  it('posts the node table in the channel', async () => {
    startWorker(
      fixtureShell({
        [cmd(argv.nodeList())]: { stdout: { fixture: 'gnt-node_list.fields.node3-offline.txt' } },
      }),
    );
    await queue.enqueue(job('nodes', {}));
    const post = await slack.waitFor('chat.postMessage');
    expect(post.body.channel).toBe('C0OPS');
    expect(post.body.text).toBe('3 nodes: 2 ok, 1 with problems');
    expect(JSON.stringify(post.body.blocks)).toContain('node3  offline    OFFLINE');
  });

  it('answers through the response_url where the bot is not a channel member', async () => {
    startWorker(
      fixtureShell({ [cmd(argv.nodeList())]: { stdout: { fixture: 'gnt-node_list.fields.txt' } } }),
    );
    const j = job('nodes', {}, { channelId: 'C0PRIVATE' });
    await queue.enqueue(j);
    const answer = await slack.waitFor((c) => c.method === 'response_url' && c.status === 200);
    expect(answer.url).toBe(j.responseUrl);
    expect(answer.body.response_type).toBe('in_channel');
    expect(answer.body.text).toBe('3 nodes: 3 ok');
  });

  it('tells only the requester about an unknown instance, and never runs a command with that name', async () => {
    const shell = fixtureShell({
      [cmd(argv.nodeNames())]: { stdout: 'node1.ganeti.test\n' },
      [cmd(argv.instanceNames())]: { stdout: 'inst1.ganeti.test\ninst2.ganeti.test\n' },
    });
    startWorker(shell);
    await queue.enqueue(job('info', { instance: 'inst9' }));
    const answer = await slack.waitFor('response_url');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.body.text).toContain(
      'There is no instance `inst9` in the cluster. Did you mean `inst1.ganeti.test` or `inst2.ganeti.test`?',
    );
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(shell.calls.flat()).not.toContain('inst9');
  });

  it('shows progress of a slow verify and then replaces it with the report', async () => {
    const shell = fixtureShell({
      [cmd(argv.verify())]: { stdout: { fixture: 'gnt-cluster_verify.node3-offline.txt' }, code: 1 },
      [cmd(argv.nodeUuids())]: { stdout: { fixture: 'gnt-node_list.name-uuid.txt' } },
    });
    const slow: MasterShell = {
      ...shell,
      exec: async (a, o) => {
        const r = await shell.exec(a, o);
        await new Promise((res) => setTimeout(res, 300));
        return r;
      },
    };
    startWorker(slow, { progressDelayMs: 0 });
    await queue.enqueue(job('verify', {}));
    const final = await slack.waitFor(
      (c) => c.method === 'chat.update' && String(c.body.text).startsWith('gnt-cluster verify:'),
    );
    expect(final.body.text).toBe('gnt-cluster verify: 2 errors, 0 warnings');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(String(slack.callsTo('chat.postMessage')[0]?.body.text)).toMatch(/^⏳/);
    const [message] = slack.messages('C0OPS');
    expect(JSON.stringify(message?.blocks)).toContain(
      'instance is marked as running and lives on offline node node3.ganeti.test',
    );
  });

  it('retries a read when the cluster does not answer, then reports the failure to the requester', async () => {
    let attempts = 0;
    const down: MasterShell = {
      exec: async () => {
        attempts += 1;
        throw new ClusterUnavailableError('Could not connect to root@198.51.100.11:22: connection refused', {
          hint: 'Is sshd running on the master candidates?',
        });
      },
      execOn: async () => {
        throw new Error('not used');
      },
      master: async () => 'node1',
      survey: async () => ({ answers: [], master: null, named: null, rivals: [] }),
      forget: () => undefined,
      close: async () => undefined,
    };
    startWorker(down);
    await queue.enqueue(job('nodes', {}));
    const answer = await slack.waitFor(
      (c) => c.method === 'response_url' && c.body.response_type === 'ephemeral',
      { timeoutMs: 15_000 },
    );
    expect(attempts).toBe(3);
    // No progress line is left behind in the channel by the failed attempts.
    expect(slack.messages('C0OPS')).toEqual([]);
    expect(answer.body.text).toBe(
      'Could not connect to root@198.51.100.11:22: connection refused Is sshd running on the master candidates?',
    );
  });
});
