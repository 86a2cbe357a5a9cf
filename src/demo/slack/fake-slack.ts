/**
 * A fake Slack for tests: an HTTP server on 127.0.0.1 that answers like Slack's Web API at
 * `${url}/api/<method>` and like a response_url at `${url}/response/<id>`, and records every call.
 *
 * Point a WebClient or Bolt at it with `slackApiUrl: fake.apiUrl` (for Socket Mode, in
 * `installerOptions.clientOptions` too). The methods and their errors are in `fake-slack-api.ts`;
 * injected failures (429 with Retry-After, 5xx, `internal_error`) in `fake-slack-faults.ts`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeWebApi, checkMessageContent } from './fake-slack-api.js';
import { FaultSet, type FaultAnswer } from './fake-slack-faults.js';
import { DEFAULT_BOT_SCOPES } from './fake-slack-types.js';
import type {
  CallMatcher,
  FakeSlack,
  FakeSlackOptions,
  Json,
  RecordedCall,
  ResponseUrlOptions,
} from './fake-slack-types.js';

export type * from './fake-slack-types.js';

/** Maximum posts to one response_url, and its lifetime. */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;
const JSON_STRING_FIELDS = ['blocks', 'attachments', 'view', 'metadata'];

interface ResponseUrlState extends ResponseUrlOptions {
  createdAt: number;
  uses: number;
}

interface Waiter {
  match: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a form-urlencoded or JSON body; JSON-string fields become objects when they parse. */
function parseApiBody(raw: string, contentType: string, query: URLSearchParams): Json {
  const body: Json = Object.fromEntries(query);
  if (contentType.includes('application/json')) {
    const parsed: unknown = raw === '' ? {} : JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null) Object.assign(body, parsed);
  } else {
    Object.assign(body, Object.fromEntries(new URLSearchParams(raw)));
  }
  for (const field of JSON_STRING_FIELDS) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    try {
      body[field] = JSON.parse(value);
    } catch {
      // Left as a string: the method answers invalid_blocks_format, as Slack does.
    }
  }
  return body;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const isText = typeof body === 'string';
  res.writeHead(status, { 'content-type': isText ? 'text/plain' : 'application/json', ...headers });
  res.end(isText ? body : JSON.stringify(body));
}

function isOk(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as Json).ok === true;
}

/** Starts a fake Slack on 127.0.0.1 on a free port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const now = options.now ?? Date.now;
  const api = new FakeWebApi(
    {
      botToken: options.botToken ?? 'xoxb-test',
      appToken: options.appToken ?? 'xapp-test',
      teamId: options.teamId ?? 'T0FAKE',
      botUserId: options.botUserId ?? 'U0BOT',
      botId: options.botId ?? 'B0BOT',
      usergroups: options.usergroups ?? {},
      users: options.users ?? {},
      channels: options.channels ?? {},
      notMemberOf: options.notMemberOf ?? [],
      missingChannels: options.missingChannels ?? [],
      archivedChannels: options.archivedChannels ?? [],
      scopes: options.scopes ?? [...DEFAULT_BOT_SCOPES],
      appScopes: options.appScopes ?? ['connections:write'],
    },
    now,
  );
  api.socketUrl = options.socketUrl;
  api.rateLimit = options.rateLimit;
  const calls: RecordedCall[] = [];
  const waiters = new Set<Waiter>();
  const responseUrls = new Map<string, ResponseUrlState>();
  const faults = new FaultSet(now);
  let baseUrl = '';

  const record = (call: RecordedCall): void => {
    calls.push(call);
    for (const waiter of waiters) {
      if (!waiter.match(call)) continue;
      waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(call);
    }
  };

  const handleApi = (method: string, req: IncomingMessage, body: Json, res: ServerResponse): void => {
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    const token = bearer ?? (typeof body.token === 'string' ? body.token : undefined);
    const fault = faults.take(method, body);
    if (fault && !fault.applied) return answerFault(res, { method, body, at: now() }, fault, false);
    const answer = api.handle(method, body, token);
    // An applied fault: the method ran (and changed the state) but its answer is lost.
    if (fault) return answerFault(res, { method, body, at: now() }, fault, isOk(answer.body));
    record({ method, body, at: now(), status: answer.status, result: answer.body });
    send(res, answer.status, answer.body, answer.headers);
  };

  const answerFault = (
    res: ServerResponse,
    call: Pick<RecordedCall, 'method' | 'body' | 'at' | 'url'>,
    fault: FaultAnswer,
    applied: boolean,
  ): void => {
    record({ ...call, status: fault.status, result: fault.body, fault: { label: fault.label, applied } });
    send(res, fault.status, fault.body, fault.headers);
  };

  const judgeResponse = (state: ResponseUrlState | undefined, body: Json | undefined): [number, unknown] => {
    if (body === undefined) return [400, 'invalid_payload'];
    if (state === undefined) return [404, 'invalid_url'];
    if (now() - state.createdAt >= RESPONSE_URL_LIFETIME_MS) return [404, 'expired_url'];
    if (state.uses >= RESPONSE_URL_USES) return [404, 'used_url'];
    const problem = body.delete_original === true ? undefined : checkMessageContent(body);
    if (problem !== undefined) return [400, problem];
    state.uses += 1;
    applyResponse(state, body);
    return [200, 'ok'];
  };

  const handleResponseUrl = (id: string, raw: string, res: ServerResponse): void => {
    let body: Json | undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null) body = parsed as Json;
    } catch {
      // Not JSON: answered invalid_payload.
    }
    const url = `${baseUrl}/response/${id}`;
    const call = { method: 'response_url', url, body: body ?? { raw }, at: now() };
    const fault = faults.take('response_url', call.body);
    if (fault && !fault.applied) return answerFault(res, call, fault, false);
    const [status, result] = judgeResponse(responseUrls.get(id), body);
    if (fault) return answerFault(res, call, fault, status === 200);
    record({ ...call, status, result });
    send(res, status, typeof result === 'string' ? result : String((result as Json).error));
  };

  const applyResponse = (state: ResponseUrlState, body: Json): void => {
    const { channel, messageTs } = state;
    if (channel === undefined) return;
    if (messageTs !== undefined && body.delete_original === true) api.deleteMessage(channel, messageTs);
    else if (messageTs !== undefined && body.replace_original === true) {
      api.replaceMessage(channel, messageTs, body, 'replace');
    } else if (body.response_type === 'in_channel') api.addMessage(channel, body);
    else if (state.user !== undefined) api.addEphemeral(channel, state.user, body);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const parsedUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req);
      const apiMatch = /^\/api\/([\w.]+)$/.exec(parsedUrl.pathname);
      const responseMatch = /^\/response\/(\w+)$/.exec(parsedUrl.pathname);
      if (apiMatch?.[1] !== undefined) {
        let body: Json;
        try {
          body = parseApiBody(raw, req.headers['content-type'] ?? '', parsedUrl.searchParams);
        } catch {
          send(res, 200, { ok: false, error: 'invalid_json' });
          return;
        }
        handleApi(apiMatch[1], req, body, res);
      } else if (responseMatch?.[1] !== undefined && req.method === 'POST') {
        handleResponseUrl(responseMatch[1], raw, res);
      } else if (!(await options.routes?.(req, res, parsedUrl, raw))) {
        send(res, 404, 'not_found');
      }
    })().catch((error: unknown) => send(res, 500, String(error)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const toPredicate = (match: CallMatcher) =>
    typeof match === 'string' ? (call: RecordedCall) => call.method === match : match;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responses: (url) =>
      calls.filter((c) => c.method === 'response_url' && (url === undefined || c.url === url)),
    delivered: (method) =>
      calls.filter(
        (c) =>
          (method === undefined || c.method === method) &&
          (c.fault ? c.fault.applied : c.status === 200 && (c.result === 'ok' || isOk(c.result))),
      ),
    fault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    waitFor(match, { timeoutMs = 5000 } = {}) {
      const predicate = toPredicate(match);
      const found = calls.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<RecordedCall>((resolve, reject) => {
        const waiter: Waiter = {
          match: predicate,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const seen = calls.map((c) => c.method).join(', ') || 'none';
            reject(new Error(`fake Slack: no matching call within ${timeoutMs} ms (calls so far: ${seen})`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    messages: (channel) => api.messagesIn(channel),
    ephemeral: (channel, user) => api.ephemeralIn(channel, user),
    postAsUser: (channel, user, text) => api.addUserMessage(channel, user, text),
    postedAt: (ts) => api.postedAt(ts),
    version: () => api.version,
    modal: (id) => {
      const view = api.modals.get(id);
      return view === undefined ? undefined : structuredClone(view);
    },
    modals: () => [...api.modals.values()].map((v) => structuredClone(v)),
    home: (user) => {
      const view = api.homeViews.get(user);
      return view === undefined ? undefined : structuredClone(view);
    },
    newResponseUrl(responseOptions = {}) {
      const id = randomBytes(12).toString('hex');
      responseUrls.set(id, { ...responseOptions, createdAt: now(), uses: 0 });
      return `${baseUrl}/response/${id}`;
    },
    setRateLimit: (rule) => api.setRateLimit(rule),
    setSocketUrl: (url) => {
      api.socketUrl = url;
    },
    clearCalls: () => {
      calls.length = 0;
    },
    async close() {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('fake Slack closed'));
      }
      waiters.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
