/** Reading the bot's own JSON log (pino, one object per line) after a run. */
import { readFileSync } from 'node:fs';

export function logRecords(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** What the worker logs at stop: cluster calls made and reads that shared one (src/main.ts). */
export function clusterCalls(file: string): { calls: number; joined: number } {
  const record = logRecords(file).find((r) => r.msg === 'cluster calls since start');
  if (!record) throw new Error(`no 'cluster calls since start' in ${file}`);
  return { calls: Number(record.calls), joined: Number(record.joined) };
}
