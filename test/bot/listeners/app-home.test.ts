import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { createHomeViewers } from '../../../src/bot/home/home-viewers.js';
import { createAppHome } from '../../../src/bot/listeners/app-home.js';
import { captureLogger } from '../../support/capture-logger.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());
let prefixes = 0;

function setup(publishFails = false, timing = { minIntervalMs: 5_000, changeDelayMs: 2_000 }) {
  const published: string[] = [];
  const logs = captureLogger('warn');
  let views = 0;
  const home = createAppHome({
    view: async (user) => {
      views += 1;
      return {
        type: 'home',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${user} ${views}` } }],
      };
    },
    publish: async (user) => {
      if (publishFails) throw new Error('ratelimited');
      published.push(user);
    },
    logger: logs.logger,
    ...timing,
    now: () => Date.now(),
    viewers: createHomeViewers({ redis, prefix: `home-test-${process.pid}-${(prefixes += 1)}` }),
  });
  return { home, published, logs };
}

describe('the App Home listener', () => {
  it('publishes at once when someone opens the Home tab, and ignores the Messages tab', async () => {
    const { home, published } = setup();
    await home.onOpened({ event: { user: 'U0ALICE', tab: 'home' } });
    await home.onOpened({ event: { user: 'U0ALICE', tab: 'messages' } });
    expect(published).toEqual(['U0ALICE']);
  });

  it('answers a burst of opens with one more publish at the end of the interval, per person', async () => {
    const { home, published } = setup();
    await home.onOpened({ event: { user: 'U0ALICE', tab: 'home' } });
    const burst = [1, 2, 3].map(() => home.onOpened({ event: { user: 'U0ALICE', tab: 'home' } }));
    await home.onOpened({ event: { user: 'U0BOB', tab: 'home' } });
    expect(published).toEqual(['U0ALICE', 'U0BOB']);
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(burst);
    expect(published).toEqual(['U0ALICE', 'U0BOB', 'U0ALICE']);
  });

  it('logs a failed publish and keeps serving', async () => {
    const { home, logs } = setup(true);
    await home.onOpened({ event: { user: 'U0ALICE', tab: 'home' } });
    expect(logs.lines.some((l) => l.msg === 'could not publish the App Home')).toBe(true);
  });

  it('drops publishes still waiting when stopped, without leaving a listener hanging', async () => {
    const { home, published } = setup();
    await home.refresh('U0ALICE');
    const waiting = home.refresh('U0ALICE');
    home.stop();
    await waiting;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(published).toEqual(['U0ALICE']);
  });

  it('publishes again, once for a burst of changes, the Home of everyone who opened theirs', async () => {
    // Real time: the viewers are read from Redis, which fake timers do not wait for.
    vi.useRealTimers();
    const { home, published } = setup(false, { minIntervalMs: 300, changeDelayMs: 100 });
    await home.onOpened({ event: { user: 'U0ALICE', tab: 'home' } });
    await home.onOpened({ event: { user: 'U0BOB', tab: 'home' } });
    published.length = 0;
    home.changed();
    home.changed();
    home.changed();
    expect(published).toEqual([]);
    await vi.waitFor(() => expect([...published].sort()).toEqual(['U0ALICE', 'U0BOB']), { timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 800));
    expect(published).toHaveLength(2);
    home.stop();
  });

  it('publishes nobody’s Home on a change when nobody opened theirs', async () => {
    const { home, published } = setup();
    home.changed();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(published).toEqual([]);
  });
});
