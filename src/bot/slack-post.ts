import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
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
/** `ok:false` errors where Slack did nothing: always worth another try. */
const SLACK_UNAVAILABLE = new Set(['service_unavailable', 'request_timeout']);
/** `ok:false` errors where, Slack says, "some aspect of the operation" may have succeeded. */
const SLACK_MAY_HAVE_ACTED = new Set(['internal_error', 'fatal_error']);

export function slackErrorCode(error: unknown): string | null {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : null;
}

/** A response_url post that failed: its HTTP status (0: no answer) and any Retry-After. */
export class ResponseUrlError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly retryAfterSec: number | null = null,
  ) {
    super(
      status === 0 ? `response_url did not answer: ${detail}` : `response_url answered ${status}: ${detail}`,
    );
    this.name = 'ResponseUrlError';
  }
}

/** The default poster: Node's fetch, failing on a non-2xx answer. */
export const postToResponseUrl: ResponseUrlPoster = async (url, body) => {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new ResponseUrlError(0, error instanceof Error ? error.message : String(error));
  }
  if (res.ok) return;
  const retryAfter = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
  const text = (await res.text()).slice(0, 200);
  throw new ResponseUrlError(res.status, text, Number.isNaN(retryAfter) ? null : retryAfter);
};

/** One line for a log: what went wrong with a Slack call. */
export function describeSlackFailure(error: unknown): string {
  if (error instanceof ResponseUrlError)
    return error.status === 0
      ? 'the response_url did not answer'
      : `the response_url answered HTTP ${error.status}`;
  const e = error as { code?: unknown; retryAfter?: unknown; statusCode?: unknown; original?: Error };
  const code = slackErrorCode(error);
  if (e?.code === ErrorCode.RateLimitedError) return `rate limited (Retry-After ${String(e.retryAfter)} s)`;
  if (e?.code === ErrorCode.HTTPError) return `HTTP ${String(e.statusCode)}`;
  if (e?.code === ErrorCode.RequestError) return `no answer (${e.original?.message ?? 'request failed'})`;
  if (code && SLACK_MAY_HAVE_ACTED.has(code)) return `${code}: Slack may or may not have done it`;
  if (code) return code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * How one Slack call is retried by the bot. On top of WebClient's `retryConfig` (HTTP 5xx and no
 * answer, see slack-app.ts), which runs first; WebClient rejects 429s at once
 * (`rejectRateLimitedCalls`) so that they are waited out here, holding up only the message they
 * belong to instead of every Slack call of the process.
 */
export interface SlackRetryPolicy {
  /** Longest total wait, following Retry-After, for one call before it is given up. Default 10 min. */
  rateLimitBudgetMs: number;
  /** Retries after an answer where Slack did nothing, or (idempotent calls) may have. Default 3. */
  retries: number;
  /** Wait before the first of those; doubled each time. Default 1 s. */
  backoffMs: number;
}

export const DEFAULT_SLACK_RETRY: SlackRetryPolicy = {
  rateLimitBudgetMs: 10 * 60_000,
  retries: 3,
  backoffMs: 1_000,
};

/** What posting needs: the client, the response_url poster, and how to retry. */
export interface SlackOut {
  client: WebClient;
  post: ResponseUrlPoster;
  policy: SlackRetryPolicy;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
}

export function slackOut(deps: {
  client: WebClient;
  postResponse?: ResponseUrlPoster;
  retry?: Partial<SlackRetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  logger: Logger;
}): SlackOut {
  return {
    client: deps.client,
    post: deps.postResponse ?? postToResponseUrl,
    policy: { ...DEFAULT_SLACK_RETRY, ...deps.retry },
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    log: deps.logger,
  };
}

/** Told of every failed Slack call made through `withRetries` (the /metrics counters). */
export interface SlackCallObserver {
  error(method: string, code: string): void;
  rateLimited(method: string, waitSeconds: number): void;
}

// Keyed by client, so the factories that post (reporters, replies) need no extra dependency.
const observers = new WeakMap<WebClient, SlackCallObserver>();

/** Reports the failed calls of `client` to `observer` (one per client). */
export function observeSlackCalls(client: WebClient, observer: SlackCallObserver): void {
  observers.set(client, observer);
}

/** A short label for a failed call: Slack's error code, or what kind of failure it was. */
function failureLabel(error: unknown): string {
  if (error instanceof ResponseUrlError) return error.status === 0 ? 'no_answer' : `http_${error.status}`;
  const e = error as { code?: unknown; statusCode?: unknown } | null;
  if (e?.code === ErrorCode.HTTPError) return `http_${String(e.statusCode)}`;
  if (e?.code === ErrorCode.RequestError) return 'no_answer';
  return slackErrorCode(error) ?? 'other';
}

/** Seconds a 429 asks to wait (WebClient with `rejectRateLimitedCalls`, or a response_url), else null. */
function retryAfterSec(error: unknown): number | null {
  if (error instanceof ResponseUrlError) return error.status === 429 ? (error.retryAfterSec ?? 1) : null;
  const e = error as { code?: unknown; retryAfter?: unknown } | null;
  return e?.code === ErrorCode.RateLimitedError ? Number(e.retryAfter) : null;
}

/** Whether Slack certainly did nothing, or (`idempotent`) doing it again is harmless. */
function worthAgain(error: unknown, idempotent: boolean): boolean {
  // WebClient's own HTTP 5xx / no-answer retries are spent by the time its errors get here.
  if (error instanceof ResponseUrlError) return error.status === 0 || error.status >= 500;
  const code = slackErrorCode(error);
  return code !== null && (SLACK_UNAVAILABLE.has(code) || (idempotent && SLACK_MAY_HAVE_ACTED.has(code)));
}

/**
 * Runs a Slack call, again after a 429 (once its Retry-After has passed, within the budget) and
 * after errors where Slack did nothing. Errors where Slack may have acted (`internal_error`,
 * `fatal_error`) are retried only for `idempotent` calls (an edit, a delete). It returns only
 * once the call got through or was given up, so callers that wait for it keep their order.
 */
export async function withRetries<T>(
  out: SlackOut,
  what: { method: string; idempotent: boolean },
  call: () => Promise<T>,
): Promise<T> {
  let rateWaited = 0;
  for (let retried = 0; ;) {
    try {
      return await call();
    } catch (error) {
      const retryAfter = retryAfterSec(error);
      const observer = observers.get(out.client);
      if (retryAfter !== null) observer?.rateLimited(what.method, Math.max(1, retryAfter));
      else observer?.error(what.method, failureLabel(error));
      let waitMs: number;
      if (retryAfter !== null) {
        waitMs = Math.max(1, retryAfter) * 1_000;
        if (rateWaited + waitMs > out.policy.rateLimitBudgetMs) throw error;
        rateWaited += waitMs;
      } else {
        if (retried >= out.policy.retries || !worthAgain(error, what.idempotent)) throw error;
        waitMs = out.policy.backoffMs * 2 ** retried;
        retried += 1;
      }
      out.log.warn(
        { method: what.method, slackError: slackErrorCode(error), retryInMs: waitMs },
        `Slack refused ${what.method} (${describeSlackFailure(error)}); trying again in ${waitMs / 1_000} s`,
      );
      await out.sleep(waitMs);
    }
  }
}

export type Posted = { channel: string; ts: string; thread?: string } | { responseUrl: string };

/**
 * Posts a message in a channel; where the bot may not post (not a member, private channel,
 * DM) it answers through the request's response_url instead, visible in the channel.
 *
 * Duplicates: chat.postMessage takes no idempotency key, and the bot has no history scope to look
 * for a message it may have posted already. After HTTP 5xx or no answer (retried by WebClient)
 * it posts again: Slack's edge mostly answers those before the post happens, and a rare
 * duplicate is better than a lost card or outcome. After `internal_error` / `fatal_error`, Slack's
 * word that it may have posted, it does not (logged as such).
 */
export async function postInChannel(
  out: SlackOut,
  where: { channelId: string; responseUrl: string | null; threadTs?: string },
  message: SlackMessage,
): Promise<Posted | null> {
  try {
    const thread = where.threadTs ? { thread_ts: where.threadTs } : {};
    const res = await withRetries(out, { method: 'chat.postMessage', idempotent: false }, () =>
      out.client.chat.postMessage({ channel: where.channelId, ...thread, ...message }),
    );
    if (!res.channel || !res.ts) return null;
    return where.threadTs
      ? { channel: res.channel, ts: res.ts, thread: where.threadTs }
      : { channel: res.channel, ts: res.ts };
  } catch (error) {
    const code = slackErrorCode(error);
    const responseUrl = where.responseUrl;
    if (!code || !USE_RESPONSE_URL.has(code) || !responseUrl) throw error;
    await withRetries(out, { method: 'response_url', idempotent: false }, () =>
      out.post(responseUrl, { response_type: 'in_channel', ...message }),
    );
    return { responseUrl };
  }
}

/** Replaces a message posted by postInChannel. */
export async function replaceMessage(out: SlackOut, ref: Posted, message: SlackMessage): Promise<void> {
  const what = { method: 'ts' in ref ? 'chat.update' : 'response_url', idempotent: true };
  if ('ts' in ref)
    await withRetries(out, what, () =>
      out.client.chat.update({ channel: ref.channel, ts: ref.ts, ...message }),
    );
  else
    await withRetries(out, what, () =>
      out.post(ref.responseUrl, { response_type: 'in_channel', replace_original: true, ...message }),
    );
}

/** A message for one person: ephemeral through the response_url, or chat.postEphemeral. */
export async function postPrivately(
  out: SlackOut,
  to: { channelId: string; userId: string; responseUrl: string | null },
  message: SlackMessage,
): Promise<void> {
  const responseUrl = to.responseUrl;
  // A click in the App Home has no channel: the answer goes to the person's DM with the app.
  if (!responseUrl && /^[UW][A-Z0-9]+$/.test(to.channelId))
    await withRetries(out, { method: 'chat.postMessage', idempotent: false }, () =>
      out.client.chat.postMessage({ channel: to.channelId, ...message }),
    );
  else if (responseUrl)
    await withRetries(out, { method: 'response_url', idempotent: false }, () =>
      out.post(responseUrl, { response_type: 'ephemeral', replace_original: false, ...message }),
    );
  else
    await withRetries(out, { method: 'chat.postEphemeral', idempotent: false }, () =>
      out.client.chat.postEphemeral({ channel: to.channelId, user: to.userId, ...message }),
    );
}
