/**
 * The Web API methods of the fake Slack, without any HTTP: `handle(method, params, token)` gives the
 * status and JSON body Slack would answer, and keeps the state (posted messages) that later calls see.
 */
import { MESSAGE_MAX_BLOCKS, VIEW_MAX_BLOCKS, checkBlocks, checkModal } from './block-kit-limits.js';
import type { ApiAnswer, FakeMessage, FakeSlackOptions, Json, RateLimitRule } from './fake-slack-types.js';

const APP_TOKEN_METHODS = new Set(['apps.connections.open']);
/** The scope each method needs (Slack answers `missing_scope` with `needed` and `provided` otherwise). */
const METHOD_SCOPES: Record<string, string> = {
  'apps.connections.open': 'connections:write',
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.delete': 'chat:write',
  'chat.scheduleMessage': 'chat:write',
  'chat.deleteScheduledMessage': 'chat:write',
  'usergroups.users.list': 'usergroups:read',
};
/** Slack schedules messages at most 120 days ahead (`time_too_far`). */
const SCHEDULE_MAX_AHEAD_SEC = 120 * 86_400;
const MESSAGE_FIELDS = ['text', 'blocks', 'attachments'] as const;

function fail(error: string, extra: Json = {}): Json {
  return { ok: false, error, ...extra };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Checks the content of a message: `invalid_blocks_format`, `invalid_blocks` (reasons in
 * `errors` and `response_metadata.messages`, as Slack sends them) or `no_text`.
 * @returns the error body, or undefined when the message is acceptable
 */
export function checkMessageContent(p: Json): Json | undefined {
  if (p.blocks !== undefined) {
    if (typeof p.blocks === 'string') return fail('invalid_blocks_format');
    const problems = checkBlocks(p.blocks, MESSAGE_MAX_BLOCKS);
    if (problems.length > 0) return invalidBlocks(problems);
  }
  const hasBlocks = Array.isArray(p.blocks) && p.blocks.length > 0;
  const hasAttachments = Array.isArray(p.attachments) && p.attachments.length > 0;
  if (str(p.text) === undefined && !hasBlocks && !hasAttachments) return fail('no_text');
  return undefined;
}

function invalidBlocks(problems: string[]): Json {
  return fail('invalid_blocks', {
    errors: problems,
    response_metadata: { messages: problems.map((m) => `[ERROR] ${m}`) },
  });
}

/** The state and methods of the fake Web API. Created by {@link startFakeSlack}. */
export class FakeWebApi {
  socketUrl: string | undefined;
  rateLimit: RateLimitRule | undefined;
  private readonly byChannel = new Map<string, FakeMessage[]>();
  private readonly ephemeralByChannel = new Map<string, FakeMessage[]>();
  /** When each message was posted (ms, by the injected clock): ts are counters, not times. */
  private readonly postedAtByTs = new Map<string, number>();
  /** The App Home view last published for each user. */
  readonly homeViews = new Map<string, Json>();
  /** Modals by view id, as last opened or updated (`views.open`, `views.update`). */
  readonly modals = new Map<string, Json>();
  /** Goes up on every change to the messages; the demo page polls it. */
  version = 0;
  private readonly callCounts = new Map<string, number>();
  private refusedForRate = 0;
  private tsCounter = 0;
  private viewCounter = 0;
  private scheduleCounter = 0;
  /** Scheduled messages by id; they never post (tests do not wait days). */
  private readonly scheduled = new Map<string, { channel: string; postAt: number }>();
  private readonly handlers: Record<string, (p: Json) => Json>;

  constructor(
    private readonly o: Required<
      Omit<FakeSlackOptions, 'socketUrl' | 'rateLimit' | 'now' | 'routes' | 'port'>
    >,
    private readonly now: () => number = Date.now,
  ) {
    this.handlers = {
      'auth.test': () => ({
        ok: true,
        url: 'https://fake.slack.test/',
        team: 'Fake Team',
        user: 'ganeti-bot',
        team_id: o.teamId,
        user_id: o.botUserId,
        bot_id: o.botId,
        is_enterprise_install: false,
      }),
      'apps.connections.open': () =>
        this.socketUrl === undefined ? fail('fake_socket_url_not_set') : { ok: true, url: this.socketUrl },
      'chat.postMessage': (p) => this.postMessage(p),
      'chat.update': (p) => this.update(p),
      'chat.scheduleMessage': (p) => this.scheduleMessage(p),
      'chat.deleteScheduledMessage': (p) => {
        const problem = this.checkChannel(p);
        if (problem !== undefined) return problem;
        const id = str(p.scheduled_message_id) ?? '';
        if (this.scheduled.get(id)?.channel !== p.channel) return fail('invalid_scheduled_message_id');
        this.scheduled.delete(id);
        return { ok: true };
      },
      'chat.postEphemeral': (p) => {
        const problem = this.checkChannel(p) ?? (str(p.user) ? undefined : fail('user_not_found'));
        if (problem !== undefined) return problem;
        return (
          checkMessageContent(p) ?? {
            ok: true,
            message_ts: this.addEphemeral(str(p.channel) ?? '', str(p.user) ?? '', p).ts,
          }
        );
      },
      'chat.delete': (p) => {
        const channel = str(p.channel) ?? '';
        const list = this.byChannel.get(channel) ?? [];
        const index = list.findIndex((m) => m.ts === p.ts);
        if (index < 0) return fail('message_not_found');
        list.splice(index, 1);
        this.version += 1;
        return { ok: true, channel, ts: p.ts };
      },
      'views.publish': (p) => {
        const user = str(p.user_id);
        if (user === undefined) return fail('invalid_arguments');
        const answer = this.view(p, 'home');
        if (answer.ok === true) {
          this.homeViews.set(user, answer.view as Json);
          this.version += 1;
        }
        return answer;
      },
      'views.open': (p) => {
        if (!str(p.trigger_id)) return fail('invalid_arguments');
        const answer = this.view(p, 'modal');
        if (answer.ok === true) this.keepModal(answer.view as Json);
        return answer;
      },
      'views.update': (p) => {
        const id = str(p.view_id);
        if (id === undefined || !this.modals.has(id)) return fail('not_found');
        const answer = this.view(p, 'modal', id);
        if (answer.ok === true) this.keepModal(answer.view as Json);
        return answer;
      },
      'usergroups.users.list': (p) => {
        const users = o.usergroups[str(p.usergroup) ?? ''];
        return users === undefined ? fail('no_such_subteam') : { ok: true, users: [...users] };
      },
      'users.info': (p) => {
        const id = str(p.user);
        if (id === undefined) return fail('user_not_found');
        const made = { id, team_id: o.teamId, name: id.toLowerCase(), real_name: `User ${id}` };
        return {
          ok: true,
          user: { ...made, deleted: false, is_bot: false, is_admin: false, tz: 'UTC', ...o.users[id] },
        };
      },
      'conversations.info': (p) => {
        const id = str(p.channel);
        if (id === undefined) return fail('channel_not_found');
        const made = { id, name: `channel-${id.toLowerCase()}`, is_channel: true, is_private: false };
        return { ok: true, channel: { ...made, is_member: !o.notMemberOf.includes(id), ...o.channels[id] } };
      },
    };
  }

  /**
   * Answers one call; `token` is the bearer token or the `token` field, if any.
   * Order of checks: unknown method (HTTP 200 `unknown_method`, so WebClient reports it as a
   * platform error), token (`not_authed`, `not_allowed_token_type` for the other kind of token,
   * `invalid_auth`), rate limit (HTTP 429), scope (`missing_scope`), then the method itself.
   * Every answer to a call with a valid token carries that token's scopes in `x-oauth-scopes`.
   */
  handle(method: string, params: Json, token: string | undefined): ApiAnswer {
    const handler = this.handlers[method];
    if (handler === undefined) return { status: 200, body: fail('unknown_method', { req_method: method }) };
    const authError = this.checkToken(method, token);
    if (authError !== undefined) return { status: 200, body: fail(authError) };
    const granted = APP_TOKEN_METHODS.has(method) ? this.o.appScopes : this.o.scopes;
    const scopeHeader = { 'x-oauth-scopes': granted.join(',') };
    const count = (this.callCounts.get(method) ?? 0) + 1;
    this.callCounts.set(method, count);
    const rule = this.rateLimit;
    if (
      rule?.method === method &&
      count > rule.afterCalls &&
      this.refusedForRate < (rule.times ?? Infinity)
    ) {
      this.refusedForRate += 1;
      const headers = { 'retry-after': String(rule.retryAfterSec ?? 1), ...scopeHeader };
      return { status: 429, body: fail('ratelimited'), headers };
    }
    const needed = METHOD_SCOPES[method];
    if (needed !== undefined && !granted.includes(needed)) {
      const body = fail('missing_scope', { needed, provided: granted.join(',') });
      return { status: 200, body, headers: scopeHeader };
    }
    return { status: 200, body: handler(params), headers: scopeHeader };
  }

  /** Replaces the rate limit rule and forgets earlier counts. */
  setRateLimit(rule: RateLimitRule | undefined): void {
    this.rateLimit = rule;
    this.callCounts.clear();
    this.refusedForRate = 0;
  }

  /** The messages now in `channel`, oldest first (copies). */
  messagesIn(channel: string): FakeMessage[] {
    return (this.byChannel.get(channel) ?? []).map((m) => structuredClone(m));
  }

  /** The ephemeral messages `user` sees in `channel`, oldest first (copies). */
  ephemeralIn(channel: string, user: string): FakeMessage[] {
    return (this.ephemeralByChannel.get(channel) ?? [])
      .filter((m) => m.ephemeral_for === user)
      .map((m) => structuredClone(m));
  }

  /** When the message with this ts was posted (ms), if it was. */
  postedAt(ts: string): number | undefined {
    return this.postedAtByTs.get(ts);
  }

  /** Adds a message as the bot (also used for `in_channel` response_url posts). */
  addMessage(channel: string, p: Json): FakeMessage {
    return this.store(this.byChannel, channel, this.newMessage(channel, p));
  }

  /** Adds a message only `user` sees, as the bot. */
  addEphemeral(channel: string, user: string, p: Json): FakeMessage {
    return this.store(this.ephemeralByChannel, channel, {
      ...this.newMessage(channel, p),
      ephemeral_for: user,
    });
  }

  /** Adds a message typed by a person (the demo page shows the slash commands people send). */
  addUserMessage(channel: string, user: string, text: string): FakeMessage {
    const message: FakeMessage = { type: 'message', channel, ts: this.nextTs(), user, text };
    return this.store(this.byChannel, channel, message);
  }

  private newMessage(channel: string, p: Json): FakeMessage {
    const message: FakeMessage = {
      type: 'message',
      channel,
      ts: this.nextTs(),
      user: this.o.botUserId,
      bot_id: this.o.botId,
      ...pickMessageFields(p),
    };
    if (str(p.thread_ts)) message.thread_ts = str(p.thread_ts);
    if (message.thread_ts !== undefined && (p.reply_broadcast === true || p.reply_broadcast === 'true'))
      message.reply_broadcast = true;
    return message;
  }

  private store(lists: Map<string, FakeMessage[]>, channel: string, message: FakeMessage): FakeMessage {
    const list = lists.get(channel) ?? [];
    list.push(message);
    lists.set(channel, list);
    this.postedAtByTs.set(message.ts, this.now());
    this.version += 1;
    return message;
  }

  private find(channel: string, ts: string): FakeMessage | undefined {
    const inChannel = this.byChannel.get(channel)?.find((m) => m.ts === ts);
    return inChannel ?? this.ephemeralByChannel.get(channel)?.find((m) => m.ts === ts);
  }

  /**
   * Changes a message. `merge` is `chat.update`: fields left out are kept (Slack keeps blocks and
   * attachments unless an empty array is sent); `replace` is a response_url `replace_original`.
   * @returns the changed message, or undefined when there is no such message
   */
  replaceMessage(channel: string, ts: string, p: Json, mode: 'merge' | 'replace'): FakeMessage | undefined {
    const message = this.find(channel, ts);
    if (message === undefined) return undefined;
    if (mode === 'replace') for (const field of MESSAGE_FIELDS) delete message[field];
    Object.assign(message, pickMessageFields(p), { edited: { user: this.o.botUserId, ts: this.nextTs() } });
    this.version += 1;
    return message;
  }

  /** Deletes a message (or an ephemeral one); false when there was no such message. */
  deleteMessage(channel: string, ts: string): boolean {
    for (const lists of [this.byChannel, this.ephemeralByChannel]) {
      const list = lists.get(channel) ?? [];
      const index = list.findIndex((m) => m.ts === ts);
      if (index < 0) continue;
      list.splice(index, 1);
      this.version += 1;
      return true;
    }
    return false;
  }

  private checkToken(method: string, token: string | undefined): string | undefined {
    if (token === undefined || token === '') return 'not_authed';
    const [wanted, other] = APP_TOKEN_METHODS.has(method)
      ? [this.o.appToken, this.o.botToken]
      : [this.o.botToken, this.o.appToken];
    if (token === wanted) return undefined;
    return token === other ? 'not_allowed_token_type' : 'invalid_auth';
  }

  private checkChannel(p: Json): Json | undefined {
    const channel = str(p.channel);
    if (channel === undefined || this.o.missingChannels.includes(channel)) return fail('channel_not_found');
    if (this.o.archivedChannels.includes(channel)) return fail('is_archived');
    return this.o.notMemberOf.includes(channel) ? fail('not_in_channel') : undefined;
  }

  /** Slack's checks of `post_at` run against the real clock: `invalid_time`, `time_in_past`, `time_too_far`. */
  private scheduleMessage(p: Json): Json {
    const problem = this.checkChannel(p) ?? checkMessageContent(p);
    if (problem !== undefined) return problem;
    const postAt = Number(p.post_at);
    const nowSec = Date.now() / 1000;
    if (!Number.isInteger(postAt)) return fail('invalid_time');
    if (postAt <= nowSec) return fail('time_in_past');
    if (postAt > nowSec + SCHEDULE_MAX_AHEAD_SEC) return fail('time_too_far');
    const channel = str(p.channel) ?? '';
    this.scheduleCounter += 1;
    const id = `Q${String(this.scheduleCounter).padStart(10, '0')}`;
    this.scheduled.set(id, { channel, postAt });
    const message = {
      type: 'delayed_message',
      subtype: 'bot_message',
      bot_id: this.o.botId,
      ...pickMessageFields(p),
    };
    return { ok: true, channel, scheduled_message_id: id, post_at: postAt, message };
  }

  private postMessage(p: Json): Json {
    const problem = this.checkChannel(p) ?? checkMessageContent(p);
    if (problem !== undefined) return problem;
    const { channel, ...message } = this.addMessage(str(p.channel) ?? '', p);
    return { ok: true, channel, ts: message.ts, message };
  }

  private update(p: Json): Json {
    const channel = str(p.channel) ?? '';
    const ts = str(p.ts) ?? '';
    const exists = this.byChannel.get(channel)?.some((m) => m.ts === ts) ?? false;
    const problem =
      this.checkChannel(p) ?? (exists ? undefined : fail('message_not_found')) ?? checkMessageContent(p);
    if (problem !== undefined) return problem;
    const { channel: _c, ...message } = this.replaceMessage(channel, ts, p, 'merge') as FakeMessage;
    return { ok: true, channel, ts, text: message.text ?? '', message };
  }

  private keepModal(view: Json): void {
    this.modals.set(String(view.id), view);
    this.version += 1;
  }

  /** Checks a view and gives it an id (a new one, or `id` for an update). */
  private view(p: Json, type: 'home' | 'modal', existing?: string): Json {
    const view = p.view;
    if (typeof view !== 'object' || view === null || (view as Json).type !== type) {
      return fail('invalid_arguments', {
        response_metadata: { messages: [`[ERROR] view.type must be ${type}`] },
      });
    }
    const problems = [
      ...checkBlocks((view as Json).blocks ?? [], VIEW_MAX_BLOCKS, '/view/blocks'),
      ...(type === 'modal' ? checkModal(view as Json) : []),
    ];
    if (problems.length > 0) return invalidBlocks(problems);
    this.viewCounter += 1;
    const id = existing ?? `V${String(this.viewCounter).padStart(8, '0')}`;
    return { ok: true, view: { id, team_id: this.o.teamId, hash: `${id}.hash`, ...(view as Json) } };
  }

  /** Message timestamps like Slack's: `1700000000.000100`, strictly increasing. */
  private nextTs(): string {
    this.tsCounter += 1;
    const micros = this.tsCounter * 100;
    const seconds = 1_700_000_000 + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }
}

function pickMessageFields(p: Json): Partial<FakeMessage> {
  const picked: Json = {};
  for (const field of MESSAGE_FIELDS) if (p[field] !== undefined) picked[field] = p[field];
  return picked as Partial<FakeMessage>;
}
