import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import { instancePlacement, NO_CLUSTER_NOTE, onMaster, testCluster } from './support/cluster-env.js';
import { startHarness, type Harness } from './support/harness.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);
/** Powering a node off needs the Ganeti lab's fault.sh (scripts/test.sh exports where it is). */
const labDir = process.env.GANETI_TEST_LAB_DIR;
const fault = labDir ? join(labDir, 'fault.sh') : null;
const canPowerOff = cluster !== null && fault !== null && existsSync(fault);
if (cluster && !canPowerOff)
  console.warn('integration: GANETI_TEST_LAB_DIR is not the Ganeti lab; the dead-node test is skipped');

describe.runIf(canPowerOff)(
  'a node dies: refuse to act until it is marked offline, then fail over, then bring it back',
  () => {
    let h: Harness;
    const power = (what: 'power-off' | 'power-on') =>
      execFileSync(fault ?? '', [what, '3'], { stdio: 'ignore', timeout: 60_000 });

    beforeAll(async () => {
      h = await startHarness({ cluster: cluster ?? undefined });
    });
    afterAll(async () => {
      // Leave the lab as we found it even when a step failed (power-on of a running node fails: fine).
      try {
        power('power-on');
      } catch {
        // already on
      }
      if (onMaster(cluster!, 'gnt-node list --no-headers -o offline node3.ganeti.test').trim() === 'Y') {
        onMaster(cluster!, 'gnt-node modify --force --offline no node3.ganeti.test');
      }
      await h?.stop();
    });

    const outcome = () =>
      h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.reply_broadcast === 'true', {
        timeoutMs: 180_000,
      });
    async function confirmed(text: string): Promise<RecordedCall> {
      await h.command(text);
      const card = await h.slack.waitFor(
        (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes('op_approve'),
        {
          timeoutMs: 60_000,
        },
      );
      await h.click('op_approve', card);
      return outcome();
    }

    it('walks through the safe recovery of a powered-off node', async () => {
      expect(instancePlacement(cluster!).inst3?.node).toBe('node3');
      power('power-off');

      const early = await h.command('failover inst3');
      const refusal = await h.answer(early.responseUrl, { timeoutMs: 60_000 });
      expect(refusal.body.response_type).toBe('ephemeral');
      expect(refusal.body.text).toMatch(
        /`node3\.ganeti\.test` does not answer the master, so Ganeti cannot stop inst3\.ganeti\.test there/,
      );
      expect(refusal.body.text).toMatch(/mark it offline first with `\/ganeti offline node3\.ganeti\.test`/);

      expect((await confirmed('offline node3')).body.text).toMatch(/^✅ Offline node3\.ganeti\.test: done/);
      const moved = await confirmed('failover inst3');
      expect(moved.body.text).toMatch(/^✅ Fail over inst3\.ganeti\.test: done/);
      const placed = instancePlacement(cluster!).inst3;
      expect(placed?.node).not.toBe('node3');
      expect(placed?.status).toBe('running');

      power('power-on');
      expect((await confirmed('online node3')).body.text).toMatch(/^✅ Online node3\.ganeti\.test: done/);
      expect((await confirmed('migrate inst3 --to node3')).body.text).toMatch(
        /^✅ Migrate inst3\.ganeti\.test: done/,
      );
      expect(instancePlacement(cluster!).inst3).toEqual({ node: 'node3', status: 'running' });
    });
  },
);
