import type { OpValue } from './model.js';

const INDENT = '  ';

const pyStr = (value: string | number | boolean | null): string =>
  value === null ? 'None' : value === true ? 'True' : value === false ? 'False' : String(value);

/**
 * A value as Ganeti's `PrintGenericInfo` writes it (its `cli._SerializeGenericInfo`): dict keys
 * sorted, one `key: value` a line; list items after `- `; an empty dict or list prints nothing
 * after its key. `afterKey`: the value follows a `key: ` on the same line.
 */
function serialize(value: OpValue, level: number, afterKey: boolean): string {
  if (value === null || typeof value !== 'object') return `${pyStr(value)}\n`;
  const entries: Array<[string, OpValue]> = Array.isArray(value)
    ? value.map((item): [string, OpValue] => ['-', item])
    : Object.keys(value)
        .sort()
        .map((key): [string, OpValue] => [`${key}:`, value[key] ?? null]);
  if (entries.length === 0) return '\n';
  const lines = entries.map(([head, item], i) => {
    const indent = i === 0 && !afterKey ? '' : INDENT.repeat(level);
    return `${indent}${head} ${serialize(item, level + 1, head !== '-')}`;
  });
  return (afterKey ? '\n' : '') + lines.join('');
}

/** One opcode input field of `gnt-job info` at `level` (4: under `Input fields:`), as lines. */
export function infoLines(key: string, value: OpValue, level: number): string[] {
  return `${INDENT.repeat(level)}${key}: ${serialize(value, level + 1, true)}`.replace(/\n$/, '').split('\n');
}
