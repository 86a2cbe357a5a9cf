import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { IncidentReporter } from '../monitor/types.js';
import { renderIncident, renderInstanceProblems } from './render/render-incident.js';
import { clip, LIMITS } from './render/blocks.js';
import { slackErrorCode } from './slack-post.js';

/**
 * The monitor's messages in ALERT_CHANNEL: one message per incident (edited in place), its
 * timeline in the thread (loud lines also broadcast to the channel), and instance-problem notes.
 * Never throws: a Slack failure is logged, and the monitor tries again at the next poll.
 */
export function createSlackIncidentReporter(deps: {
  client: WebClient;
  channel: string;
  logger: Logger;
}): IncidentReporter {
  const log = deps.logger.child({ component: 'incidents' });
  const safely = async <T>(what: string, fallback: T, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      log.error({ err: error, slackError: slackErrorCode(error) }, `could not ${what} in Slack`);
      return fallback;
    }
  };
  return {
    post: (view) =>
      safely('post an incident', null, async () => {
        const res = await deps.client.chat.postMessage({ channel: deps.channel, ...renderIncident(view) });
        return res.channel && res.ts ? { channel: res.channel, ts: res.ts } : null;
      }),
    update: (view, ref) =>
      safely('update an incident', false, async () => {
        await deps.client.chat.update({ channel: ref.channel, ts: ref.ts, ...renderIncident(view) });
        return true;
      }),
    thread: (ref, lines) =>
      safely('add to an incident thread', false, async () => {
        for (const line of lines) {
          await deps.client.chat.postMessage({
            channel: ref.channel,
            thread_ts: ref.ts,
            text: clip(line.text, LIMITS.fallbackText),
            reply_broadcast: line.loud === true,
          });
        }
        return true;
      }),
    instanceProblems: (note) =>
      safely('post instance problems', undefined, async () => {
        await deps.client.chat.postMessage({ channel: deps.channel, ...renderInstanceProblems(note) });
      }),
  };
}
