/**
 * Ordered background delivery to Slack, one lane per message (src/bot/slack-post.ts does the
 * retrying). `wait: true` waits for the work itself: the outcome of an operation is saved as
 * posted only once Slack has it (or the retries gave up).
 */
/**
 * Ordered delivery without holding up the caller: work sent on one key (one message, one reply)
 * runs one at a time in the order sent, so an older edit never lands after a newer one while a
 * retry waits; different keys go on independently. A call waits for its work up to `patienceMs`
 * when nothing else is queued on its key, and not at all behind queued work: a slow Slack holds up
 * a worker by at most that, then the work finishes in the background. Work must not throw.
 */
export interface SlackLanes {
  /**
   * Queues `work` on `key`. With `tag`, it replaces work of the same tag still waiting at the end
   * of the queue (a newer edit of the same message supersedes an older one not yet sent).
   */
  send(key: string, work: () => Promise<void>, options?: { tag?: string; wait?: boolean }): Promise<void>;
  /** Waits until every queued work has run (true), or `timeoutMs` passed (false). */
  drain(timeoutMs?: number): Promise<boolean>;
}

interface LaneTask {
  tag: string | undefined;
  work: () => Promise<void>;
  done: () => void;
}

export function createSlackLanes(options: { patienceMs?: number } = {}): SlackLanes {
  const patience = options.patienceMs ?? 1_000;
  /** Per key, the work not started yet; a key is here while its lane runs. */
  const lanes = new Map<string, LaneTask[]>();
  const idle = new Set<() => void>();

  const run = async (key: string, waiting: LaneTask[]) => {
    for (let task = waiting.shift(); task; task = waiting.shift()) {
      await task.work().catch(() => undefined);
      task.done();
    }
    lanes.delete(key);
    if (lanes.size === 0) for (const resolve of [...idle]) resolve();
  };

  return {
    send(key, work, { tag, wait = false } = {}) {
      const waiting = lanes.get(key);
      if (waiting) {
        const last = waiting.at(-1);
        if (!wait && last && tag !== undefined && last.tag === tag) {
          last.work = work;
          return Promise.resolve();
        }
        if (!wait) {
          waiting.push({ tag, work, done: () => undefined });
          return Promise.resolve();
        }
        return new Promise<void>((resolve) => waiting.push({ tag, work, done: resolve }));
      }
      return new Promise<void>((resolve) => {
        const timer = wait ? undefined : setTimeout(resolve, patience);
        const fresh: LaneTask[] = [];
        lanes.set(key, fresh);
        fresh.push({
          tag,
          work,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void run(key, fresh);
      });
    },
    drain(timeoutMs = 30_000) {
      if (lanes.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const finish = (drained: boolean) => {
          clearTimeout(timer);
          idle.delete(done);
          resolve(drained);
        };
        const done = () => finish(true);
        const timer = setTimeout(() => finish(false), timeoutMs);
        idle.add(done);
      });
    },
  };
}
