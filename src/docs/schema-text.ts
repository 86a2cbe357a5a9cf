import { z } from 'zod';
import { code } from './markdown.js';

export type JsonSchema = z.core.JSONSchema.JSONSchema;

/** The schema as the values a user writes (`io: 'input'`: before coercions and transforms). */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

const BOOLEAN_WORDS = ['0', '1', 'false', 'no', 'true', 'yes'].join();

const asSchema = (s: unknown): JsonSchema | null =>
  typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as JsonSchema) : null;

function range(kind: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${kind}, ${min} to ${max}`;
  if (min !== undefined) return `${kind}, at least ${min}`;
  if (max !== undefined) return `${kind}, at most ${max}`;
  return kind;
}

/**
 * What a schema accepts, in words: "whole number, 5 to 3600", "one of `a`, `b`", "text starting
 * with `xoxb-`", "list of text, at least 1". Refinements and transforms have no JSON Schema form:
 * where they matter, the description tables say it in their `values`.
 */
export function describeValues(schema: JsonSchema): string {
  if (schema.enum) {
    const values = schema.enum.map(String);
    if ([...values].sort().join() === BOOLEAN_WORDS) return '`true` or `false` (also `1`/`0`, `yes`/`no`)';
    return `one of ${values.map(code).join(', ')}`;
  }
  switch (schema.type) {
    case 'integer':
      return range('whole number', schema.minimum, schema.maximum);
    case 'number':
      return range('number', schema.minimum, schema.maximum);
    case 'boolean':
      return '`true` or `false`';
    case 'string': {
      const prefix = schema.format === 'starts_with' ? /^\^(.*)\.\*$/.exec(schema.pattern ?? '') : null;
      if (prefix?.[1] !== undefined) return `text starting with ${code(prefix[1])}`;
      if (schema.format === 'uri') return 'a URL';
      if (schema.pattern) return `text matching ${code(schema.pattern)}`;
      if ((schema.minLength ?? 0) > 1) return `text of at least ${schema.minLength} characters`;
      return 'text';
    }
    case 'array': {
      const item = asSchema(schema.items);
      const of = item ? `list of ${describeValues(item)}` : 'list';
      return schema.minItems ? `${of}, at least ${schema.minItems}` : of;
    }
    case 'object': {
      const value = asSchema(schema.additionalProperties);
      if (!schema.properties && value) return `mapping of names to ${describeValues(value)}`;
      return 'mapping';
    }
    default:
      return 'any value';
  }
}

/** A value as it is written in the environment: lists comma-separated. */
export function envText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

/** The default of an env variable as written in `.env`, or null when it has none. */
export function envDefault(schema: z.ZodType): string | null {
  const parsed = schema.safeParse(undefined);
  return parsed.success && parsed.data !== undefined ? envText(parsed.data) : null;
}
