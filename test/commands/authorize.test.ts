import { describe, expect, it } from 'vitest';
import { authorize, roleOf, type AccessPolicy } from '../../src/commands/authorize.js';
import type { Risk } from '../../src/commands/types.js';

const policy: AccessPolicy = { admins: ['UADMIN'], operators: ['UOPER'], viewers: ['UVIEW'] };
const open: AccessPolicy = { admins: ['UADMIN'], operators: [], viewers: ['*'] };

describe('authorize', () => {
  it.each<[string, AccessPolicy, string, Risk, boolean]>([
    ['viewer reads', policy, 'UVIEW', 'read', true],
    ['viewer cannot write', policy, 'UVIEW', 'write', false],
    ['viewer cannot do destructive things', policy, 'UVIEW', 'destructive', false],
    ['operator reads', policy, 'UOPER', 'read', true],
    ['operator writes', policy, 'UOPER', 'write', true],
    ['operator cannot do destructive things', policy, 'UOPER', 'destructive', false],
    ['admin does everything', policy, 'UADMIN', 'destructive', true],
    ['a stranger cannot even read', policy, 'USTRANGER', 'read', false],
    ['* lets everyone read', open, 'USTRANGER', 'read', true],
    ['* for viewers does not let anyone write', open, 'USTRANGER', 'write', false],
  ])('%s', (_name, p, user, risk, allowed) => {
    expect(authorize({ name: 'x', risk }, user, p).allowed).toBe(allowed);
  });

  it('says which role is needed and which the user has', () => {
    const d = authorize({ name: 'failover', risk: 'destructive' }, 'UOPER', policy);
    expect(d).toEqual({
      allowed: false,
      needed: 'admin',
      reason:
        '`failover` needs the admin role and you are a operator. Ask a cluster admin to add you to ACCESS_ADMINS.',
    });
  });

  it('gives the highest role a user has', () => {
    expect(roleOf('UADMIN', { admins: ['UADMIN'], operators: ['UADMIN'], viewers: ['*'] })).toBe('admin');
    expect(roleOf('UX', { admins: [], operators: [], viewers: [] })).toBeNull();
  });
});
