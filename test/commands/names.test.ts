import { describe, expect, it } from 'vitest';
import { ganetiNameProblem, resolveName } from '../../src/commands/names.js';

const instances = [
  'inst1.ganeti.test',
  'inst2.ganeti.test',
  'inst10.ganeti.test',
  'web.a.test',
  'web.b.test',
];

describe('ganetiNameProblem (Ganeti’s own hostname rule)', () => {
  it.each([['inst1'], ['inst1.ganeti.test'], ['INST1.Ganeti.Test'], ['db_2'], ['inst1.ganeti.test.']])(
    'accepts %s',
    (name) => {
      expect(ganetiNameProblem(name)).toBeNull();
    },
  );

  it.each([
    ['inst1;reboot', 'contains ";"'],
    ['$(id)', 'contains "$", "(", ")"'],
    ['`id`', 'contains "`"'],
    ['--force', 'starts with "-"'],
    ['a..b', 'empty part'],
    ['.a', 'empty part'],
    ['ünïcode', 'contains "ü", "ï"'],
    ['', 'is empty'],
    ['a'.repeat(256), 'at most 255'],
  ])('refuses %j: %s', (name, problem) => {
    expect(ganetiNameProblem(name)).toContain(problem);
  });
});

describe('resolveName', () => {
  it('accepts a full name as is', () => {
    expect(resolveName('inst2.ganeti.test', instances, 'instance')).toBe('inst2.ganeti.test');
  });

  it('expands a short name when exactly one instance has it', () => {
    expect(resolveName('inst1', instances, 'instance')).toBe('inst1.ganeti.test');
  });

  it('refuses a short name shared by two instances and names both', () => {
    expect(() => resolveName('web', instances, 'instance')).toThrowError(/`web.a.test`, `web.b.test`/);
  });

  it('suggests the nearest names for a typo', () => {
    expect(() => resolveName('inst3', instances, 'instance')).toThrowError(
      /There is no instance `inst3` in the cluster\. Did you mean `inst1.ganeti.test`/,
    );
  });

  it('says so plainly when nothing is close', () => {
    expect(() => resolveName('zzzzzzzz', instances, 'instance')).toThrowError(
      /^There is no instance `zzzzzzzz` in the cluster\.$/,
    );
  });
});
