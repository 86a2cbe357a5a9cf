import type { HomeView } from '@slack/types';
import type { Logger } from 'pino';
import type { HomeViewers } from '../home/home-viewers.js';

export interface AppHomeDeps {
  /** Builds the person's Home view (src/bot/home/home-data.ts, src/bot/render/render-home.ts). */
  view: (user: string) => Promise<HomeView>;
  /** `views.publish` for the person. */
  publish: (user: string, view: HomeView) => Promise<void>;
  logger: Logger;
  /** At most one publish per person this often; opens in between are answered once, at its end. */
  minIntervalMs?: number;
  now?: () => number;
  /** Who opened their Home lately: published again by `changed`. */
  viewers?: HomeViewers;
  /** `changed` waits this long, so that a burst of changes costs one round. Default 2 s. */
  changeDelayMs?: number;
}

/** Whose Home `changed` publishes again: people who opened it in the last day. */
const VIEWERS_WITHIN_MS = 24 * 3600_000;
const VIEWERS_AT_MOST = 100;

export interface AppHome {
  /** Bolt's `app_home_opened` listener. */
  onOpened: (args: { event: { user: string; tab?: string } }) => Promise<void>;
  /** Publishes a person's Home again (rate-limited as an open). */
  refresh(user: string): Promise<void>;
  /**
   * Something a Home shows changed (a request, an incident): publishes the Home of everyone who
   * opened theirs lately again, once for a burst of changes. Never throws.
   */
  changed(): void;
  /** Cancels publishes still waiting for their turn. */
  stop(): void;
}

/**
 * The App Home tab: published when someone opens it, rate-limited per person so that clicking
 * back and forth (or a burst of refreshes) costs one `views.publish` per interval. A failure is
 * logged; the person sees the last published view, as in Slack.
 */
export function createAppHome(deps: AppHomeDeps): AppHome {
  const minIntervalMs = deps.minIntervalMs ?? 5_000;
  const now = deps.now ?? Date.now;
  const lastAt = new Map<string, number>();
  const waiting = new Map<string, { timer: NodeJS.Timeout; done: Promise<void>; resolve: () => void }>();

  const publishNow = async (user: string) => {
    lastAt.set(user, now());
    try {
      await deps.publish(user, await deps.view(user));
    } catch (error) {
      deps.logger.warn({ err: error, user }, 'could not publish the App Home');
    }
  };

  const refresh = (user: string): Promise<void> => {
    const queued = waiting.get(user);
    if (queued) return queued.done;
    const wait = (lastAt.get(user) ?? -Infinity) + minIntervalMs - now();
    if (wait <= 0) return publishNow(user);
    let resolve: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolve = r));
    const timer = setTimeout(() => {
      waiting.delete(user);
      void publishNow(user).then(resolve);
    }, wait);
    waiting.set(user, { timer, done, resolve });
    return done;
  };

  let changeTimer: NodeJS.Timeout | null = null;
  const republishViewers = async () => {
    changeTimer = null;
    if (!deps.viewers) return;
    try {
      const users = await deps.viewers.since(now() - VIEWERS_WITHIN_MS, VIEWERS_AT_MOST);
      await Promise.all(users.map((u) => refresh(u)));
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not publish the App Homes again');
    }
  };

  return {
    onOpened: async ({ event }) => {
      if (event.tab !== undefined && event.tab !== 'home') return;
      await deps.viewers
        ?.seen(event.user, now())
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not note an App Home open'));
      await refresh(event.user);
    },
    refresh,
    changed: () => {
      if (changeTimer || !deps.viewers) return;
      changeTimer = setTimeout(() => void republishViewers(), deps.changeDelayMs ?? 2_000);
    },
    stop: () => {
      if (changeTimer) clearTimeout(changeTimer);
      changeTimer = null;
      for (const { timer, resolve } of waiting.values()) {
        clearTimeout(timer);
        resolve();
      }
      waiting.clear();
    },
  };
}
