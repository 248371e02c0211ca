/** The parser's limits: defaults, configured values, the typed error, refusal as soon as a limit is passed. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedMessageError } from '../../src/errors.js';
import { XmlLimitError } from '../../src/xml/limit-error.js';
import { DEFAULT_XML_LIMITS, resolveXmlLimits, type XmlLimits } from '../../src/xml/limits.js';
import { parseXml } from '../../src/xml/parse.js';
import { XmlStreamParser } from '../../src/xml/stream-parser.js';

/** Assert that `parse` throws the XmlLimitError of `limit` at `value`. */
function refused(parse: () => unknown, limit: keyof XmlLimits, value: number): void {
  assert.throws(parse, (err: unknown) => {
    assert.ok(err instanceof XmlLimitError, `expected XmlLimitError, got ${String(err)}`);
    assert.ok(err instanceof MalformedMessageError);
    assert.equal(err.name, 'XmlLimitError');
    assert.equal(err.limit, limit);
    assert.equal(err.value, value);
    assert.match(err.message, new RegExp(`^Malformed XML: .*\\(limit ${limit}: ${value}\\) \\(at byte offset \\d+\\)$`));
    return true;
  });
}

const nested = (depth: number): string => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
const attributes = (n: number, prefix = 'a'): string => Array.from({ length: n }, (_, i) => ` ${prefix}${i}="${i}"`).join('');
const declarations = (n: number): string => Array.from({ length: n }, (_, i) => ` xmlns:p${i}="urn:${i}"`).join('');

/** One document per limit: at the limit (accepted) and one past it (refused), as a function of the limit. */
const SHAPES: Record<keyof XmlLimits, (limit: number) => { at: string; past: string }> = {
  maxDepth: (limit) => ({ at: nested(limit), past: nested(limit + 1) }),
  maxAttributes: (limit) => ({ at: `<r${attributes(limit)}${declarations(3)}/>`, past: `<r${attributes(limit + 1)}/>` }),
  maxNamespaceDeclarations: (limit) => ({ at: `<r${declarations(limit)}${attributes(3)}/>`, past: `<r${declarations(limit + 1)}/>` }),
  maxNameLength: (limit) => ({ at: `<${'n'.repeat(limit)}/>`, past: `<${'n'.repeat(limit + 1)}/>` }),
};

describe('XML limits', () => {
  it('have documented defaults', () => {
    assert.deepEqual(DEFAULT_XML_LIMITS, { maxDepth: 1024, maxAttributes: 1024, maxNamespaceDeclarations: 1024, maxNameLength: 1024 });
    assert.ok(Object.isFrozen(DEFAULT_XML_LIMITS));
    assert.equal(resolveXmlLimits(undefined), DEFAULT_XML_LIMITS);
    assert.deepEqual(resolveXmlLimits({ maxDepth: 5 }), { ...DEFAULT_XML_LIMITS, maxDepth: 5 });
  });

  it('must be positive integers', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => resolveXmlLimits({ maxAttributes: bad }), RangeError);
      assert.throws(() => parseXml('<a/>', { maxDepth: bad }), RangeError);
    }
  });

  for (const [limit, shape] of Object.entries(SHAPES) as Array<[keyof XmlLimits, (typeof SHAPES)[keyof XmlLimits]]>) {
    it(`${limit}: the default refuses one more, with the typed error`, () => {
      const value = DEFAULT_XML_LIMITS[limit];
      const { at, past } = shape(value);
      assert.doesNotThrow(() => parseXml(at));
      refused(() => parseXml(past), limit, value);
      refused(() => parseXml(Buffer.from(past)), limit, value);
    });

    it(`${limit}: a configured value, lower or higher, is what counts (parseXml and the stream parser, whole or byte by byte)`, () => {
      for (const value of [1, 7, DEFAULT_XML_LIMITS[limit] * 4]) {
        const { at, past } = shape(value);
        const limits = { [limit]: value };
        assert.doesNotThrow(() => parseXml(at, limits), `${limit} ${value}`);
        refused(() => parseXml(past, limits), limit, value);
        const parser = new XmlStreamParser({ emitDepth: 1, limits, onSubtree() {} });
        refused(() => {
          for (const byte of Buffer.from(past)) parser.write(Buffer.of(byte));
          parser.end();
        }, limit, value);
      }
    });
  }

  it('maxNameLength applies to attribute names and processing-instruction targets too, and counts bytes', () => {
    refused(() => parseXml(`<a ${'n'.repeat(1025)}="1"/>`), 'maxNameLength', 1024);
    refused(() => parseXml(`<a><?${'t'.repeat(1025)} x?></a>`), 'maxNameLength', 1024);
    assert.doesNotThrow(() => parseXml(`<${'é'.repeat(512)}/>`));
    refused(() => parseXml(`<${'é'.repeat(513)}/>`), 'maxNameLength', 1024);
  });

  it('attributes and namespace declarations are counted apart', () => {
    assert.doesNotThrow(() => parseXml(`<r${attributes(1024)}${declarations(1024)}/>`));
    assert.doesNotThrow(() => parseXml(`<r${declarations(1024)}${attributes(1024)}/>`));
  });

  it('a document is refused as soon as it passes a limit, before the rest arrives', () => {
    const parser = new XmlStreamParser({ emitDepth: 1, limits: { maxDepth: 100 }, onSubtree() {} });
    parser.write('<a>'.repeat(100));
    refused(() => parser.write('<a>'), 'maxDepth', 100);
    // A name too long is refused before its end is seen.
    const names = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
    names.write('<r><');
    refused(() => names.write('n'.repeat(2000)), 'maxNameLength', 1024);
  });

  it('the limits hold for subtrees built whole and for skeletons alike', () => {
    for (const emitDepth of [0, 1, 5, 2000]) {
      const parser = new XmlStreamParser({ emitDepth, onSubtree() {} });
      refused(() => {
        parser.write(nested(1025));
        parser.end();
      }, 'maxDepth', 1024);
    }
  });
});
