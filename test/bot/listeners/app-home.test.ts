import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppHome } from '../../../src/bot/listeners/app-home.js';
import { captureLogger } from '../../support/capture-logger.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(publishFails = false) {
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
    minIntervalMs: 5_000,
    now: () => Date.now(),
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
});
