import { allCommands } from '../commands/all-commands.js';
import { renderCommandsDoc } from './render-commands-doc.js';
import { renderConfigDoc } from './render-config-doc.js';

/** A file under docs/ that is generated, never edited: scripts/gen-docs.ts writes them all. */
export interface GeneratedDoc {
  /** Relative to the repository root. */
  path: string;
  render: () => string;
}

export const generatedDocs: readonly GeneratedDoc[] = [
  { path: 'docs/commands.md', render: () => renderCommandsDoc(allCommands) },
  { path: 'docs/configuration.md', render: () => renderConfigDoc() },
];
