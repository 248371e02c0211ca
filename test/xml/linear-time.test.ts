/**
 * The XML parser, and the walks over the trees it builds, take time linear in the size of the
 * input for every shape of document, whole or cut into tiny pieces. Each test parses a document
 * of that shape at a size where a quadratic cost takes tens of seconds, within a CPU-time budget
 * about ten times what the linear code takes (test/helpers/cpu-budget.ts). The comment above each
 * case says what quadratic path it exposes (measured on the code before the parser was made
 * linear: see the report of the change).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { XmlElement } from '../../src/xml/element.js';
import type { XmlLimits } from '../../src/xml/limits.js';
import { parseXml } from '../../src/xml/parse.js';
import { XmlStreamParser } from '../../src/xml/stream-parser.js';
import { assertCpuBudget } from '../helpers/cpu-budget.js';

/** Limits out of the way: the shapes tested go far beyond the defaults. */
const UNLIMITED: XmlLimits = { maxDepth: 1e7, maxAttributes: 1e7, maxNamespaceDeclarations: 1e7, maxNameLength: 1e8 };

/** `doc` as UTF-8 pieces of `size` bytes. */
function pieces(doc: string, size: number): Buffer[] {
  const bytes = Buffer.from(doc, 'utf8');
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

/** Parse the pieces with a stream parser building the whole tree. */
function streamAll(input: readonly Buffer[]): void {
  const parser = new XmlStreamParser({ emitDepth: 0, limits: UNLIMITED, onSubtree() {} });
  for (const piece of input) parser.write(piece);
  parser.end();
}

/** Parse the pieces with a stream parser emitting subtrees at depth 1 (nothing kept). */
function streamDepth1(input: readonly Buffer[]): void {
  const parser = new XmlStreamParser({ emitDepth: 1, limits: UNLIMITED, onSubtree() {} });
  for (const piece of input) parser.write(piece);
  parser.end();
}

/** Parse the pieces with a stream parser building nothing but the skeletons of the open elements. */
function streamSkeletons(input: readonly Buffer[]): void {
  const parser = new XmlStreamParser({ emitDepth: 1e9, limits: UNLIMITED, onSubtree() {} });
  for (const piece of input) parser.write(piece);
  parser.end();
}

const wholeDoc = (doc: (n: number) => string) => (n: number) => [Buffer.from(doc(n), 'utf8')];
const inPieces = (doc: (n: number) => string, size: number) => (n: number) => pieces(doc(n), size);

// Shapes of documents, as functions of n.
const deep = (n: number): string => `${'<a>'.repeat(n)}x${'</a>'.repeat(n)}`;
const manyAttributes = (n: number): string => `<r xmlns:p="urn:p" ${Array.from({ length: n }, (_, i) => `a${i}="${i}" p:a${i}="${i}"`).join(' ')}/>`;
/** n/8 declarations on the root, n children each looking up the first one declared. */
const manyDeclarations = (n: number): string => `<r ${Array.from({ length: n / 8 }, (_, i) => `xmlns:p${i}="urn:${i}"`).join(' ')}>${'<p0:x/>'.repeat(n)}</r>`;
/** n levels, each declaring 8 prefixes of its own and holding 8 elements that use the outermost one. */
const nestedDeclarations = (n: number): string =>
  `<p:r xmlns:p="urn:p">${Array.from({ length: n }, (_, i) => `<p:a${Array.from({ length: 8 }, (_, k) => ` xmlns:q${k}x${i}="urn:${i}"`).join('')}>${'<p:x/>'.repeat(8)}`).join('')}${'</p:a>'.repeat(n)}</p:r>`;
const longElementName = (n: number): string => `<${'n'.repeat(n)} a="1">x</${'n'.repeat(n)}>`;
const longAttributeName = (n: number): string => `<r ${'n'.repeat(n)}="1"/>`;
const longPiTarget = (n: number): string => `<r><?${'t'.repeat(n)} x?></r>`;
const longText = (n: number): string => `<r><t>${'x&amp;y é '.repeat(n / 8)}</t></r>`;
const longAttributeValue = (n: number): string => `<r><t v="${'x&amp;y é '.repeat(n / 8)}"/></r>`;
const longComment = (n: number): string => `<r><!--${'x- é '.repeat(n / 5)}--></r>`;
const longCdata = (n: number): string => `<r><t><![CDATA[${'x]] > é '.repeat(n / 8)}]]></t></r>`;
const longPi = (n: number): string => `<r><?pi ${'x? > é '.repeat(n / 7)}?></r>`;
/** n attributes whose values hold a `>`. */
const gtInValues = (n: number): string => `<r><t ${Array.from({ length: n }, (_, i) => `a${i}="${i}>"`).join(' ')}/></r>`;
const manyElements = (n: number): string => `<r>${'<e a="1">t</e>'.repeat(n / 14)}</r>`;

/** CPU-time budget of each case: linear runs take 20 to 900 ms on a loaded 2-core machine. */
const BUDGET_MS = 5000;

describe('XML parsing: linear time for every shape', () => {
  // Each case: [what, n, input builder, parse]. How a quadratic cost would show is given with it.
  const cases: Array<[string, number, (n: number) => Buffer[], (input: readonly Buffer[]) => void]> = [
    // saxes (the old hello parser) is super-quadratic in depth: 24 s at 40 000 levels.
    ['depth', 160_000, wholeDoc(deep), streamAll],
    ['depth, 1-byte pieces', 80_000, inPieces(deep, 1), streamAll],
    // A duplicate check comparing each attribute with the others: 64 000² comparisons.
    ['attributes on one element (plain and prefixed)', 32_000, wholeDoc(manyAttributes), streamAll],
    // A prefix lookup scanning every binding in scope: 384 000 lookups × 48 000 bindings.
    ['namespace declarations on one element, each child looking up the first one', 384_000, wholeDoc(manyDeclarations), streamSkeletons],
    // The same, the bindings made level by level: 96 000 lookups × up to 96 000 bindings.
    ['nested declarations, each level looking up the outermost prefix', 12_000, wholeDoc(nestedDeclarations), streamSkeletons],
    ['a long element name', 8_000_000, wholeDoc(longElementName), streamAll],
    // A token re-scanned from its start at each piece: length × pieces, 160 000² / 2 bytes.
    ['a long element name, 1-byte pieces', 160_000, inPieces(longElementName, 1), streamAll],
    ['a long attribute name, 1-byte pieces', 160_000, inPieces(longAttributeName, 1), streamAll],
    ['a long processing-instruction target, 1-byte pieces', 160_000, inPieces(longPiTarget, 1), streamAll],
    ['long text', 3_200_000, wholeDoc(longText), streamAll],
    ['long text, 1-byte pieces', 320_000, inPieces(longText, 1), streamAll],
    ['a long attribute value, 1-byte pieces', 320_000, inPieces(longAttributeValue, 1), streamAll],
    // A start tag re-scanned from its start whenever a piece holds a `>`: 60 000 pieces × 120 kB.
    ['attribute values holding a >, 4-byte pieces', 20_000, inPieces(gtInValues, 4), streamAll],
    ['many attributes, 1-byte pieces', 8_000, inPieces(manyAttributes, 1), streamAll],
    ['a long comment, 1-byte pieces', 320_000, inPieces(longComment, 1), streamDepth1],
    ['a long CDATA section, 1-byte pieces', 320_000, inPieces(longCdata, 1), streamAll],
    ['a long processing instruction, 1-byte pieces', 320_000, inPieces(longPi, 1), streamDepth1],
    ['many small elements, 7-byte pieces', 800_000, inPieces(manyElements, 7), streamDepth1],
  ];
  for (const [what, n, prepare, parse] of cases) {
    it(what, (t) => {
      const input = prepare(n);
      const ms = assertCpuBudget(what, BUDGET_MS, () => parse(input));
      t.diagnostic(`n = ${n}: ${ms.toFixed(0)} ms`);
    });
  }
});

describe('walks over a tree: linear time at any depth', () => {
  const n = 160_000;
  const root = parseXml(deep(n), UNLIMITED);

  // Recursive walks throw RangeError (the stack) at this depth.
  for (const [what, walk] of [
    ['toString', (el: XmlElement) => assert.equal(el.toString().length, 7 * n + 1)],
    ['textContent', (el: XmlElement) => assert.equal(el.textContent, 'x')],
    ['innerXml', (el: XmlElement) => assert.equal(el.innerXml().length, 7 * n - 6)],
    ['findAll', (el: XmlElement) => assert.equal(el.findAll(Array(n - 1).fill('a').join('/')).length, 1)],
  ] as const) {
    it(`${what} of a tree ${n} deep`, (t) => {
      const ms = assertCpuBudget(what, BUDGET_MS, () => walk(root));
      t.diagnostic(`${ms.toFixed(0)} ms`);
    });
  }

  it('innerXml of a deep element with many children (each child serialized with what is in scope)', (t) => {
    // Looking up the namespaces in scope from each child again: 80 000 children × 80 000 ancestors.
    const m = 80_000;
    let el = parseXml(`${'<a xmlns:p="urn:p">'.repeat(m)}${'<p:c/>'.repeat(m)}${'</a>'.repeat(m)}`, UNLIMITED);
    while (el.elements[0]?.local === 'a') el = el.elements[0];
    assert.equal(el.elements.length, m);
    const ms = assertCpuBudget('innerXml', BUDGET_MS, () => assert.equal(el.innerXml().length, m * '<p:c xmlns:p="urn:p"/>'.length));
    t.diagnostic(`${ms.toFixed(0)} ms`);
  });
});
