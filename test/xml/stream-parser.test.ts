import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedMessageError } from '../../src/errors.js';
import { XmlElement } from '../../src/xml/element.js';
import { parseXml } from '../../src/xml/parse.js';
import { parseXmlFast, XmlStreamParser } from '../../src/xml/stream-parser.js';
import { assertSameTree, describeOutcome, genDocument, IANAIFT, IF, mutate, mutateEncoded, NC, outcome, Random } from '../helpers/xml-documents.js';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

interface Emitted {
  element: XmlElement;
  path: XmlElement[];
}

/** Feed `chunks` to a stream parser emitting at `emitDepth`; the subtrees emitted and the root. */
function streamParse(chunks: readonly string[], emitDepth: number, detachStrings = true): { emitted: Emitted[]; root: XmlElement | undefined } {
  const emitted: Emitted[] = [];
  const parser = new XmlStreamParser({
    emitDepth,
    detachStrings,
    onSubtree(element, path) {
      emitted.push({ element, path: [...path] });
    },
  });
  for (const c of chunks) parser.write(c);
  parser.end();
  return { emitted, root: parser.root };
}

/** Split `doc` into chunks of random sizes in [1, max]. */
function randomChunks(doc: string, r: Random, max: number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < doc.length; ) {
    const n = 1 + r.int(max);
    chunks.push(doc.slice(at, at + n));
    at += n;
  }
  return chunks;
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
      const skeleton = path[d]!;
      if (ancestor === null) assert.fail(`${label}: the full tree has fewer ancestors`);
      assert.equal(skeleton.name, ancestor.name);
      assert.equal(skeleton.namespace, ancestor.namespace);
      assert.deepEqual(Object.entries(skeleton.attributes), Object.entries(ancestor.attributes));
      assert.deepEqual(Object.entries(skeleton.declarations), Object.entries(ancestor.declarations));
      assert.equal(skeleton.children.length, 0, 'skeletons keep no children');
      ancestor = ancestor.parent;
    }
    if (depth > 0) assert.equal(element.parent, path[depth - 1], `${label}: parent is the live skeleton`);
    else assert.equal(element.parent, null);
  }
}

/** Parse `doc` with both parsers and assert the same tree (and that both accept it). */
function assertSameParse(doc: string, label = JSON.stringify(doc.slice(0, 60))): XmlElement {
  const expected = parseXml(doc);
  const actual = parseXmlFast(doc);
  assertSameTree(actual, expected, label);
  assert.equal(actual.toString(), expected.toString(), `${label}: serialization`);
  return expected;
}

// ---------------------------------------------------------------------------------------------
// Memory: bounded by the subtree, not the document (first, before other tests leave garbage)
// ---------------------------------------------------------------------------------------------

describe('memory', () => {
  it('a 200 MB reply in 64 KiB chunks at emitDepth 3 keeps the heap under 150 MB, with strings of every 10th entry kept', { timeout: 600_000 }, (t) => {
    const target = 200 * 1024 * 1024;
    const chunkSize = 64 * 1024;
    let emitted = 0;
    // Strings kept from every 10th subtree: with V8 slices of the chunks, this would keep every
    // chunk alive (200 MB); the parser copies them (detachStrings).
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
      parser.write(pending.slice(0, chunkSize));
      pending = pending.slice(chunkSize);
      produced += chunkSize;
      if (produced >= nextCheck) {
        heapChecks.push(process.memoryUsage().heapUsed);
        nextCheck += target / 8;
      }
    }
    parser.write(`${pending}</interfaces></data></rpc-reply>\n`);
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
        <description>uplink &amp; "core" &lt;1&gt; &#x1F600; &#233;</description>
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
  'notification with attributes normalised': `<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-01-01T00:00:00Z</eventTime><event a="tab\there&#9;kept" b="line\r\nbreak&#10;kept" c="  spaced  "/></notification>`,
  'line ends normalised in text': '<a>one\r\ntwo\rthree\n<![CDATA[four\r\nfive\r]]></a>',
  'entities everywhere': `<a x="&lt;&gt;&amp;&quot;&apos;&#60;&#x3C;&#x10FFFF;">&lt;&gt;&amp;&quot;&apos;&#0000065;&#x00042;</a>`,
  'non-ASCII names and astral text': `<データ xmlns:é="urn:e" é:ñame="ü"><é:𐀀x>😀 𝄞</é:𐀀x><x·y-z.1_/></データ>`,
  'BOM and white space after the root': '\uFEFF<a/>\n\t \r\n',
  'empty CDATA (an empty text child in parseXml)': '<a><![CDATA[]]><b/><![CDATA[]]>x<![CDATA[]]></a>',
  'the xml prefix redeclared, and xml:* attributes': `<a xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:space="preserve"><xml:b/></a>`,
  'namespace URIs trimmed, as saxes does': `<a xmlns=" urn:x " xmlns:p="\turn:p\n"><p:b/></a>`,
  'same prefix rebound deeper': `<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2" p:x="1"><p:c/></p:b><p:d/></p:a>`,
};

describe('parseXmlFast: hand-written NETCONF-like documents', () => {
  for (const [label, doc] of Object.entries(HAND_WRITTEN)) {
    it(`${label}: same tree as parseXml`, () => {
      const full = assertSameParse(doc, label);
      // And streaming at every depth, whole and one character at a time.
      for (let d = 0; d <= maxDepth(full); d++) {
        assertSameSubtrees(streamParse([doc], d).emitted, full, d, `${label} depth ${d}`);
        assertSameSubtrees(streamParse(doc.split(''), d).emitted, full, d, `${label} depth ${d} char by char`);
      }
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
    assert.equal(iface.childText('description'), 'uplink & "core" <1> 😀 é');
    const xml = iface.toString();
    assert.match(xml, /^<interface xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">/);
    // The serialization stands alone.
    assertSameTree(parseXmlFast(xml), parseXml(xml));
    assert.deepEqual(
      emitted[0]!.path.map((e) => e.local),
      ['rpc-reply', 'data', 'interfaces'],
    );
  });
});

// ---------------------------------------------------------------------------------------------
// XmlStreamParser API
// ---------------------------------------------------------------------------------------------

describe('XmlStreamParser API', () => {
  const reply = HAND_WRITTEN['rpc-reply with data']!;

  it('exposes the root skeleton as soon as its start tag is parsed', () => {
    const parser = new XmlStreamParser({ emitDepth: 3, onSubtree() {} });
    const root = (): XmlElement | undefined => parser.root; // (no narrowing across writes)
    assert.equal(root(), undefined);
    parser.write('<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-');
    assert.equal(root(), undefined);
    parser.write('id="42"><da');
    assert.equal(root()?.attributes['message-id'], '42');
    assert.equal(root()?.namespace, NC);
    assert.equal(parser.depth, 1);
    parser.write('ta/></rpc-reply>');
    parser.end();
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

  it('onOpen/onClose/onText report shallow elements; onOpen can ask for a whole element', () => {
    const doc = `<rpc-reply xmlns="${NC}" message-id="9">head<ok/><rpc-error><error-tag>in-use</error-tag></rpc-error><data>a&amp;b<![CDATA[c]]><x><y>deep</y></x></data></rpc-reply>`;
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
        events.push(`close ${element.local}@${path.length}`);
      },
      onText(text, element) {
        events.push(`text ${element.local} ${JSON.stringify(text)}`);
      },
    });
    for (const c of doc.split('')) parser.write(c);
    parser.end();
    const texts = (local: string): string =>
      events
        .filter((e) => e.startsWith(`text ${local} `))
        .map((e) => JSON.parse(e.slice(`text ${local} `.length)) as string)
        .join('');
    assert.equal(texts('rpc-reply'), 'head');
    assert.equal(texts('data'), 'a&bc');
    assert.deepEqual(
      events.filter((e) => !e.startsWith('text')),
      [
        'open rpc-reply@0',
        'open ok@1',
        `subtree rpc-reply/ok <ok xmlns="${NC}"/>`,
        'open rpc-error@1',
        `subtree rpc-reply/rpc-error <rpc-error xmlns="${NC}"><error-tag>in-use</error-tag></rpc-error>`,
        'open data@1',
        `subtree rpc-reply/data/x <x xmlns="${NC}"><y>deep</y></x>`,
        'close data@1',
        'close rpc-reply@0',
      ],
    );
  });

  it('emitDepth 0 emits the whole document once, which is the root', () => {
    const { emitted, root } = streamParse([reply], 0);
    assert.equal(emitted.length, 1);
    assert.equal(emitted[0]!.element, root);
    assertSameTree(root!, parseXml(reply));
  });

  it('an emitDepth deeper than the document emits nothing', () => {
    const { emitted, root } = streamParse(['<a><b/></a>'], 5);
    assert.equal(emitted.length, 0);
    assert.equal(root?.name, 'a');
  });

  it('refuses a bad emitDepth', () => {
    assert.throws(() => new XmlStreamParser({ emitDepth: -1, onSubtree() {} }), RangeError);
    assert.throws(() => new XmlStreamParser({ emitDepth: 1.5, onSubtree() {} }), RangeError);
  });

  it('end() checks the document is complete', () => {
    for (const partial of ['', '  ', '<a', '<a>', '<a><b></b>', '<a/><!-- x', '<?xml version="1.0"?>', '<a/><?pi', '<a>&amp']) {
      const parser = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
      parser.write(partial);
      assert.throws(() => parser.end(), MalformedMessageError, JSON.stringify(partial));
    }
  });

  it('a failed parser keeps failing; writing after end() is an error', () => {
    const parser = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
    assert.throws(() => parser.write('<a><b></c>'), (err: unknown) => {
      assert.ok(err instanceof MalformedMessageError);
      assert.match(err.message, /mismatched end tag <?\/?c>?.*expected <\/b>.*offset 6/);
      return true;
    });
    assert.throws(() => parser.write('</b></a>'), MalformedMessageError);
    assert.throws(() => parser.end(), MalformedMessageError);
    const done = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
    done.write('<a/>');
    done.end();
    assert.throws(() => done.write(' '), /after end/);
  });

  it('an exception from onSubtree propagates and leaves the parser unusable', () => {
    const parser = new XmlStreamParser({
      emitDepth: 1,
      onSubtree() {
        throw new TypeError('boom');
      },
    });
    assert.throws(() => parser.write('<a><b/>'), TypeError);
    assert.throws(() => parser.write('</a>'), /unusable/);
  });

  it('refuses re-entrant calls from callbacks, and non-string chunks', () => {
    const parser: XmlStreamParser = new XmlStreamParser({
      emitDepth: 1,
      onSubtree() {
        parser.write('<c/>');
      },
    });
    assert.throws(() => parser.write('<a><b/>'), /called from one of its callbacks/);
    const bytes = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
    assert.throws(() => bytes.write(Buffer.from('<a/>') as unknown as string), TypeError);
  });

  it('reports offsets in the stream', () => {
    const parser = new XmlStreamParser({ emitDepth: 1, onSubtree() {} });
    parser.write('<a>');
    parser.write('<b>ok</b>');
    assert.throws(() => parser.write('<c x="1" x="2"/>'), /duplicate attribute x.*offset 12/);
  });
});

// ---------------------------------------------------------------------------------------------
// Malformed documents (hand-written): both parsers refuse them
// ---------------------------------------------------------------------------------------------

const MALFORMED = [
  '',
  '   ',
  'text',
  '<a>',
  '<a></b>',
  '<a><b></a></b>',
  '</a>',
  '<a/><b/>',
  '<a/>text',
  'text<a/>',
  '<a/>&amp;',
  '<![CDATA[x]]><a/>',
  '<a/><![CDATA[x]]>',
  '<!DOCTYPE a><a/>',
  '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
  '<a>&e;</a>',
  '<a>&amp</a>',
  '<a>& </a>',
  '<a>&;</a>',
  '<a>&#;</a>',
  '<a>&#x;</a>',
  '<a>&#X41;</a>',
  '<a>&#0;</a>',
  '<a>&#xD800;</a>',
  '<a>&#xFFFE;</a>',
  '<a>&#x110000;</a>',
  '<a>&#99999999999999999999;</a>',
  '<a>]]></a>',
  '<a>\u0000</a>',
  '<a>\u001f</a>',
  '<a>\uFFFF</a>',
  '<a x="\u0001"/>',
  '<a><!-- \u0002 --></a>',
  '<a><!-- a -- b --></a>',
  '<a><!-- a ---></a>',
  '<a><!- x --></a>',
  '<a><![CDAT[x]]></a>',
  '<a><![CDATA[x]]</a>',
  '<a><!ELEMENT x></a>',
  '<a x=1/>',
  '<a x/>',
  '<a x="1"y="2"/>',
  '<a x="1" x="2"/>',
  '<a x="<"/>',
  '<a x="&foo;"/>',
  '<a x="1></a>',
  '<a / >',
  '<a/ >',
  '< a/>',
  '<1a/>',
  '<-a/>',
  '<a!/>',
  '<a></ a>',
  '<a></a b>',
  '<a></>',
  '<p:a/>',
  '<a p:x="1"/>',
  '<:a/>',
  '<a:/>',
  '<a:b:c xmlns:a="urn:a"/>',
  '<a xmlns:="urn:x"/>',
  '<a xmlns:p=""/>',
  '<a xmlns:p="  "/>',
  '<a xmlns:p="urn:x" xmlns:p="urn:y"/>',
  '<a xmlns="urn:x" xmlns="urn:y"/>',
  '<a xmlns:p="urn:x" xmlns:q="urn:x" p:x="1" q:x="2"/>',
  '<a xmlns:xml="urn:wrong"/>',
  '<a xmlns:xmlns="http://www.w3.org/2000/xmlns/"/>',
  '<a xmlns:p="http://www.w3.org/2000/xmlns/"/>',
  '<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>',
  '<a xmlns="http://www.w3.org/XML/1998/namespace"/>',
  '<xmlns:a/>',
  ' <?xml version="1.0"?><a/>',
  '<a/><?xml version="1.0"?>',
  '<!-- x --><?xml version="1.0"?><a/>',
  '<?xml?><a/>',
  '<?xml version="2.0"?><a/>',
  '<?xml version="1.0" encoding="-x"?><a/>',
  '<?xml version="1.0" standalone="maybe"?><a/>',
  '<?xml encoding="UTF-8"?><a/>',
  '<?xml version="1.0" version="1.0"?><a/>',
  '<?xml version="1.0"encoding="UTF-8"?><a/>',
  '<?xml version="1.0" ?x?><a/>',
  '<?XML version="1.0"?><a/>',
  '<a><?xml-ok?><?Xml x?></a>',
  '<a><?p:q x?></a>',
  '<a><? x?></a>',
  '<a><?1x?></a>',
  '<a><?x', 
  '<a>\uD800</a>',
  '<a>\uDC00</a>',
];

describe('accepted differences from parseXml (saxes)', () => {
  it('an unpaired surrogate is refused (saxes pairs a lone high surrogate with the next code unit)', () => {
    const doc = '<a>x\uD800y</a>';
    assert.doesNotThrow(() => parseXml(doc));
    assert.throws(() => parseXmlFast(doc), /unpaired surrogate/);
    assert.throws(() => parseXml('<a>\uDC00</a>'), MalformedMessageError);
    assert.throws(() => parseXmlFast('<a>\uDC00</a>'), MalformedMessageError);
  });

  it('a version 1.x declaration is read with XML 1.0 rules (saxes switches to XML 1.1 rules)', () => {
    assert.equal(parseXmlFast('<?xml version="1.1"?><a>\u0085\u0080</a>').text, '\u0085\u0080');
    assert.equal(parseXml('<?xml version="1.1"?><a>\u0085</a>').text, '\n');
    assert.throws(() => parseXml('<?xml version="1.1"?><a>\u0080</a>'), MalformedMessageError);
    assert.throws(() => parseXmlFast('<?xml version="1.1"?><a xmlns:p="urn:p"><b xmlns:p=""/></a>'), /cannot be undeclared/);
    assert.equal(parseXmlFast('<?xml version="1.7"?><a/>').name, 'a');
  });
});

describe('malformed documents (hand-written)', () => {
  for (const doc of MALFORMED) {
    it(`refuses ${JSON.stringify(doc)}`, () => {
      assert.throws(() => parseXml(doc), MalformedMessageError, 'parseXml should refuse it too');
      assert.throws(() => parseXmlFast(doc), MalformedMessageError);
      // Also when streamed one character at a time.
      assert.throws(() => streamParse(doc.split(''), 1), MalformedMessageError);
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
});

// ---------------------------------------------------------------------------------------------
// (b) Randomly generated documents
// ---------------------------------------------------------------------------------------------

describe('random documents: parseXmlFast and XmlStreamParser against parseXml', () => {
  it('small documents, fed whole and split at every position, emitted at every depth', { timeout: 300_000 }, (t) => {
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
        for (let i = 0; i <= doc.length; i++) {
          const { emitted } = streamParse([doc.slice(0, i), doc.slice(i)], d);
          assertSameSubtrees(emitted, full, d, `seed ${seed} split at ${i}`);
          parses++;
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

  it('larger documents in random chunk sizes', { timeout: 300_000 }, () => {
    for (let seed = 1000; seed < 1150; seed++) {
      const r = new Random(seed);
      const doc = genDocument(r, 6, 6);
      const full = assertSameParse(doc, `seed ${seed}`);
      const depths = maxDepth(full);
      for (const max of [1, 3, 16, 200, 5000]) {
        const d = r.int(depths + 1);
        const { emitted } = streamParse(randomChunks(doc, r, max), d, r.chance(0.5));
        assertSameSubtrees(emitted, full, d, `seed ${seed} chunks <= ${max}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// (c) Fuzzed malformed input
// ---------------------------------------------------------------------------------------------

/** Why the two parsers may disagree on `doc` (accepted categories), or undefined. */
function acceptedDifference(doc: string): string | undefined {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(doc)) return 'unpaired surrogate';
  if (/^\uFEFF?<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.(?!0\1)/.test(doc)) return 'XML 1.x declaration (saxes: XML 1.1 rules)';
  return undefined;
}

/** More with `XML_FUZZ_ITERATIONS=100000 node --test ...`. */
const FUZZ_ITERATIONS = Number(process.env['XML_FUZZ_ITERATIONS'] ?? 6000);

describe('fuzzed malformed input', () => {
  it('parseXmlFast throws MalformedMessageError exactly when parseXml does (and nothing else)', { timeout: 300_000 }, (t) => {
    const tally = { total: 0, bothRefused: 0, bothAccepted: 0, accepted: new Map<string, number>() };
    for (let seed = 5000; seed < 5000 + FUZZ_ITERATIONS; seed++) {
      const r = new Random(seed);
      const base = genDocument(r, 3, 4);
      const doc = r.chance(0.3) ? mutateEncoded(base, r) : mutate(base, r);
      tally.total++;
      const expected = outcome(() => parseXml(doc));
      const actual = outcome(() => parseXmlFast(doc));
      if (!actual.ok) assert.ok(actual.malformed, `seed ${seed}: parseXmlFast threw ${String(actual.error)} on ${JSON.stringify(doc)}`);
      assert.ok(expected.ok || expected.malformed, `seed ${seed}: parseXml ${describeOutcome(expected)}`);
      // The stream parser, in random chunks, agrees with parseXmlFast.
      const streamed = outcome(() => {
        const { emitted } = streamParse(randomChunks(doc, r, 1 + r.int(40)), 0);
        return emitted[0]!.element;
      });
      assert.equal(streamed.ok, actual.ok, `seed ${seed}: stream parser and parseXmlFast disagree on ${JSON.stringify(doc)}: ${streamed.ok ? '' : String(streamed.error)}`);
      if (!streamed.ok) assert.ok(streamed.malformed, `seed ${seed}: stream parser threw ${String(streamed.error)}`);
      if (expected.ok !== actual.ok) {
        const why = acceptedDifference(doc);
        assert.ok(
          why,
          `seed ${seed}: parseXml ${describeOutcome(expected)} but parseXmlFast ${describeOutcome(actual)}: ${JSON.stringify(doc)}`,
        );
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

  it('truncations at every position are refused, by both parsers and in every split', () => {
    const doc = HAND_WRITTEN['CDATA, comments, PIs inside and around']!;
    const end = doc.lastIndexOf('>') + 1;
    for (let cut = 0; cut < doc.indexOf('</rpc-reply>') + 11; cut++) {
      const truncated = doc.slice(0, cut);
      assert.throws(() => parseXml(truncated), MalformedMessageError);
      assert.throws(() => parseXmlFast(truncated), MalformedMessageError, `cut at ${cut}`);
      assert.throws(() => streamParse(truncated.split(''), 2), MalformedMessageError, `cut at ${cut}, char by char`);
    }
    assert.doesNotThrow(() => parseXmlFast(doc.slice(0, end)));
  });
});

// ---------------------------------------------------------------------------------------------
// Tokens spanning many chunks
// ---------------------------------------------------------------------------------------------

describe('large tokens', () => {
  it('a comment, a CDATA section, an attribute value, a PI, text spanning 512 chunks each: linear time', { timeout: 60_000 }, () => {
    const piece = 'x'.repeat(65536);
    const pieceWithGt = `${'y'.repeat(65535)}>`;
    let text = 0;
    let cdata = '';
    const parser = new XmlStreamParser({
      emitDepth: 2,
      onSubtree(element) {
        if (element.local === 'c') cdata = element.text;
      },
      onText(t) {
        text += t.length;
      },
    });
    const spanning = (open: string, body: string, close: string): void => {
      parser.write(open);
      for (let i = 0; i < 512; i++) parser.write(body);
      parser.write(close);
    };
    parser.write('<a><b>');
    spanning('<!--', piece, '-->');
    spanning('<c><![CDATA[', piece, ']]></c>');
    spanning('<d v="', pieceWithGt, '"/>');
    spanning('<?pi ', pieceWithGt, '?>');
    // Text with an entity reference split at every chunk boundary.
    spanning('z&am', `p;${'x'.repeat(65531)}&am`, 'p;');
    parser.write('</b></a>');
    parser.end();
    assert.equal(cdata.length, 512 * 65536);
    assert.equal(text, 1 + 513 + 512 * 65531);
  });
});
