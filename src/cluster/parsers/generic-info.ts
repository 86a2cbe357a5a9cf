/**
 * A reader for the indented, YAML-like text that Ganeti's `PrintGenericInfo` prints
 * (`gnt-instance info`, `gnt-job info`, `gnt-node info`). It is not real YAML: values are
 * printed raw (no quoting), so the reader splits `key: value` on the first `": "` only and
 * keeps each entry's raw text, letting callers recover values that merely look like keys.
 */

/** A plain value, e.g. `success` or `2026-11-24 02:40:54.553185`. */
export interface InfoScalar {
  kind: 'scalar';
  text: string;
}

/** One `key: value` line and whatever is nested under it. */
export interface InfoEntry {
  key: string;
  value: InfoNode;
  /** The line's own text (without indentation), e.g. `Status: success`. */
  raw: string;
}

/** An ordered mapping; keys may repeat, so it stays a list. */
export interface InfoMap {
  kind: 'map';
  entries: InfoEntry[];
}

/** A `- item` list. */
export interface InfoList {
  kind: 'list';
  items: InfoNode[];
}

export type InfoNode = InfoScalar | InfoMap | InfoList;

interface Line {
  indent: number;
  text: string;
}

const EMPTY: InfoScalar = { kind: 'scalar', text: '' };

/** Parses `PrintGenericInfo` text into a tree; blank lines are ignored. */
export function parseGenericInfo(text: string): InfoNode {
  const lines: Line[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    lines.push({ indent, text: line.trimEnd().slice(indent) });
  }
  if (lines.length === 0) return EMPTY;
  return parseBlock(lines);
}

/** Parses lines that all belong to one block whose first line sets the indentation. */
function parseBlock(lines: Line[]): InfoNode {
  const first = lines[0];
  if (first === undefined) return EMPTY;
  const indent = first.indent;
  if (first.text === '-' || first.text.startsWith('- ')) return parseList(lines, indent);
  return parseMap(lines, indent);
}

function parseList(lines: Line[], indent: number): InfoList {
  const items: InfoNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as Line;
    const rest = line.text === '-' ? '' : line.text.slice(2);
    // The item's content starts two columns right of the dash, as in YAML.
    const itemLines: Line[] = [];
    if (rest.trim() !== '') itemLines.push({ indent: indent + 2, text: rest.trimStart() });
    i += 1;
    while (i < lines.length && (lines[i] as Line).indent > indent) {
      itemLines.push(lines[i] as Line);
      i += 1;
    }
    items.push(itemLines.length === 0 ? EMPTY : parseBlock(itemLines));
  }
  return { kind: 'list', items };
}

function parseMap(lines: Line[], indent: number): InfoNode {
  const entries: InfoEntry[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as Line;
    i += 1;
    const children: Line[] = [];
    while (i < lines.length && (lines[i] as Line).indent > indent) {
      children.push(lines[i] as Line);
      i += 1;
    }
    const split = splitKey(line.text);
    if (split === null) {
      // A bare line (`Job ID 99999 not found`): only meaningful when it stands alone.
      if (lines.length === 1 && children.length === 0) return { kind: 'scalar', text: line.text };
      entries.push({ key: line.text, value: EMPTY, raw: line.text });
      continue;
    }
    const value: InfoNode =
      children.length > 0 ? parseBlock(children) : { kind: 'scalar', text: split.value };
    entries.push({ key: split.key, value, raw: line.text });
  }
  return { kind: 'map', entries };
}

function splitKey(text: string): { key: string; value: string } | null {
  const at = text.indexOf(': ');
  if (at > 0) return { key: text.slice(0, at), value: text.slice(at + 2).trim() };
  if (text.endsWith(':')) return { key: text.slice(0, -1), value: '' };
  return null;
}

/** The value under the first entry named `key`, when `node` is a map. */
export function infoGet(node: InfoNode | undefined, key: string): InfoNode | undefined {
  if (node?.kind !== 'map') return undefined;
  return node.entries.find((entry) => entry.key === key)?.value;
}

/** The text of a scalar, or of a one-line map that was really a value containing `": "`. */
export function infoText(node: InfoNode | undefined): string | null {
  if (node === undefined) return null;
  if (node.kind === 'scalar') return node.text;
  if (node.kind === 'map' && node.entries.length === 1) {
    const only = node.entries[0] as InfoEntry;
    if (only.value.kind === 'scalar') return only.raw;
  }
  return null;
}

/** The items of a list; a lone scalar or map counts as a one-item list, nothing as none. */
export function infoItems(node: InfoNode | undefined): InfoNode[] {
  if (node === undefined) return [];
  if (node.kind === 'list') return node.items;
  if (node.kind === 'scalar' && node.text === '') return [];
  return [node];
}

/** `None`, `N/A`, `unknown (None)` and empty text all mean "no value" in Ganeti's output. */
export function infoValue(node: InfoNode | undefined): string | null {
  const text = infoText(node);
  if (text === null) return null;
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'None' || trimmed === 'N/A' || trimmed === 'unknown (None)') return null;
  return trimmed;
}
