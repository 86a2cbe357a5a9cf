import { describe, expect, it } from 'vitest';
import {
  authorize,
  authorizeOnCluster,
  mayApprove,
  policyOnCluster,
  roleOf,
  type AccessPolicy,
  type Principal,
} from '../../src/commands/authorize.js';
import type { Risk } from '../../src/commands/types.js';

const user = (userId: string, groups: string[] = []): Principal => ({ userId, groups });

const policy: AccessPolicy = {
  admins: ['UADMIN', 'group:SADMINS'],
  operators: ['UOPER'],
  viewers: ['UVIEW'],
  channels: { evacuate: ['COPS'] },
  projects: [
    {
      name: 'web',
      members: ['UWEB', 'group:SWEB'],
      instances: { tags: ['project:web'], patterns: ['www*'] },
      actions: ['info', 'start', 'reboot', 'shutdown', 'console'],
    },
  ],
  selfApprove: ['reboot'],
};
const open: AccessPolicy = { admins: ['UADMIN'], operators: [], viewers: ['*'] };

const cmd = (name: string, risk: Risk) => ({ name, risk });
const webVm = { instance: 'vm1.example.org', tags: ['project:web'] };
const wwwVm = { instance: 'www2.example.org', tags: [] };
const dbVm = { instance: 'db1.example.org', tags: ['project:db'] };

describe('authorize: who may run what (one pure function, a table of cases)', () => {
  it.each<
    [string, AccessPolicy, Principal, { name: string; risk: Risk }, string, typeof webVm | undefined, boolean]
  >([
    ['a viewer reads', policy, user('UVIEW'), cmd('nodes', 'read'), 'COPS', undefined, true],
    ['a viewer cannot reboot', policy, user('UVIEW'), cmd('reboot', 'write'), 'COPS', undefined, false],
    [
      'a viewer cannot fail over',
      policy,
      user('UVIEW'),
      cmd('failover', 'destructive'),
      'COPS',
      undefined,
      false,
    ],
    ['an operator reboots', policy, user('UOPER'), cmd('reboot', 'write'), 'COPS', undefined, true],
    [
      'an operator cannot fail over',
      policy,
      user('UOPER'),
      cmd('failover', 'destructive'),
      'COPS',
      undefined,
      false,
    ],
    ['an admin fails over', policy, user('UADMIN'), cmd('failover', 'destructive'), 'COPS', undefined, true],
    [
      'a member of the admins group is an admin',
      policy,
      user('UX', ['SADMINS']),
      cmd('failover', 'destructive'),
      'COPS',
      undefined,
      true,
    ],
    [
      'a stranger cannot even read',
      policy,
      user('USTRANGER'),
      cmd('nodes', 'read'),
      'COPS',
      undefined,
      false,
    ],
    ['* lets everyone read', open, user('USTRANGER'), cmd('nodes', 'read'), 'C1', undefined, true],
    [
      '* for viewers lets nobody write',
      open,
      user('USTRANGER'),
      cmd('reboot', 'write'),
      'C1',
      undefined,
      false,
    ],
    [
      'a channel binding refuses elsewhere, even an admin',
      policy,
      user('UADMIN'),
      cmd('evacuate', 'destructive'),
      'CRANDOM',
      undefined,
      false,
    ],
    [
      'a channel binding allows its channel',
      policy,
      user('UADMIN'),
      cmd('evacuate', 'destructive'),
      'COPS',
      undefined,
      true,
    ],
    [
      'a project member reboots their own instance (by tag)',
      policy,
      user('UWEB'),
      cmd('reboot', 'write'),
      'C1',
      webVm,
      true,
    ],
    [
      'a project member reboots their own instance (by name)',
      policy,
      user('UWEB'),
      cmd('reboot', 'write'),
      'C1',
      wwwVm,
      true,
    ],
    [
      'a project member cannot reboot another instance',
      policy,
      user('UWEB'),
      cmd('reboot', 'write'),
      'C1',
      dbVm,
      false,
    ],
    [
      'a project group member shuts down their own instance',
      policy,
      user('UY', ['SWEB']),
      cmd('shutdown', 'destructive'),
      'C1',
      webVm,
      true,
    ],
    [
      'a project member cannot fail over, not a project action',
      policy,
      user('UWEB'),
      cmd('failover', 'destructive'),
      'C1',
      webVm,
      false,
    ],
    [
      'a project member may list (filtered)',
      policy,
      user('UWEB'),
      cmd('instances', 'read'),
      'C1',
      undefined,
      true,
    ],
    [
      'a project member cannot see the nodes',
      policy,
      user('UWEB'),
      cmd('nodes', 'read'),
      'C1',
      undefined,
      false,
    ],
  ])('%s', (_name, p, who, command, channel, target, allowed) => {
    expect(authorize(command, who, channel, p, target).allowed).toBe(allowed);
  });

  it('says which role is needed and which the user has', () => {
    expect(authorize(cmd('failover', 'destructive'), user('UOPER'), 'COPS', policy)).toEqual({
      allowed: false,
      needed: 'admin',
      reason:
        '`failover` needs the admin role and you are an operator. Ask a cluster admin to add you to ACCESS_ADMINS.',
    });
  });

  it('tells a project member why another instance is refused', () => {
    const d = authorize(cmd('reboot', 'write'), user('UWEB'), 'C1', policy, dbVm);
    expect(d.allowed ? '' : d.reason).toBe(
      '`db1.example.org` does not belong to your project (web), and `reboot` on other instances needs the operator role.',
    );
  });

  it('names the channels a bound command may be used in', () => {
    const d = authorize(cmd('evacuate', 'destructive'), user('UADMIN'), 'CRANDOM', policy);
    expect(d.allowed ? '' : d.reason).toBe('`evacuate` may be used only in <#COPS>.');
  });

  it('grants by role before project, and names the projects of a project grant', () => {
    expect(authorize(cmd('reboot', 'write'), user('UADMIN'), 'C1', policy, dbVm)).toEqual({
      allowed: true,
      via: 'role',
      role: 'admin',
    });
    expect(authorize(cmd('reboot', 'write'), user('UWEB'), 'C1', policy)).toEqual({
      allowed: true,
      via: 'project',
      projects: ['web'],
    });
  });

  describe('projects that live on some clusters only', () => {
    const onWeb2: AccessPolicy = {
      ...policy,
      projects: [
        { ...policy.projects![0]!, clusters: ['web2'] },
        { name: 'ci', members: ['UCI'], instances: { tags: [], patterns: ['ci*'] }, actions: ['info'] },
      ],
    };

    it('grant nothing on another cluster, even to an instance that fits their patterns there', () => {
      expect(authorizeOnCluster(cmd('reboot', 'write'), user('UWEB'), 'C1', onWeb2, 'web2')).toEqual({
        allowed: true,
        via: 'project',
        projects: ['web'],
      });
      const there = authorizeOnCluster(cmd('reboot', 'write'), user('UWEB'), 'C1', onWeb2, 'main');
      expect(there).toMatchObject({ allowed: false, needed: 'operator' });
      expect(there.allowed ? '' : there.reason).toBe(
        'Your project (web) is not on cluster `main`: add `--cluster web2`.',
      );
      expect(
        authorize(cmd('reboot', 'write'), user('UWEB'), 'C1', policyOnCluster(onWeb2, 'main'), wwwVm),
      ).toMatchObject({ allowed: false });
    });

    it('leave a project without clusters on every cluster, and roles untouched', () => {
      expect(authorizeOnCluster(cmd('info', 'read'), user('UCI'), 'C1', onWeb2, 'main').allowed).toBe(true);
      expect(authorizeOnCluster(cmd('reboot', 'write'), user('UOPER'), 'C1', onWeb2, 'main').allowed).toBe(
        true,
      );
      expect(policyOnCluster(onWeb2, 'web2')).toBe(onWeb2);
      // No cluster named (the bot serves one): the whole policy applies.
      expect(authorizeOnCluster(cmd('reboot', 'write'), user('UWEB'), 'C1', onWeb2, undefined).allowed).toBe(
        true,
      );
      expect(policyOnCluster(onWeb2, 'main').projects?.map((p) => p.name)).toEqual(['ci']);
    });

    it('refuse someone in no project for the role they lack, as before', () => {
      const d = authorizeOnCluster(cmd('reboot', 'write'), user('UVIEW'), 'C1', onWeb2, 'main');
      expect(d.allowed ? '' : d.reason).toMatch(/needs the operator role and you are a viewer/);
    });
  });

  it('honours a role override (audit: a read for admins)', () => {
    expect(
      authorize({ name: 'audit', risk: 'read', role: 'admin' }, user('UVIEW'), 'C1', policy).allowed,
    ).toBe(false);
    expect(
      authorize({ name: 'audit', risk: 'read', role: 'admin' }, user('UADMIN'), 'C1', policy).allowed,
    ).toBe(true);
  });

  it('gives the highest role a user has', () => {
    expect(roleOf(user('UADMIN'), { admins: ['UADMIN'], operators: ['UADMIN'], viewers: ['*'] })).toBe(
      'admin',
    );
    expect(roleOf(user('UX'), { admins: [], operators: [], viewers: [] })).toBeNull();
  });
});

describe('mayApprove: the two-person rule', () => {
  it.each<[string, Principal, string, string, boolean]>([
    ['another admin approves', user('UADMIN'), 'failover', 'UOTHER', true],
    ['the requester cannot approve their own request', user('UADMIN'), 'failover', 'UADMIN', false],
    [
      'the requester confirms a command configured for self-approval',
      user('UADMIN'),
      'reboot',
      'UADMIN',
      true,
    ],
    ['a non-approver cannot approve', user('UOPER'), 'failover', 'UADMIN', false],
    ['a member of an approver group approves', user('UZ', ['SADMINS']), 'failover', 'UADMIN', true],
  ])('%s', (_name, approver, command, requester, allowed) => {
    expect(mayApprove(command, approver, requester, policy).allowed).toBe(allowed);
  });

  it('uses the approvers list instead of the admins when given', () => {
    const p = { ...policy, approvers: ['USRE'] };
    expect(mayApprove('failover', user('UADMIN'), 'UREQ', p).allowed).toBe(false);
    expect(mayApprove('failover', user('USRE'), 'UREQ', p).allowed).toBe(true);
  });
});
