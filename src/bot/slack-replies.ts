import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { CommandResult } from '../commands/results.js';
import type { Failure, Reply, ReplySink, ReplyTarget } from '../queue/reply-port.js';
import type { SlackMessage } from './render/blocks.js';
import { renderFailure, renderProgress } from './render/render-feedback.js';
import { renderResult } from './render/render-result.js';

/** Posts a JSON body to a Slack response_url. */
export type ResponseUrlPoster = (url: string, body: Record<string, unknown>) => Promise<void>;

/** chat.postMessage errors after which the response_url can still reach the channel. */
const USE_RESPONSE_URL = new Set([
  'not_in_channel',
  'channel_not_found',
  'restricted_action',
  'team_access_not_granted',
]);

export function slackErrorCode(error: unknown): string | null {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : null;
}

/** The default poster: Node's fetch, failing on a non-2xx answer. */
export const postToResponseUrl: ResponseUrlPoster = async (url, body) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
};

/**
 * Answers in Slack: the outcome visible in the channel (chat.postMessage, then chat.update
 * for progress), falling back to the response_url where the bot is not a channel member;
 * errors only to the requester (ephemeral). Never throws: a failure to answer is logged.
 */
export function createSlackReplies(deps: {
  client: WebClient;
  postResponse?: ResponseUrlPoster;
  logger: Logger;
}): ReplySink {
  const post = deps.postResponse ?? postToResponseUrl;
  return {
    open(target: ReplyTarget): Reply {
      const meta = { userId: target.userId, text: target.text };
      const log = deps.logger.child({ requestId: target.requestId });
      let posted: { channel: string; ts: string } | null = null;
      let viaResponseUrl = false;

      async function publish(message: SlackMessage): Promise<void> {
        if (posted) {
          await deps.client.chat.update({ channel: posted.channel, ts: posted.ts, ...message });
          return;
        }
        if (viaResponseUrl && target.responseUrl) {
          await post(target.responseUrl, { response_type: 'in_channel', replace_original: true, ...message });
          return;
        }
        try {
          const res = await deps.client.chat.postMessage({ channel: target.channelId, ...message });
          if (res.channel && res.ts) posted = { channel: res.channel, ts: res.ts };
        } catch (error) {
          const code = slackErrorCode(error);
          if (!code || !USE_RESPONSE_URL.has(code) || !target.responseUrl) throw error;
          log.info({ code }, 'cannot post in the channel; answering through response_url');
          viaResponseUrl = true;
          await post(target.responseUrl, { response_type: 'in_channel', ...message });
        }
      }

      async function privately(message: SlackMessage): Promise<void> {
        if (target.responseUrl) {
          await post(target.responseUrl, { response_type: 'ephemeral', replace_original: false, ...message });
          return;
        }
        await deps.client.chat.postEphemeral({ channel: target.channelId, user: target.userId, ...message });
      }

      const safely = async (what: string, action: () => Promise<void>) => {
        try {
          await action();
        } catch (error) {
          log.error({ err: error, slackError: slackErrorCode(error) }, `could not ${what} in Slack`);
        }
      };

      return {
        progress: (text) => safely('show progress', () => publish(renderProgress(text, meta))),
        result: (result: CommandResult) =>
          safely('post the result', () => publish(renderResult(result, meta))),
        failure: (failure: Failure) =>
          safely('report a failure', async () => {
            if (posted)
              await deps.client.chat
                .delete({ channel: posted.channel, ts: posted.ts })
                .catch(() => undefined);
            else if (viaResponseUrl && target.responseUrl)
              await post(target.responseUrl, { delete_original: true }).catch(() => undefined);
            posted = null;
            await privately(renderFailure(failure, meta));
          }),
      };
    },
  };
}
