import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSocketModeServer, type SocketModeServer } from '../fakes/socket-mode-server.js';
import { NO_CLUSTER_NOTE, testCluster } from './support/cluster-env.js';
import { ADMIN, startHarness, type Harness } from './support/harness.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

describe.runIf(cluster)(
  'Socket Mode: /ganeti through a local Socket Mode server, against the real cluster',
  () => {
    let ws: SocketModeServer;
    let h: Harness;

    beforeAll(async () => {
      ws = await startSocketModeServer();
      h = await startHarness({ cluster: cluster ?? undefined, socketUrl: ws.url });
      await ws.waitForClient();
    });
    afterAll(async () => {
      await h?.stop();
      await ws?.waitForNoClients().catch(() => undefined);
      await ws?.close();
    });

    it('acks the envelope and posts the node table', async () => {
      h.slack.clearCalls();
      const responseUrl = h.slack.newResponseUrl({ channel: 'C0OPS' });
      const ack = await ws.sendSlashCommand({ text: 'nodes', user_id: ADMIN, response_url: responseUrl });
      expect(ack.envelope_id).toBeTruthy();
      const post = await h.answer(responseUrl);
      expect(post.body.text).toBe('3 nodes: 3 ok');
    });

    it('acks a bad command with the error for the requester only', async () => {
      const responseUrl = h.slack.newResponseUrl({ channel: 'C0OPS' });
      const ack = await ws.sendSlashCommand({
        text: 'info inst1;reboot',
        user_id: ADMIN,
        response_url: responseUrl,
      });
      const payload = ack.payload as { response_type: string; text: string };
      expect(payload.response_type).toBe('ephemeral');
      expect(payload.text).toMatch(/not a valid instance name/);
    });
  },
);
