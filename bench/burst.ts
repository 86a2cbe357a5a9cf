/**
 * "burst" and "memory": 1,000 `/ganeti instances NAME` sent at once into the bot's HTTP
 * receiver by a load generator in its own process; the bot runs as deployed (one process with
 * both roles, then split into a bot and a worker process) on real Redis and the real cluster.
 * Counts acknowledgements within 3 s, answers within 10 s, requests answered never or twice and
 * the cluster calls the burst cost; the processes' RSS idle, during and after. `--small`: 100.
 */
import { BENCH_SECRET, startDeployment, type Deployment } from './lib/bot-process.js';
import { clusterCalls } from './lib/bot-log.js';
import { benchSetup, type BenchSetup } from './lib/lab.js';
import { distribution, runBench, smallRun, target, writeResult, type BenchResult } from './lib/results.js';
import { answersIn, runLoad, slashBody, timedCommand } from './lib/slack-load.js';

const LABEL: Record<Deployment, string> = { one: 'one process', split: 'bot + worker processes' };

async function burst(setup: BenchSetup, kind: Deployment, count: number) {
  const bot = await startDeployment(kind, setup.env, setup.workDir);
  try {
    // Warm-up, then a quiet moment: the idle figure is a bot that has answered once.
    const warm = await timedCommand(setup.slack, bot.baseUrl, 'instances');
    // The instance names from the table in the answer (short names, as the bot shows them).
    const text = JSON.stringify(warm.answer?.body ?? '').replace(/\\n/g, '\n');
    const names = (/```\n([^`]*)```/.exec(text)?.[1] ?? '')
      .split('\n')
      .slice(1)
      .map((line) => line.split(' ')[0] ?? '')
      .filter((name) => name !== '');
    if (names.length === 0) throw new Error(`no instance names in the first answer: ${text.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 3000));
    const idleMiB = bot.rssMiB();
    const idleLargestMiB = bot.largestRssMiB();
    setup.slack.clearCalls();
    const cpuBefore = bot.cpuMs();
    const sent = Array.from({ length: count }, (_, i) =>
      slashBody(setup.slack, `instances ${names[i % names.length] ?? ''}`),
    );
    let peakMiB = 0;
    const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, bot.rssMiB())), 100);
    const samples = await runLoad({
      baseUrl: bot.baseUrl,
      secret: BENCH_SECRET,
      bodies: sent.map((s) => s.body),
      rate: 0,
    });
    const { first } = await answersIn(setup.slack, sent, 60_000);
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 2000)); // late duplicates would arrive now
    const afterMiB = bot.rssMiB();
    const cpuPerRequest = (bot.cpuMs() - cpuBefore) / count;
    const twice = (await answersIn(setup.slack, sent, 0)).counts.filter((n) => n > 1).length;
    await new Promise((r) => setTimeout(r, 13_000)); // V8 gives memory back once idle
    const settledMiB = bot.rssMiB();
    const settledLargestMiB = bot.largestRssMiB();
    await bot.stop();
    const calls = clusterCalls(bot.worker.logFile);
    const acks = samples.map((r) => r.ackAt - r.sentAt);
    const answers = first.flatMap((call, i) => (call ? [call.at - (samples[i]?.sentAt ?? NaN)] : []));
    const wrong = first.filter(
      (call, i) => call !== null && !JSON.stringify(call.body).includes(`${names[i % names.length] ?? ''} `),
    ).length;
    return {
      names,
      acks,
      answers,
      lost: first.filter((call, i) => call === null || samples[i]?.status !== 200).length,
      twice,
      wrong,
      calls,
      cpuPerRequest,
      memory: { idleMiB, peakMiB, afterMiB, settledMiB, idleLargestMiB, settledLargestMiB },
    };
  } finally {
    await bot.stop();
  }
}

runBench(async () => {
  const count = smallRun() ? 100 : 1000;
  const setup = await benchSetup();
  const results: BenchResult['series'] = {};
  const figures: BenchResult['figures'] = {};
  const memory: BenchResult['figures'] = {};
  const targets = [];
  const memoryTargets = [];
  let names: string[] = [];
  try {
    for (const kind of ['one', 'split'] as const) {
      const r = await burst(setup, kind, count);
      const label = LABEL[kind];
      names = r.names;
      results[`${label}: ack ms`] = distribution(r.acks);
      results[`${label}: answer ms`] = distribution(r.answers);
      const acked = r.acks.filter((ms) => ms <= 3000).length;
      const answered = r.answers.filter((ms) => ms <= 10_000).length;
      Object.assign(figures, {
        [`${label}: acked within 3 s`]: acked,
        [`${label}: answered within 10 s`]: answered,
        [`${label}: slowest ack ms`]: Math.round(Math.max(...r.acks)),
        [`${label}: last answer ms`]: Math.round(Math.max(...r.answers)),
        [`${label}: lost`]: r.lost,
        [`${label}: answered twice`]: r.twice,
        [`${label}: answers naming the wrong instance`]: r.wrong,
        [`${label}: cluster calls`]: r.calls.calls,
        [`${label}: reads that shared a call`]: r.calls.joined,
        [`${label}: bot CPU ms per request`]: Math.round(r.cpuPerRequest * 100) / 100,
      });
      targets.push(
        target(`${label}: acked within 3 s`, acked, 'min', count, 'requests'),
        target(`${label}: answered within 10 s`, answered, 'min', count, 'requests'),
        target(`${label}: lost or answered twice`, r.lost + r.twice + r.wrong, 'max', 0, 'requests'),
      );
      Object.assign(memory, {
        [`${label}: idle RSS MiB`]: r.memory.idleMiB,
        [`${label}: peak RSS during the burst MiB`]: r.memory.peakMiB,
        [`${label}: RSS 2 s after MiB`]: r.memory.afterMiB,
        [`${label}: RSS 15 s after MiB`]: r.memory.settledMiB,
      });
      // Per process: the target is what one bot process may take.
      memoryTargets.push(
        target(`${label}: RSS idle, largest process`, r.memory.idleLargestMiB, 'max', 150, 'MiB'),
        target(
          `${label}: RSS 15 s after the burst, largest process`,
          r.memory.settledLargestMiB,
          'max',
          150,
          'MiB',
        ),
      );
      if (kind === 'split')
        Object.assign(memory, {
          [`${label}: largest process idle MiB`]: r.memory.idleLargestMiB,
          [`${label}: largest process 15 s after MiB`]: r.memory.settledLargestMiB,
        });
    }
  } finally {
    await setup.close();
  }
  const settings = { requests: count, instances: names, deployments: Object.values(LABEL) };
  writeResult({
    name: 'burst',
    title: `Burst: ${count} queued /ganeti instances NAME at once`,
    settings,
    series: results,
    figures,
    targets,
    notes: [
      'Every request on a new HTTP connection with a channel of its own, as Slack sends them; the load generator runs in its own process.',
      'Cluster calls: what the worker made in the whole run (warm-up included), from its log at stop. CPU per request: user + system time of the bot processes during the burst, divided by the requests.',
    ],
  });
  writeResult({
    name: 'memory',
    title: 'Memory: RSS of the bot processes idle, during and after the burst',
    settings,
    series: {},
    figures: memory,
    targets: memoryTargets,
    notes: [
      'VmRSS (/proc/PID/status), summed over the processes of the deployment (targets: the largest process): idle after one answer, sampled every 100 ms during the burst, then 2 s and 15 s after the last answer.',
    ],
  });
});
