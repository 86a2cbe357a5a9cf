import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CLUSTER_NOTE, onMaster, testCluster } from './support/cluster-env.js';
import { startHarness, SIGNING_SECRET, type Harness } from './support/harness.js';
import { sendSlashCommand } from '../../src/demo/slack/slack-requests.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

/** Ganeti's own job count: the proof that bad input never reached the cluster. */
function ganetiJobCount(): number {
  if (!cluster) return -1;
  return onMaster(cluster, 'gnt-job list --no-headers -o id')
    .split('\n')
    .filter((l) => l.trim()).length;
}

const blocksText = (call: { body: Record<string, unknown> }) => JSON.stringify(call.body.blocks ?? '');

describe.runIf(cluster)(
  'read commands against the real cluster, from a signed slash command to the message in Slack',
  () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({ cluster: cluster ?? undefined });
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('/ganeti nodes posts the node table in the channel', async () => {
      const sent = await h.command('nodes');
      expect(sent.status).toBe(200);
      const post = await h.answer(sent.responseUrl);
      expect(['chat.postMessage', 'chat.update']).toContain(post.method);
      expect(post.body.text).toMatch(/^3 nodes: 3 ok$/);
      expect(blocksText(post)).toMatch(/node1\s+master\s+ok/);
      expect(blocksText(post)).toMatch(/node2\s+candidate\s+ok/);
    });

    it('/ganeti instances lists the instances, and filters by state and node', async () => {
      const all = await h.answer((await h.command('instances')).responseUrl);
      expect(all.body.text).toBe('Instances (4)');
      expect(blocksText(all)).toMatch(/inst4\s+ADMIN_down\s+node1/);
      const stopped = await h.answer((await h.command('instances --state stopped')).responseUrl);
      expect(stopped.body.text).toBe('Instances (1 of 4) in state `stopped`');
      const onNode1 = await h.answer((await h.command('ls --node node1')).responseUrl);
      expect(onNode1.body.text).toBe('Instances (2 of 4) on `node1.ganeti.test`');
    });

    it('/ganeti info inst1 expands the short name and shows the instance', async () => {
      const post = await h.answer((await h.command('info inst1')).responseUrl);
      expect(post.body.text).toMatch(
        /^inst1\.ganeti\.test: configured up, actually up, primary node1\.ganeti\.test$/,
      );
      expect(blocksText(post)).toContain('198.51.100.101');
    });

    it('/ganeti jobs and /ganeti job N show Ganeti’s job queue', async () => {
      const total = ganetiJobCount();
      const jobs = await h.answer((await h.command('jobs')).responseUrl);
      expect(blocksText(jobs)).toContain(`newest ${Math.min(20, total)} of ${total}`);
      const one = await h.answer((await h.command('job 5')).responseUrl);
      expect(one.body.text).toBe('Ganeti job 5: success');
      expect(blocksText(one)).toContain('OP_INSTANCE_CREATE');
      const missing = await h.answer((await h.command('job 999999')).responseUrl);
      expect(missing.body.response_type).toBe('ephemeral');
      expect(missing.body.text).toMatch(/^Ganeti has no job 999999\./);
    });

    it('/ganeti status summarises master, nodes and instances', async () => {
      const post = await h.answer((await h.command('status')).responseUrl);
      expect(post.body.text).toMatch(
        /^Cluster: master node1\.ganeti\.test; nodes 3 up; instances 3 running, 1 stopped$/,
      );
    });

    it('/ganeti verify reports a healthy cluster', async () => {
      const post = await h.answer((await h.command('verify')).responseUrl, { timeoutMs: 120_000 });
      expect(post.body.text).toBe('gnt-cluster verify: no errors, no warnings');
    });

    it('/ganeti help answers only the requester, without touching the queue', async () => {
      const sent = await h.command('help');
      const answer = await h.answer(sent.responseUrl);
      expect(answer.method).toBe('response_url');
      expect(answer.body.response_type).toBe('ephemeral');
      expect(String(answer.body.text)).toContain(
        '/ganeti commands: help, status, nodes, instances, info, jobs, job, verify',
      );
    });

    it('refuses bad input with a clear answer to the requester, and nothing reaches the cluster', async () => {
      const before = ganetiJobCount();
      const cases: Array<[string, RegExp]> = [
        ['reboot-everything', /is not a command/],
        ['info inst1; reboot', /does not take `reboot`/],
        ['info inst1;reboot', /not a valid instance name: it contains ";"/],
        ['info $(id)', /not a valid instance name/],
        [`info ${'x'.repeat(10_240)}`, /limit is 1000/],
        ['info ïnst1', /not a valid instance name/],
      ];
      for (const [text, expected] of cases) {
        const sent = await h.command(text);
        expect(sent.status).toBe(200);
        const body = sent.json as { response_type: string; text: string };
        expect(body.response_type).toBe('ephemeral');
        expect(body.text).toMatch(expected);
      }
      const unknown = await h.command('info inst9');
      const answer = await h.answer(unknown.responseUrl);
      expect(answer.body.response_type).toBe('ephemeral');
      expect(answer.body.text).toMatch(
        /There is no instance `inst9` in the cluster\. Did you mean `inst1\.ganeti\.test`/,
      );
      expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
      expect(ganetiJobCount()).toBe(before);
    });

    it('answers 401 to a forged or stale signature, and runs nothing', async () => {
      h.slack.clearCalls();
      const forged = await sendSlashCommand(
        h.baseUrl,
        SIGNING_SECRET,
        { text: 'nodes' },
        { signatureOverride: 'v0=' + '0'.repeat(64) },
      );
      expect(forged.status).toBe(401);
      const stale = await sendSlashCommand(
        h.baseUrl,
        SIGNING_SECRET,
        { text: 'nodes' },
        { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
      );
      expect(stale.status).toBe(401);
      const wrongSecret = await sendSlashCommand(h.baseUrl, 'not-the-secret', { text: 'nodes' });
      expect(wrongSecret.status).toBe(401);
      await new Promise((r) => setTimeout(r, 300));
      expect(h.slack.calls).toHaveLength(0);
    });

    it('answers through the response_url in a channel the bot is not a member of', async () => {
      const sent = await h.command('nodes', { channel_id: 'C0PRIVATE' });
      const answer = await h.answer(sent.responseUrl, { channel: 'C0PRIVATE' });
      expect(answer.method).toBe('response_url');
      expect(answer.body.response_type).toBe('in_channel');
      expect(answer.body.text).toBe('3 nodes: 3 ok');
    });
  },
);
