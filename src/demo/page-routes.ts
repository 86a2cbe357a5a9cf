import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { DEMO_CHANNELS, DEMO_USERS, channelName, userName } from './demo-workspace.js';
import { channelView, clusterView } from './page-view.js';
import { blocksHtml } from './page/block-kit-html.js';
import { messageHtml } from './page/message-html.js';
import type { FakeSlack } from './slack/fake-slack-types.js';
import { blockActionPayload, sendEvent, sendInteraction, sendSlashCommand } from './slack/slack-requests.js';
import type { Simulator } from './simulator/interpreter.js';

export interface PageRoutesDeps {
  slack: () => FakeSlack;
  simulator: Simulator;
  /** Where the bot receives Slack's requests (`http://127.0.0.1:PORT`, HTTP mode). */
  botUrl: () => string;
  signingSecret: string;
}

/** The page's files (src/demo/page/): the same path from src/demo and from dist/demo. */
const ASSETS = new URL('../../src/demo/page/', import.meta.url);
const ASSET_TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'page.js': 'text/javascript; charset=utf-8',
  'page.css': 'text/css; charset=utf-8',
};

const knownUser = z.string().refine((id) => DEMO_USERS.some((u) => u.id === id), 'not a demo user');
const knownChannel = z.string().refine((id) => DEMO_CHANNELS.some((c) => c.id === id), 'not a demo channel');
const CommandBody = z.object({ user: knownUser, channel: knownChannel, text: z.string().max(4000) });
const ActionBody = z.object({
  user: knownUser,
  channel: knownChannel,
  ts: z.string().min(1),
  actionId: z.string().min(1),
  blockId: z.string().optional(),
  value: z.string().optional(),
  ephemeral: z.boolean().default(false),
});
const HomeBody = z.object({ user: knownUser });
/** The page's name for the App Home tab, in place of a channel id. */
export const HOME = 'home';
const NodeBody = z.object({
  node: z.string().min(1),
  fault: z.enum(['unreachable', 'noded-down', 'powered-off']).nullable(),
});

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
  return true;
}

function parse<T>(schema: z.ZodType<T>, raw: string): { ok: true; value: T } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'the request body is not JSON' };
  }
  const result = schema.safeParse(data);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, error: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

/**
 * The demo page's routes, served by the fake Slack beside its Web API: the page itself, what a
 * user sees in a channel, and what they do (a slash command, a button click, a node's power)
 * turned into the requests Slack would send the bot, signed like Slack's.
 */
export function createPageRoutes(deps: PageRoutesDeps) {
  const names = { user: userName, channel: channelName };

  const state = (url: URL) => {
    const user = url.searchParams.get('user') ?? DEMO_USERS[0]?.id ?? '';
    const channel = url.searchParams.get('channel') ?? DEMO_CHANNELS[0]?.id ?? '';
    // Every channel's view once: its length is the channel's count, the current one is shown.
    const views = new Map(DEMO_CHANNELS.map((c) => [c.id, channelView(deps.slack(), c.id, user)]));
    return {
      version: deps.slack().version(),
      counts: Object.fromEntries([...views].map(([id, messages]) => [id, messages.length])),
      html:
        channel === HOME
          ? homeHtml(user)
          : (views.get(channel) ?? []).map((m) => messageHtml(m, names)).join('\n'),
      nodes: clusterView(deps.simulator.cluster),
    };
  };

  const homeHtml = (user: string) => {
    const home = deps.slack().home(user);
    return home
      ? `<article class="home">${blocksHtml(home.blocks, names)}</article>`
      : '<p class="home-empty">The bot has not published a Home for you yet.</p>';
  };

  const command = async (body: z.infer<typeof CommandBody>) => {
    const slack = deps.slack();
    const channel = channelName(body.channel);
    slack.postAsUser(body.channel, body.user, `/ganeti ${body.text}`.trim());
    const responseUrl = slack.newResponseUrl({ channel: body.channel, user: body.user });
    const sent = await sendSlashCommand(deps.botUrl(), deps.signingSecret, {
      text: body.text,
      user_id: body.user,
      user_name: userName(body.user),
      channel_id: body.channel,
      channel_name: channel,
      response_url: responseUrl,
    });
    // Slack shows an acknowledgement's body as the response (ephemeral unless it says otherwise).
    if (sent.status === 200 && sent.body.trim().startsWith('{')) {
      await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: sent.body,
      });
    }
    return { status: sent.status };
  };

  const action = async (body: z.infer<typeof ActionBody>) => {
    const responseUrl = deps
      .slack()
      .newResponseUrl({ channel: body.channel, user: body.user, messageTs: body.ts });
    const payload = blockActionPayload({
      user: body.user,
      userName: userName(body.user),
      channel: body.channel,
      actionId: body.actionId,
      messageTs: body.ts,
      responseUrl,
      ephemeral: body.ephemeral,
      ...(body.blockId === undefined ? {} : { blockId: body.blockId }),
      ...(body.value === undefined ? {} : { value: body.value }),
    });
    const sent = await sendInteraction(deps.botUrl(), deps.signingSecret, payload);
    return { status: sent.status };
  };

  const asset = async (res: ServerResponse, name: string): Promise<true> => {
    const type = ASSET_TYPES[name];
    if (type === undefined) return json(res, 404, { error: `no such file: ${name}` });
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(await readFile(new URL(name, ASSETS)));
    return true;
  };

  return async (req: IncomingMessage, res: ServerResponse, url: URL, raw: string): Promise<boolean> => {
    const path = url.pathname;
    if (req.method === 'GET' && path === '/') return asset(res, 'index.html');
    if (req.method === 'GET' && path.startsWith('/demo/assets/')) return asset(res, path.slice(13));
    if (req.method === 'GET' && path === '/demo/workspace') {
      return json(res, 200, { users: DEMO_USERS, channels: DEMO_CHANNELS });
    }
    if (req.method === 'GET' && path === '/demo/state') return json(res, 200, state(url));
    if (req.method !== 'POST') return false;
    if (path === '/demo/command') {
      const body = parse(CommandBody, raw);
      return body.ok ? json(res, 200, await command(body.value)) : json(res, 400, { error: body.error });
    }
    if (path === '/demo/action') {
      const body = parse(ActionBody, raw);
      return body.ok ? json(res, 200, await action(body.value)) : json(res, 400, { error: body.error });
    }
    if (path === '/demo/home') {
      // Opening the Home tab: Slack sends the app an app_home_opened event.
      const body = parse(HomeBody, raw);
      if (!body.ok) return json(res, 400, { error: body.error });
      const sent = await sendEvent(deps.botUrl(), deps.signingSecret, {
        type: 'app_home_opened',
        user: body.value.user,
        channel: `D0${body.value.user.slice(1)}`,
        tab: 'home',
      });
      return json(res, 200, { status: sent.status });
    }
    if (path === '/demo/node') {
      const body = parse(NodeBody, raw);
      if (!body.ok) return json(res, 400, { error: body.error });
      if (!deps.simulator.cluster.nodes.some((n) => n.name === body.value.node)) {
        return json(res, 400, { error: `no node named ${body.value.node}` });
      }
      deps.simulator.setFault(body.value.node, body.value.fault);
      return json(res, 200, { nodes: clusterView(deps.simulator.cluster) });
    }
    return false;
  };
}
