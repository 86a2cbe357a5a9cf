/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string alignment):
 * `nodse` is one typo away from `nodes`, as a person sees it.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidates closest to `input` (at most `limit`), for "did you mean". A candidate
 * qualifies when few edits away relative to its length, or when one starts with the other.
 */
export function closest(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const needle = input.toLowerCase();
  const scored: Array<{ c: string; d: number }> = [];
  const allowed = Math.max(1, Math.floor(Math.max(needle.length, 3) / 3));
  for (const c of candidates) {
    const hay = c.toLowerCase();
    const prefix = needle.length >= 3 && hay.startsWith(needle);
    // The distance is at least the difference in length: skip what cannot qualify, so a long
    // input (up to the tokenizer's limit) costs nothing against thousands of names.
    if (!prefix && Math.abs(needle.length - hay.length) > allowed) continue;
    const d = editDistance(needle, hay);
    if (d <= allowed || prefix) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return scored.slice(0, limit).map((s) => s.c);
}

/** " Did you mean `a`, `b` or `c`?" for the given choices, or "" when there are none. */
export function formatDidYouMean(choices: readonly string[]): string {
  if (choices.length === 0) return '';
  const quoted = choices.map((n) => `\`${n}\``);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return ` Did you mean ${list}?`;
}

/** " Did you mean `a` or `b`?" for the candidates close to `input`, or "". */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  return formatDidYouMean(closest(input, candidates));
}
