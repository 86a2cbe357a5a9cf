import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { IncidentReporter } from '../monitor/types.js';
import { renderIncident, renderInstanceProblems } from './render/render-incident.js';
import { clip, LIMITS } from './render/blocks.js';
import {
  describeSlackFailure,
  slackErrorCode,
  slackOut,
  withRetries,
  type SlackRetryPolicy,
} from './slack-post.js';

/**
 * The monitor's messages in ALERT_CHANNEL: one message per incident (edited in place), its
 * timeline in the thread (loud lines also broadcast to the channel), and instance-problem notes.
 * Never throws: a Slack failure is logged, and the monitor tries again at the next poll.
 *
 * Calls are waited for (the monitor keeps track of what is out), so a rate limit is waited out
 * only briefly (`retry.rateLimitBudgetMs`, default 30 s): after that the next poll tries again.
 */
export function createSlackIncidentReporter(deps: {
  client: WebClient;
  channel: string;
  logger: Logger;
  retry?: Partial<SlackRetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
}): IncidentReporter {
  const log = deps.logger.child({ component: 'incidents' });
  const out = slackOut({ ...deps, logger: log, retry: { rateLimitBudgetMs: 30_000, ...deps.retry } });
  const post = { method: 'chat.postMessage', idempotent: false };
  /** Per incident message, the lines of a thread batch already posted before a later one failed. */
  const partly = new Map<string, string[]>();
  const safely = async <T>(what: string, fallback: T, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      const reason = describeSlackFailure(error);
      log.error(
        { err: error, slackError: slackErrorCode(error), reason },
        `could not ${what} in Slack (${reason}); the next poll tries again`,
      );
      return fallback;
    }
  };
  return {
    post: (view) =>
      safely('post an incident', null, async () => {
        const res = await withRetries(out, post, () =>
          deps.client.chat.postMessage({ channel: deps.channel, ...renderIncident(view) }),
        );
        return res.channel && res.ts ? { channel: res.channel, ts: res.ts } : null;
      }),
    update: (view, ref) =>
      safely('update an incident', false, async () => {
        await withRetries(out, { method: 'chat.update', idempotent: true }, () =>
          deps.client.chat.update({ channel: ref.channel, ts: ref.ts, ...renderIncident(view) }),
        );
        return true;
      }),
    thread: (ref, lines) =>
      safely('add to an incident thread', false, async () => {
        // The monitor sends the whole batch again after a failure: skip what is already out.
        const texts = lines.map((line) => clip(line.text, LIMITS.fallbackText));
        const before = partly.get(ref.ts) ?? [];
        let skip = 0;
        while (skip < before.length && skip < texts.length && before[skip] === texts[skip]) skip += 1;
        const done = texts.slice(0, skip);
        partly.set(ref.ts, done);
        for (const [i, line] of lines.entries()) {
          if (i < skip) continue;
          const text = texts[i] ?? '';
          await withRetries(out, post, () =>
            deps.client.chat.postMessage({
              channel: ref.channel,
              thread_ts: ref.ts,
              text,
              reply_broadcast: line.loud === true,
            }),
          );
          done.push(text);
        }
        partly.delete(ref.ts);
        return true;
      }),
    instanceProblems: (note) =>
      safely('post instance problems', undefined, async () => {
        await withRetries(out, post, () =>
          deps.client.chat.postMessage({ channel: deps.channel, ...renderInstanceProblems(note) }),
        );
      }),
  };
}
