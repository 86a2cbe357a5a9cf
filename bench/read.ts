/**
 * "read, end to end": `/ganeti nodes`, `status`, `instances` and `info INSTANCE` from the signed
 * request to the answer in (fake) Slack, against the real cluster, next to what an admin types
 * for the same data: `ssh root@MASTER gnt-…` with a fresh OpenSSH connection. The two sides
 * alternate, run by run. Run: `npm run bench -- read` (scripts/bench.sh), `--small` for CI.
 */
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { masterSshArgs, type TestCluster } from '../test/integration/support/cluster-env.js';
import { startBotProcess } from './lib/bot-process.js';
import { benchSetup } from './lib/lab.js';
import { distribution, runBench, smallRun, target, writeResult, type Distribution } from './lib/results.js';
import { timedCommand } from './lib/slack-load.js';

const run = promisify(execFile);

/** The admin's side: a fresh OpenSSH connection to the master running the gnt-* commands. */
async function byHand(cluster: TestCluster, command: string): Promise<number> {
  const started = performance.now();
  await run('ssh', masterSshArgs(cluster, command));
  return performance.now() - started;
}

runBench(async () => {
  const runs = smallRun() ? 3 : 25;
  const setup = await benchSetup();
  const bot = await startBotProcess(setup.env, setup.workDir);
  try {
    const instance =
      (await run('ssh', masterSshArgs(setup.cluster, 'gnt-instance list --no-headers -o name'))).stdout
        .split('\n')[0]
        ?.trim() ?? '';
    const cases = [
      { text: 'nodes', admin: 'gnt-node list' },
      { text: 'status', admin: 'gnt-cluster getmaster; gnt-node list; gnt-instance list' },
      { text: 'instances', admin: 'gnt-instance list' },
      { text: `info ${instance}`, admin: `gnt-instance info ${instance}` },
    ];
    // Warm-up: the bot finds the master and starts its query helper; ssh fills its caches.
    for (const c of cases) {
      await timedCommand(setup.slack, bot.baseUrl, c.text);
      await byHand(setup.cluster, c.admin);
    }
    const series: Record<string, Distribution> = {};
    const figures: Record<string, number> = {};
    const targets = [];
    for (const c of cases) {
      const botMs: number[] = [];
      const sshMs: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = await timedCommand(setup.slack, bot.baseUrl, c.text);
        if (t.answerMs === null) throw new Error(`/ganeti ${c.text}: no answer`);
        botMs.push(t.answerMs);
        sshMs.push(await byHand(setup.cluster, c.admin));
      }
      const verb = c.text.split(' ')[0] ?? c.text;
      series[`bot: /ganeti ${verb}`] = distribution(botMs);
      series[`ssh: ${c.admin.replace(instance, 'INSTANCE')}`] = distribution(sshMs);
      const ratio =
        (series[`bot: /ganeti ${verb}`]?.median ?? NaN) /
        (series[`ssh: ${c.admin.replace(instance, 'INSTANCE')}`]?.median ?? NaN);
      figures[`ratio ${verb}`] = Math.round(ratio * 1000) / 1000;
      targets.push(target(`/ganeti ${verb}: bot median / ssh median`, ratio, 'max', 0.3, '×'));
    }
    writeResult({
      name: 'read',
      title: 'Read, end to end: signed request to the answer in Slack, vs ssh MASTER gnt-…',
      settings: { runs, master: setup.cluster.hosts[0], instance, alternating: true },
      series,
      figures,
      targets,
      notes: [
        'Bot: a separate process (bot and worker roles, log level info), real Redis, the fake Slack; answers timed to their arrival at the fake Slack.',
        'Admin: OpenSSH with a fresh connection per command (no ControlMaster), the same commands typed by hand.',
      ],
    });
  } finally {
    await bot.stop();
    await setup.close();
  }
});
