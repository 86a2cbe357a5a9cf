import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/config/app-config.js';
import { envDescriptions } from '../../src/config/env-descriptions.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Env } from '../../src/config/schema.js';

/**
 * docs/configuration.md says which variables each role needs (src/config/env-descriptions.ts,
 * `required`); loadConfig decides. Leaving out one variable at a time from a complete
 * configuration must be an error exactly for the roles the table names.
 */
const complete: Record<string, string> = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'test-signing-secret',
  GANETI_SSH_HOSTS: 'node1.example.org,node2.example.org',
  GANETI_SSH_KEY_FILE: '/etc/ganeti-chatops/id_ed25519',
  GANETI_SSH_KNOWN_HOSTS: '/etc/ganeti-chatops/known_hosts',
  ACCESS_ADMINS: 'U012ADMIN',
};

/**
 * For each conditionally required variable: what makes its condition true, with the variable
 * itself set (the complete configuration meets some conditions already).
 */
const autoEvacuate = {
  AUTO_EVACUATE: 'true',
  ALERT_CHANNEL: 'C012ALERTS',
  FENCE_COMMAND: '/usr/local/sbin/fence {node}',
};
const conditions: Partial<Record<keyof Env, Record<string, string>>> = {
  SLACK_SIGNING_SECRET: {},
  GANETI_SSH_HOSTS: {},
  GANETI_SSH_KEY_FILE: {},
  GANETI_SSH_KNOWN_HOSTS: {},
  ALERT_CHANNEL: autoEvacuate,
  FENCE_COMMAND: autoEvacuate,
};

const ROLES: Role[] = ['bot', 'worker'];
const errors = (env: Record<string, string>, role: Role) =>
  loadConfig({ env, readFile: () => 'file content' }, [role]).problems.filter((p) => p.critical);

describe('the required variables of docs/configuration.md', () => {
  it.each(ROLES)('a complete configuration loads for the %s role', (role) => {
    expect(errors(complete, role)).toEqual([]);
    for (const extra of Object.values(conditions))
      expect(errors({ ...complete, ...extra }, role)).toEqual([]);
  });

  it('knows how to meet the condition of every conditional requirement', () => {
    const conditional = Object.entries(envDescriptions)
      .filter(([, d]) => d.required?.when !== undefined)
      .map(([name]) => name);
    expect(Object.keys(conditions).sort()).toEqual(conditional.sort());
  });

  for (const [name, doc] of Object.entries(envDescriptions))
    for (const role of ROLES) {
      const required = doc.required?.roles.includes(role) ?? false;
      it(`${name} is ${required ? '' : 'not '}required by the ${role} role`, () => {
        const env: Record<string, string> = { ...complete, ...conditions[name as keyof Env] };
        delete env[name];
        // The complete configuration loads, so any error now is about the missing variable: it names it.
        const found = errors(env, role);
        expect(found.length > 0).toBe(required);
        for (const p of found) expect(`${p.key}: ${p.message}`).toContain(name);
      });
    }
});
