import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeInfo, topLevel } from '../../src/yang/schema-lookup.js';
import { codecSchema } from './schema-fixtures.js';

describe('schema lookup', () => {
  it('finds top-level nodes by namespace and local name, and by qualified member name only', () => {
    const top = topLevel(codecSchema());
    const info = top.byXml('urn:codec:t1', 'top')!;
    assert.equal(info.qualified, 'codec-t1:top');
    assert.equal(info.member, 'codec-t1:top');
    assert.equal(top.byMember('codec-t1:top'), info);
    assert.equal(top.byMember('top'), undefined);
    assert.equal(top.byXml('urn:codec:t2', 'top'), undefined);
    assert.equal(top.byMember('codec-t1:r')!.kind, 'rpc');
  });

  it('qualifies children where the module changes; tells apart same local names from two modules', () => {
    const top = topLevel(codecSchema()).byMember('codec-t1:top')!;
    const s = top.children.byXml('urn:codec:t1', 's')!;
    assert.equal(s.member, 's');
    const aug = top.children.byXml('urn:codec:t2', 'aug')!;
    assert.equal(aug.member, 'codec-t2:aug');
    assert.equal(top.children.byMember('aug'), undefined);
    assert.equal(top.children.byMember('codec-t2:aug'), aug);
    // "s" in codec-t2:ac is a different node from codec-t1's "s".
    const ac = top.children.byMember('codec-t2:ac')!;
    assert.equal(ac.children.byMember('s')!.module, 'codec-t2');
  });

  it('knows list keys in key order, positions, choices and operation parts', () => {
    const top = topLevel(codecSchema()).byMember('codec-t1:top')!;
    const l = top.children.byMember('l')!;
    assert.deepEqual(l.keys.map((k) => k.name), ['k1', 'k2']);
    assert.ok(l.children.byMember('k1')!.isKey);
    assert.ok(!l.children.byMember('v')!.isKey);
    l.children.list.forEach((child, i) => assert.equal(child.order, i));
    assert.equal(top.children.byMember('x')!.cases.length, 1);
    assert.equal(top.children.byMember('s')!.cases.length, 0);
    const r = topLevel(codecSchema()).byMember('codec-t1:r')!;
    assert.deepEqual(r.input!.children.list.map((i) => i.name), ['a', 'z']);
    assert.deepEqual(r.output!.children.list.map((i) => i.name), ['b', 'c']);
    assert.equal(nodeInfo(l.node), l);
    assert.equal(l.startTag, '<l>');
    assert.equal(l.startTagNs, '<l xmlns="urn:codec:t1">');
    assert.equal(l.endTag, '</l>');
  });
});
