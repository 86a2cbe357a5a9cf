import { createSlackLanes } from './slack-lanes.js';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { OperationReporter } from '../queue/operation-port.js';
import type { MessageRef } from '../queue/operation-types.js';
import { esc, LIMITS } from './render/blocks.js';
import { renderFailure } from './render/render-feedback.js';
import { renderOperation, renderOutcome } from './render/render-operation.js';
import {
  describeSlackFailure,
  postInChannel,
  postPrivately,
  replaceMessage,
  slackErrorCode,
  slackOut,
  withRetries,
  type ResponseUrlPoster,
  type SlackRetryPolicy,
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
 *
 * Only posting a new card is waited for to the end (its caller needs to know where it is).
 * Edits, thread lines, the outcome and private notes are delivered in order per message
 * (slack-post.ts `SlackLanes`): a caller waits up to `patienceMs` and then goes on while
 * a rate-limited or retried post finishes in the background, so a slow Slack does not hold up
 * following a Ganeti job. `drain` waits for what is still on its way (at shutdown).
 */
export function createSlackOperationReporter(deps: {
  client: WebClient;
  postResponse?: ResponseUrlPoster;
  logger: Logger;
  now?: () => number;
  retry?: Partial<SlackRetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  /** How long a call waits for its post before leaving it to the background. Default 1 s. */
  patienceMs?: number;
}): OperationReporter & { drain(timeoutMs?: number): Promise<boolean> } {
  const out = slackOut(deps);
  const lanes = createSlackLanes(deps.patienceMs === undefined ? {} : { patienceMs: deps.patienceMs });
  const now = deps.now ?? Date.now;
  const safely = async <T>(what: string, fallback: T, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      const reason = describeSlackFailure(error);
      deps.logger.error(
        { err: error, slackError: slackErrorCode(error), reason },
        `could not ${what} in Slack (${reason}); gave up on it, the operation goes on`,
      );
      return fallback;
    }
  };
  /** Where a message's edits queue up, and where its thread's posts do. */
  const editsOf = (ref: MessageRef) =>
    'ts' in ref ? `edit ${ref.channel} ${ref.ts}` : `edit ${ref.responseUrl}`;
  const threadOf = (ref: { channel: string; ts: string }) => `thread ${ref.channel} ${ref.ts}`;
  const postInThread = (
    text: string,
    ref: { channel: string; ts: string; thread?: string },
    loud = false,
  ) => {
    const reply = { channel: ref.channel, thread_ts: ref.thread ?? ref.ts, text };
    return withRetries(out, { method: 'chat.postMessage', idempotent: false }, () =>
      deps.client.chat.postMessage(loud ? { ...reply, reply_broadcast: true } : reply),
    );
  };
  return {
    async show(view, ref) {
      const message = renderOperation(view, now());
      if (!ref)
        return safely<MessageRef | null>('show an operation', null, () =>
          postInChannel(out, view.request, message),
        );
      // A response_url takes only 5 posts: there, skip the in-between progress and keep
      // the posts for the card and the outcome.
      if ('responseUrl' in ref && (view.state === 'approved' || view.state === 'running')) return ref;
      await lanes.send(
        editsOf(ref),
        () => safely('show an operation', undefined, () => replaceMessage(out, ref, message)),
        {
          tag: 'edit',
        },
      );
      return ref;
    },
    thread: (ref, lines) => {
      if (!('ts' in ref)) return Promise.resolve();
      const chunks = logChunks(lines);
      return lanes.send(threadOf(ref), () =>
        safely('post Ganeti log lines', undefined, async () => {
          for (const text of chunks) await postInThread(text, ref);
        }),
      );
    },
    announce: (view, ref) => {
      // Where we only have a response_url the edited message already shows the outcome.
      if (!ref || !('ts' in ref)) return Promise.resolve();
      const text = renderOutcome(view);
      // Waits for Slack: the runner records the outcome as posted only after this.
      return lanes.send(
        threadOf(ref),
        () =>
          safely('announce an outcome', undefined, async () => void (await postInThread(text, ref, true))),
        { wait: true },
      );
    },
    tell: (to, failure) =>
      lanes.send(`tell ${to.channelId} ${to.userId}`, () =>
        safely('tell a user', undefined, () => postPrivately(out, to, renderFailure(failure, null))),
      ),
    drain: (timeoutMs) => lanes.drain(timeoutMs),
  };
}
