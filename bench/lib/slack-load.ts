/**
 * Sending `/ganeti …` the way Slack does (signed form posts) and timing the two things a user
 * sees: the acknowledgement (HTTP 200) and the answer in the channel. Each request gets a channel
 * of its own, so answers to concurrent requests are told apart.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { FakeSlack, RecordedCall } from '../../src/demo/slack/fake-slack.js';
import { sendSlashCommand, slashCommandFields } from '../../src/demo/slack/slack-requests.js';
import { BENCH_SECRET } from './bot-process.js';
import type { LoadPlan, LoadSample } from './load-client.js';

const LOAD_CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

export interface Timed {
  status: number;
  ackMs: number;
  /** Null when no answer came within the wait. */
  answerMs: number | null;
  answer: RecordedCall | null;
}

let seq = 0;

/** The final answer in a channel: not a progress line, not a deletion. */
export const isAnswer = (channel: string, responseUrl: string) => (c: RecordedCall) =>
  c.status === 200 &&
  !String(c.body.text ?? '').startsWith('⏳') &&
  c.body.delete_original !== true &&
  ((c.method === 'response_url' && c.url === responseUrl) ||
    ((c.method === 'chat.postMessage' || c.method === 'chat.update') && c.body.channel === channel));

export async function timedCommand(
  slack: FakeSlack,
  baseUrl: string,
  text: string,
  options: { user?: string; answerTimeoutMs?: number; waitForAnswer?: boolean } = {},
): Promise<Timed> {
  seq += 1;
  const channel = `C0B${process.pid.toString(36)}${seq.toString(36)}`.toUpperCase();
  const responseUrl = slack.newResponseUrl({ channel });
  const started = performance.now();
  const answered =
    options.waitForAnswer === false
      ? null
      : slack
          .waitFor(isAnswer(channel, responseUrl), { timeoutMs: options.answerTimeoutMs ?? 60_000 })
          .then((call) => ({ call, ms: performance.now() - started }))
          .catch(() => null);
  const ack = await sendSlashCommand(baseUrl, BENCH_SECRET, {
    text,
    user_id: options.user ?? 'U0ADMIN',
    channel_id: channel,
    response_url: responseUrl,
  });
  const ackMs = performance.now() - started;
  const answer = answered ? await answered : null;
  return { status: ack.status, ackMs, answerMs: answer?.ms ?? null, answer: answer?.call ?? null };
}

/** Runs the load generator (load-client.ts) in a child process and returns its samples. */
export async function runLoad(plan: LoadPlan): Promise<LoadSample[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', LOAD_CLIENT], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdin.end(JSON.stringify(plan));
  const code = await exited;
  if (code !== 0) throw new Error(`the load generator exited with ${String(code)}`);
  return JSON.parse(out) as LoadSample[];
}

/** A slash command's form body as Slack sends it, with a channel and response_url of its own. */
export function slashBody(
  slack: FakeSlack,
  text: string,
  user = 'U0ADMIN',
): { body: string; channel: string; responseUrl: string } {
  seq += 1;
  const channel = `C0L${process.pid.toString(36)}${seq.toString(36)}`.toUpperCase();
  const responseUrl = slack.newResponseUrl({ channel });
  const body = new URLSearchParams({
    ...slashCommandFields({ text, user_id: user, channel_id: channel, response_url: responseUrl }),
  }).toString();
  return { body, channel, responseUrl };
}

/**
 * The first final answer per channel (see isAnswer), waiting up to timeoutMs for the slowest;
 * and how many final answers each channel got (more than one: answered twice).
 */
export async function answersIn(
  slack: FakeSlack,
  sent: ReadonlyArray<{ channel: string; responseUrl: string }>,
  timeoutMs: number,
): Promise<{ first: Array<RecordedCall | null>; counts: number[] }> {
  const deadline = Date.now() + timeoutMs;
  const scan = () => {
    const byChannel = new Map<string, RecordedCall[]>();
    for (const call of slack.calls) {
      if (call.method === 'response_url') continue; // found by URL below
      const channel = String(call.body.channel ?? '');
      const list = byChannel.get(channel) ?? [];
      list.push(call);
      byChannel.set(channel, list);
    }
    return sent.map((s) => {
      const calls = [...(byChannel.get(s.channel) ?? []), ...slack.responses(s.responseUrl)];
      return calls.filter(isAnswer(s.channel, s.responseUrl));
    });
  };
  for (;;) {
    const found = scan();
    if (found.every((f) => f.length > 0) || Date.now() > deadline)
      return { first: found.map((f) => f[0] ?? null), counts: found.map((f) => f.length) };
    await new Promise((r) => setTimeout(r, 250));
  }
}
