/**
 * Injected failures of the fake Slack (see `fake-slack.ts`): chosen calls answer HTTP 429 with
 * `Retry-After`, HTTP 5xx, or `{"ok":false,"error":"internal_error"}`-style errors instead of
 * what the method would answer.
 */
import type { Json } from './fake-slack-types.js';

/** What a faulted call answers, and which calls fault. Exactly one of `status` and `error`. */
export interface FaultRule {
  /** A Web API method (`chat.postMessage`), or `response_url` for posts to response_urls. */
  method: string;
  /**
   * An HTTP status: 429 answers `{"ok":false,"error":"ratelimited"}` with a `Retry-After`
   * header, as Slack does; 5xx answer a plain-text body, as Slack's edge does.
   */
  status?: number;
  /** HTTP 200 `{"ok":false,"error":ERROR}`, e.g. `internal_error` or `fatal_error` (Web API only). */
  error?: string;
  /** Seconds in the `Retry-After` header of a 429. Default 1. */
  retryAfterSec?: number;
  /** How many matching calls fault. Default: every one (while the rule lasts). */
  times?: number;
  /** The rule lasts this long from now, by the fake's clock. Default: until cleared. */
  forMs?: number;
  /** Only calls whose body matches fault (default: every call to `method`). */
  match?: (body: Json) => boolean;
  /**
   * Slack acted on the call (posted, edited) and then failed to answer: the ambiguous failure a
   * client cannot tell from one where nothing happened. Default false: nothing happens.
   */
  applied?: boolean;
}

/** A rule in force. */
export interface Fault {
  /** Calls it answered so far. */
  readonly hits: number;
  /** Whether it still applies (not used up, expired or cleared). */
  readonly active: boolean;
  clear(): void;
}

/** How one faulted call is answered. */
export interface FaultAnswer {
  status: number;
  body: Json | string;
  headers: Record<string, string>;
  /** Recorded on the call: `HTTP 503`, `internal_error`, … */
  label: string;
  applied: boolean;
}

interface Entry {
  rule: FaultRule;
  until: number;
  hits: number;
  cleared: boolean;
}

/** The fault rules of one fake Slack, first added first. */
export class FaultSet {
  private readonly entries: Entry[] = [];

  constructor(private readonly now: () => number) {}

  add(rule: FaultRule): Fault {
    if ((rule.status === undefined) === (rule.error === undefined))
      throw new Error('fake Slack fault: give exactly one of status and error');
    if (rule.error !== undefined && rule.method === 'response_url')
      throw new Error('fake Slack fault: a response_url answers HTTP statuses, not Web API errors');
    const entry: Entry = { rule, until: this.now() + (rule.forMs ?? Infinity), hits: 0, cleared: false };
    this.entries.push(entry);
    const isActive = () => this.isActive(entry);
    return {
      get hits() {
        return entry.hits;
      },
      get active() {
        return isActive();
      },
      clear: () => {
        entry.cleared = true;
      },
    };
  }

  clear(): void {
    for (const entry of this.entries) entry.cleared = true;
    this.entries.length = 0;
  }

  /** The answer for this call if a rule applies to it (and counts the hit), else undefined. */
  take(method: string, body: Json): FaultAnswer | undefined {
    const entry = this.entries.find(
      (e) => e.rule.method === method && this.isActive(e) && (e.rule.match?.(body) ?? true),
    );
    if (entry === undefined) return undefined;
    entry.hits += 1;
    return answerOf(entry.rule);
  }

  private isActive(entry: Entry): boolean {
    return !entry.cleared && entry.hits < (entry.rule.times ?? Infinity) && this.now() < entry.until;
  }
}

function answerOf(rule: FaultRule): FaultAnswer {
  const applied = rule.applied === true;
  if (rule.error !== undefined)
    return { status: 200, body: { ok: false, error: rule.error }, headers: {}, label: rule.error, applied };
  const status = rule.status ?? 500;
  const label = `HTTP ${status}`;
  if (status === 429) {
    const headers = { 'retry-after': String(rule.retryAfterSec ?? 1) };
    const body = rule.method === 'response_url' ? 'ratelimited' : { ok: false, error: 'ratelimited' };
    return { status, body, headers, label, applied };
  }
  return { status, body: `fake Slack: injected ${label}`, headers: {}, label, applied };
}
