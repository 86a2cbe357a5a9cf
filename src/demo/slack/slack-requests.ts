/**
 * Requests as Slack sends them to an app's Request URL, signed with the app's signing secret,
 * for driving a real Bolt HTTP receiver (`${baseUrl}/slack/events`) in tests.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** The headers Slack adds to prove a request comes from Slack. */
export interface SlackSignatureHeaders {
  'X-Slack-Signature': string;
  'X-Slack-Request-Timestamp': string;
}

/**
 * Signs a request body as Slack does: `v0=` + hex HMAC-SHA256(secret, `v0:${timestamp}:${rawBody}`).
 * @param timestamp - Unix seconds; default now
 */
export function signSlackRequest(
  secret: string,
  rawBody: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const hmac = createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { 'X-Slack-Signature': `v0=${hmac}`, 'X-Slack-Request-Timestamp': String(timestamp) };
}

/** The fields of a slash command as Slack posts them (form-urlencoded, or a Socket Mode payload). */
export interface SlashCommandFields {
  command: string;
  text: string;
  user_id: string;
  user_name: string;
  channel_id: string;
  channel_name: string;
  team_id: string;
  team_domain: string;
  response_url: string;
  trigger_id: string;
  api_app_id: string;
  /** Deprecated verification token; Slack still sends it. */
  token: string;
  is_enterprise_install: string;
}

/**
 * A complete slash command with defaults: `/ganeti` by U0ALICE (alice) in C0OPS (#ops), team T0FAKE,
 * app A1. `response_url` defaults to an unroutable URL: pass `fake.newResponseUrl()` to use it.
 */
export function slashCommandFields(fields: Partial<SlashCommandFields> = {}): SlashCommandFields {
  return {
    token: 'verification-token',
    command: '/ganeti',
    text: '',
    user_id: 'U0ALICE',
    user_name: 'alice',
    channel_id: 'C0OPS',
    channel_name: 'ops',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: 'http://127.0.0.1:9/response/unset',
    trigger_id: `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`,
    ...fields,
  };
}

/** Changes how a request is signed, to test rejections. */
export interface SignOptions {
  /** Unix seconds for `X-Slack-Request-Timestamp` (and the signature). Default now. */
  timestamp?: number;
  /** Sent as `X-Slack-Signature` instead of the real signature. */
  signatureOverride?: string;
}

/** What the app answered. */
export interface SlackRequestResult {
  status: number;
  /** The raw response body ('' when Bolt acks without a body). */
  body: string;
  /** The body parsed as JSON, when it was JSON. */
  json: unknown;
  /** Milliseconds from sending to the complete answer. */
  ms: number;
}

/** Posts a signed form-urlencoded body to `${baseUrl}/slack/events`. */
export function postSignedForm(
  baseUrl: string,
  secret: string,
  rawBody: string,
  options: SignOptions = {},
): Promise<SlackRequestResult> {
  return postSigned(baseUrl, secret, rawBody, 'application/x-www-form-urlencoded', options);
}

async function postSigned(
  baseUrl: string,
  secret: string,
  rawBody: string,
  contentType: string,
  options: SignOptions,
): Promise<SlackRequestResult> {
  const signed = signSlackRequest(secret, rawBody, options.timestamp);
  if (options.signatureOverride !== undefined) signed['X-Slack-Signature'] = options.signatureOverride;
  const started = performance.now();
  const response = await post(new URL('/slack/events', baseUrl), rawBody, {
    'Content-Type': contentType,
    ...signed,
  });
  const ms = performance.now() - started;
  let json: unknown;
  if (response.contentType.includes('application/json') && response.body !== '') {
    json = JSON.parse(response.body);
  }
  return { status: response.status, body: response.body, json, ms };
}

/**
 * One POST on a connection of its own, as Slack's requests arrive. A kept-alive connection can be
 * closed by the server's keep-alive timer just as the next request is written on it (seen when a
 * test blocked its event loop for longer than that timer, e.g. during a synchronous fault.sh):
 * ECONNRESET for a request the bot never saw.
 */
function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent: false, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Sends a signed slash command (defaults from {@link slashCommandFields}). */
export function sendSlashCommand(
  baseUrl: string,
  secret: string,
  fields: Partial<SlashCommandFields> = {},
  options: SignOptions = {},
): Promise<SlackRequestResult> {
  const raw = new URLSearchParams({ ...slashCommandFields(fields) }).toString();
  return postSignedForm(baseUrl, secret, raw, options);
}

/** Sends a signed interaction (`payload=<json>`, form-urlencoded), e.g. a {@link blockActionPayload}. */
export function sendInteraction(
  baseUrl: string,
  secret: string,
  payload: object,
  options: SignOptions = {},
): Promise<SlackRequestResult> {
  const raw = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSignedForm(baseUrl, secret, raw, options);
}

/**
 * Sends a signed Events API callback (JSON, as Slack posts it), e.g. `app_home_opened`:
 * `{ type: 'event_callback', event: { type: 'app_home_opened', user, tab: 'home' }, … }`.
 */
export async function sendEvent(
  baseUrl: string,
  secret: string,
  event: Record<string, unknown>,
  options: { teamId?: string } = {},
): Promise<SlackRequestResult> {
  const raw = JSON.stringify({
    token: 'verification-token',
    team_id: options.teamId ?? 'T0FAKE',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { event_ts: `${Date.now() / 1000}`, ...event },
  });
  return postSigned(baseUrl, secret, raw, 'application/json', {});
}

/** What a button click is about. */
export interface BlockActionInput {
  /** User id of whoever clicked. */
  user: string;
  /** Channel id of the message with the button. */
  channel: string;
  actionId: string;
  value?: string;
  /** `ts` of the message with the button. */
  messageTs: string;
  responseUrl: string;
  blockId?: string;
  userName?: string;
  teamId?: string;
  /** The button was on an ephemeral message (`container.is_ephemeral`). */
  ephemeral?: boolean;
}

/** A `block_actions` payload for a button click on a channel message, shaped like Slack's. */
export function blockActionPayload(input: BlockActionInput): Record<string, unknown> {
  const teamId = input.teamId ?? 'T0FAKE';
  const userName = input.userName ?? input.user.toLowerCase();
  const actionTs = `${Math.floor(Date.now() / 1000)}.000000`;
  return {
    type: 'block_actions',
    user: { id: input.user, username: userName, name: userName, team_id: teamId },
    api_app_id: 'A1',
    token: 'verification-token',
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channel,
      is_ephemeral: input.ephemeral ?? false,
    },
    trigger_id: `${Date.now()}.1.${randomBytes(8).toString('hex')}`,
    team: { id: teamId, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: `channel-${input.channel.toLowerCase()}` },
    message: { type: 'message', ts: input.messageTs, text: '', user: 'U0BOT', bot_id: 'B0BOT' },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: input.blockId ?? 'actions',
        text: { type: 'plain_text', text: 'Button', emoji: true },
        ...(input.value === undefined ? {} : { value: input.value }),
        action_ts: actionTs,
      },
    ],
  };
}

/** What a person typed or picked in a modal, by block id: a string, or `{ selected: value }`. */
export type ModalAnswers = Record<string, string | { selected: string } | null>;

/**
 * A `view_submission` payload for a modal as the fake stored it (`fake.modal(id)`), shaped like
 * Slack's: the view with `state.values` filled in from `answers` for its input blocks (action id
 * of each block's element). A block left out of `answers` is submitted empty.
 */
export function viewSubmissionPayload(input: {
  user: string;
  view: Record<string, unknown>;
  answers: ModalAnswers;
  teamId?: string;
}): Record<string, unknown> {
  const teamId = input.teamId ?? 'T0FAKE';
  const blocks = Array.isArray(input.view.blocks)
    ? (input.view.blocks as Array<Record<string, unknown>>)
    : [];
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    if (block.type !== 'input' || typeof block.block_id !== 'string') continue;
    const element = block.element as { type?: string; action_id?: string } | undefined;
    const actionId = element?.action_id ?? 'value';
    const answer = input.answers[block.block_id];
    values[block.block_id] = {
      [actionId]:
        element?.type === 'static_select'
          ? {
              type: 'static_select',
              selected_option:
                answer && typeof answer === 'object'
                  ? { text: { type: 'plain_text', text: answer.selected }, value: answer.selected }
                  : null,
            }
          : { type: element?.type ?? 'plain_text_input', value: typeof answer === 'string' ? answer : null },
    };
  }
  const name = input.user.toLowerCase();
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'fake' },
    user: { id: input.user, username: name, name, team_id: teamId },
    api_app_id: 'A1',
    token: 'verification-token',
    trigger_id: `${Date.now()}.1.${randomBytes(8).toString('hex')}`,
    view: { ...input.view, state: { values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/**
 * A `block_actions` payload for a button clicked in a person's App Home, shaped like Slack's:
 * the container is the view (`type: 'view'`), the view is sent along, and no channel, message or
 * response_url is named.
 */
export function homeActionPayload(input: {
  user: string;
  /** The published Home view, as the fake keeps it (`fake.home(user)`). */
  view: Record<string, unknown>;
  actionId: string;
  value: string;
  blockId?: string;
  teamId?: string;
}): Record<string, unknown> {
  const teamId = input.teamId ?? 'T0FAKE';
  const name = input.user.toLowerCase();
  const viewId = String(input.view.id ?? '');
  return {
    type: 'block_actions',
    user: { id: input.user, username: name, name, team_id: teamId },
    api_app_id: 'A1',
    token: 'verification-token',
    container: { type: 'view', view_id: viewId },
    trigger_id: `${Date.now()}.1.${randomBytes(8).toString('hex')}`,
    team: { id: teamId, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    view: { ...input.view, id: viewId, type: 'home', state: { values: {} } },
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: input.blockId ?? 'actions',
        text: { type: 'plain_text', text: 'Button', emoji: true },
        value: input.value,
        action_ts: `${Math.floor(Date.now() / 1000)}.000000`,
      },
    ],
  };
}
