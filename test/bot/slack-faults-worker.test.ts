import { afterEach, describe, expect, it } from 'vitest';
import { argv } from '../../src/cluster/argv.js';
import type { ClusterAccess } from '../../src/cluster/connect-cluster.js';
import { createGanetiClient } from '../../src/cluster/ganeti-client.js';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import { fixtureShell } from '../fakes/fixture-shell.js';
import { sendSlashCommand } from '../../src/demo/slack/slack-requests.js';
import { ADMIN, SIGNING_SECRET, startHarness, type Harness } from '../integration/support/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** The whole bot with a cluster answering from captured output, and one command at a time. */
async function start(): Promise<Harness> {
  const shell = fixtureShell({
    [argv.nodeList().join(' ')]: { stdout: { fixture: 'gnt-node_list.fields.txt' } },
  });
  const cluster: ClusterAccess = {
    client: createGanetiClient({ shell }),
    shell,
    close: async () => undefined,
  };
  return startHarness({ clusterOverride: cluster, env: { WORKER_CONCURRENCY: '1' } });
}

const ok = (c: RecordedCall) => !c.fault && c.status === 200;

describe('a worker while Slack rate-limits one of its answers', () => {
  it('answers the next command meanwhile, and delivers the held-up answer once, after its Retry-After', async () => {
    h = await start();
    const { slack } = h;
    slack.fault({
      method: 'chat.postMessage',
      status: 429,
      retryAfterSec: 3,
      times: 1,
      match: (body) => body.channel === 'C0OPS',
    });
    const slash = (channel: string) => {
      const responseUrl = slack.newResponseUrl({ channel });
      const fields = { text: 'nodes', response_url: responseUrl, user_id: ADMIN, channel_id: channel };
      return { responseUrl, sent: sendSlashCommand(h?.baseUrl ?? '', SIGNING_SECRET, fields) };
    };

    expect((await slash('C0OPS').sent).status).toBe(200);
    const limited = await slack.waitFor((c) => c.status === 429);
    // One job at a time: the second command is answered only if the first job let go of the worker.
    const second = slash('C0PRIVATE');
    expect((await second.sent).status).toBe(200);
    const answered = await slack.waitFor(
      (c) => c.method === 'response_url' && c.url === second.responseUrl && ok(c),
    );
    const held = await slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === 'C0OPS' && ok(c),
      { timeoutMs: 10_000 },
    );

    expect(answered.body.text).toBe('3 nodes: 3 ok');
    expect(held.body.text).toBe('3 nodes: 3 ok');
    expect(answered.at).toBeLessThan(held.at);
    expect(held.at - limited.at).toBeGreaterThanOrEqual(3_000);
    expect(slack.delivered('chat.postMessage').filter((c) => c.body.channel === 'C0OPS')).toHaveLength(1);
    expect(slack.messages('C0OPS').map((m) => m.text)).toEqual(['3 nodes: 3 ok']);
  });
});
