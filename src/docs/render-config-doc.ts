import type { z } from 'zod';
import { envDescriptions, envSections, type EnvSection, type EnvVarDoc } from '../config/env-descriptions.js';
import { fileDescriptions, fileExample, type FileKeyDoc } from '../config/file-descriptions.js';
import { envSchema, fileSchema } from '../config/schema.js';
import { bullets, code, document, heading, table } from './markdown.js';
import { describeValues, envDefault, inputJsonSchema, type JsonSchema } from './schema-text.js';

const GENERATED =
  '<!-- Generated from src/config/schema.ts, env-descriptions.ts and file-descriptions.ts by ' +
  'scripts/gen-docs.ts. Do not edit: change those and run `npm run docs`. -->';

/** What the page is made of; the test renders it with one more variable. */
export interface ConfigDocSources {
  envSchema: z.ZodObject;
  envDescriptions: Readonly<Record<string, EnvVarDoc>>;
  fileSchema: z.ZodType;
  fileDescriptions: Readonly<Record<string, FileKeyDoc>>;
  fileExample: string;
}

export const configDocSources: ConfigDocSources = {
  envSchema,
  envDescriptions,
  fileSchema,
  fileDescriptions,
  fileExample,
};

interface EnvVar {
  name: string;
  doc: EnvVarDoc;
  values: string;
  default: string | null;
}

function requiredBy(doc: EnvVarDoc, short = false): string | null {
  if (!doc.required) return null;
  const { roles, when } = doc.required;
  const every = roles.includes('bot') && roles.includes('worker');
  if (short) return (every ? 'every process' : roles.join(', ')) + (when ? ', conditionally' : '');
  const who = every ? 'every process' : `the ${roles.join(' and ')} role`;
  return when ? `${who}, ${when}` : who;
}

/** `SLACK_BOT_TOKEN` → `#slack_bot_token`, GitHub's anchor for the heading. */
const anchor = (name: string) => `#${name.toLowerCase()}`;

function envVars(sources: ConfigDocSources): EnvVar[] {
  const shape = sources.envSchema.shape as Record<string, z.ZodType>;
  const missing = Object.keys(shape).filter((k) => !(k in sources.envDescriptions));
  const extra = Object.keys(sources.envDescriptions).filter((k) => !(k in shape));
  if (missing.length + extra.length > 0)
    throw new Error(`env descriptions out of step with envSchema: missing ${missing}, extra ${extra}`);
  return Object.entries(sources.envDescriptions).map(([name, doc]) => {
    const schema = shape[name] as z.ZodType;
    const def = envDefault(schema);
    return {
      name,
      doc,
      values: doc.values ?? describeValues(inputJsonSchema(schema)),
      default: def === null ? null : def === '' ? 'empty' : code(def),
    };
  });
}

function envSection(v: EnvVar, replacedBy: readonly string[]): string[] {
  const facts = [
    `**Values**: ${v.values}`,
    `**Default**: ${v.default ?? 'none'}`,
    `**Required**: ${requiredBy(v.doc) === null ? 'no' : `by ${requiredBy(v.doc)}`}`,
    ...(replacedBy.length > 0 ? [`**YAML file**: ${replacedBy.map(code).join(', ')} replaces it`] : []),
    ...(v.doc.testOnly ? ['**Tests only**: never set it in production'] : []),
  ];
  return [heading(3, code(v.name)), v.doc.description, bullets(facts)];
}

/** Every key of the file's JSON Schema, depth first, named as in file-descriptions.ts. */
interface FileKey {
  path: string;
  schema: JsonSchema;
  required: boolean;
}

function fileKeys(schema: JsonSchema, prefix = ''): FileKey[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, value]) => {
    if (typeof value !== 'object') return [];
    const path = `${prefix}${key}`;
    const items = typeof value.items === 'object' && !Array.isArray(value.items) ? value.items : null;
    const below = items?.properties ? fileKeys(items, `${path}[].`) : fileKeys(value, `${path}.`);
    return [{ path, schema: value, required: schema.required?.includes(key) ?? false }, ...below];
  });
}

function fileSection(sources: ConfigDocSources): string[] {
  const keys = fileKeys(inputJsonSchema(sources.fileSchema));
  const lines = keys.map(({ path, schema, required }) => {
    const doc = sources.fileDescriptions[path];
    if (!doc)
      throw new Error(`no description for ${path} of the YAML file (src/config/file-descriptions.ts)`);
    const about = [
      describeValues(schema),
      ...(required ? ['required'] : []),
      ...(schema.default === undefined ? [] : [`default ${code(JSON.stringify(schema.default))}`]),
      ...(doc.replaces ? [`replaces ${code(doc.replaces)}`] : []),
    ];
    return `${code(path)} (${about.join('; ')}): ${doc.description}`;
  });
  return [
    heading(2, 'The YAML file'),
    '`GANETI_CHATOPS_CONFIG` names it; it holds what env cannot express well. Unknown keys are errors. ' +
      'Where a key and a variable both say something, the key wins.',
    '```yaml\n' + sources.fileExample.replace(/\n$/, '') + '\n```',
    bullets(lines),
  ];
}

/**
 * docs/configuration.md: every env variable (description, values, default, who needs it) and the
 * YAML file's keys, from the schemas and their description tables. Pure: scripts/gen-docs.ts
 * writes the file.
 */
export function renderConfigDoc(sources: ConfigDocSources = configDocSources): string {
  const vars = envVars(sources);
  const replacedBy = (name: string) =>
    Object.entries(sources.fileDescriptions)
      .filter(([, d]) => d.replaces === name)
      .map(([path]) => path);
  const sections = (Object.keys(envSections) as EnvSection[]).flatMap((section) => {
    const members = vars.filter((v) => v.doc.section === section);
    if (members.length === 0) return [];
    const { title, intro } = envSections[section];
    return [
      heading(2, title),
      ...(intro ? [intro] : []),
      ...members.flatMap((v) => envSection(v, replacedBy(v.name))),
    ];
  });
  const summary = table(
    ['Variable', 'Default', 'Required by'],
    vars.map((v) => [
      `[${code(v.name)}](${anchor(v.name)})${v.doc.testOnly ? ' (tests only)' : ''}`,
      v.default ?? '–',
      requiredBy(v.doc, true) ?? '–',
    ]),
  );
  return document([
    GENERATED,
    heading(1, 'Configuration'),
    'Settings come from the environment, or from a `.env` file (scripts/run-bot.sh reads it); ' +
      '`.env.example` lists every variable. At start the bot checks them all, lists every problem with its ' +
      'key, and refuses to start on an error. An empty value counts as unset.',
    'A process runs the `bot` role (Slack in, queue out), the `worker` role (queue in, cluster, Slack out) ' +
      'or both (`GANETI_CHATOPS_ROLES`); "Required by" says which need a variable.',
    summary,
    ...sections,
    ...fileSection(sources),
  ]);
}
