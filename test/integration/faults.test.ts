import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { keyscan, NO_CLUSTER_NOTE, testCluster } from './support/cluster-env.js';
import { startHarness, type Harness } from './support/harness.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

describe.runIf(cluster)(
  'when Redis or the cluster’s sshd stop, users get a clear answer and the bot recovers',
  () => {
    let h: Harness | null = null;
    let redis: TestRedis | null = null;
    let proxy: TcpProxy | null = null;

    afterEach(async () => {
      await h?.stop();
      await redis?.close();
      await proxy?.close();
      h = null;
      redis = null;
      proxy = null;
    });

    it('acks at once and tells the requester when Redis is down, then works again after Redis is back', async () => {
      redis = await startRedis();
      h = await startHarness({ cluster: cluster ?? undefined, redisUrl: redis.url });
      const before = await h.answer((await h.command('nodes')).responseUrl);
      expect(before.body.text).toBe('3 nodes: 3 ok');

      await redis.stop('SIGKILL');
      const sent = await h.command('nodes');
      expect(sent.status).toBe(200);
      expect(sent.ms).toBeLessThan(3000);
      const refusal = await h.answer(sent.responseUrl);
      expect(refusal.body.response_type).toBe('ephemeral');
      expect(refusal.body.text).toMatch(
        /^The bot could not queue your command: its job queue \(Redis\) is not answering\. Nothing was run\./,
      );

      await redis.restart();
      // The bot reconnects by itself; the first command after Redis is back may still race the reconnect.
      const deadline = Date.now() + 20_000;
      let answer = await h.answer((await h.command('nodes')).responseUrl);
      while (answer.body.response_type === 'ephemeral' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        answer = await h.answer((await h.command('nodes')).responseUrl);
      }
      expect(answer.body.text).toBe('3 nodes: 3 ok');
    });

    it('tells the requester when sshd on the master stops, then works again after it is back', async () => {
      if (!cluster) return;
      const [masterHost] = cluster.hosts;
      const [host, port] = (masterHost ?? '').split(':');
      proxy = await startTcpProxy(host ?? '', Number(port ?? 22));
      // The node's own host key, under the proxy's address.
      const dir = mkdtempSync(join(tmpdir(), 'gc-proxy-'));
      const knownHostsFile = join(dir, 'known_hosts');
      const keys = keyscan([masterHost ?? '']).replace(/^\S+/gm, `[127.0.0.1]:${proxy.port}`);
      writeFileSync(knownHostsFile, keys);
      h = await startHarness({ cluster: { ...cluster, hosts: [`127.0.0.1:${proxy.port}`], knownHostsFile } });

      const before = await h.answer((await h.command('nodes')).responseUrl);
      expect(before.body.text).toBe('3 nodes: 3 ok');

      await proxy.stop();
      const failed = await h.answer((await h.command('nodes')).responseUrl, { timeoutMs: 60_000 });
      expect(failed.body.response_type).toBe('ephemeral');
      expect(failed.body.text).toMatch(
        /^Could not reach any Ganeti master candidate: Could not connect to root@127\.0\.0\.1:\d+: connection refused/,
      );
      expect(failed.body.text).toMatch(/GANETI_SSH_HOSTS/);

      await proxy.start();
      const after = await h.answer((await h.command('nodes')).responseUrl, { timeoutMs: 60_000 });
      expect(after.body.text).toBe('3 nodes: 3 ok');
    });
  },
);
