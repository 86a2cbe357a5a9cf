import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { OperationReporter } from '../queue/operation-port.js';
import type { MessageRef } from '../queue/operation-types.js';
import { esc, LIMITS } from './render/blocks.js';
import { renderFailure } from './render/render-feedback.js';
import { renderOperation, renderOutcome } from './render/render-operation.js';
import {
  postInChannel,
  postPrivately,
  postToResponseUrl,
  replaceMessage,
  slackErrorCode,
  type ResponseUrlPoster,
} from './slack-post.js';

/** Ganeti log lines as code blocks of at most one section's size each. */
function logChunks(lines: readonly string[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines.map((l) => esc(l).slice(0, 500))) {
    if (size + line.length > LIMITS.sectionText - 10 && current.length) {
      chunks.push(current.join('\n'));
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length + 1;
  }
  if (current.length) chunks.push(current.join('\n'));
  return chunks.map((c) => '```\n' + c + '\n```');
}

/**
 * Operations in Slack: the card becomes the live progress message and then the outcome
 * (edited in place), Ganeti's log goes in its thread, and the outcome is also broadcast to the
 * channel. Never throws: posting failures are logged and the operation goes on.
 */
export function createSlackOperationReporter(deps: {
  client: WebClient;
  postResponse?: ResponseUrlPoster;
  logger: Logger;
  now?: () => number;
}): OperationReporter {
  const post = deps.postResponse ?? postToResponseUrl;
  const now = deps.now ?? Date.now;
  const safely = async <T>(what: string, fallback: T, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      deps.logger.error({ err: error, slackError: slackErrorCode(error) }, `could not ${what} in Slack`);
      return fallback;
    }
  };
  return {
    show: (view, ref) =>
      safely<MessageRef | null>('show an operation', ref, async () => {
        const message = renderOperation(view, now());
        if (ref) {
          // A response_url takes only 5 posts: there, skip the in-between progress and keep
          // the posts for the card and the outcome.
          if ('responseUrl' in ref && (view.state === 'approved' || view.state === 'running')) return ref;
          await replaceMessage(deps.client, post, ref, message);
          return ref;
        }
        return postInChannel(deps.client, post, view.request, message);
      }),
    thread: (ref, lines) =>
      safely('post Ganeti log lines', undefined, async () => {
        if (!('ts' in ref)) return;
        for (const text of logChunks(lines)) {
          await deps.client.chat.postMessage({ channel: ref.channel, thread_ts: ref.thread ?? ref.ts, text });
        }
      }),
    announce: (view, ref) =>
      safely('announce an outcome', undefined, async () => {
        // Where we only have a response_url the edited message already shows the outcome.
        if (!ref || !('ts' in ref)) return;
        await deps.client.chat.postMessage({
          channel: ref.channel,
          thread_ts: ref.thread ?? ref.ts,
          reply_broadcast: true,
          text: renderOutcome(view),
        });
      }),
    tell: (to, failure) =>
      safely('tell a user', undefined, () =>
        postPrivately(deps.client, post, to, renderFailure(failure, null)),
      ),
  };
}
