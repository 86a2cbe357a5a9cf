import { describe, expect, it } from 'vitest';
import type { StepAction } from '../../src/commands/operation-plan.js';
import { planSchema } from '../../src/queue/operation-schemas.js';

/** One of every action a plan may hold; the type makes a new kind of action fail here until added. */
const EVERY_ACTION: { [K in StepAction['op']]: Extract<StepAction, { op: K }> } = {
  'instance-startup': { op: 'instance-startup', instance: 'inst1.example.org' },
  'instance-shutdown': { op: 'instance-shutdown', instance: 'inst1.example.org' },
  'instance-reboot': { op: 'instance-reboot', instance: 'inst1.example.org', hard: false },
  'instance-failover': { op: 'instance-failover', instance: 'inst1.example.org', target: null },
  'instance-migrate': {
    op: 'instance-migrate',
    instance: 'inst1.example.org',
    target: 'node2',
    allowFailover: true,
  },
  'instance-replace-secondary': {
    op: 'instance-replace-secondary',
    instance: 'db1.example.org',
    node: 'node3',
  },
  'node-set': { op: 'node-set', node: 'node2', flag: 'drained', value: true },
  'node-evacuate-secondaries': { op: 'node-evacuate-secondaries', node: 'node2' },
  'job-cancel': { op: 'job-cancel', jobId: 42 },
  'master-failover': { op: 'master-failover', node: 'node2', noVoting: false },
  'instance-add': {
    op: 'instance-add',
    instance: 'web5.example.org',
    spec: {
      os: 'debootstrap+default',
      template: 'drbd',
      memoryMb: 2048,
      vcpus: 2,
      diskMb: 20480,
      network: null,
      ip: '192.0.2.15',
      placement: { primary: 'node1', secondary: 'node2' },
      tags: ['project:web'],
    },
  },
  'instance-remove': { op: 'instance-remove', instance: 'web5.example.org' },
};

describe('a stored plan', () => {
  it('refuses a create step whose spec was tampered with in Redis', () => {
    const add = EVERY_ACTION['instance-add'];
    const tampered = { ...add, spec: { ...add.spec, os: 'noop; rm -rf /' } };
    const plan = {
      title: 't',
      summary: 's',
      checks: [],
      warnings: [],
      steps: [{ key: 'k', label: 'l', action: tampered }],
    };
    expect(planSchema.safeParse(plan).success).toBe(false);
  });

  it.each(Object.values(EVERY_ACTION))('keeps a step that does $op', (action) => {
    const plan = {
      title: 't',
      summary: 's',
      checks: [],
      warnings: [],
      steps: [{ key: 'k', label: 'l', action }],
    };
    expect(planSchema.parse(plan).steps[0]?.action).toEqual(action);
  });
});
