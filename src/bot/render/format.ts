/** Shared formatting of Ganeti figures for messages. */

export function gib(mib: number | null): string {
  if (mib === null) return '?';
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)}G` : `${mib}M`;
}

export function duration(ms: number | null): string {
  if (ms === null || ms < 0) return '–';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** Drops the domain every name shares, so tables stay narrow (`node1` for `node1.example.org`). */
export function shortener(names: readonly string[]): (name: string) => string {
  const domains = new Set(
    names.map((n) => n.slice(n.indexOf('.') + 1)).filter((d, i) => names[i]?.includes('.')),
  );
  if (domains.size !== 1 || names.some((n) => !n.includes('.'))) return (n) => n;
  const [domain] = [...domains];
  return (n) => (domain && n.endsWith(`.${domain}`) ? n.slice(0, -domain.length - 1) : n);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
