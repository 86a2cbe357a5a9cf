import { describe, expect, it } from 'vitest';
import {
  MESSAGE_MAX_BLOCKS,
  VIEW_MAX_BLOCKS,
  checkBlocks,
} from '../../../src/demo/slack/block-kit-limits.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const button = (fields: Record<string, unknown> = {}) => ({
  type: 'button',
  text: plain('Go'),
  action_id: 'go',
  ...fields,
});
const x = (n: number) => 'x'.repeat(n);
const many = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);

describe('checkBlocks', () => {
  const cases: { name: string; ok: unknown; broken: unknown; message: string }[] = [
    {
      name: 'section text up to 3000 characters',
      ok: { type: 'section', text: mrkdwn(x(3000)) },
      broken: { type: 'section', text: mrkdwn(x(3001)) },
      message: 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    },
    {
      name: 'header text up to 150 characters',
      ok: { type: 'header', text: plain(x(150)) },
      broken: { type: 'header', text: plain(x(151)) },
      message: 'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    },
    {
      name: 'up to 10 section fields',
      ok: { type: 'section', fields: many(10, mrkdwn('f')) },
      broken: { type: 'section', fields: many(11, mrkdwn('f')) },
      message: 'must be less than 11 items [json-pointer:/blocks/0/fields]',
    },
    {
      name: 'a section field up to 2000 characters',
      ok: { type: 'section', fields: [mrkdwn(x(2000))] },
      broken: { type: 'section', fields: [mrkdwn('a'), mrkdwn(x(2001))] },
      message: 'must be less than 2001 characters [json-pointer:/blocks/0/fields/1/text]',
    },
    {
      name: 'up to 25 actions elements',
      ok: { type: 'actions', elements: many(25, button()) },
      broken: { type: 'actions', elements: many(26, button()) },
      message: 'must be less than 26 items [json-pointer:/blocks/0/elements]',
    },
    {
      name: 'button text up to 75 characters',
      ok: { type: 'actions', elements: [button({ text: plain(x(75)) })] },
      broken: { type: 'actions', elements: [button({ text: plain(x(76)) })] },
      message: 'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    },
    {
      name: 'button value up to 2000 characters',
      ok: { type: 'actions', elements: [button({ value: x(2000) })] },
      broken: { type: 'actions', elements: [button({ value: x(2001) })] },
      message: 'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    },
    {
      name: 'action_id up to 255 characters, in a section accessory too',
      ok: { type: 'section', text: mrkdwn('a'), accessory: button({ action_id: x(255) }) },
      broken: { type: 'section', text: mrkdwn('a'), accessory: button({ action_id: x(256) }) },
      message: 'must be less than 256 characters [json-pointer:/blocks/0/accessory/action_id]',
    },
    {
      name: 'block_id up to 255 characters',
      ok: { type: 'divider', block_id: x(255) },
      broken: { type: 'divider', block_id: x(256) },
      message: 'must be less than 256 characters [json-pointer:/blocks/0/block_id]',
    },
    {
      name: 'up to 10 context elements',
      ok: { type: 'context', elements: many(10, mrkdwn('c')) },
      broken: { type: 'context', elements: many(11, mrkdwn('c')) },
      message: 'must be less than 11 items [json-pointer:/blocks/0/elements]',
    },
    {
      name: 'confirm title up to 100 characters',
      ok: {
        type: 'actions',
        elements: [button({ confirm: { title: plain(x(100)), text: plain('sure?') } })],
      },
      broken: {
        type: 'actions',
        elements: [button({ confirm: { title: plain(x(101)), text: plain('sure?') } })],
      },
      message: 'must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]',
    },
    {
      name: 'confirm text up to 300 characters',
      ok: { type: 'actions', elements: [button({ confirm: { title: plain('t'), text: mrkdwn(x(300)) } })] },
      broken: {
        type: 'actions',
        elements: [button({ confirm: { title: plain('t'), text: mrkdwn(x(301)) } })],
      },
      message: 'must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]',
    },
  ];

  it.each(cases)('accepts $name and refuses one more', ({ ok, broken, message }) => {
    expect(checkBlocks([ok], MESSAGE_MAX_BLOCKS)).toEqual([]);
    expect(checkBlocks([broken], MESSAGE_MAX_BLOCKS)).toEqual([message]);
  });

  it('allows 50 blocks in a message and 100 in a view', () => {
    const divider = { type: 'divider' };
    expect(checkBlocks(many(50, divider), MESSAGE_MAX_BLOCKS)).toEqual([]);
    expect(checkBlocks(many(51, divider), MESSAGE_MAX_BLOCKS)).toEqual([
      'must be less than 51 items [json-pointer:/blocks]',
    ]);
    expect(checkBlocks(many(100, divider), VIEW_MAX_BLOCKS, '/view/blocks')).toEqual([]);
    expect(checkBlocks(many(101, divider), VIEW_MAX_BLOCKS, '/view/blocks')).toEqual([
      'must be less than 101 items [json-pointer:/view/blocks]',
    ]);
  });

  it('reports every problem, and blocks without a type', () => {
    const problems = checkBlocks([{ text: 'no type' }, { type: 'header', text: plain(x(200)) }], 50);
    expect(problems).toEqual([
      'missing required field: type [json-pointer:/blocks/0]',
      'must be less than 151 characters [json-pointer:/blocks/1/text/text]',
    ]);
  });

  it('refuses blocks that are not an array', () => {
    expect(checkBlocks({ type: 'divider' }, 50)).toEqual(['must be an array [json-pointer:/blocks]']);
  });
});
