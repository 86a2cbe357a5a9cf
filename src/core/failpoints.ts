/**
 * Named points in a destructive operation where the crash tests kill the worker (SIGKILL, like
 * `kill -9`), so each point is proved to resume right (docs/reliability.md). Off unless
 * GANETI_CHATOPS_FAILPOINTS is set, e.g. `after-submit` or `after-submit@2` (the second time the
 * point is reached); several are separated by commas. Never set it in production.
 */
export const FAILPOINTS = [
  /** The worker took the execution of an approved request; nothing is saved yet. */
  'before-start',
  /** A step is saved as `submitting`; nothing is sent to Ganeti yet. */
  'after-submitting-saved',
  /** Ganeti queued the job; its id is not saved yet. */
  'after-submit',
  /** The job id is saved and the job was looked at once. */
  'while-following',
  /** Every step ended and is saved; the outcome is not posted yet. */
  'before-outcome',
] as const;
export type Failpoint = (typeof FAILPOINTS)[number];

export type FailpointHook = (name: Failpoint) => void;

/** Parses the setting; throws on a name it does not know, so a typo cannot silently test nothing. */
export function parseFailpoints(spec: string): Map<Failpoint, number> {
  const points = new Map<Failpoint, number>();
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name = '', nth = '1'] = part.split('@');
    if (!(FAILPOINTS as readonly string[]).includes(name) || !/^[1-9]\d{0,3}$/.test(nth)) {
      throw new Error(`unknown failpoint "${part}"; known: ${FAILPOINTS.join(', ')} (optionally @N)`);
    }
    points.set(name as Failpoint, Number(nth));
  }
  return points;
}

/** A hook that kills this process at the named points; `kill` is injectable for tests. */
export function createFailpoints(
  points: ReadonlyMap<Failpoint, number>,
  kill: () => void = () => process.kill(process.pid, 'SIGKILL'),
): FailpointHook {
  const seen = new Map<Failpoint, number>();
  return (name) => {
    const at = points.get(name);
    if (at === undefined) return;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count === at) kill();
  };
}
