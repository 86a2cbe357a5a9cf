/**
 * docs/troubleshooting.md quotes the bot's messages so people can search for what they see: every
 * line there that starts with `> ` is one message, `…` standing for a part that varies. Each
 * quoted message must still occur in the code (src/ and contrib/, as a literal or as the literal
 * parts of a template), so a reworded message cannot leave the page stale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PAGE = 'docs/troubleshooting.md';

/** Fragments shorter than this are not looked for (a lone backtick, `s`, `).`). */
const MIN_FRAGMENT = 3;
/** A message must have one fragment at least this long, or it would match almost anything. */
const MIN_LONGEST = 8;

export interface Quoted {
  line: number;
  text: string;
}

/** The quoted messages of a Markdown page: its `> ` lines outside fenced code. */
export function quotedMessages(markdown: string): Quoted[] {
  let fenced = false;
  const out: Quoted[] = [];
  markdown.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced && line.startsWith('> ')) out.push({ line: index + 1, text: line.slice(2).trimEnd() });
  });
  return out;
}

/**
 * Source text as its strings read: the escapes people never see (\`, \', \", \\) undone, so a
 * message with backticks or apostrophes matches what the page shows.
 */
export function normalizeSource(text: string): string {
  return text.replace(/\\([`'"\\])/g, '$1');
}

/** The literal parts of a quoted message, with the punctuation that joins template parts trimmed. */
export function fragments(message: string): string[] {
  return message
    .split('…')
    .map((f) => f.replace(/^[\s:;,.]+|[\s:;,.]+$/g, ''))
    .filter((f) => f.length >= MIN_FRAGMENT);
}

/** Why a quoted message does not match the code, or null when it does. */
export function mismatch(message: string, corpus: string): string | null {
  const parts = fragments(message);
  if (!parts.some((p) => p.length >= MIN_LONGEST))
    return `too little literal text to find (at least ${MIN_LONGEST} characters between two …)`;
  const missing = parts.filter((p) => !corpus.includes(p));
  return missing.length === 0 ? null : `not in the code: ${missing.map((m) => JSON.stringify(m)).join(', ')}`;
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return filesUnder(rel);
    return e.isFile() ? [rel] : [];
  });
}

/** Everything a message can come from: the TypeScript under src/ and the scripts in contrib/. */
function codeCorpus(): string {
  const files = [...filesUnder('src').filter((f) => f.endsWith('.ts')), ...filesUnder('contrib')].filter(
    (f) => !f.endsWith('.md'),
  );
  return files.map((f) => normalizeSource(readFileSync(join(REPO, f), 'utf8'))).join('\n');
}

describe(PAGE, () => {
  const quoted = quotedMessages(readFileSync(join(REPO, PAGE), 'utf8'));

  it('quotes the messages people see (the `> ` lines are the check’s input)', () => {
    expect(quoted.length).toBeGreaterThan(100);
  });

  it('quotes only messages the code still has', () => {
    const corpus = codeCorpus();
    const stale = quoted.flatMap((q) => {
      const why = mismatch(q.text, corpus);
      return why ? [`${PAGE}:${q.line}: ${why}: ${q.text}`] : [];
    });
    expect(stale.join('\n')).toBe('');
  });
});

describe('the message check itself', () => {
  const corpus = normalizeSource(
    [
      "throw new UserError('already_running', `\\`${inst.name}\\` is already running on \\`${inst.primaryNode}\\`.`);",
      "message: 'not set: the bot token (xoxb-…) from your Slack app\\'s \"OAuth & Permissions\" page',",
      "fail('connection refused', hostsHint); new ClusterUnavailableError(`Could not connect to ${label}: ${what}`);",
    ].join('\n'),
  );

  it('reads `> ` lines outside fenced code as messages', () => {
    const md = [
      'Intro.',
      '> First message.',
      '```',
      '> not a message',
      '```',
      '>quoted without a space',
    ].join('\n');
    expect(quotedMessages(md)).toEqual([{ line: 2, text: 'First message.' }]);
  });

  it('finds messages as literals, template parts, and parts joined by the code', () => {
    expect(mismatch('`…` is already running on `…`.', corpus)).toBeNull();
    expect(
      mismatch('not set: the bot token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page', corpus),
    ).toBeNull();
    expect(mismatch('Could not connect to …: connection refused', corpus)).toBeNull();
  });

  it('fails a message the code no longer has, and one too vague to check', () => {
    expect(mismatch('`…` is already started on `…`.', corpus)).toMatch(
      /not in the code: "` is already started on `"/,
    );
    expect(mismatch('… on …', corpus)).toMatch(/too little literal text/);
  });
});
