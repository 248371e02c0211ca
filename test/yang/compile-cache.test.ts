import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { compileYangCached } from '../../src/yang/compile-cache.js';
import { yangSourceFromText } from '../../src/yang/sources.js';

const module = (description: string): string => `module cache-m { yang-version 1.1; namespace "urn:cache-m"; prefix c;
  feature f; container top { description "${description}"; leaf a { if-feature f; type string; } } }`;

it('compileYangCached: one compile per set of sources and options; another text, another feature set, another schema', () => {
  const first = compileYangCached([yangSourceFromText(module('one'), 'a.yang')]);
  assert.equal(compileYangCached([yangSourceFromText(module('one'), 'b.yang')]), first, 'same names, revisions, texts and options: the same schema object');
  const edited = compileYangCached([yangSourceFromText(module('two'), 'a.yang')]);
  assert.notEqual(edited, first);
  assert.equal(edited.modules.get('cache-m')?.data[0]?.description, 'two');
  const noFeature = compileYangCached([yangSourceFromText(module('one'), 'a.yang')], { features: new Map([['cache-m', []]]) });
  assert.notEqual(noFeature, first);
  assert.equal(noFeature.modules.get('cache-m')?.data[0]?.children.length, 0, 'feature f off: leaf a absent');
  assert.equal(first.modules.get('cache-m')?.data[0]?.children.length, 1);
});
