import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/**
 * manifest.yaml at the repo root, found from this file: `../../` is the root from src/doctor and
 * from the compiled dist/doctor alike.
 */
export const MANIFEST_URL = new URL('../../manifest.yaml', import.meta.url);

/**
 * The bot scopes the Slack app manifest asks for (`oauth_config.scopes.bot`).
 * @throws Error when the file cannot be read or has no such list
 */
export function manifestBotScopes(url: URL = MANIFEST_URL): string[] {
  const manifest = parseYaml(readFileSync(url, 'utf8')) as {
    oauth_config?: { scopes?: { bot?: unknown } };
  } | null;
  const scopes = manifest?.oauth_config?.scopes?.bot;
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string'))
    throw new Error(`${url.pathname} has no list oauth_config.scopes.bot`);
  return scopes;
}
