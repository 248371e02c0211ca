/** Feature specifications (`--features`, yanglint -F) and if-feature expressions. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { YangError } from '../../src/yang/errors.js';
import { evaluateIfFeature, parseFeatureSpec, parseIfFeature } from '../../src/yang/features.js';

const LOC = { file: 'f.yang', line: 3, column: 5 };

describe('parseFeatureSpec', () => {
  it('module:feature items, "module:" for none, yanglint-style continuation "m:f1,f2"', () => {
    assert.deepEqual(parseFeatureSpec('ietf-interfaces:if-mib, ietf-ip:ipv6-privacy-autoconf,ietf-system:'), new Map([
      ['ietf-interfaces', ['if-mib']],
      ['ietf-ip', ['ipv6-privacy-autoconf']],
      ['ietf-system', []],
    ]));
    assert.deepEqual(parseFeatureSpec('m:f1,f2,n:g,m:f3,f1'), new Map([['m', ['f1', 'f2', 'f3']], ['n', ['g']]]));
    assert.deepEqual(parseFeatureSpec(''), new Map());
    assert.deepEqual(parseFeatureSpec('m:*'), new Map([['m', ['*']]]));
  });

  it('refuses a feature without a module, an empty module, an invalid name', () => {
    assert.throws(() => parseFeatureSpec('f1'), YangError);
    assert.throws(() => parseFeatureSpec(':f1'), YangError);
    assert.throws(() => parseFeatureSpec('m:f 1'), YangError);
  });
});

describe('if-feature expressions', () => {
  const enabled = new Set(['a', 'p:b']);
  const ev = (text: string): boolean => evaluateIfFeature(parseIfFeature(text, LOC, true), (prefix, name) => enabled.has(prefix ? `${prefix}:${name}` : name));

  it('not binds tighter than and, and tighter than or; parentheses; prefixed names', () => {
    assert.equal(ev('a'), true);
    assert.equal(ev('c'), false);
    assert.equal(ev('p:b'), true);
    assert.equal(ev('not a'), false);
    assert.equal(ev('not c and a'), true);
    assert.equal(ev('c or a and p:b'), true);
    assert.equal(ev('(c or a) and not p:b'), false);
    assert.equal(ev('c or not (a and c)'), true);
    assert.equal(ev('not not a'), true);
  });

  it('syntax errors name the place; YANG 1.0 allows a single feature name', () => {
    for (const bad of ['', 'a and', '(a', 'a)', 'a b', 'and a', 'a or or b', '1x']) {
      assert.throws(() => parseIfFeature(bad, LOC, true), (err: unknown) => err instanceof YangError && err.message.startsWith('f.yang:3:5: invalid if-feature expression'), bad);
    }
    assert.deepEqual(parseIfFeature('p:x', LOC, false), { op: 'feature', prefix: 'p', name: 'x' });
    assert.throws(() => parseIfFeature('not x', LOC, false), /YANG 1\.0 allows only a feature name/);
  });
});
