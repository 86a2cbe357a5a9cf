import { describe, expect, it } from 'vitest';
import { argv } from '../../../src/cluster/argv.js';
import { parseOsList } from '../../../src/cluster/parsers/os-list.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';

describe('parseOsList', () => {
  it('was captured with the argv the client builds', () => {
    const command = readFixtureRaw('gnt-os_list.no-headers.txt').split('\n')[0];
    expect(command).toBe(`$ ${argv.osList().join(' ')}`);
  });

  it('reads the lab cluster’s one OS definition', () => {
    expect(parseOsList(readFixture('gnt-os_list.no-headers.txt'))).toEqual(['noop']);
  });

  it('keeps Ganeti’s order, trims names and drops blank lines', () => {
    expect(parseOsList('debootstrap+default\r\n\n  noop  \nimage+buster\n')).toEqual([
      'debootstrap+default',
      'noop',
      'image+buster',
    ]);
  });

  it('returns no OS for empty output', () => {
    expect(parseOsList('')).toEqual([]);
    expect(parseOsList('\n \n')).toEqual([]);
  });
});
