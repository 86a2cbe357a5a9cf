/**
 * "ack": signed `/ganeti instances` requests (queued commands: each becomes a job in Redis, and is
 * answered in the channel later) at 50 and 200 per second for 10 s into the bot's HTTP receiver,
 * from a load generator in a process of its own, with the bot deployed as one process and as a
 * bot and a worker process. `--small`: 2 s at each rate.
 */
import { BENCH_SECRET, startDeployment } from './lib/bot-process.js';
import { benchSetup } from './lib/lab.js';
import {
  distribution,
  runBench,
  smallRun,
  target,
  writeResult,
  type Distribution,
  type Target,
} from './lib/results.js';
import { answersIn, runLoad, slashBody, timedCommand } from './lib/slack-load.js';

const LABEL = { one: 'one process', split: 'bot + worker processes' } as const;

runBench(async () => {
  const seconds = smallRun() ? 2 : 10;
  const setup = await benchSetup();
  const series: Record<string, Distribution> = {};
  const figures: Record<string, number> = {};
  const targets: Target[] = [];
  try {
    for (const kind of ['one', 'split'] as const) {
      const bot = await startDeployment(kind, setup.env, setup.workDir);
      try {
        await timedCommand(setup.slack, bot.baseUrl, 'instances'); // warm-up
        for (const rate of [50, 200]) {
          setup.slack.clearCalls();
          const front = bot.processes[0];
          const cpuBefore = front?.cpuMs() ?? 0;
          const sent = Array.from({ length: rate * seconds }, () => slashBody(setup.slack, 'instances'));
          const samples = await runLoad({
            baseUrl: bot.baseUrl,
            secret: BENCH_SECRET,
            bodies: sent.map((s) => s.body),
            rate,
          });
          const frontCpu = ((front?.cpuMs() ?? 0) - cpuBefore) / sent.length;
          const { first } = await answersIn(setup.slack, sent, 60_000);
          const key = `${LABEL[kind]} at ${rate}/s`;
          series[`${key}: ack ms`] = distribution(samples.map((s) => s.ackAt - s.sentAt));
          series[`${key}: answer ms`] = distribution(
            first.flatMap((call, i) => (call ? [call.at - (samples[i]?.sentAt ?? NaN)] : [])),
          );
          figures[`${key}: not acknowledged`] = samples.filter((s) => s.status !== 200).length;
          figures[`${key}: unanswered`] = first.filter((c) => c === null).length;
          // While the requests came in: the Slack side's CPU per request (both roles when in one process).
          figures[`${key}: CPU ms per request, process with the HTTP receiver`] =
            Math.round(frontCpu * 100) / 100;
          targets.push(target(`${key}: ack p99`, series[`${key}: ack ms`]?.p99 ?? NaN, 'max', 50, 'ms'));
          await new Promise((r) => setTimeout(r, 2000));
        }
      } finally {
        await bot.stop();
      }
    }
  } finally {
    await setup.close();
  }
  writeResult({
    name: 'ack',
    title: 'Acknowledgement latency of queued commands at 50/s and 200/s',
    settings: { seconds, command: '/ganeti instances', rates: [50, 200], deployments: Object.values(LABEL) },
    series,
    figures,
    targets,
    notes: [
      'Each request on a new HTTP connection with a channel of its own; the bot acknowledges once the command is parsed and checked, and queues it right after.',
    ],
  });
});
