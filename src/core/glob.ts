/**
 * Shell-style glob matching: `*` any run of characters, `?` exactly one, everything else literal.
 * Iterative, with one backtrack point (the last `*`): at most length(text) × length(pattern)
 * steps, never the exponential blow-up of a backtracking regular expression built from the
 * pattern (a user's `****…` must not stall the event loop).
 */
export function globMatch(text: string, pattern: string, options: { ignoreCase?: boolean } = {}): boolean {
  const t = options.ignoreCase ? text.toLowerCase() : text;
  const p = options.ignoreCase ? pattern.toLowerCase() : pattern;
  let ti = 0;
  let pi = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === t[ti]))) {
      ti += 1;
      pi += 1;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi;
      mark = ti;
      pi += 1;
    } else if (star !== -1) {
      pi = star + 1;
      mark += 1;
      ti = mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi += 1;
  return pi === p.length;
}
