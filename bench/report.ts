/**
 * Writes BENCHMARKS.md from bench/results/*.json: per benchmark, the side-by-side figures and
 * whether each target is met, and where missed by how much. The "why" of a miss lives in
 * bench/notes/NAME.md (written by people, after reading the figures), included as is.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult, Target } from './lib/results.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = process.env.BENCH_RESULTS_DIR ?? join(root, 'bench', 'results');
const ORDER = ['read', 'burst', 'ack', 'ssh-pool', 'scale', 'node-loss', 'memory'];

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v.toFixed(2));

function targetLine(t: Target): string {
  const limit = `${t.kind === 'max' ? '≤' : '≥'} ${fmt(t.limit)} ${t.unit}`;
  if (t.met) return `| ${t.what} | ${fmt(t.value)} ${t.unit} | ${limit} | met |`;
  const by = t.kind === 'max' ? t.value - t.limit : t.limit - t.value;
  const rel = t.limit !== 0 ? ` (${fmt(Math.abs(by / t.limit) * 100)} %)` : '';
  return `| ${t.what} | ${fmt(t.value)} ${t.unit} | ${limit} | **missed** by ${fmt(by)} ${t.unit}${rel} |`;
}

function section(r: BenchResult): string {
  const lines = [
    `## ${r.name}: ${r.title}`,
    '',
    `Measured ${r.at.slice(0, 16).replace('T', ' ')} UTC on ${r.machine}.`,
    '',
  ];
  const settings = Object.entries(r.settings).map(
    ([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`,
  );
  if (settings.length > 0) lines.push(`Settings: ${settings.join('; ')}.`, '');
  const series = Object.entries(r.series);
  if (series.length > 0) {
    lines.push('| series | runs | median | p90 | p99 | min | max |', '|---|---|---|---|---|---|---|');
    for (const [name, d] of series)
      lines.push(
        `| ${name} | ${d.runs} | ${fmt(d.median)} | ${fmt(d.p90)} | ${fmt(d.p99)} | ${fmt(d.min)} | ${fmt(d.max)} |`,
      );
    lines.push('');
  }
  const figures = Object.entries(r.figures);
  if (figures.length > 0) {
    lines.push('| figure | value |', '|---|---|');
    for (const [name, v] of figures) lines.push(`| ${name} | ${fmt(v)} |`);
    lines.push('');
  }
  lines.push('| target | measured | limit | |', '|---|---|---|---|', ...r.targets.map(targetLine), '');
  for (const note of r.notes) lines.push(`- ${note}`);
  const why = join(root, 'bench', 'notes', `${r.name}.md`);
  if (existsSync(why)) lines.push('', readFileSync(why, 'utf8').trim());
  return lines.join('\n');
}

const results = readdirSync(resultsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as BenchResult)
  .filter((r) => Array.isArray(r.targets))
  .sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
const summary = results.flatMap((r) =>
  r.targets.map(
    (t) =>
      `| ${r.name} | ${t.what} | ${fmt(t.value)} ${t.unit} | ${t.kind === 'max' ? '≤' : '≥'} ${fmt(t.limit)} | ${t.met ? 'met' : '**missed**'} |`,
  ),
);
const text = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (scripts/bench.sh, bench/report.ts) from `bench/results/*.json`; do not edit by hand. Each benchmark measures both sides in the same run, against the real Ganeti lab and a real Redis. The reasons behind the figures are in `docs/performance.md`.',
  '',
  '| benchmark | target | measured | limit | |',
  '|---|---|---|---|---|',
  ...summary,
  '',
  ...results.map(section).flatMap((s) => [s, '']),
].join('\n');
writeFileSync(join(root, 'BENCHMARKS.md'), text);
console.log(`[report] wrote BENCHMARKS.md from ${results.length} results`);
