import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allCommands } from '../../src/commands/all-commands.js';
import { defineCommand } from '../../src/commands/define-command.js';
import { generatedDocs } from '../../src/docs/generated-docs.js';
import { renderCommandsDoc } from '../../src/docs/render-commands-doc.js';
import { configDocSources, renderConfigDoc } from '../../src/docs/render-config-doc.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committed = (path: string) => readFileSync(`${root}${path}`, 'utf8');
const stale = (path: string) => `${path} is stale: run npm run docs`;

/** One more command than the registry has, as someone adding a command would write it. */
const extra = defineCommand({
  name: 'uptime',
  summary: 'How long each node has been up',
  usage: 'uptime',
  details: 'Reads the uptime of every node.',
  examples: [{ line: 'uptime', what: 'every node’s uptime' }],
  group: 'read',
  risk: 'read',
  params: {},
  schema: z.object({}).strict(),
  run: async () => ({ kind: 'nodes', nodes: [] }),
});

describe('the generated docs', () => {
  it.each(generatedDocs.map((d) => d.path))('%s is what the code renders now', (path) => {
    const doc = generatedDocs.find((d) => d.path === path);
    expect(doc?.render(), stale(path)).toBe(committed(path));
  });

  it.each(generatedDocs.map((d) => d.path))('%s says on its first line how to regenerate it', (path) => {
    const first = committed(path).split('\n')[0];
    expect(first).toMatch(
      /^<!-- Generated .* by scripts\/gen-docs\.ts\. Do not edit: .*`npm run docs`\. -->$/,
    );
  });

  it.each(generatedDocs.map((d) => d.path))('%s is rendered as Prettier would write it', async (path) => {
    const text = generatedDocs.find((d) => d.path === path)?.render() ?? '';
    const options = (await resolveConfig(`${root}${path}`)) ?? {};
    expect(await format(text, { ...options, parser: 'markdown' })).toBe(text);
  });

  it('goes stale when a command is added', () => {
    const withExtra = renderCommandsDoc([...allCommands, extra]);
    expect(withExtra).not.toBe(committed('docs/commands.md'));
    expect(withExtra).toContain('### uptime\n\nHow long each node has been up.');
    expect(withExtra).toContain('| [`uptime`](#uptime)');
  });

  it('goes stale when an env variable is added', () => {
    const withExtra = renderConfigDoc({
      ...configDocSources,
      envSchema: configDocSources.envSchema.extend({ NODE_UPTIME_LIMIT: z.coerce.number().int().default(7) }),
      envDescriptions: {
        ...configDocSources.envDescriptions,
        NODE_UPTIME_LIMIT: { section: 'monitor', description: 'Days a node may run without a reboot.' },
      },
    });
    expect(withExtra).not.toBe(committed('docs/configuration.md'));
    expect(withExtra).toContain('### `NODE_UPTIME_LIMIT`\n\nDays a node may run without a reboot.');
  });

  it('refuses to render an env variable without a description', () => {
    expect(() =>
      renderConfigDoc({
        ...configDocSources,
        envSchema: configDocSources.envSchema.extend({ NODE_UPTIME_LIMIT: z.string().optional() }),
      }),
    ).toThrowError(/missing NODE_UPTIME_LIMIT/);
  });
});
