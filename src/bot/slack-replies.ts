import type { ModalView } from '@slack/types';
import { createSlackLanes } from './slack-lanes.js';
import { formFailureView, renderCreateForm } from './forms/create-form-view.js';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { CommandResult } from '../commands/results.js';
import type { Failure, Reply, ReplySink, ReplyTarget } from '../queue/reply-port.js';
import type { SlackMessage } from './render/blocks.js';
import { renderFailure, renderProgress } from './render/render-feedback.js';
import { renderResult } from './render/render-result.js';
import {
  describeSlackFailure,
  postInChannel,
  postPrivately,
  replaceMessage,
  slackErrorCode,
  slackOut,
  withRetries,
  type Posted,
  type ResponseUrlPoster,
  type SlackRetryPolicy,
} from './slack-post.js';

/**
 * Answers in Slack: the outcome visible in the channel (chat.postMessage, then chat.update
 * for progress), falling back to the response_url where the bot is not a channel member;
 * errors, and the answers of requester-only commands, only to the requester (ephemeral).
 * Never throws: a failure to answer is logged.
 *
 * The posts of one request go out in order (slack-post.ts `SlackLanes`, a newer progress line
 * replacing one not sent yet); a call waits for its post up to `patienceMs`, then leaves it to
 * the background, so a rate-limited answer does not hold up the worker's next job.
 */
export function createSlackReplies(deps: {
  client: WebClient;
  postResponse?: ResponseUrlPoster;
  logger: Logger;
  retry?: Partial<SlackRetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  /** How long a call waits for its post before leaving it to the background. Default 1 s. */
  patienceMs?: number;
}): ReplySink & { drain(timeoutMs?: number): Promise<boolean> } {
  const lanes = createSlackLanes(deps.patienceMs === undefined ? {} : { patienceMs: deps.patienceMs });
  let opened = 0;
  return {
    open(target: ReplyTarget): Reply {
      const meta = {
        userId: target.userId,
        text: target.text,
        ...(target.cluster ? { cluster: target.cluster } : {}),
      };
      const log = deps.logger.child({ requestId: target.requestId });
      const out = slackOut({ ...deps, logger: log });
      opened += 1;
      const lane = `reply ${opened} ${target.requestId}`;
      let posted: Posted | null = null;

      async function publish(message: SlackMessage): Promise<void> {
        if (posted) await replaceMessage(out, posted, message);
        else posted = await postInChannel(out, target, message);
      }

      const safely = (what: string, action: () => Promise<void>, tag?: string) =>
        lanes.send(
          lane,
          async () => {
            try {
              await action();
            } catch (error) {
              const reason = describeSlackFailure(error);
              log.error(
                { err: error, slackError: slackErrorCode(error), reason },
                `could not ${what} in Slack (${reason}); gave up on it`,
              );
            }
          },
          tag === undefined ? {} : { tag },
        );

      /** Removes the progress line, if one was posted. */
      const retract = async () => {
        const was = posted;
        posted = null;
        if (!was) return;
        const what = { method: 'ts' in was ? 'chat.delete' : 'response_url', idempotent: true };
        if ('ts' in was)
          await withRetries(out, what, () =>
            deps.client.chat.delete({ channel: was.channel, ts: was.ts }),
          ).catch(() => undefined);
        else
          await withRetries(out, what, () => out.post(was.responseUrl, { delete_original: true })).catch(
            () => undefined,
          );
      };

      const viewId = target.viewId;
      if (viewId !== undefined) {
        // A form waits for this answer: it is updated, nothing is posted in the channel.
        const update = (view: ModalView) =>
          withRetries(out, { method: 'views.update', idempotent: true }, () =>
            deps.client.views.update({ view_id: viewId, view }),
          );
        return {
          progress: () => Promise.resolve(),
          done: () => Promise.resolve(),
          result: (result: CommandResult) =>
            safely('fill in the form', () =>
              update(
                result.kind === 'create-form'
                  ? renderCreateForm(result, target.channelId, target.cluster)
                  : formFailureView('This command has no form.'),
              ).then(() => undefined),
            ),
          failure: (failure: Failure) =>
            safely('show the form’s failure', () =>
              update(formFailureView(failure.message, failure.hint)).then(() => undefined),
            ),
        };
      }

      return {
        progress: (text) => safely('show progress', () => publish(renderProgress(text, meta)), 'publish'),
        done: () => safely('remove the progress line', retract),
        result: (result: CommandResult, options) =>
          options?.visibility === 'requester'
            ? safely('answer the requester', async () => {
                await retract();
                await postPrivately(out, target, renderResult(result, meta));
              })
            : safely('post the result', () => publish(renderResult(result, meta)), 'publish'),
        failure: (failure: Failure) =>
          safely('report a failure', async () => {
            await retract();
            await postPrivately(out, target, renderFailure(failure, meta));
          }),
      };
    },
    drain: (timeoutMs) => lanes.drain(timeoutMs),
  };
}
