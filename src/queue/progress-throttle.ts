/**
 * Progress lines for slow commands only: nothing in the first `delayMs` (most reads finish
 * sooner), then at most one update every `intervalMs` (chat.update is rate limited).
 * The newest line wins; a line superseded during the wait is never sent.
 */
export function createProgressThrottle(options: {
  send: (text: string) => Promise<void>;
  delayMs: number;
  intervalMs: number;
  now: () => number;
  onError: (error: unknown) => void;
}) {
  const started = options.now();
  let lastSent = -Infinity;
  let pending: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const flush = () => {
    timer = null;
    if (stopped || pending === null) return;
    const text = pending;
    pending = null;
    lastSent = options.now();
    inFlight = options.send(text).catch(options.onError);
  };

  return {
    push(text: string) {
      if (stopped) return;
      pending = text;
      if (timer) return;
      const t = options.now();
      const due = Math.max(started + options.delayMs, lastSent + options.intervalMs);
      timer = setTimeout(flush, Math.max(0, due - t));
    },
    /** Stops sending and waits for a send in flight, so the final answer comes after it. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
