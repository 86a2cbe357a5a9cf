/**
 * The few Markdown forms the generated docs use, written the way Prettier writes them (`-`
 * bullets, aligned tables), so `docs/*.md` pass `prettier --check` as generated
 * (test/docs/generated-docs.test.ts checks it).
 */

/** An inline code span; a backtick inside gets a longer fence. */
export function code(text: string): string {
  if (!text.includes('`')) return `\`${text}\``;
  return `\`\` ${text} \`\``;
}

export function heading(level: 1 | 2 | 3 | 4, text: string): string {
  return `${'#'.repeat(level)} ${text}`;
}

/** A bullet list, one item a line. */
export function bullets(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}

/**
 * Columns are padded to the widest cell, as Prettier does. Width is counted in code points:
 * right for the text here (no wide East Asian characters or emoji, which Prettier counts as 2).
 */
const width = (text: string) => [...text].length;

/** A pipe inside a cell, even inside a code span, must be escaped (GitHub Flavored Markdown). */
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [header, ...rows].map((row) => header.map((_, i) => cell(row[i] ?? '')));
  const widths = header.map((_, i) => Math.max(3, ...all.map((row) => width(row[i] ?? ''))));
  const line = (row: readonly string[]) =>
    `| ${row.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - width(c))).join(' | ')} |`;
  const [head = [], ...body] = all;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n');
}

/** Blocks separated by one blank line, ending in one newline. */
export function document(blocks: readonly string[]): string {
  return blocks.join('\n\n') + '\n';
}
