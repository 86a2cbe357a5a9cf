import type { KnownBlock } from '@slack/types';
import type { Failure } from '../../queue/reply-port.js';
import { context, esc, section, type SlackMessage } from './blocks.js';
import { requestContext, type RequestMeta } from './render-result.js';

/** An error for the requester only: what went wrong, then what to do. */
export function renderFailure(failure: Failure, meta: RequestMeta | null): SlackMessage {
  const blocks: KnownBlock[] = [section(`:warning: ${failure.message}`)];
  const extra = [
    failure.hint,
    failure.reference ? `Reference: \`${esc(failure.reference)}\`` : undefined,
  ].filter((t): t is string => t !== undefined);
  if (extra.length) blocks.push(context(...extra));
  if (meta) blocks.push(requestContext(meta));
  return { text: `${failure.message}${failure.hint ? ` ${failure.hint}` : ''}`.slice(0, 4000), blocks };
}

export function renderProgress(text: string, meta: RequestMeta): SlackMessage {
  return { text: `⏳ ${text}`, blocks: [section(`:hourglass_flowing_sand: ${text}`), requestContext(meta)] };
}
