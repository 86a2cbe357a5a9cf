/**
 * Writes the generated docs (src/docs/generated-docs.ts) from the command definitions and the
 * config schema: `npm run docs`. test/docs/generated-docs.test.ts fails while one is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatedDocs } from '../src/docs/generated-docs.js';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const doc of generatedDocs) {
  writeFileSync(`${root}${doc.path}`, doc.render());
  console.log(`wrote ${doc.path}`);
}
