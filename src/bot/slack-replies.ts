import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { CommandResult } from '../commands/results.js';
import type { Failure, Reply, ReplySink, ReplyTarget } from '../queue/reply-port.js';
import type { SlackMessage } from './render/blocks.js';
import { renderFailure, renderProgress } from './render/render-feedback.js';
import { renderResult } from './render/render-result.js';
import {
  postInChannel,
  postPrivately,
  postToResponseUrl,
  replaceMessage,
  slackErrorCode,
  type Posted,
  type ResponseUrlPoster,
} from './slack-post.js';

/**
 * Answers in Slack: the outcome visible in the channel (chat.postMessage, then chat.update
 * for progress), falling back to the response_url where the bot is not a channel member;
 * errors, and the answers of requester-only commands, only to the requester (ephemeral).
 * Never throws: a failure to answer is logged.
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
      let posted: Posted | null = null;

      async function publish(message: SlackMessage): Promise<void> {
        if (posted) await replaceMessage(deps.client, post, posted, message);
        else posted = await postInChannel(deps.client, post, target, message);
      }

      const safely = async (what: string, action: () => Promise<void>) => {
        try {
          await action();
        } catch (error) {
          log.error({ err: error, slackError: slackErrorCode(error) }, `could not ${what} in Slack`);
        }
      };

      /** Removes the progress line, if one was posted. */
      const retract = async () => {
        const was = posted;
        posted = null;
        if (!was) return;
        if ('ts' in was)
          await deps.client.chat.delete({ channel: was.channel, ts: was.ts }).catch(() => undefined);
        else await post(was.responseUrl, { delete_original: true }).catch(() => undefined);
      };

      return {
        progress: (text) => safely('show progress', () => publish(renderProgress(text, meta))),
        done: () => safely('remove the progress line', retract),
        result: (result: CommandResult, options) =>
          options?.visibility === 'requester'
            ? safely('answer the requester', async () => {
                await retract();
                await postPrivately(deps.client, post, target, renderResult(result, meta));
              })
            : safely('post the result', () => publish(renderResult(result, meta))),
        failure: (failure: Failure) =>
          safely('report a failure', async () => {
            await retract();
            await postPrivately(deps.client, post, target, renderFailure(failure, meta));
          }),
      };
    },
  };
}
