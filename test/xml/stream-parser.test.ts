/**
 * XmlStreamParser (and parseXml, its whole-document form) against the reference, saxes
 * (test/helpers/saxes-reference.ts): the same trees, the same subtrees at every emit depth, the
 * same documents accepted; as bytes and as strings, whole and split anywhere; UTF-8 checks; the
 * streaming API.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedMessageError } from '../../src/errors.js';
import { XmlElement } from '../../src/xml/element.js';
import { parseXml } from '../../src/xml/parse.js';
import { XmlStreamParser, type XmlStreamParserOptions } from '../../src/xml/stream-parser.js';
import { referenceParse } from '../helpers/saxes-reference.js';
import { assertSameTree, describeOutcome, genDocument, IANAIFT, IF, mutate, mutateBytes, mutateEncoded, NC, outcome, Random } from '../helpers/xml-documents.js';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** A piece written to the parser. */
type Piece = string | Uint8Array;

interface Emitted {
  element: XmlElement;
  path: XmlElement[];
}

/** Feed `pieces` to a stream parser emitting at `emitDepth`; the subtrees emitted and the root. */
function streamParse(pieces: readonly Piece[], emitDepth: number): { emitted: Emitted[]; root: XmlElement | undefined } {
  const emitted: Emitted[] = [];
  const parser = new XmlStreamParser({
    emitDepth,
    onSubtree(element, path) {
      emitted.push({ element, path: [...path] });
    },
  });
  for (const piece of pieces) parser.write(piece);
  parser.end();
  return { emitted, root: parser.root };
}

/** Split `doc` into string chunks of random sizes in [1, max] (surrogate pairs may be split). */
function randomChunks(doc: string, r: Random, max: number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < doc.length; ) {
    const n = 1 + r.int(max);
    chunks.push(doc.slice(at, at + n));
    at += n;
  }
  return chunks;
}

/** `bytes` cut into pieces of the given sizes (cycled). */
function bytePieces(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    pieces.push(bytes.subarray(at, at + n));
    at += n;
  }
  return pieces;
}

/** Random piece sizes: mostly tiny (every multi-byte character gets split somewhere), some large. */
function randomSizes(r: Random): number[] {
  const max = r.pick([1, 2, 3, 5, 17, 200, 5000]);
  return Array.from({ length: 1 + r.int(7) }, () => 1 + r.int(max));
}

/** The elements at `depth` (root = 0) of a tree, in document order. */
function elementsAtDepth(root: XmlElement, depth: number): XmlElement[] {
  let level = [root];
  for (let d = 0; d < depth; d++) level = level.flatMap((el) => el.elements);
  return level;
}

function maxDepth(el: XmlElement): number {
  let m = 0;
  for (const c of el.elements) m = Math.max(m, 1 + maxDepth(c));
  return m;
}

/**
 * Assert that `actual` is a skeleton of `expected`: same name, namespace, attributes, declarations;
 * no children unless `built` (an element reported by onOpen and then built whole).
 */
function assertSkeletonOf(actual: XmlElement, expected: XmlElement, label: string, built = false): void {
  assert.equal(actual.name, expected.name, `${label}: name`);
  assert.equal(actual.namespace, expected.namespace, `${label}: namespace`);
  assert.deepEqual(Object.entries(actual.attributes), Object.entries(expected.attributes), `${label}: attributes`);
  assert.deepEqual(Object.entries(actual.declarations), Object.entries(expected.declarations), `${label}: declarations`);
  assert.deepEqual(
    actual.rawAttributes.map((a) => [...a]),
    expected.rawAttributes.map((a) => [...a]),
    `${label}: raw attributes`,
  );
  if (!built) assert.equal(actual.children.length, 0, `${label}: skeletons keep no children`);
}

/**
 * Assert that the subtrees a stream parser emitted at `depth` are the elements at that depth of
 * the full parse: same structure, same serialization (namespaces in scope included), and a
 * parent chain of skeletons matching the full tree's ancestors.
 */
function assertSameSubtrees(emitted: readonly Emitted[], full: XmlElement, depth: number, label: string): void {
  const expected = elementsAtDepth(full, depth);
  assert.equal(emitted.length, expected.length, `${label}: number of subtrees at depth ${depth}`);
  for (let i = 0; i < expected.length; i++) {
    const { element, path } = emitted[i]!;
    const e = expected[i]!;
    assertSameTree(element, e, `${label}#${i}`);
    assert.equal(element.toString(), e.toString(), `${label}: serialization of subtree ${i}`);
    assert.deepEqual([...element.inScopeNamespaces()], [...e.inScopeNamespaces()], `${label}: namespaces in scope of subtree ${i}`);
    assert.equal(path.length, depth, `${label}: path length`);
    let ancestor = e.parent;
    for (let d = depth - 1; d >= 0; d--) {
      if (ancestor === null) assert.fail(`${label}: the full tree has fewer ancestors`);
      assertSkeletonOf(path[d]!, ancestor, `${label} ancestor ${d}`);
      ancestor = ancestor.parent;
    }
    if (depth > 0) assert.equal(element.parent, path[depth - 1], `${label}: parent is the live skeleton`);
    else assert.equal(element.parent, null);
  }
}

/** Parse `doc` with saxes and with parseXml (string and bytes); assert the same tree (and that all accept it). */
function assertSameParse(doc: string, label = JSON.stringify(doc.slice(0, 60))): XmlElement {
  const expected = referenceParse(doc);
  for (const [how, actual] of [
    ['string', parseXml(doc)],
    ['bytes', parseXml(Buffer.from(doc, 'utf8'))],
  ] as const) {
    assertSameTree(actual, expected, `${label} (${how})`);
    assert.equal(actual.toString(), expected.toString(), `${label} (${how}): serialization`);
  }
  return expected;
}

// ---- event logs: every callback, checked against what the reference tree says --------------

type Event =
  | { kind: 'subtree'; el: XmlElement; path: string[] }
  | { kind: 'open' | 'close'; el: XmlElement; path: string[] }
  | { kind: 'text'; el: XmlElement; text: string };

const names = (path: readonly XmlElement[]): string[] => path.map((e) => e.name);

/** With callbacks, onOpen asks for these shallow elements whole (a property of the name). */
const askedWhole = (el: XmlElement): boolean => el.local.length % 3 === 1;

/** Options recording every callback into `events` (onOpen/onClose/onText only with `callbacks`). */
function recorder(events: Event[], emitDepth: number, callbacks: boolean): XmlStreamParserOptions {
  const options: XmlStreamParserOptions = {
    emitDepth,
    onSubtree(el, path) {
      assert.equal(el.parent, path.length === 0 ? null : path[path.length - 1], 'parent is the live skeleton');
      events.push({ kind: 'subtree', el, path: names(path) });
    },
  };
  if (callbacks) {
    options.onOpen = (el, path) => {
      assert.equal(el.children.length, 0);
      events.push({ kind: 'open', el, path: names(path) });
      return askedWhole(el);
    };
    options.onClose = (el, path) => {
      assert.equal(el.children.length, 0, 'skeletons keep no children');
      events.push({ kind: 'close', el, path: names(path) });
    };
    options.onText = (text, el, path) => {
      assert.equal(el, path[path.length - 1]);
      assert.notEqual(text, '', 'no empty text');
      const last = events[events.length - 1];
      // A comment or a PI splits a run: merge the pieces, as the tree does.
      if (last?.kind === 'text' && last.el === el) last.text += text;
      else events.push({ kind: 'text', el, text });
    };
  }
  return options;
}

/** The events the parser should report for the document whose tree (saxes) is `full`. */
function expectedEvents(full: XmlElement, emitDepth: number, callbacks: boolean): Event[] {
  const events: Event[] = [];
  const walk = (el: XmlElement, path: XmlElement[]): void => {
    if (path.length >= emitDepth) {
      events.push({ kind: 'subtree', el, path: names(path) });
      return;
    }
    if (callbacks) {
      events.push({ kind: 'open', el, path: names(path) });
      if (askedWhole(el)) {
        events.push({ kind: 'subtree', el, path: names(path) });
        return;
      }
    }
    for (const c of el.children) {
      if (typeof c !== 'string') walk(c, [...path, el]);
      else if (callbacks && c !== '') events.push({ kind: 'text', el, text: c });
    }
    if (callbacks) events.push({ kind: 'close', el, path: names(path) });
  };
  walk(full, []);
  return events;
}

/** Parse `pieces` recording the events. */
function eventParse(pieces: readonly Piece[], emitDepth: number, callbacks: boolean): { events: Event[]; root: XmlElement | undefined } {
  const events: Event[] = [];
  const parser = new XmlStreamParser(recorder(events, emitDepth, callbacks));
  for (const piece of pieces) parser.write(piece);
  parser.end();
  return { events, root: parser.root };
}

function assertSameEvents(actual: readonly Event[], expected: readonly Event[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: number of events (${actual.map((e) => e.kind).join(' ')} / ${expected.map((e) => e.kind).join(' ')})`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    assert.equal(a.kind, e.kind, `${label}: event ${i}`);
    if (e.kind === 'text') {
      assert.ok(a.kind === 'text');
      assert.equal(a.text, e.text, `${label}: text event ${i}`);
      assert.equal(a.el.name, e.el.name);
      continue;
    }
    assert.ok(a.kind !== 'text');
    assert.deepEqual(a.path, e.path, `${label}: path of event ${i}`);
    if (e.kind === 'subtree') {
      assertSameTree(a.el, e.el, `${label} event ${i}`);
      assert.equal(a.el.toString(), e.el.toString(), `${label}: serialization of subtree ${i}`);
      assert.deepEqual([...a.el.inScopeNamespaces()], [...e.el.inScopeNamespaces()], `${label}: namespaces in scope, subtree ${i}`);
    } else assertSkeletonOf(a.el, e.el, `${label} event ${i}`, e.kind === 'open' && expected[i + 1]?.kind === 'subtree' && expected[i + 1]?.el === e.el);
  }
}

/** Assert what the parser reports on `pieces` is what the reference tree `full` says, at `emitDepth`. */
function assertEvents(pieces: readonly Piece[], full: XmlElement, emitDepth: number, callbacks: boolean, label: string): void {
  const { events, root } = eventParse(pieces, emitDepth, callbacks);
  assertSameEvents(events, expectedEvents(full, emitDepth, callbacks), label);
  if (emitDepth === 0) assertSameTree(root!, full, `${label} root`);
  else assertSkeletonOf(root!, full, `${label} root`, callbacks && askedWhole(full));
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    STRICT_UTF8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Memory: bounded by the subtree, not the document (first, before other tests leave garbage)
// ---------------------------------------------------------------------------------------------

describe('memory', () => {
  it('a 200 MB reply in 64 KiB pieces at emitDepth 3 keeps the heap under 150 MB, with strings of every 10th entry kept', { timeout: 600_000 }, (t) => {
    const target = 200 * 1024 * 1024;
    const chunkSize = 64 * 1024;
    let emitted = 0;
    // Strings kept from every 10th subtree: they must not keep the pieces alive.
    const kept: string[] = [];
    const parser = new XmlStreamParser({
      emitDepth: 3,
      onSubtree(element) {
        if (emitted++ % 10 === 0) kept.push(element.child('name')!.text, element.child('type')!.text, element.child('description')!.text);
      },
    });
    const heapChecks: number[] = [];
    let produced = 0;
    let pending = `<?xml version="1.0"?>\n<rpc-reply xmlns="${NC}" message-id="1"><data><interfaces xmlns="${IF}" xmlns:ianaift="${IANAIFT}">\n`;
    let entries = 0;
    let nextCheck = 0;
    while (produced < target) {
      while (pending.length < chunkSize) {
        pending +=
          `  <interface><name>GigabitEthernet0/0/${entries}</name><description>port ${entries} &amp; more</description>` +
          `<type>ianaift:ethernetCsmacd</type><enabled>true</enabled></interface>\n`;
        entries++;
      }
      parser.write(Buffer.from(pending.slice(0, chunkSize), 'latin1'));
      pending = pending.slice(chunkSize);
      produced += chunkSize;
      if (produced >= nextCheck) {
        heapChecks.push(process.memoryUsage().heapUsed);
        nextCheck += target / 8;
      }
    }
    parser.write(Buffer.from(`${pending}</interfaces></data></rpc-reply>\n`, 'latin1'));
    parser.end();
    heapChecks.push(process.memoryUsage().heapUsed);
    assert.equal(emitted, entries);
    const last = (Math.ceil(entries / 10) - 1) * 10;
    assert.equal(kept.length, 3 * Math.ceil(entries / 10));
    assert.deepEqual(kept.slice(-3), [`GigabitEthernet0/0/${last}`, 'ianaift:ethernetCsmacd', `port ${last} & more`]);
    assert.equal(parser.root?.attributes['message-id'], '1');
    const maxMb = Math.max(...heapChecks) / 1048576;
    t.diagnostic(`${entries} entries, heap used (MB) at each eighth: ${heapChecks.map((h) => (h / 1048576).toFixed(0)).join(', ')}`);
    assert.ok(maxMb < 150, `heap went up to ${maxMb.toFixed(0)} MB (${heapChecks.map((h) => (h / 1048576).toFixed(0)).join(', ')})`);
  });
});

// ---------------------------------------------------------------------------------------------
// (a) Hand-written NETCONF-like documents
// ---------------------------------------------------------------------------------------------

const HAND_WRITTEN: Record<string, string> = {
  'rpc-reply with data': `<?xml version="1.0" encoding="UTF-8"?>
<rpc-reply xmlns="${NC}" message-id="101">
  <data>
    <interfaces xmlns="${IF}" xmlns:ianaift="${IANAIFT}">
      <interface>
        <name>eth0</name>
        <description>uplink &amp; "core" &lt;1&gt; &#x1F600; &#233; ünï€𝄞</description>
        <type>ianaift:ethernetCsmacd</type>
        <enabled>true</enabled>
      </interface>
      <interface>
        <name>lo</name>
        <type>ianaift:softwareLoopback</type>
        <enabled>false</enabled>
      </interface>
    </interfaces>
  </data>
</rpc-reply>
`,
  'prefixed netconf namespace, prefixed attributes': `<nc:rpc-reply xmlns:nc="${NC}" nc:message-id="7" xmlns:ex="urn:example" ex:flag="yes" plain='single "quoted"'>
  <nc:data><ex:top ex:a="1" a="2"><ex:leaf xml:lang="en">v</ex:leaf></ex:top></nc:data>
</nc:rpc-reply>`,
  'default namespace changes and undeclaration': `<a xmlns="urn:one"><b xmlns="urn:two"><c/><d xmlns=""><e/></d></b><f/></a>`,
  'CDATA, comments, PIs inside and around': `<?xml version='1.0' standalone='yes'?><!-- before --><?app data?>
<rpc-reply xmlns="${NC}"><!-- c1 --><data><config><![CDATA[<not-a-tag> & ]] >]]><?pi body?>text<!---->more</config></data></rpc-reply>
<!-- after --><?after?>
`,
  'rpc-error': `<rpc-reply message-id="5" xmlns="${NC}">
  <rpc-error>
    <error-type>application</error-type>
    <error-tag>invalid-value</error-tag>
    <error-severity>error</error-severity>
    <error-path xmlns:t="urn:test">/t:top/t:list[t:key='a&amp;b']</error-path>
    <error-message xml:lang="en">Bad value: 'x' &gt; 10</error-message>
    <error-info><bad-element>mtu</bad-element></error-info>
  </rpc-error>
</rpc-reply>`,
  'notification with attributes normalised': `<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-01-01T00:00:00Z</eventTime><event a="tab\there&#9;kept" b="line\r\nbreak&#10;kept&#13;" c="  spaced  " d="cr\rlf\n"/></notification>`,
  'line ends normalised in text': '<a>one\r\ntwo\rthree\n<![CDATA[four\r\nfive\r]]>\r</a>',
  'entities everywhere': `<a x="&lt;&gt;&amp;&quot;&apos;&#60;&#x3C;&#x10FFFF;">&lt;&gt;&amp;&quot;&apos;&#0000065;&#x00042;&#x0000000041;</a>`,
  'non-ASCII names and astral text': `<データ xmlns:é="urn:e" é:ñame="ü"><é:𐀀x>😀 𝄞</é:𐀀x><x·y-z.1_/></データ>`,
  'BOM and white space after the root': '\uFEFF<a/>\n\t \r\n',
  'empty CDATA (an empty text child in saxes)': '<a><![CDATA[]]><b/><![CDATA[]]>x<![CDATA[]]></a>',
  'the xml prefix redeclared, and xml:* attributes': `<a xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:space="preserve"><xml:b/></a>`,
  'namespace URIs trimmed, as saxes does': `<a xmlns=" urn:x " xmlns:p="\turn:p\n"><p:b/></a>`,
  'same prefix rebound deeper': `<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2" p:x="1"><p:c/></p:b><p:d/></p:a>`,
  'edges saxes accepts': `<a x='"' y="'" z=">"><?pi?x?><!----><b>]]&gt; ]] > ]></b><c>\u0085\u2028\u007f\uFEFF</c><xmlnsfoo xmlnsfoo="1"/></a>`,
  'many attributes (a set for duplicates)': `<a ${Array.from({ length: 20 }, (_, i) => `a${i}="${i}"`).join(' ')} xmlns:p="urn:p" p:a0="x"/>`,
  'many prefixes in scope (a map for lookups)': `<a ${Array.from({ length: 12 }, (_, i) => `xmlns:p${i}="urn:${i}"`).join(' ')}><p3:b p11:x="1"><p0:c xmlns:p0="urn:again"/><p0:d/></p3:b><p11:e/></a>`,
  'long values, repeated values': `<a><b>${'v'.repeat(100)}</b><b>${'v'.repeat(100)}</b><c>short</c><c>short</c><d>\n    </d><d>\n    </d></a>`,
};

describe('XmlStreamParser: hand-written NETCONF-like documents', () => {
  for (const [label, doc] of Object.entries(HAND_WRITTEN)) {
    it(`${label}: same tree as saxes; same subtrees and callbacks at every depth, whole, byte by byte, char by char, split anywhere`, () => {
      const full = assertSameParse(doc, label);
      const bytes = Buffer.from(doc, 'utf8');
      for (let d = 0; d <= maxDepth(full) + 1; d++) {
        assertSameSubtrees(streamParse([bytes], d).emitted, full, d, `${label} depth ${d}`);
        assertSameSubtrees(streamParse(bytePieces(bytes, [1]), d).emitted, full, d, `${label} depth ${d} byte by byte`);
        assertSameSubtrees(streamParse(doc.split(''), d).emitted, full, d, `${label} depth ${d} char by char`);
        for (const callbacks of [false, true]) {
          assertEvents([bytes], full, d, callbacks, `${label} depth ${d} callbacks ${callbacks}`);
          assertEvents(bytePieces(bytes, [1]), full, d, callbacks, `${label} depth ${d} callbacks ${callbacks} byte by byte`);
        }
      }
      for (let i = 1; i < bytes.length; i++) assertEvents([bytes.subarray(0, i), bytes.subarray(i)], full, 2, true, `${label} split at ${i}`);
    });
  }

  it('resolves namespaces and keeps prefixed values meaningful in emitted subtrees', () => {
    const { emitted, root } = streamParse([HAND_WRITTEN['rpc-reply with data']!], 3);
    assert.equal(root?.attributes['message-id'], '101');
    assert.equal(emitted.length, 2);
    const iface = emitted[0]!.element;
    assert.equal(iface.tag, `{${IF}}interface`);
    assert.equal(iface.childText('type'), 'ianaift:ethernetCsmacd');
    assert.equal(iface.inScopeNamespaces().get('ianaift'), IANAIFT);
    assert.equal(iface.childText('description'), 'uplink & "core" <1> 😀 é ünï€𝄞');
    const xml = iface.toString();
    assert.match(xml, /^<interface xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">/);
    // The serialization stands alone.
    assertSameTree(parseXml(xml), referenceParse(xml));
    assert.deepEqual(
      emitted[0]!.path.map((e) => e.local),
      ['rpc-reply', 'data', 'interfaces'],
    );
  });

  it('emitted subtrees, skeletons, paths and callbacks on a reply (hand-checked)', () => {
    const doc = `<rpc-reply xmlns="${NC}" message-id="9">head<ok/><rpc-error><error-tag>in-use</error-tag></rpc-error><data>a&amp;b<![CDATA[c]]>é<x><y>deep</y></x></data></rpc-reply>`;
    const events: string[] = [];
    const parser = new XmlStreamParser({
      emitDepth: 2,
      onSubtree(element, path) {
        events.push(`subtree ${path.map((e) => e.local).join('/')}/${element.local} ${element.toString()}`);
      },
      onOpen(element, path) {
        events.push(`open ${element.local}@${path.length}`);
        return element.local === 'rpc-error' || element.local === 'ok';
      },
      onClose(element, path) {
        events.push(`close ${element.local}@${path.length} children ${element.children.length}`);
      },
      onText(text, element) {
        events.push(`text ${element.local} ${text}`);
      },
    });
    const bytes = Buffer.from(doc);
    for (let i = 0; i < bytes.length; i++) parser.write(bytes.subarray(i, i + 1));
    parser.end();
    assert.deepEqual(events, [
      'open rpc-reply@0',
      'text rpc-reply head',
      'open ok@1',
      `subtree rpc-reply/ok <ok xmlns="${NC}"/>`,
      'open rpc-error@1',
      `subtree rpc-reply/rpc-error <rpc-error xmlns="${NC}"><error-tag>in-use</error-tag></rpc-error>`,
      'open data@1',
      'text data a&b',
      'text data c',
      'text data é',
      `subtree rpc-reply/data/x <x xmlns="${NC}"><y>deep</y></x>`,
      'close data@1 children 0',
      'close rpc-reply@0 children 0',
    ]);
    assert.equal(parser.root?.attributes['message-id'], '9');
  });

  it('multi-byte characters split at every byte position, as Buffers and as plain Uint8Arrays', () => {
    const doc = '<é:a xmlns:é="urn:é" é:ü="ß€😀"><データ>ü€😀𝄞</データ><!--€😀--><?pi €😀?><![CDATA[€😀]]></é:a>';
    const bytes = Buffer.from(doc, 'utf8');
    const full = referenceParse(doc);
    for (let i = 1; i < bytes.length; i++) {
      for (let j = i + 1; j < Math.min(bytes.length, i + 4); j++) {
        // plain Uint8Arrays, views at an offset into a larger ArrayBuffer
        const copy = new Uint8Array(bytes.length + 8);
        copy.set(bytes, 8);
        const pieces = [new Uint8Array(copy.buffer, 8, i), new Uint8Array(copy.buffer, 8 + i, j - i), new Uint8Array(copy.buffer, 8 + j, bytes.length - j)];
        assertEvents(pieces, full, 1, true, `split at ${i} and ${j}`);
      }
    }
  });

  it('strings and bytes may be mixed; a surrogate pair split between two strings is kept whole', () => {
    const doc = '<a b="😀">x😀y<c/>𝄞</a>';
    const full = referenceParse(doc);
    for (let i = 1; i < doc.length; i++) {
      assertSameSubtrees(streamParse([doc.slice(0, i), doc.slice(i)], 0).emitted, full, 0, `split at ${i}`);
      const low = doc.charCodeAt(i);
      if (low < 0xdc00 || low > 0xdfff) assertSameSubtrees(streamParse([Buffer.from(doc.slice(0, i)), doc.slice(i)], 0).emitted, full, 0, `bytes then string at ${i}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------------------------

describe('XmlStreamParser API', () => {
  const reply = HAND_WRITTEN['rpc-reply with data']!;

  it('exposes the root skeleton as soon as its start tag is parsed, and the depth', () => {
    const parser = new XmlStreamParser({ emitDepth: 3, onSubtree() {} });
    const root = (): XmlElement | undefined => parser.root; // (no narrowing across writes)
    assert.equal(root(), undefined);
    parser.write(Buffer.from(`<rpc-reply xmlns="${NC}" message-`));
    assert.equal(root(), undefined);
    assert.equal(parser.depth, 0);
    parser.write(Buffer.from('id="42"><da'));
    assert.equal(root()?.attributes['message-id'], '42');
    assert.equal(root()?.namespace, NC);
    assert.equal(parser.depth, 1);
    parser.write('ta>');
    assert.equal(parser.depth, 2);
    parser.write(Buffer.from('</data></rpc-reply>'));
    parser.end();
    assert.equal(parser.depth, 0);
    assert.equal(root()?.children.length, 0, 'a skeleton keeps no children');
  });

  it('emitted subtrees point to live skeletons; skeletons keep no text or children', () => {
    const parents = new Set<XmlElement>();
    const parser = new XmlStreamParser({
      emitDepth: 3,
      onSubtree(element, path) {
        assert.equal(element.parent, path[path.length - 1]);
        parents.add(element.parent!);
      },
    });
    parser.write(reply);
    parser.end();
    assert.equal(parents.size, 1, 'siblings share their parent skeleton');
    const [interfaces] = [...parents];
    assert.equal(interfaces!.local, 'interfaces');
    assert.deepEqual(interfaces!.children, []);
    assert.equal(interfaces!.parent?.local, 'data');
    assert.equal(interfaces!.parent?.parent, parser.root);
  });

  it('emitDepth 0 emits the whole document once, which is the root; a deeper emitDepth emits nothing', () => {
    const { emitted, root } = streamParse([Buffer.from(reply)], 0);
    assert.equal(emitted.length, 1);
    assert.equal(emitted[0]!.element, root);
    assertSameTree(root!, referenceParse(reply));
    const deeper = streamParse(['<a><b/></a>'], 5);
    assert.equal(deeper.emitted.length, 0);
    assert.equal(deeper.root?.name, 'a');
  });

  it('refuses a bad emitDepth, a bad limit and pieces that are neither bytes nor strings', () => {
    assert.throws(() => new XmlStreamParser({ emitDepth: -1, onSubtree() {} }), RangeError);
    assert.throws(() => new XmlStreamParser({ emitDepth: 1.5, onSubtree() {} }), RangeError);
    assert.throws(() => new XmlStreamParser({ emitDepth: 1, limits: { maxDepth: 0 }, onSubtree() {} }), RangeError);
    const parser = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
    assert.throws(() => parser.write(42 as unknown as Buffer), TypeError);
    parser.write(new Uint8Array(0));
    parser.write('');
    parser.write(Buffer.from('<a/>'));
    parser.end();
    assert.equal(parser.root?.name, 'a');
  });

  it('end() checks the document is complete', () => {
    for (const partial of ['', '  ', '<', '<a', '<a>', '<a><b></b>', '<a/><!-- x', '<?xml version="1.0"?>', '<a/><?pi', '<a>&amp', '<a>text', '\uFEFF', '<a/><', '<a>\uD83D']) {
      for (const piece of [partial, Buffer.from(partial)]) {
        const parser = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
        parser.write(piece);
        assert.throws(() => parser.end(), MalformedMessageError, JSON.stringify(partial));
      }
    }
  });

  it('a failed parser keeps failing with the same error; write() and end() after end() throw', () => {
    const parser = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
    let first: unknown;
    assert.throws(
      () => parser.write(Buffer.from('<a><b></c>')),
      (err: unknown) => {
        first = err;
        return err instanceof MalformedMessageError && /mismatched end tag <\/c>, expected <\/b>.*byte offset 6\b/.test(err.message);
      },
    );
    assert.throws(() => parser.write(Buffer.from('</b></a>')), (err: unknown) => err === first);
    assert.throws(() => parser.end(), (err: unknown) => err === first);

    const failedAtEnd = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
    failedAtEnd.write(Buffer.from('<a>'));
    assert.throws(() => failedAtEnd.end(), /<a> is not closed/);
    assert.throws(() => failedAtEnd.write(Buffer.from('</a>')), MalformedMessageError);

    const done = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
    done.write(Buffer.from('<a/>'));
    done.end();
    assert.throws(() => done.write(Buffer.from(' ')), /after end/);
    assert.throws(() => done.end(), /after end/);
  });

  it('an exception from a callback propagates and leaves the parser unusable', () => {
    for (const which of ['onSubtree', 'onOpen', 'onClose', 'onText'] as const) {
      const boom = new TypeError(`boom from ${which}`);
      const options: XmlStreamParserOptions = { emitDepth: 2, onSubtree() {} };
      options[which] = () => {
        throw boom;
      };
      const parser = new XmlStreamParser(options);
      assert.throws(() => parser.write(Buffer.from('<a>t<b><c/></b></a>')), (err: unknown) => err === boom, which);
      assert.throws(() => parser.write(Buffer.from(' ')), (err: unknown) => err instanceof Error && /unusable/.test(err.message) && err.cause === boom);
      assert.throws(() => parser.end(), /unusable/);
    }
  });

  it('refuses write() and end() from its callbacks (and stays usable for the outer call)', () => {
    for (const call of ['write', 'end'] as const) {
      for (const which of ['onSubtree', 'onOpen', 'onClose', 'onText'] as const) {
        const seen: unknown[] = [];
        const options: XmlStreamParserOptions = { emitDepth: 2, onSubtree() {} };
        options[which] = () => {
          try {
            if (call === 'write') parser.write(Buffer.from('<c/>'));
            else parser.end();
          } catch (err) {
            seen.push(err);
          }
        };
        const parser: XmlStreamParser = new XmlStreamParser(options);
        parser.write(Buffer.from('<a>t<b><c/></b></a>'));
        parser.end();
        assert.ok(seen.length > 0, `${which} was called`);
        for (const err of seen) assert.match(String(err), /called from one of its callbacks/);
      }
    }
  });

  it('the parser keeps no reference to the pieces written: they may be reused at once', () => {
    const doc = Buffer.from(reply);
    const full = referenceParse(reply);
    const events: Event[] = [];
    const parser = new XmlStreamParser(recorder(events, 3, true));
    const scratch = Buffer.alloc(7);
    for (let at = 0; at < doc.length; at += 7) {
      const n = doc.copy(scratch, 0, at, at + 7);
      parser.write(scratch.subarray(0, n));
      scratch.fill(0x3c); // '<' everywhere
    }
    parser.end();
    assertSameEvents(events, expectedEvents(full, 3, true), 'reused piece');
  });

  it('error messages give byte offsets from the start of the stream (of the UTF-8 encoding, for strings)', () => {
    const parser = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
    parser.write(Buffer.from('<a>é€'));
    parser.write('<b>ok</b>');
    assert.throws(
      () => parser.write(Buffer.from('<c x="1" x="2"/>')),
      (err: unknown) => err instanceof MalformedMessageError && /^Malformed XML: duplicate attribute x.*byte offset 17\b/.test(err.message),
    );
    assert.throws(() => parseXml('<a>😀</b>'), /mismatched end tag <\/b>, expected <\/a>.*byte offset 7\b/);
    assert.throws(() => parseXml('<a>x\uD800y</a>'), /unpaired surrogate.*byte offset 4\b/);
  });

  it('rootOnly: stops right after the root start tag, whatever follows', () => {
    const parser = new XmlStreamParser({ emitDepth: 1, rootOnly: true, onSubtree: () => assert.fail('nothing is emitted') });
    const root = (): XmlElement | undefined => parser.root; // (no narrowing across writes)
    parser.write(Buffer.from(`<?xml version="1.0"?><!-- c --><rpc-reply xmlns="${NC}" message-`));
    assert.equal(root(), undefined);
    parser.write(`id="3"><data>&bogus;</wrong><<<`);
    assert.equal(root()?.attributes['message-id'], '3');
    parser.write('\uD800 more garbage');
    parser.end();
  });
});

// ---------------------------------------------------------------------------------------------
// Malformed documents (hand-written)
// ---------------------------------------------------------------------------------------------

/** Refused by saxes and by the parser. */
const MALFORMED = [
  '', '   ', 'text', '<a>', '<a></b>', '<a><b></a></b>', '</a>', '<a/><b/>', '<a/>text', 'text<a/>', '<a/>&amp;', '<![CDATA[x]]><a/>', '<a/><![CDATA[x]]>',
  '<!DOCTYPE a><a/>', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', '<a>&e;</a>', '<a>&amp</a>', '<a>& </a>', '<a>&;</a>', '<a>&#;</a>', '<a>&#x;</a>', '<a>&#X41;</a>',
  '<a>&#0;</a>', '<a>&#xD800;</a>', '<a>&#xFFFE;</a>', '<a>&#x110000;</a>', '<a>&#99999999999999999999;</a>', '<a>]]></a>', '<a>\u0000</a>', '<a>\u001f</a>', '<a>\uFFFF</a>',
  '<a x="\u0001"/>', '<a><!-- \u0002 --></a>', '<a><!-- a -- b --></a>', '<a><!-- a ---></a>', '<a><!- x --></a>', '<a><![CDAT[x]]></a>', '<a><![CDATA[x]]</a>', '<a><!ELEMENT x></a>',
  '<a x=1/>', '<a x/>', '<a x="1"y="2"/>', '<a x="1" x="2"/>', '<a x="<"/>', '<a x="&foo;"/>', '<a x="1></a>', '<a / >', '<a/ >', '< a/>', '<1a/>', '<-a/>', '<a!/>', '<a></ a>',
  '<a></a b>', '<a></>', '<p:a/>', '<a p:x="1"/>', '<:a/>', '<a:/>', '<a:b:c xmlns:a="urn:a"/>', '<a xmlns:="urn:x"/>', '<a xmlns:p=""/>', '<a xmlns:p="  "/>',
  '<a xmlns:p="urn:x" xmlns:p="urn:y"/>', '<a xmlns="urn:x" xmlns="urn:y"/>', '<a xmlns:p="urn:x" xmlns:q="urn:x" p:x="1" q:x="2"/>', '<a xmlns:xml="urn:wrong"/>',
  '<a xmlns:xmlns="http://www.w3.org/2000/xmlns/"/>', '<a xmlns:p="http://www.w3.org/2000/xmlns/"/>', '<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>',
  '<a xmlns="http://www.w3.org/XML/1998/namespace"/>', '<xmlns:a/>', ' <?xml version="1.0"?><a/>', '<a/><?xml version="1.0"?>', '<!-- x --><?xml version="1.0"?><a/>', '<?xml?><a/>',
  '<?xml version="2.0"?><a/>', '<?xml version="1.0" encoding="-x"?><a/>', '<?xml version="1.0" standalone="maybe"?><a/>', '<?xml encoding="UTF-8"?><a/>',
  '<?xml version="1.0" version="1.0"?><a/>', '<?xml version="1.0"encoding="UTF-8"?><a/>', '<?xml version="1.0" ?x?><a/>', '<?XML version="1.0"?><a/>', '<a><?xml-ok?><?Xml x?></a>',
  '<a><?p:q x?></a>', '<a><? x?></a>', '<a><?1x?></a>', '<a><?x', '<a>\uDC00</a>',
];

/** Refused by the parser (saxes may not be asked, or accepts some: see the module documentation). */
const MALFORMED_TOO = [
  '<a/>é', '<a>\uFFFE</a>', '<a><![CDATA[\u0003]]></a>', '<a></ab>', '<ab></a>', '<?xml version="1.0"?x?><a/>', '<a><?x \u0001?></a>', '\uFEFF\uFEFF<a/>', '<a>\u00e9</a', '<a b="é',
  '<a>\uD800</a>', '<a>x\uD800y</a>', '<a b="\uDFFF"/>',
];

describe('malformed documents (hand-written)', () => {
  for (const doc of [...MALFORMED, ...MALFORMED_TOO]) {
    it(`refuses ${JSON.stringify(doc)}`, () => {
      if (MALFORMED.includes(doc)) assert.throws(() => referenceParse(doc), MalformedMessageError, 'saxes should refuse it too');
      assert.throws(() => parseXml(doc), MalformedMessageError);
      const bytes = Buffer.from(doc, 'utf8');
      assert.throws(() => streamParse(doc.split(''), 1), MalformedMessageError, 'char by char');
      // (the UTF-8 encoding of a lone surrogate is U+FFFD, a character)
      if (!/[\uD800-\uDFFF]/.test(doc)) {
        assert.throws(() => parseXml(bytes), MalformedMessageError);
        assert.throws(() => streamParse(bytePieces(bytes, [1]), 1), MalformedMessageError, 'byte by byte');
      }
    });
  }

  it('accepts what saxes accepts at the edges', () => {
    for (const doc of [
      '<a><?pi?x?></a>', // saxes: the body of a PI needs no leading space
      '<p:a xmlns:p="urn:p"><p:1b/></p:a>', // the local part is only checked as NameChar (like saxes)
      '<a><!----></a>',
      '<a>]]&gt; ]] > ]></a>',
      "<a x='\"' y=\"'\" z=\">\"/>",
      '<a>\u0085\u2028\u007f</a>',
      '<xmlnsfoo xmlnsfoo="1"/>',
      '<a xml:lang="en"/>',
      '<a>&#x0000000041;</a>',
    ]) {
      assertSameParse(doc);
    }
  });

  it('truncations at every position are refused, whole and in every split', () => {
    const doc = HAND_WRITTEN['CDATA, comments, PIs inside and around']!.replace('text', 'tëxt€😀');
    const bytes = Buffer.from(doc, 'utf8');
    const end = bytes.indexOf('</rpc-reply>') + '</rpc-reply>'.length;
    for (let cut = 0; cut < end; cut++) {
      const truncated = bytes.subarray(0, cut);
      assert.throws(() => parseXml(truncated), MalformedMessageError, `cut at ${cut}`);
      assert.throws(() => streamParse(bytePieces(truncated, [1]), 2), MalformedMessageError, `cut at ${cut}, byte by byte`);
    }
    for (let cut = 0; cut < doc.indexOf('</rpc-reply>') + 11; cut++) {
      assert.throws(() => referenceParse(doc.slice(0, cut)), MalformedMessageError);
      assert.throws(() => streamParse(doc.slice(0, cut).split(''), 2), MalformedMessageError, `cut at ${cut}, char by char`);
    }
    assert.doesNotThrow(() => parseXml(bytes.subarray(0, end)));
  });

  it('invalid UTF-8 is refused wherever it is: overlong forms, stray and missing continuation bytes, surrogates, > U+10FFFF', () => {
    const bad: Record<string, number[]> = {
      'overlong 2-byte /': [0xc0, 0xaf],
      'overlong 2-byte A': [0xc1, 0x81],
      'overlong 3-byte': [0xe0, 0x80, 0xaf],
      'overlong 3-byte U+07FF': [0xe0, 0x9f, 0xbf],
      'overlong 4-byte': [0xf0, 0x80, 0x80, 0xaf],
      'overlong 4-byte U+FFFF': [0xf0, 0x8f, 0xbf, 0xbf],
      'lone continuation byte': [0x80],
      'lone continuation bytes': [0xbf, 0xbf],
      'lead byte then ASCII': [0xc3, 0x41],
      '3-byte lead, one continuation, then ASCII': [0xe2, 0x82, 0x41],
      '4-byte lead, two continuations, then ASCII': [0xf0, 0x9f, 0x98, 0x41],
      'high surrogate U+D800': [0xed, 0xa0, 0x80],
      'low surrogate U+DFFF': [0xed, 0xbf, 0xbf],
      'surrogate pair encoded as two 3-byte sequences (CESU-8)': [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80],
      'U+110000': [0xf4, 0x90, 0x80, 0x80],
      'byte 0xF5': [0xf5, 0x80, 0x80, 0x80],
      'byte 0xFF': [0xff],
      'byte 0xFE': [0xfe],
    };
    const places: Array<[string, string]> = [
      ['<a>', '</a>'], // text
      ['<a>x', 'y<b/></a>'],
      ['<a b="', '"/>'], // attribute value
      ['<a', '/>'], // element name
      ['<a><b', 'c/></a>'],
      ['<a x', '="1"/>'], // attribute name
      ['<a><!--', '--></a>'], // comment
      ['<a><?pi ', '?></a>'], // PI
      ['<a><?pi', '?></a>'], // PI target
      ['<a><![CDATA[', ']]></a>'], // CDATA
      ['<a/>', ''], // after the root
      ['', '<a/>'], // before the root
    ];
    let cases = 0;
    for (const [what, seq] of Object.entries(bad)) {
      for (const [before, after] of places) {
        const bytes = Buffer.concat([Buffer.from(before), Buffer.from(seq), Buffer.from(after)]);
        assert.ok(!isValidUtf8(bytes));
        for (const sizes of [[bytes.length], [1], [before.length || 1, 1]]) {
          assert.throws(() => eventParse(bytePieces(bytes, sizes), 1, true), MalformedMessageError, `${what} in ${before}…${after}, pieces ${sizes.join(',')}`);
          cases++;
        }
      }
    }
    // Truncated at the end of the document.
    for (const cut of [[0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98]]) {
      for (const before of ['<a>', '<a/>', '<a b="', '<a><!--']) {
        const bytes = Buffer.concat([Buffer.from(before), Buffer.from(cut)]);
        assert.throws(() => streamParse(bytePieces(bytes, [1]), 0), MalformedMessageError);
        assert.throws(() => parseXml(bytes), MalformedMessageError);
        cases += 2;
      }
    }
    assert.ok(cases > 600);
    // The boundaries themselves are fine.
    for (const ok of ['\u0080', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\ufffd', '\u{10000}', '\u{10FFFF}']) {
      const doc = `<a b="${ok}">${ok}<!--${ok}--><?pi ${ok}?><![CDATA[${ok}]]></a>`;
      assertEvents(bytePieces(Buffer.from(doc), [1]), referenceParse(doc), 0, false, JSON.stringify(ok));
    }
  });
});

describe('accepted differences from saxes', () => {
  it('an unpaired surrogate is refused (saxes pairs a lone high surrogate with the next code unit)', () => {
    const doc = '<a>x\uD800y</a>';
    assert.doesNotThrow(() => referenceParse(doc));
    assert.throws(() => parseXml(doc), /unpaired surrogate/);
    assert.throws(() => referenceParse('<a>\uDC00</a>'), MalformedMessageError);
    assert.throws(() => parseXml('<a>\uDC00</a>'), MalformedMessageError);
  });

  it('a version 1.x declaration is read with XML 1.0 rules (saxes switches to XML 1.1 rules)', () => {
    assert.equal(parseXml('<?xml version="1.1"?><a>\u0085\u0080</a>').text, '\u0085\u0080');
    assert.equal(referenceParse('<?xml version="1.1"?><a>\u0085</a>').text, '\n');
    assert.throws(() => referenceParse('<?xml version="1.1"?><a>\u0080</a>'), MalformedMessageError);
    assert.throws(() => parseXml('<?xml version="1.1"?><a xmlns:p="urn:p"><b xmlns:p=""/></a>'), /cannot be undeclared/);
    assert.equal(parseXml('<?xml version="1.7"?><a/>').name, 'a');
  });
});

// ---------------------------------------------------------------------------------------------
// (b) Randomly generated documents
// ---------------------------------------------------------------------------------------------

describe('random documents against saxes', () => {
  it('small documents, whole and split at every position (strings and bytes), emitted at every depth', { timeout: 300_000 }, (t) => {
    let docs = 0;
    let parses = 0;
    for (let seed = 1; seed <= 250; seed++) {
      const r = new Random(seed);
      const doc = genDocument(r, 3, 3);
      const full = assertSameParse(doc, `seed ${seed}`);
      docs++;
      const depths = maxDepth(full);
      const d = r.int(depths + 1);
      if (doc.length <= 700) {
        const bytes = Buffer.from(doc, 'utf8');
        for (let i = 0; i <= doc.length; i++) {
          assertSameSubtrees(streamParse([doc.slice(0, i), doc.slice(i)], d).emitted, full, d, `seed ${seed} split at ${i}`);
          if (i <= bytes.length) assertSameSubtrees(streamParse([bytes.subarray(0, i), bytes.subarray(i)], d).emitted, full, d, `seed ${seed} split at byte ${i}`);
          parses += 2;
        }
      }
      for (let depth = 0; depth <= depths + 1; depth++) {
        assertSameSubtrees(streamParse(doc.split(''), depth).emitted, full, depth, `seed ${seed} char by char`);
        parses++;
      }
    }
    t.diagnostic(`${docs} documents, ${parses} stream parses compared`);
    assert.ok(docs === 250 && parses > 20000, `${docs} documents, ${parses} stream parses`);
  });

  it('larger documents in random piece sizes, with and without callbacks, at every emitDepth 0..3', { timeout: 300_000 }, (t) => {
    let parses = 0;
    for (let seed = 1000; seed < 1600; seed++) {
      const r = new Random(seed);
      const doc = genDocument(r, r.chance(0.5) ? 4 : 6, r.chance(0.5) ? 4 : 6);
      const full = assertSameParse(doc, `seed ${seed}`);
      const bytes = Buffer.from(doc, 'utf8');
      for (let depth = 0; depth <= 3; depth++) {
        const sizes = randomSizes(r);
        assertEvents(bytePieces(bytes, sizes), full, depth, r.chance(0.5), `seed ${seed} depth ${depth} pieces ${sizes.join(',')}`);
        parses++;
      }
      const max = r.pick([1, 3, 16, 200, 5000]);
      assertSameSubtrees(streamParse(randomChunks(doc, r, max), 1).emitted, full, 1, `seed ${seed} string chunks <= ${max}`);
      parses++;
    }
    t.diagnostic(`${parses} stream parses compared`);
  });
});

// ---------------------------------------------------------------------------------------------
// (c) Fuzzed malformed input
// ---------------------------------------------------------------------------------------------

/** Why the parser and saxes may disagree on `doc` (accepted categories), or undefined. */
function acceptedDifference(doc: string): string | undefined {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(doc)) return 'unpaired surrogate';
  if (/^\uFEFF?<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.(?!0\1)/.test(doc)) return 'XML 1.x declaration (saxes: XML 1.1 rules)';
  return undefined;
}

/** More with `XML_FUZZ_ITERATIONS=100000 node --test ...`. */
const FUZZ_ITERATIONS = Number(process.env['XML_FUZZ_ITERATIONS'] ?? 6000);

describe('fuzzed malformed input', () => {
  it('strings: parseXml throws MalformedMessageError exactly when saxes does (and nothing else), streamed or not', { timeout: 300_000 }, (t) => {
    const tally = { total: 0, bothRefused: 0, bothAccepted: 0, accepted: new Map<string, number>() };
    for (let seed = 5000; seed < 5000 + FUZZ_ITERATIONS; seed++) {
      const r = new Random(seed);
      const base = genDocument(r, 3, 4);
      const doc = r.chance(0.3) ? mutateEncoded(base, r) : mutate(base, r);
      tally.total++;
      const expected = outcome(() => referenceParse(doc));
      const actual = outcome(() => parseXml(doc));
      if (!actual.ok) assert.ok(actual.malformed, `seed ${seed}: parseXml threw ${String(actual.error)} on ${JSON.stringify(doc)}`);
      assert.ok(expected.ok || expected.malformed, `seed ${seed}: saxes ${describeOutcome(expected)}`);
      // Streamed in random chunks: the same outcome as whole.
      const streamed = outcome(() => streamParse(randomChunks(doc, r, 1 + r.int(40)), 0).emitted[0]!.element);
      assert.equal(streamed.ok, actual.ok, `seed ${seed}: streamed and whole disagree on ${JSON.stringify(doc)}: ${streamed.ok ? '' : String(streamed.error)}`);
      if (!streamed.ok) assert.ok(streamed.malformed, `seed ${seed}: stream parser threw ${String(streamed.error)}`);
      if (expected.ok !== actual.ok) {
        const why = acceptedDifference(doc);
        assert.ok(why, `seed ${seed}: saxes ${describeOutcome(expected)} but parseXml ${describeOutcome(actual)}: ${JSON.stringify(doc)}`);
        tally.accepted.set(why, (tally.accepted.get(why) ?? 0) + 1);
        continue;
      }
      if (expected.ok && actual.ok) {
        tally.bothAccepted++;
        if (acceptedDifference(doc) === undefined) assertSameTree(actual.value, expected.value, `seed ${seed}`);
        if (streamed.ok) assertSameTree(streamed.value, actual.value, `seed ${seed} streamed`);
      } else tally.bothRefused++;
    }
    t.diagnostic(
      `${tally.total} mutated documents: ${tally.bothRefused} refused by both, ${tally.bothAccepted} accepted by both (same trees), ` +
        `accepted disagreements: ${JSON.stringify(Object.fromEntries(tally.accepted))}`,
    );
    assert.ok(tally.bothRefused > tally.total / 3, 'most mutations break the document');
  });

  it('bytes: refused exactly when saxes refuses the decoded text (invalid UTF-8 always refused), in any pieces', { timeout: 300_000 }, (t) => {
    const tally = { total: 0, bothRefused: 0, bothAccepted: 0, invalidUtf8: 0 };
    for (let seed = 5000; seed < 5000 + 2 * FUZZ_ITERATIONS; seed++) {
      const r = new Random(seed);
      const base = genDocument(r, 3, 4);
      const bytes = r.chance(0.35) ? mutateBytes(Buffer.from(base, 'utf8'), r) : Buffer.from(mutate(base, r, { wellFormed: true }), 'utf8');
      const depth = r.int(3);
      const sizes = randomSizes(r);
      tally.total++;
      const actual = outcome(() => eventParse(bytePieces(bytes, sizes), depth, false));
      if (!actual.ok) assert.ok(actual.malformed, `seed ${seed}: threw ${String(actual.error)}`);
      if (!isValidUtf8(bytes)) {
        tally.invalidUtf8++;
        assert.equal(actual.ok, false, `seed ${seed}: invalid UTF-8 accepted: ${bytes.toString('hex')}`);
        continue;
      }
      const text = bytes.toString('utf8');
      const expected = outcome(() => referenceParse(text));
      if (expected.ok !== actual.ok && acceptedDifference(text) !== undefined) continue;
      assert.equal(actual.ok, expected.ok, `seed ${seed}: saxes ${describeOutcome(expected)}, XmlStreamParser ${describeOutcome(actual)}: ${JSON.stringify(text)}`);
      if (actual.ok && expected.ok) {
        tally.bothAccepted++;
        if (acceptedDifference(text) === undefined) assertSameEvents(actual.value.events, expectedEvents(expected.value, depth, false), `seed ${seed}`);
      } else tally.bothRefused++;
    }
    t.diagnostic(JSON.stringify(tally));
    assert.ok(tally.bothRefused > tally.total / 4 && tally.invalidUtf8 > tally.total / 10 && tally.bothAccepted > 50, JSON.stringify(tally));
  });
});

// ---------------------------------------------------------------------------------------------
// Tokens spanning many pieces
// ---------------------------------------------------------------------------------------------

describe('tokens spanning many pieces', () => {
  it('emits each subtree as soon as its end tag is written, whatever the split (terminators across pieces)', () => {
    const parts = ['<a><![CDATA[x]]]]></a>', '<b><!--y- -->t</b>', "<c><?p z??></c>", '<d e="f>" g=\'h\'/>', '<e>\r\n&amp;é</e>', '<f\n/>'];
    const doc = Buffer.from(`<r>${parts.join('')}`);
    const ends = parts.map((_, i) => Buffer.byteLength(`<r>${parts.slice(0, i + 1).join('')}`));
    for (const size of [1, 2, 3]) {
      for (let offset = 0; offset < size; offset++) {
        const emitted: string[] = [];
        const parser = new XmlStreamParser({ emitDepth: 1, onSubtree: (el) => emitted.push(el.local) });
        let at = 0;
        const writeUpTo = (end: number): void => {
          while (at < end) {
            const n = Math.min(at === 0 && offset > 0 ? offset : size, end - at);
            parser.write(doc.subarray(at, at + n));
            at += n;
          }
        };
        for (const [i, end] of ends.entries()) {
          writeUpTo(end);
          assert.equal(emitted.length, i + 1, `pieces of ${size} (offset ${offset}): <${parts[i]}> not emitted once written`);
        }
        parser.write(Buffer.from('</r>'));
        parser.end();
        assert.deepEqual(emitted, ['a', 'b', 'c', 'd', 'e', 'f']);
      }
    }
  });

  it('a comment, a CDATA section, an attribute value and a PI (with > in every piece), and text, over 256 pieces each', { timeout: 60_000 }, () => {
    const size = 16384;
    const piece = Buffer.from('x'.repeat(size));
    const pieceWithGt = Buffer.from(`${'y'.repeat(size - 1)}>`);
    let text = 0;
    let cdata = '';
    let value = '';
    const parser = new XmlStreamParser({
      emitDepth: 2,
      onSubtree(element) {
        if (element.local === 'c') cdata = element.text;
        if (element.local === 'd') value = element.attributes['v']!;
      },
      onText(t) {
        text += t.length;
      },
    });
    const spanning = (open: string, body: Buffer, close: string): void => {
      parser.write(Buffer.from(open));
      for (let i = 0; i < 256; i++) parser.write(body);
      parser.write(Buffer.from(close));
    };
    parser.write(Buffer.from('<a><b>'));
    spanning('<!--', piece, '-->');
    spanning('<c><![CDATA[', piece, ']]></c>');
    spanning('<d v="', pieceWithGt, '"/>');
    spanning('<?pi ', pieceWithGt, '?>');
    spanning('z&am', Buffer.from(`p;${'x'.repeat(size - 5)}é&am`), 'p;');
    parser.write(Buffer.from('</b></a>'));
    parser.end();
    assert.equal(cdata.length, 256 * size);
    assert.equal(value.length, 256 * size);
    assert.equal(value.slice(size - 2, size + 1), 'y>y');
    assert.equal(text, 1 + 257 + 256 * (size - 4));
  });
});
