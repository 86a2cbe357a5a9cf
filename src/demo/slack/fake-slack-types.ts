/**
 * Types of the fake Slack (see `fake-slack.ts`): its options, what it records, and its handle.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault, FaultRule } from './fake-slack-faults.js';

export type { Fault, FaultRule } from './fake-slack-faults.js';

/** The bot scopes of manifest.yaml: what the fake's bot token is granted unless told otherwise. */
export const DEFAULT_BOT_SCOPES: readonly string[] = [
  'commands',
  'chat:write',
  'chat:write.public',
  'usergroups:read',
];

/** A JSON object as the fake receives and answers it. */
export type Json = Record<string, unknown>;

/** Makes chosen calls answer HTTP 429, as Slack does when a rate limit is exceeded. */
export interface RateLimitRule {
  /** The Web API method to limit, e.g. `chat.postMessage`. */
  method: string;
  /** Calls to `method` that succeed before the limit applies (0: the first call is limited). */
  afterCalls: number;
  /** Seconds in the `Retry-After` header. Default 1. */
  retryAfterSec?: number;
  /** How many calls are refused before calls succeed again. Default: all of them. */
  times?: number;
}

/** Options of {@link startFakeSlack}. Every field is optional. */
export interface FakeSlackOptions {
  /** The only bot token accepted. Default `xoxb-test`. */
  botToken?: string;
  /** The only app-level token accepted (by `apps.connections.open`). Default `xapp-test`. */
  appToken?: string;
  /** What `apps.connections.open` returns as `url` (a Socket Mode server). Can be set later. */
  socketUrl?: string;
  /** Default `T0FAKE`. */
  teamId?: string;
  /** The bot's user id, from `auth.test`. Default `U0BOT`. */
  botUserId?: string;
  /** The bot id, from `auth.test`. Default `B0BOT`. */
  botId?: string;
  /** User group id → member user ids, for `usergroups.users.list`. Default none. */
  usergroups?: Record<string, string[]>;
  /** Fields laid over the user `users.info` makes up for an id (e.g. `{ deleted: true }`). */
  users?: Record<string, Json>;
  /** Fields laid over the channel `conversations.info` makes up for an id. */
  channels?: Record<string, Json>;
  /** Channels the bot is not in: posting there answers `not_in_channel`. Default none. */
  notMemberOf?: string[];
  /** Channels that do not exist (or are private without the bot): posting answers `channel_not_found`. */
  missingChannels?: string[];
  /** Archived channels: posting there answers `is_archived`. Default none. */
  archivedChannels?: string[];
  /**
   * The bot token's granted scopes: sent in the `x-oauth-scopes` header of every call made with it,
   * as Slack does, and required by the methods that need one (`missing_scope` otherwise).
   * Default {@link DEFAULT_BOT_SCOPES}.
   */
  scopes?: string[];
  /** The app-level token's scopes; `apps.connections.open` needs `connections:write`. Default that. */
  appScopes?: string[];
  /** Optional rate limit; can be changed later with `setRateLimit`. */
  rateLimit?: RateLimitRule;
  /** Clock in milliseconds, for recording and response_url expiry. Default `Date.now`. */
  now?: () => number;
  /** Port to listen on (127.0.0.1). Default a free one. */
  port?: number;
  /**
   * Requests outside `/api/` and `/response/` (the demo page): return true when answered; the
   * fake answers 404 otherwise. `body` is the raw request body.
   */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => boolean | Promise<boolean>;
}

/** A message as the fake holds it (after updates). */
export interface FakeMessage {
  type: 'message';
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
  thread_ts?: string;
  /** The bot's user id for the bot's messages; the person's for a message typed in the demo page. */
  user: string;
  /** Set on the bot's messages only. */
  bot_id?: string;
  /** A thread reply also shown in the channel ("Also send to #channel"). */
  reply_broadcast?: boolean;
  /** An ephemeral message: only this user sees it (chat.postEphemeral, ephemeral response_url posts). */
  ephemeral_for?: string;
  /** Set by `chat.update` and response_url replacements. */
  edited?: { user: string; ts: string };
}

/** What the fake answers to one call. */
export interface ApiAnswer {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

/** One request the fake received: a Web API call, or a post to a response_url. */
export interface RecordedCall {
  /** The Web API method (`chat.postMessage`), or `response_url` for a post to a response_url. */
  method: string;
  /** The request body; JSON-string fields (`blocks`, `attachments`, `view`, `metadata`) parsed. */
  body: Json;
  /** When it arrived, by the fake's clock (milliseconds). */
  at: number;
  /** The HTTP status the fake answered. */
  status: number;
  /** What the fake answered: the JSON body, or for response_url the error details or `ok`. */
  result: unknown;
  /** The response_url posted to (response_url posts only). */
  url?: string;
  /**
   * Set when an injected fault (`FakeSlack.fault`) answered the call: its label (`HTTP 429`,
   * `HTTP 503`, `internal_error`, …) and whether Slack acted on the call all the same.
   */
  fault?: { label: string; applied: boolean };
}

/** Links a response_url to a channel message, so its posts change `fake.messages(channel)`. */
export interface ResponseUrlOptions {
  /** Channel of the command or action; `in_channel` responses are added there. */
  channel?: string;
  /** The message that `replace_original` / `delete_original` act on (a block action's message). */
  messageTs?: string;
  /** Who the request came from: ephemeral responses are kept as that user's ephemeral messages. */
  user?: string;
}

/** Matches recorded calls: a method name, or any predicate. */
export type CallMatcher = string | ((call: RecordedCall) => boolean);

/** A running fake Slack. Close it in `afterEach`/`afterAll`. */
export interface FakeSlack {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** `${url}/api/`: the `slackApiUrl` for WebClient and Bolt. */
  readonly apiUrl: string;
  /** Every request so far, oldest first. */
  readonly calls: readonly RecordedCall[];
  /** Calls to one Web API method. */
  callsTo(method: string): RecordedCall[];
  /** Posts to response_urls, all or those to one URL. */
  responses(url?: string): RecordedCall[];
  /**
   * The calls Slack acted on (a message posted, edited, …), all or to one method (`response_url`
   * too): answered ok without a fault, or faulted with `applied`. Every attempt, faulted or not,
   * is in `calls`; so a message sent twice shows up twice here.
   */
  delivered(method?: string): RecordedCall[];
  /**
   * Makes chosen calls fail (see {@link FaultRule}); rules apply first added first, before the
   * rate limit, and faulted calls do not count towards it. Returns the rule's handle.
   */
  fault(rule: FaultRule): Fault;
  /** Removes every fault rule. */
  clearFaults(): void;
  /**
   * Resolves with the first call (already recorded or still to come) that matches.
   * Rejects after `timeoutMs` (default 5000) with the list of methods seen, or when the fake closes.
   */
  waitFor(match: CallMatcher, options?: { timeoutMs?: number }): Promise<RecordedCall>;
  /** The messages now in a channel (after updates and deletes), oldest first. */
  messages(channel: string): FakeMessage[];
  /** The ephemeral messages `user` sees in `channel`, oldest first (copies). */
  ephemeral(channel: string, user: string): FakeMessage[];
  /** Adds a message typed by a person (the demo page shows the commands people send). */
  postAsUser(channel: string, user: string, text: string): FakeMessage;
  /** When a message was posted (ms), by its ts. */
  postedAt(ts: string): number | undefined;
  /** A modal as last opened or updated (`views.open`, `views.update`), by its view id. */
  modal(id: string): Json | undefined;
  /** Every modal opened, in the order they were opened. */
  modals(): Json[];
  /** The App Home view last published for `user` (`views.publish`), if any. */
  home(user: string): Json | undefined;
  /** Goes up on every change to any message: a cheap "anything new?" for pollers. */
  version(): number;
  /**
   * A fresh response_url, `${url}/response/<random>`. Like Slack's it accepts 5 posts within 30
   * minutes (by the injected clock). Answers, chosen to be plausible (Slack does not document them):
   * 200 `ok`; 404 `used_url` after 5 posts; 404 `expired_url` after 30 minutes; 404 `invalid_url`
   * for an unknown id; 400 `invalid_payload` / `invalid_blocks` / `no_text` for bad bodies
   * (rejected posts do not count as uses).
   */
  newResponseUrl(options?: ResponseUrlOptions): string;
  /** Replaces the rate limit rule (undefined: none) and resets its counts. */
  setRateLimit(rule: RateLimitRule | undefined): void;
  /** Sets what `apps.connections.open` returns. */
  setSocketUrl(url: string): void;
  /** Forgets recorded calls (not messages). */
  clearCalls(): void;
  /** Stops the server; pending `waitFor`s reject. */
  close(): Promise<void>;
}
