/**
 * The repository explains itself: no comment or doc sends the reader to a file outside it, and
 * every repo path a doc names in backticks (or links to) exists. Conventions and platform facts
 * the code relies on belong in docs/ (docs/architecture.md); a comment cites a repo file or says
 * the fact itself.
 *
 * The patterns below are written so that this file does not match them itself.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Words that point outside the repository, and what to cite instead. */
const OUTSIDE: ReadonlyArray<{ pattern: RegExp; instead: string }> = [
  { pattern: /\b(?:NOTES|STYLE)\.md\b/, instead: 'a repo doc (docs/architecture.md) or the fact itself' },
  { pattern: /\bhabit \d/i, instead: 'the convention in docs/architecture.md' },
  { pattern: /ganeti-real-(?:output)/, instead: 'test/fixtures (test/fixtures/README.md)' },
  { pattern: /\bshared\/|\.\.\/shared\b/, instead: 'GANETI_LAB_DIR and docs/testing.md' },
  { pattern: /\b(?:ganeti-)?lab(?:'s)? README\b/i, instead: 'docs/testing.md' },
];

/**
 * Lines that may name the lab's default place beside the checkout, where CI puts it (the code
 * that finds it; comments describe the lab and GANETI_LAB_DIR instead). Every entry must still
 * match a line, so the list cannot outlive what it excuses.
 */
const ALLOWED_LINES: ReadonlyArray<{ file: string; line: RegExp }> = [
  { file: 'scripts/lab-env.sh', line: /^LAB="\$\{GANETI_LAB_DIR:-\.\.\/shared\/ganeti-lab\}"$/ },
  { file: 'scripts/lab-forced-command.sh', line: /^LAB="\$\{GANETI_LAB_DIR:-\.\.\/shared\/ganeti-lab\}"$/ },
  { file: '.ci/run', line: /^if \[ ! -x \.\.\/shared\/ganeti-lab\/up\.sh \]; then$/ },
  { file: '.ci/run', line: /^ {2}echo "CI needs \.\.\/shared\/ganeti-lab beside the checkout" >&2$/ },
];

/**
 * Paths that may be named before they exist (work in progress); keep it empty when possible. An
 * entry that exists fails the run, so it is dropped as soon as its file lands.
 */
const FUTURE_PATHS: readonly string[] = [];

export interface Finding {
  file: string;
  line: number;
  text: string;
  problem: string;
}

/** The lines of `text` that point outside the repository (minus the allowed ones for `file`). */
export function outsidePointers(file: string, text: string): Finding[] {
  const found: Finding[] = [];
  text.split('\n').forEach((line, index) => {
    const hit = OUTSIDE.find((o) => o.pattern.test(line));
    if (!hit) return;
    if (ALLOWED_LINES.some((a) => a.file === file && a.line.test(line))) return;
    found.push({
      file,
      line: index + 1,
      text: line.trim().slice(0, 160),
      problem: `points outside the repository; cite ${hit.instead}`,
    });
  });
  return found;
}

/** Markdown without its fenced code blocks (their lines blanked, so line numbers stay). */
function withoutFences(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

const PATH_PREFIXES = ['src/', 'test/', 'docs/', 'scripts/', 'contrib/', 'bench/', 'deploy/'];

/** Whether an inline code span reads as a path inside the repository. */
function looksLikeRepoPath(span: string): boolean {
  if (/\s/.test(span) || span.includes('://') || /^[/~$.-]/.test(span.replace(/^\.\//, ''))) return false;
  if (!/^[\w./*<>{}-]+$/.test(span)) return false;
  if (PATH_PREFIXES.some((p) => span.startsWith(p))) return true;
  const last = span.split('/').at(-1) ?? '';
  return span.includes('/') && /\.[A-Za-z0-9]+$/.test(last);
}

/** Repo paths a Markdown file names: inline code spans that look like paths, and relative links. */
export function namedPaths(markdown: string): Array<{ line: number; path: string; link: boolean }> {
  const out: Array<{ line: number; path: string; link: boolean }> = [];
  withoutFences(markdown).forEach((line, index) => {
    for (const m of line.matchAll(/`([^`]+)`/g)) {
      const span = (m[1] ?? '').replace(/[#:][\w.-]*$/, '');
      if (looksLikeRepoPath(span)) out.push({ line: index + 1, path: span, link: false });
    }
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = (m[1] ?? '').split('#')[0] ?? '';
      if (target && !/^[a-z]+:/i.test(target)) out.push({ line: index + 1, path: target, link: true });
    }
  });
  return out;
}

/** Whether `path` (possibly with `*` or `<placeholder>` parts) names something that exists under `root`. */
export function pathExists(root: string, path: string): boolean {
  const segments = normalize(path).split(/[\\/]/).filter(Boolean);
  let candidates = [root];
  for (const segment of segments) {
    const pattern = segment.replace(/<[^>]*>|\{[^}]*\}/g, '*');
    if (!pattern.includes('*')) {
      candidates = candidates.map((c) => join(c, segment)).filter((c) => existsSync(c));
    } else {
      const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('[^/]*')}$`);
      candidates = candidates.flatMap((c) =>
        isDirectory(c)
          ? readdirSync(c)
              .filter((e) => re.test(e))
              .map((e) => join(c, e))
          : [],
      );
    }
    if (candidates.length === 0) return false;
  }
  return true;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isDirectory = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** The missing paths a Markdown file at `file` (repo-relative) names. */
export function missingPaths(root: string, file: string, markdown: string): Finding[] {
  return namedPaths(markdown).flatMap(({ line, path, link }) => {
    if (FUTURE_PATHS.includes(path)) return [];
    // Links are relative to the file; code spans name repo paths, sometimes without their `src/`.
    const bases = link ? [dirname(file)] : ['.', 'src'];
    if (bases.some((b) => pathExists(root, posix.join(b, path)))) return [];
    return [{ file, line, text: path, problem: `names ${path}, which does not exist` }];
  });
}

/** A Markdown file's headings, as text (`## The lab` → `The lab`). */
export function headings(markdown: string): string[] {
  return withoutFences(markdown).flatMap((line) => {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    return m?.[1] ? [m[1].replace(/[`*_]/g, '')] : [];
  });
}

/**
 * Citations of a section, `docs/reliability.md, "The rules the code follows"` (the path may be in
 * backticks), whose file or heading does not exist. `readDoc` gives a repo file's text or null.
 */
export function brokenCitations(
  file: string,
  text: string,
  readDoc: (path: string) => string | null,
): Finding[] {
  const found: Finding[] = [];
  text.split('\n').forEach((line, index) => {
    for (const m of line.matchAll(/((?:[\w.-]+\/)*[\w.-]+\.md)`?\)?,? "([^"]{3,80})"/g)) {
      const [, path = '', section = ''] = m;
      if (FUTURE_PATHS.includes(path)) continue;
      const doc = readDoc(path) ?? readDoc(posix.join(dirname(file), path));
      const problem =
        doc === null
          ? `cites ${path}, which does not exist`
          : headings(doc).includes(section.replace(/[`*_]/g, ''))
            ? null
            : `cites the section "${section}", which ${path} does not have`;
      if (problem) found.push({ file, line: index + 1, text: m[0], problem });
    }
  });
  return found;
}

/** Tracked files, and new ones not ignored (so a doc is checked before its first commit). */
function repoFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: REPO,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return [...new Set(out.split('\0').filter(Boolean))];
  } catch {
    return walk('');
  }
}

/** Without git (an unpacked tarball): every file but dependencies and build output. */
function walk(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory())
      return ['node_modules', '.git', 'dist', 'coverage'].includes(e.name) ? [] : walk(rel);
    return e.isFile() ? [rel] : [];
  });
}

/** A file's text, or null when it is binary or gone meanwhile (others may be editing the tree). */
function readText(file: string): string | null {
  let data: Buffer;
  try {
    data = readFileSync(join(REPO, file));
  } catch {
    return null;
  }
  if (data.subarray(0, 8000).includes(0)) return null;
  return data.toString('utf8');
}

const format = (findings: Finding[]) =>
  findings.map((f) => `${f.file}:${f.line}: ${f.problem}: ${f.text}`).join('\n');

describe('the repository explains itself', () => {
  const files = repoFiles();

  it('has no comment or doc that points outside the repository', () => {
    const findings = files.flatMap((file) => {
      const text = readText(file);
      return text === null ? [] : outsidePointers(file, text);
    });
    expect(format(findings)).toBe('');
  });

  it('keeps only allow-list entries that still excuse a line', () => {
    const unused = ALLOWED_LINES.filter(
      (a) => !(readText(a.file) ?? '').split('\n').some((line) => a.line.test(line)),
    );
    expect(unused.map((a) => `${a.file}: ${String(a.line)}`)).toEqual([]);
  });

  it('names only repo paths that exist, in the README and every doc', () => {
    const docs = files.filter((f) => f.endsWith('.md') && !f.startsWith('node_modules/'));
    expect(docs).toContain('README.md');
    expect(docs).toContain('docs/architecture.md');
    const findings = docs.flatMap((file) => {
      const text = readText(file);
      return text === null ? [] : missingPaths(REPO, file, text);
    });
    expect(format(findings)).toBe('');
  });
});

describe('the repository cites its own sections', () => {
  it('cites only sections that exist, in every file', () => {
    const findings = repoFiles().flatMap((file) => {
      const text = readText(file);
      return text === null ? [] : brokenCitations(file, text, readText);
    });
    expect(format(findings)).toBe('');
  });

  it('keeps no future path that exists by now', () => {
    expect(FUTURE_PATHS.filter((p) => existsSync(join(REPO, p)))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const outside = ['see ', 'shared', '/ganeti-real', '-output/hcheck.txt'].join('');

  it('finds a pointer outside the repository, with its line', () => {
    const text = `/**\n * Stalled checks (${'NOTES'}.md), retries (habit ${6}).\n * Fixtures: ${outside}\n */`;
    const findings = outsidePointers('src/example.ts', text);
    expect(findings.map((f) => f.line)).toEqual([2, 3]);
    expect(findings[0]?.problem).toMatch(/points outside the repository/);
  });

  it('excuses the lab default only on its allowed line of its allowed file', () => {
    const code = 'LAB="${GANETI_LAB_DIR:-../' + 'shared' + '/ganeti-lab}"';
    expect(outsidePointers('scripts/lab-env.sh', code)).toEqual([]);
    expect(outsidePointers('scripts/bench.sh', code)).toHaveLength(1);
    expect(outsidePointers('scripts/lab-env.sh', `# the lab in ../${'shared'}/ganeti-lab`)).toHaveLength(1);
  });

  it('reads paths from code spans and links, not from fenced code', () => {
    const md = [
      'See `src/main.ts`, `docs/nowhere.md#part`, `npm run bench`, `/etc/ssh/sshd_config`,',
      '`https://example.org/a.md`, `inst1.example.org` and [the monitor](monitor.md#settings).',
      '```',
      'cat src/also-nowhere.ts',
      '```',
    ].join('\n');
    expect(namedPaths(md)).toEqual([
      { line: 1, path: 'src/main.ts', link: false },
      { line: 1, path: 'docs/nowhere.md', link: false },
      { line: 2, path: 'monitor.md', link: true },
    ]);
  });

  it('reports a cited section that does not exist, and a cited file that does not', () => {
    const docs: Record<string, string> = {
      'docs/monitor.md': '# The monitor\n\n## One poller per cluster\n',
    };
    const read = (path: string) => docs[path] ?? null;
    const ok = 'docs/monitor.md, ' + '"One poller per cluster"';
    const wrongSection = '(`docs/monitor.md`, ' + '"Two pollers")';
    const noFile = 'docs/gone.md, ' + '"Anything"';
    const findings = brokenCitations('src/x.ts', [ok, wrongSection, noFile].join('\n'), read);
    expect(findings.map((f) => [f.line, f.problem])).toEqual([
      [2, 'cites the section "Two pollers", which docs/monitor.md does not have'],
      [3, 'cites docs/gone.md, which does not exist'],
    ]);
  });

  it('reports a path that does not exist and accepts globs and placeholders that match', () => {
    const md = '`src/main.ts`, `src/nowhere/gone.ts`, `src/commands/defs/<name>.ts`, `bench/results/*.json`';
    expect(missingPaths(REPO, 'docs/example.md', md).map((f) => f.text)).toEqual(['src/nowhere/gone.ts']);
    expect(
      missingPaths(REPO, 'docs/example.md', '[a](reliability.md) [b](gone.md)').map((f) => f.text),
    ).toEqual(['gone.md']);
  });
});
