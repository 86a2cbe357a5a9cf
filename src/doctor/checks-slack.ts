/**
 * Slack (SLACK_BOT_TOKEN, SLACK_API_URL, SLACK_APP_TOKEN, ALERT_CHANNEL, AUDIT_CHANNEL): the token
 * works, its scopes are those of manifest.yaml, the bot can post in its channels (checked with a
 * message scheduled days ahead and deleted at once, so nobody sees it), and in Socket Mode the
 * app-level token can open a connection. No check retries: a failure is reported as it came.
 */
import { ErrorCode, WebClient, type Logger as SlackLogger, LogLevel } from '@slack/web-api';
import type { SlackSettings } from './checks-config.js';
import { manifestBotScopes } from './manifest-scopes.js';
import { fail, pass, skip, warn, type CheckResult } from './report.js';

/** How far ahead the test message is scheduled: never posted, as it is deleted at once. */
const SCHEDULE_AHEAD_SEC = 3 * 86_400;
const TOKEN_PAGE = 'https://api.slack.com/apps → your app';

const quiet: SlackLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

function client(token: string, s: SlackSettings, timeoutMs: number): WebClient {
  return new WebClient(token, {
    ...(s.apiUrl ? { slackApiUrl: s.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logger: quiet,
  });
}

/** What went wrong with a call: Slack's error code, or why Slack could not be asked. */
interface CallFailure {
  /** Slack's `error` (invalid_auth…), or null when Slack did not answer. */
  code: string | null;
  detail: string;
}

function callFailure(error: unknown, s: SlackSettings): CallFailure {
  const e = error as { code?: string; data?: { error?: string }; original?: Error; statusCode?: number };
  switch (e.code) {
    case ErrorCode.PlatformError:
      return { code: e.data?.error ?? 'unknown', detail: e.data?.error ?? 'unknown error' };
    case ErrorCode.RateLimitedError:
      return {
        code: 'ratelimited',
        detail: 'Slack rate-limited the check (HTTP 429): run it again in a minute',
      };
    case ErrorCode.HTTPError:
      return { code: null, detail: `Slack answered HTTP ${e.statusCode ?? '?'}` };
    default: {
      const cause = rootCause(e.original ?? error);
      return {
        code: null,
        detail: `cannot reach Slack at ${s.apiUrl ?? 'https://slack.com/api/'}: ${cause}`,
      };
    }
  }
}

/** fetch wraps the reason (ECONNREFUSED…) in its causes: the first error code, else the innermost message. */
function rootCause(error: unknown): string {
  let current = error as (Error & { code?: unknown; cause?: unknown }) | undefined;
  let message = current?.message ?? String(error);
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
    message = current.message || message;
    current = current.cause as typeof current;
  }
  return message;
}

const unreachableHint =
  'check SLACK_API_URL (leave it unset for Slack itself), the proxy and the firewall (HTTPS to slack.com)';

export async function checkSlack(s: SlackSettings, timeoutMs: number): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const bot = client(s.botToken, s, timeoutMs);
  let botName = 'ganeti';
  try {
    const auth = await bot.auth.test();
    botName = auth.user ?? botName;
    results.push(
      pass(
        'slack auth.test',
        `team "${auth.team ?? '?'}" (${auth.team_id ?? '?'}), bot user @${botName} (${auth.user_id ?? '?'})`,
      ),
    );
    results.push(...scopeChecks(auth.response_metadata?.scopes));
  } catch (error) {
    const f = callFailure(error, s);
    const hint =
      f.code === null
        ? unreachableHint
        : `put the Bot User OAuth Token (xoxb-…) in SLACK_BOT_TOKEN: ${TOKEN_PAGE} → OAuth & Permissions (install the app first; a reinstall or a revoked token gives a new one)`;
    results.push(
      fail('slack auth.test', f.code ? `SLACK_BOT_TOKEN was refused (${f.code})` : f.detail, hint),
    );
    results.push(...(await socketMode(s, timeoutMs)));
    return results;
  }
  for (const key of ['ALERT_CHANNEL', 'AUDIT_CHANNEL'] as const) {
    const channel = key === 'ALERT_CHANNEL' ? s.alertChannel : s.auditChannel;
    if (s.broken.has(key)) results.push(skip(`slack ${key}`, `not checked: fix ${key} first`));
    else if (channel !== null) results.push(await canPost(bot, key, channel, botName, s));
    else if (key === 'ALERT_CHANNEL')
      results.push(
        warn(
          'slack ALERT_CHANNEL',
          'not set: the health monitor is off: no node-loss alerts',
          'set ALERT_CHANNEL to the id of a channel (C…) and invite the bot there',
        ),
      );
  }
  results.push(...(await socketMode(s, timeoutMs)));
  return results;
}

/** The granted scopes (Slack's `x-oauth-scopes` header) against manifest.yaml's bot scopes. */
export function scopeChecks(granted: readonly string[] | undefined): CheckResult[] {
  let wanted: string[];
  try {
    wanted = manifestBotScopes();
  } catch (error) {
    return [warn('slack scopes', `not compared: ${(error as Error).message}`, 'restore manifest.yaml')];
  }
  if (granted === undefined)
    return [warn('slack scopes', 'Slack did not say which scopes the token has (no x-oauth-scopes header)')];
  const missing = wanted.filter((scope) => !granted.includes(scope));
  const extra = granted.filter((scope) => !wanted.includes(scope));
  const results: CheckResult[] = [];
  if (missing.length > 0)
    results.push(
      fail(
        'slack scopes',
        `missing ${missing.join(', ')} (granted: ${granted.join(', ') || 'none'})`,
        `reinstall the app after adding ${missing.join(', ')}: ${TOKEN_PAGE} → OAuth & Permissions → Bot Token Scopes, or its App Manifest page with manifest.yaml`,
      ),
    );
  else results.push(pass('slack scopes', `the token has every scope of manifest.yaml: ${wanted.join(', ')}`));
  if (extra.length > 0)
    results.push(
      warn(
        'slack extra scopes',
        `granted but not in manifest.yaml, the bot never uses them: ${extra.join(', ')}`,
        `remove them (${TOKEN_PAGE} → OAuth & Permissions) and reinstall the app`,
      ),
    );
  return results;
}

function channelFailure(code: string, key: string, botName: string): { detail: string; hint: string } {
  const invite = `invite the bot: /invite @${botName} in that channel`;
  switch (code) {
    case 'channel_not_found':
      return {
        detail: 'no such channel, or a private one without the bot (channel_not_found)',
        hint: `check the id in ${key} (channel name → About, at the bottom); for a private channel ${invite}`,
      };
    case 'not_in_channel':
      return { detail: 'the bot is not in the channel (not_in_channel)', hint: invite };
    case 'is_archived':
      return {
        detail: 'the channel is archived (is_archived)',
        hint: `unarchive it or set ${key} to another channel`,
      };
    case 'missing_scope':
      return {
        detail: 'the token lacks chat:write (missing_scope)',
        hint: 'reinstall the app after adding chat:write',
      };
    default:
      return code.startsWith('restricted_action')
        ? {
            detail: `a workspace or channel setting keeps the bot from posting (${code})`,
            hint: `allow apps to post there (channel settings → Posting permissions) or set ${key} to another channel`,
          }
        : { detail: `Slack refused a message there (${code})`, hint: `check ${key}` };
  }
}

/** chat.scheduleMessage days ahead, then chat.deleteScheduledMessage: nothing shows in the channel. */
async function canPost(
  bot: WebClient,
  key: string,
  channel: string,
  botName: string,
  s: SlackSettings,
): Promise<CheckResult> {
  const what = `slack ${key} ${channel}`;
  const postAt = Math.floor(Date.now() / 1000) + SCHEDULE_AHEAD_SEC;
  let id: string | undefined;
  try {
    const scheduled = await bot.chat.scheduleMessage({
      channel,
      post_at: postAt,
      text: 'ganeti-chatops doctor: a test of whether the bot may post here; deleted at once.',
    });
    id = scheduled.scheduled_message_id;
  } catch (error) {
    const f = callFailure(error, s);
    if (f.code === null) return fail(what, f.detail, unreachableHint);
    const { detail, hint } = channelFailure(f.code, key, botName);
    return fail(what, detail, hint);
  }
  try {
    await bot.chat.deleteScheduledMessage({ channel, scheduled_message_id: id ?? '' });
  } catch (error) {
    const when = new Date(postAt * 1000).toISOString();
    return warn(
      what,
      `the bot may post there, but its scheduled test message could not be deleted (${callFailure(error, s).detail}): it will appear at ${when}`,
      `delete it with chat.deleteScheduledMessage channel=${channel} scheduled_message_id=${id ?? '?'}`,
    );
  }
  return pass(what, 'the bot may post there (a message scheduled days ahead, deleted at once)');
}

/** Socket Mode: the call Bolt makes to get its websocket URL (the socket itself is not opened). */
async function socketMode(s: SlackSettings, timeoutMs: number): Promise<CheckResult[]> {
  if (!s.botRole) return [];
  const what = 'slack Socket Mode';
  if (s.broken.has('SLACK_APP_TOKEN')) return [skip(what, 'not checked: fix SLACK_APP_TOKEN first')];
  if (s.appToken === null) return [];
  try {
    // The answer's URL carries a connection ticket: never printed.
    await client(s.appToken, s, timeoutMs).apps.connections.open();
    return [pass(what, 'apps.connections.open answered: the bot can open its Socket Mode connection')];
  } catch (error) {
    const f = callFailure(error, s);
    const newToken = `${TOKEN_PAGE} → Basic Information → App-Level Tokens: generate one with the connections:write scope and put it in SLACK_APP_TOKEN`;
    switch (f.code) {
      case null:
        return [fail(what, f.detail, unreachableHint)];
      case 'missing_scope':
        return [fail(what, 'the app-level token lacks connections:write (missing_scope)', newToken)];
      case 'not_allowed_token_type':
        return [fail(what, 'SLACK_APP_TOKEN is not an app-level token (not_allowed_token_type)', newToken)];
      case 'invalid_auth':
      case 'not_authed':
      case 'token_revoked':
        return [fail(what, `SLACK_APP_TOKEN was refused (${f.code})`, newToken)];
      default:
        return [
          fail(
            what,
            `apps.connections.open failed (${f.code})`,
            'check that Socket Mode is on (the app’s Socket Mode page) and the app-level token has connections:write',
          ),
        ];
    }
  }
}
