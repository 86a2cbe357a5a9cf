import { describe, expect, it } from 'vitest';
import { INSTANCE_FACTS_FIELDS, parseInstanceFacts } from '../../../src/cluster/parsers/instance-facts.js';
import { parseInstanceInfo } from '../../../src/cluster/parsers/instance-info.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';

describe('parseInstanceFacts (gnt-instance list … -o FACTS -- NAME)', () => {
  it('was captured with exactly the fields it parses', () => {
    expect(readFixtureRaw('gnt-instance_list.facts.inst1.txt')).toContain(
      `-o ${INSTANCE_FACTS_FIELDS.join(',')} --`,
    );
  });

  it('gives what gnt-instance info gives for the fields /ganeti info shows', () => {
    const facts = parseInstanceFacts(readFixture('gnt-instance_list.facts.inst1.txt'), 'inst1.ganeti.test');
    expect(facts).toMatchObject({
      name: 'inst1.ganeti.test',
      uuid: '14a0f848-edf3-4686-b33b-488085388caa',
      state: { configured: 'up', actual: 'up' },
      primaryNode: 'node1.ganeti.test',
      os: 'noop',
      hypervisor: 'fake',
      memoryMiB: 256,
      vcpus: 1,
      nics: [{ mac: 'aa:00:00:4f:0d:ce', ip: '198.51.100.101', mode: 'routed', link: '100' }],
      createdAt: '2026-12-02 01:24:04',
      modifiedAt: '2026-12-02 01:24:05',
    });
    // The shape matches the parser of `gnt-instance info` (another capture of the same lab).
    const info = parseInstanceInfo(readFixture('gnt-instance_info.inst1.txt'));
    expect(Object.keys(facts).sort()).toEqual(Object.keys(info).sort());
    expect(facts.state?.configured).toBe(info.state?.configured);
  });

  it('says the instance is unknown when Ganeti printed no line for it', () => {
    expect(() => parseInstanceFacts('', 'nosuch.ganeti.test')).toThrow(/nosuch.ganeti.test was not found/);
  });

  it('refuses a line with the wrong number of fields', () => {
    expect(() => parseInstanceFacts('inst1.ganeti.test|up\n', 'inst1.ganeti.test')).toThrow(/fields/);
  });
});
