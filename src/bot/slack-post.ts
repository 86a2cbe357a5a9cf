import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from './render/blocks.js';

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

export type Posted = { channel: string; ts: string; thread?: string } | { responseUrl: string };

/**
 * Posts a message in a channel; where the bot may not post (not a member, private channel,
 * DM) it answers through the request's response_url instead, visible in the channel.
 */
export async function postInChannel(
  client: WebClient,
  post: ResponseUrlPoster,
  where: { channelId: string; responseUrl: string | null; threadTs?: string },
  message: SlackMessage,
): Promise<Posted | null> {
  try {
    const thread = where.threadTs ? { thread_ts: where.threadTs } : {};
    const res = await client.chat.postMessage({ channel: where.channelId, ...thread, ...message });
    if (!res.channel || !res.ts) return null;
    return where.threadTs
      ? { channel: res.channel, ts: res.ts, thread: where.threadTs }
      : { channel: res.channel, ts: res.ts };
  } catch (error) {
    const code = slackErrorCode(error);
    if (!code || !USE_RESPONSE_URL.has(code) || !where.responseUrl) throw error;
    await post(where.responseUrl, { response_type: 'in_channel', ...message });
    return { responseUrl: where.responseUrl };
  }
}

/** Replaces a message posted by postInChannel. */
export async function replaceMessage(
  client: WebClient,
  post: ResponseUrlPoster,
  ref: Posted,
  message: SlackMessage,
): Promise<void> {
  if ('ts' in ref) await client.chat.update({ channel: ref.channel, ts: ref.ts, ...message });
  else await post(ref.responseUrl, { response_type: 'in_channel', replace_original: true, ...message });
}

/** A message for one person: ephemeral through the response_url, or chat.postEphemeral. */
export async function postPrivately(
  client: WebClient,
  post: ResponseUrlPoster,
  to: { channelId: string; userId: string; responseUrl: string | null },
  message: SlackMessage,
): Promise<void> {
  if (to.responseUrl)
    await post(to.responseUrl, { response_type: 'ephemeral', replace_original: false, ...message });
  else await client.chat.postEphemeral({ channel: to.channelId, user: to.userId, ...message });
}
