import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../src/xml/parse.js';
import { OpaqueError, opaqueElementToJson, opaqueJsonToXml, opaqueScalar } from '../../src/yang/anydata.js';
import { codecSchema } from './schema-fixtures.js';

describe('opaqueScalar', () => {
  it('maps text as libyang prints schema-less values', () => {
    assert.deepEqual(opaqueScalar(''), [null]);
    assert.equal(opaqueScalar('true'), true);
    assert.equal(opaqueScalar('false'), false);
    assert.equal(opaqueScalar('-3'), -3);
    assert.equal(opaqueScalar('0'), 0);
    // Not canonical integers, or not safe in a double: strings.
    for (const text of ['1.5', '007', '+5', '-0', ' 12 ', '123456789012345678901234', 'abc', '-']) assert.equal(opaqueScalar(text), text);
  });
});

describe('opaqueElementToJson', () => {
  it('groups repeated names into arrays, qualifies names where the module changes, keeps attributes', () => {
    const el = parseXml(
      `<ad xmlns="urn:codec:t1" xmlns:t2="urn:codec:t2"><f>1</f><g><h>x</h></g><f>2</f><t2:z t2:m="v">q</t2:z><o xmlns="urn:other"><p/></o></ad>`,
    );
    assert.deepEqual(opaqueElementToJson(codecSchema(), el, 'codec-t1', true), {
      f: [1, 2],
      g: { h: 'x' },
      'codec-t2:z': 'q',
      '@codec-t2:z': { 'codec-t2:m': 'v' },
      o: { p: [null] },
    });
  });

  it('refuses text beside elements when strict, drops it when not', () => {
    const el = parseXml('<ad><a>1</a>text</ad>');
    assert.throws(() => opaqueElementToJson(codecSchema(), el, undefined, true), OpaqueError);
    assert.deepEqual(opaqueElementToJson(codecSchema(), el, undefined, false), { a: 1 });
  });
});

describe('opaqueJsonToXml', () => {
  it('writes members as elements: arrays repeated, [null] empty, qualified names in their namespace', () => {
    assert.equal(
      opaqueJsonToXml(codecSchema(), { f: [1, 2], g: [{ h: 'x' }, { h: 'y' }], d: [null], 'codec-t2:z': 'a<b', o: { '@': { 'codec-t2:m': 'v' }, p: true } }, 'urn:codec:t1'),
      '<f>1</f><f>2</f><g><h>x</h></g><g><h>y</h></g><d/><z xmlns="urn:codec:t2">a&lt;b</z><o xmlns:t2="urn:codec:t2" t2:m="v"><p>true</p></o>',
    );
  });

  it('refuses unknown modules and metadata without data', () => {
    assert.throws(() => opaqueJsonToXml(codecSchema(), { 'nowhere:x': 1 }, ''), /no module "nowhere"/);
    assert.throws(() => opaqueJsonToXml(codecSchema(), { '@x': {} }, ''), /without its data/);
  });

  it('writes a scalar as text', () => {
    assert.equal(opaqueJsonToXml(codecSchema(), 'a&b', ''), 'a&amp;b');
    assert.equal(opaqueJsonToXml(codecSchema(), [null], ''), '');
  });
});
