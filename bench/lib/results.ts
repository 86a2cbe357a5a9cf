/**
 * What every benchmark reports: distributions of both sides measured in the same run, the
 * machine, the settings, and whether each target was met. Written to bench/results/NAME.json
 * (BENCH_RESULTS_DIR elsewhere: CI's small runs write to a temporary directory), read by
 * bench/report.ts for BENCHMARKS.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Distribution {
  runs: number;
  median: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
}

export interface Target {
  /** What is compared, e.g. "bot median / ssh median". */
  what: string;
  /** The limit, in the unit of `value`. */
  limit: number;
  value: number;
  /** `max`: value must be at most limit; `min`: at least. */
  kind: 'max' | 'min';
  unit: string;
  met: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  /** `full` for the figures in BENCHMARKS.md; `small` for CI's quick runs. */
  setting: 'full' | 'small';
  at: string;
  machine: string;
  settings: Record<string, unknown>;
  /** Named distributions (ms unless the name says otherwise), e.g. `bot: /ganeti nodes`. */
  series: Record<string, Distribution>;
  /** Single figures, e.g. counts of cluster calls. */
  figures: Record<string, number>;
  targets: Target[];
  notes: string[];
}

/** The value at quantile q (0..1) of sorted xs, nearest rank. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

export function distribution(xs: readonly number[]): Distribution {
  const sorted = [...xs].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    runs: sorted.length,
    median: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    p99: round(quantile(sorted, 0.99)),
    min: round(sorted[0] ?? NaN),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export function target(
  what: string,
  value: number,
  kind: 'max' | 'min',
  limit: number,
  unit: string,
): Target {
  const rounded = Math.round(value * 1000) / 1000;
  return { what, value: rounded, kind, limit, unit, met: kind === 'max' ? value <= limit : value >= limit };
}

export function machine(): string {
  const cpu = cpus();
  return `${process.platform} ${process.arch}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

export const smallRun = (): boolean => process.argv.includes('--small') || process.env.BENCH_SMALL === '1';

export function resultsDir(): string {
  return process.env.BENCH_RESULTS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
}

export function writeResult(result: Omit<BenchResult, 'at' | 'machine' | 'setting'>): BenchResult {
  const full: BenchResult = {
    ...result,
    setting: smallRun() ? 'small' : 'full',
    at: new Date().toISOString(),
    machine: machine(),
  };
  const file = join(resultsDir(), `${result.name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  for (const t of full.targets)
    console.log(
      `[${result.name}] ${t.met ? 'met' : 'MISSED'}: ${t.what} = ${t.value} ${t.unit} (${t.kind === 'max' ? '≤' : '≥'} ${t.limit})`,
    );
  console.log(`[${result.name}] wrote ${file}`);
  return full;
}

/** Runs main and exits non-zero on an error (a benchmark that breaks must say so). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
