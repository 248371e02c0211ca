// The instance generator of the yanglint oracle tests (generate-instances.ts): reproducible from
// its seed, and thorough: over a few hundred documents of the test modules, every leaf and
// leaf-list of every built-in type shows up, every case of every choice is taken, the operations
// are generated, and the broken documents break in every way the mutator knows.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileYang } from '../../src/yang/compile.js';
import type { SchemaNode, YangSchema } from '../../src/yang/schema.js';
import { yangSourcesFromDirectories } from '../../src/yang/sources.js';
import { generateDocument, mutateDocument, MUTATIONS, mutateJson, operations, Rng, stringMatching, type GenNode } from './generate-instances.js';

// (not from oracle-harness.ts: that one loads the codec, which this test does not need)
const IETF_DIR = '/usr/share/yuma/modules/ietf';
const TEST_MODULES_DIR = join(fileURLToPath(new URL('../../..', import.meta.url)), 'test', 'yang', 'modules');

const schema: YangSchema = compileYang(yangSourcesFromDirectories([TEST_MODULES_DIR, IETF_DIR]), {
  modules: ['oracle-common', 'oracle-types', 'oracle-augment', 'oracle-deviations', 'oracle-legacy'],
});

function visit(nodes: readonly GenNode[], f: (n: GenNode) => void): void {
  for (const n of nodes) {
    f(n);
    visit(n.children, f);
  }
}

describe('generate-instances', () => {
  it('gives the same document for the same seed, and others for other seeds', () => {
    assert.equal(generateDocument(schema, 42).xml, generateDocument(schema, 42).xml);
    const distinct = new Set(Array.from({ length: 20 }, (_, i) => generateDocument(schema, i).xml));
    assert.ok(distinct.size >= 18, `${distinct.size} distinct documents of 20`);
  });

  it('generates every leaf and leaf-list of the types container, every case of every choice', () => {
    const seen = new Set<SchemaNode>();
    for (let seed = 0; seed < 400; seed++) visit(generateDocument(schema, seed).tree, (n) => seen.add(n.schema));
    const types = schema.data.find((n) => n.name === 'types')!;
    const missing = types.children.filter((c) => (c.kind === 'leaf' || c.kind === 'leaf-list') && !seen.has(c)).map((c) => c.name);
    assert.deepEqual(missing, [], 'leaves never generated');
    const item = schema.data.find((n) => n.name === 'items')!.children.find((n) => n.name === 'item')!;
    const shape = item.children.find((n) => n.kind === 'choice')!;
    for (const c of shape.children) {
      const leaves = c.kind === 'case' ? c.children : [c];
      assert.ok(leaves.some((l) => seen.has(l)), `case ${c.name} never taken`);
    }
  });

  it('generates the rpc/action inputs, their outputs and the notifications, nested ones included', () => {
    const tops = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      for (const kind of ['rpc', 'reply', 'notification'] as const) {
        const doc = generateDocument(schema, seed, { kind });
        visit(doc.tree, (n) => (['rpc', 'action', 'notification'].includes(n.schema.kind) ? tops.add(`${kind} ${n.schema.name}`) : undefined));
      }
    }
    const ops = operations(schema, ['rpc', 'action']).map((o) => o.name);
    for (const o of ops) assert.ok(tops.has(`rpc ${o}`) && tops.has(`reply ${o}`), `${o}: ${[...tops].join(', ')}`);
    for (const o of operations(schema, ['notification']).map((n) => n.name)) assert.ok(tops.has(`notification ${o}`), o);
  });

  it('breaks documents in every way it knows', () => {
    const kinds = new Set<string>();
    for (let seed = 0; seed < 400; seed++) {
      const bad = mutateDocument(generateDocument(schema, seed), schema, seed);
      if (bad) kinds.add(bad.mutationKind!);
    }
    assert.deepEqual(MUTATIONS.filter((k) => !kinds.has(k)), [], 'mutations never applied');
    const json = mutateJson({ 'm:a': { n: 1, s: 'x', b: true, e: [null], l: [1, 2] } }, 7);
    assert.ok(json && json.mutation.length > 0);
  });

  it('makes strings that match XSD patterns', () => {
    const rng = new Rng(1);
    for (const p of ['[a-f0-9]{4}-[a-f0-9]{2}', '(([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\\.){3}([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])', '\\p{L}+', '[a-z]+(-[a-z]+)*']) {
      const re = new RegExp(`^(?:${p})$`, 'u');
      for (let i = 0; i < 50; i++) {
        const s = stringMatching(p, rng);
        assert.ok(s !== undefined && re.test(s), `${p}: ${s}`);
      }
    }
  });
});
