import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedMessageError } from '../../src/errors.js';
import { XmlElement } from '../../src/xml/element.js';
import { ByteStreamParser } from '../../src/xml/byte-stream-parser.js';
import { XmlStreamParser, type XmlStreamParserOptions } from '../../src/xml/stream-parser.js';
import { assertSameTree, describeOutcome, genDocument, IANAIFT, IF, mutate, mutateBytes, NC, outcome, Random } from '../helpers/xml-documents.js';

// ---------------------------------------------------------------------------------------------
// Helpers: two parsers run side by side, their event logs compared
// ---------------------------------------------------------------------------------------------

type Event =
  | { kind: 'subtree'; el: XmlElement; path: string[] }
  | { kind: 'open' | 'close'; el: XmlElement; path: string[] }
  | { kind: 'text'; el: XmlElement; text: string };

interface Log {
  events: Event[];
  root: XmlElement | undefined;
}

/**
 * Options recording every callback into `log`. With `callbacks`, onOpen/onClose/onText are set
 * too, and onOpen asks for some shallow elements whole (by a property of the name, so that both
 * parsers make the same choice).
 */
function recorder(log: Log, emitDepth: number, callbacks: boolean): XmlStreamParserOptions {
  const names = (path: readonly XmlElement[]): string[] => path.map((e) => e.name);
  const options: XmlStreamParserOptions = {
    emitDepth,
    onSubtree(el, path) {
      assert.equal(el.parent, path.length === 0 ? null : path[path.length - 1], 'parent is the live skeleton');
      log.events.push({ kind: 'subtree', el, path: names(path) });
    },
  };
  if (callbacks) {
    options.onOpen = (el, path) => {
      assert.equal(el.children.length, 0);
      log.events.push({ kind: 'open', el, path: names(path) });
      return el.local.length % 3 === 1;
    };
    options.onClose = (el, path) => {
      assert.equal(el.children.length, 0, 'skeletons keep no children');
      log.events.push({ kind: 'close', el, path: names(path) });
    };
    options.onText = (text, el, path) => {
      assert.equal(el, path[path.length - 1]);
      const last = log.events[log.events.length - 1];
      // Text may come in pieces: merge the pieces of a run.
      if (last?.kind === 'text' && last.el === el) last.text += text;
      else log.events.push({ kind: 'text', el, text });
    };
  }
  return options;
}

/** Parse `bytes` with a ByteStreamParser, written in pieces of the given sizes (cycled). */
function byteParse(bytes: Uint8Array, sizes: readonly number[], emitDepth: number, callbacks = false): Log {
  const log: Log = { events: [], root: undefined };
  const parser = new ByteStreamParser(recorder(log, emitDepth, callbacks));
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    parser.write(bytes.subarray(at, at + n));
    at += n;
  }
  parser.end();
  log.root = parser.root;
  return log;
}

/** Parse `text` with an XmlStreamParser, whole. */
function stringParse(text: string, emitDepth: number, callbacks = false): Log {
  const log: Log = { events: [], root: undefined };
  const parser = new XmlStreamParser(recorder(log, emitDepth, callbacks));
  parser.write(text);
  parser.end();
  log.root = parser.root;
  return log;
}

function assertSameLog(actual: Log, expected: Log, label: string): void {
  assert.equal(actual.events.length, expected.events.length, `${label}: number of events`);
  for (let i = 0; i < expected.events.length; i++) {
    const a = actual.events[i]!;
    const e = expected.events[i]!;
    assert.equal(a.kind, e.kind, `${label}: event ${i}`);
    if (e.kind === 'text') {
      assert.equal(a.kind === 'text' && a.text, e.text, `${label}: text event ${i}`);
      assert.equal(a.el.name, e.el.name);
    } else {
      assert.ok(a.kind !== 'text');
      assert.deepEqual(a.path, e.path, `${label}: path of event ${i}`);
      assertSameTree(a.el, e.el, `${label} event ${i}`);
      if (e.kind === 'subtree') {
        assert.equal(a.el.toString(), e.el.toString(), `${label}: serialization of subtree ${i}`);
        assert.deepEqual([...a.el.inScopeNamespaces()], [...e.el.inScopeNamespaces()], `${label}: namespaces in scope, subtree ${i}`);
      }
    }
  }
  assert.equal(actual.root === undefined, expected.root === undefined);
  if (actual.root !== undefined && expected.root !== undefined) assertSameTree(actual.root, expected.root, `${label} root`);
}

/** Random piece sizes: mostly tiny (every multi-byte character gets split somewhere), some large. */
function randomSizes(r: Random): number[] {
  const max = r.pick([1, 2, 3, 5, 17, 200, 5000]);
  return Array.from({ length: 1 + r.int(7) }, () => 1 + r.int(max));
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
// Differential tests: same events as XmlStreamParser
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
      <interface><name>lo</name><type>ianaift:softwareLoopback</type><enabled>false</enabled></interface>
    </interfaces>
  </data>
</rpc-reply>
`,
  'prefixed names and attributes, single quotes': `<nc:rpc-reply xmlns:nc="${NC}" nc:message-id="7" xmlns:ex="urn:example" ex:flag="yes" plain='single "quoted"'>
  <nc:data><ex:top ex:a="1" a="2"><ex:leaf xml:lang="en">v</ex:leaf></ex:top></nc:data>
</nc:rpc-reply>`,
  'default namespace changes and undeclaration': '<a xmlns="urn:one"><b xmlns="urn:two"><c/><d xmlns=""><e/></d></b><f/></a>',
  'CDATA, comments, PIs inside and around': `<?xml version='1.0' standalone='yes'?><!-- before --><?app data?>
<rpc-reply xmlns="${NC}"><!-- c1 --><data><config><![CDATA[<not-a-tag> & ]] >]]><?pi body?>text<!---->more</config></data></rpc-reply>
<!-- after --><?after?>
`,
  'attribute normalisation': '<n><event a="tab\there&#9;kept" b="line\r\nbreak&#10;kept&#13;" c="  spaced  " d="cr\rlf\n"/></n>',
  'line ends in text and CDATA': '<a>one\r\ntwo\rthree\n<![CDATA[four\r\nfive\r]]>\r</a>',
  'entities everywhere': '<a x="&lt;&gt;&amp;&quot;&apos;&#60;&#x3C;&#x10FFFF;">&lt;&gt;&amp;&quot;&apos;&#0000065;&#x00042;&#x0000000041;</a>',
  'non-ASCII names and astral text': '<データ xmlns:é="urn:e" é:ñame="ü"><é:𐀀x>😀 𝄞</é:𐀀x><x·y-z.1_/></データ>',
  'BOM and white space after the root': '\uFEFF<a/>\n\t \r\n',
  'empty CDATA': '<a><![CDATA[]]><b/><![CDATA[]]>x<![CDATA[]]></a>',
  'the xml prefix, and xml:* attributes': '<a xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:space="preserve"><xml:b/></a>',
  'namespace URIs trimmed': '<a xmlns=" urn:x " xmlns:p="\turn:p\n"><p:b/></a>',
  'same prefix rebound deeper': '<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2" p:x="1"><p:c/></p:b><p:d/></p:a>',
  'edges saxes accepts': `<a x='"' y="'" z=">"><?pi?x?><!----><b>]]&gt; ]] > ]></b><c>\u0085\u2028\u007f\uFEFF</c><xmlnsfoo xmlnsfoo="1"/></a>`,
  'many attributes (a set for duplicates)': `<a ${Array.from({ length: 20 }, (_, i) => `a${i}="${i}"`).join(' ')} xmlns:p="urn:p" p:a0="x"/>`,
  'long values, repeated values': `<a><b>${'v'.repeat(100)}</b><b>${'v'.repeat(100)}</b><c>short</c><c>short</c><d>\n    </d><d>\n    </d></a>`,
};

describe('ByteStreamParser: the same results as XmlStreamParser', () => {
  for (const [label, doc] of Object.entries(HAND_WRITTEN)) {
    it(`${label}: every depth, with callbacks, whole, byte by byte and split at every position`, () => {
      const bytes = Buffer.from(doc, 'utf8');
      for (let depth = 0; depth <= 4; depth++) {
        for (const callbacks of [false, true]) {
          const expected = stringParse(doc, depth, callbacks);
          assertSameLog(byteParse(bytes, [bytes.length], depth, callbacks), expected, `${label} depth ${depth} whole`);
          assertSameLog(byteParse(bytes, [1], depth, callbacks), expected, `${label} depth ${depth} byte by byte`);
        }
      }
      const expected = stringParse(doc, 2, true);
      for (let i = 1; i < bytes.length; i++) {
        assertSameLog(byteParse(bytes, [i, bytes.length], 2, true), expected, `${label} split at ${i}`);
      }
    });
  }

  it('emitted subtrees, skeletons, paths and callbacks on a reply (hand-checked)', () => {
    const doc = `<rpc-reply xmlns="${NC}" message-id="9">head<ok/><rpc-error><error-tag>in-use</error-tag></rpc-error><data>a&amp;b<![CDATA[c]]>é<x><y>deep</y></x></data></rpc-reply>`;
    const events: string[] = [];
    const parser = new ByteStreamParser({
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

  it('random documents at every emitDepth 0..3, in random byte pieces (1-byte pieces included)', (t) => {
    let parses = 0;
    for (let seed = 1; seed <= 1200; seed++) {
      const r = new Random(seed);
      const doc = genDocument(r, 4, 4);
      const bytes = Buffer.from(doc, 'utf8');
      for (let depth = 0; depth <= 3; depth++) {
        const callbacks = r.chance(0.5);
        const expected = stringParse(doc, depth, callbacks);
        const sizes = depth === 0 ? [1] : randomSizes(r);
        assertSameLog(byteParse(bytes, sizes, depth, callbacks), expected, `seed ${seed} depth ${depth} pieces ${sizes.join(',')}`);
        parses++;
      }
    }
    t.diagnostic(`${parses} parses compared`);
  });

  it('multi-byte characters split at every byte position, as Buffers and as plain Uint8Arrays', () => {
    const doc = '<é:a xmlns:é="urn:é" é:ü="ß€😀"><データ>ü€😀𝄞</データ><!--€😀--><?pi €😀?><![CDATA[€😀]]></é:a>';
    const bytes = Buffer.from(doc, 'utf8');
    const expected = stringParse(doc, 1, true);
    for (let i = 1; i < bytes.length; i++) {
      for (let j = i + 1; j < Math.min(bytes.length, i + 4); j++) {
        const log: Log = { events: [], root: undefined };
        const parser = new ByteStreamParser(recorder(log, 1, true));
        // plain Uint8Arrays, views at an offset into a larger ArrayBuffer
        const copy = new Uint8Array(bytes.length + 8);
        copy.set(bytes, 8);
        parser.write(new Uint8Array(copy.buffer, 8, i));
        parser.write(new Uint8Array(copy.buffer, 8 + i, j - i));
        parser.write(new Uint8Array(copy.buffer, 8 + j, bytes.length - j));
        parser.end();
        log.root = parser.root;
        assertSameLog(log, expected, `split at ${i} and ${j}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Malformed input
// ---------------------------------------------------------------------------------------------

/** More with `XML_FUZZ_ITERATIONS=100000 node --test ...`. */
const FUZZ_ITERATIONS = Number(process.env['XML_FUZZ_ITERATIONS'] ?? 12000);

describe('ByteStreamParser: malformed input', () => {
  it('mutated documents: refused exactly when XmlStreamParser refuses them (invalid UTF-8 always refused)', (t) => {
    const tally = { total: 0, bothRefused: 0, bothAccepted: 0, invalidUtf8: 0 };
    for (let seed = 5000; seed < 5000 + FUZZ_ITERATIONS; seed++) {
      const r = new Random(seed);
      const base = genDocument(r, 3, 4);
      const bytes = r.chance(0.35) ? mutateBytes(Buffer.from(base, 'utf8'), r) : Buffer.from(mutate(base, r, { wellFormed: true }), 'utf8');
      const depth = r.int(3);
      const sizes = randomSizes(r);
      tally.total++;
      const actual = outcome(() => byteParse(bytes, sizes, depth));
      if (!actual.ok) assert.ok(actual.malformed, `seed ${seed}: threw ${String(actual.error)}`);
      if (!isValidUtf8(bytes)) {
        tally.invalidUtf8++;
        assert.equal(actual.ok, false, `seed ${seed}: invalid UTF-8 accepted: ${bytes.toString('hex')}`);
        continue;
      }
      const text = bytes.toString('utf8');
      const expected = outcome(() => stringParse(text, depth));
      assert.equal(
        actual.ok,
        expected.ok,
        `seed ${seed}: XmlStreamParser ${describeOutcome(expected)}, ByteStreamParser ${describeOutcome(actual)}: ${JSON.stringify(text)}`,
      );
      if (actual.ok && expected.ok) {
        tally.bothAccepted++;
        assertSameLog(actual.value, expected.value, `seed ${seed}`);
      } else tally.bothRefused++;
    }
    t.diagnostic(JSON.stringify(tally));
    assert.ok(tally.bothRefused > tally.total / 4 && tally.invalidUtf8 > tally.total / 10 && tally.bothAccepted > 50, JSON.stringify(tally));
  });

  it('hand-written malformed documents are refused, whole and byte by byte', () => {
    const docs = [
      '', '   ', 'text', '<a>', '<a></b>', '<a><b></a></b>', '</a>', '<a/><b/>', '<a/>text', '<a/>é', '<a/>&amp;', '<![CDATA[x]]><a/>', '<a/><![CDATA[x]]>',
      '<!DOCTYPE a><a/>', '<a>&e;</a>', '<a>&amp</a>', '<a>& </a>', '<a>&;</a>', '<a>&#;</a>', '<a>&#x;</a>', '<a>&#X41;</a>', '<a>&#0;</a>', '<a>&#xD800;</a>',
      '<a>&#xFFFE;</a>', '<a>&#x110000;</a>', '<a>&#99999999999999999999;</a>', '<a>]]></a>', '<a>\u0000</a>', '<a>\u001f</a>', '<a>\uFFFF</a>', '<a>\uFFFE</a>',
      '<a x="\u0001"/>', '<a><!-- \u0002 --></a>', '<a><!-- a -- b --></a>', '<a><!-- a ---></a>', '<a><!- x --></a>', '<a><![CDAT[x]]></a>', '<a><![CDATA[x]]</a>',
      '<a><![CDATA[\u0003]]></a>', '<a><!ELEMENT x></a>', '<a x=1/>', '<a x/>', '<a x="1"y="2"/>', '<a x="1" x="2"/>', '<a x="<"/>', '<a x="&foo;"/>', '<a x="1></a>',
      '<a / >', '<a/ >', '< a/>', '<1a/>', '<-a/>', '<a!/>', '<a></ a>', '<a></a b>', '<a></>', '<a></ab>', '<ab></a>', '<p:a/>', '<a p:x="1"/>', '<:a/>', '<a:/>',
      '<a:b:c xmlns:a="urn:a"/>', '<a xmlns:="urn:x"/>', '<a xmlns:p=""/>', '<a xmlns:p="  "/>', '<a xmlns:p="urn:x" xmlns:p="urn:y"/>', '<a xmlns="urn:x" xmlns="urn:y"/>',
      '<a xmlns:p="urn:x" xmlns:q="urn:x" p:x="1" q:x="2"/>', '<a xmlns:xml="urn:wrong"/>', '<a xmlns:xmlns="http://www.w3.org/2000/xmlns/"/>',
      '<a xmlns:p="http://www.w3.org/2000/xmlns/"/>', '<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>', '<a xmlns="http://www.w3.org/XML/1998/namespace"/>',
      '<xmlns:a/>', ' <?xml version="1.0"?><a/>', '<a/><?xml version="1.0"?>', '<!-- x --><?xml version="1.0"?><a/>', '<?xml?><a/>', '<?xml version="2.0"?><a/>',
      '<?xml version="1.0" encoding="-x"?><a/>', '<?xml version="1.0" standalone="maybe"?><a/>', '<?xml encoding="UTF-8"?><a/>', '<?xml version="1.0"?x?><a/>',
      '<?xml version="1.0" ?x?><a/>', '<?XML version="1.0"?><a/>', '<a><?xml-ok?><?Xml x?></a>', '<a><?p:q x?></a>', '<a><? x?></a>', '<a><?1x?></a>', '<a><?x',
      '<a><?x \u0001?></a>', '\uFEFF\uFEFF<a/>', '<a>\u00e9</a', '<a b="é',
    ];
    for (const doc of docs) {
      assert.throws(() => stringParse(doc, 1), MalformedMessageError, `XmlStreamParser should refuse ${JSON.stringify(doc)}`);
      const bytes = Buffer.from(doc, 'utf8');
      assert.throws(() => byteParse(bytes, [bytes.length || 1], 1), MalformedMessageError, JSON.stringify(doc));
      assert.throws(() => byteParse(bytes, [1], 1, true), MalformedMessageError, `${JSON.stringify(doc)} byte by byte`);
    }
  });

  it('truncations at every position are refused', () => {
    const doc = Buffer.from(HAND_WRITTEN['CDATA, comments, PIs inside and around']!.replace('text', 'tëxt€😀'), 'utf8');
    const end = doc.indexOf('</rpc-reply>') + '</rpc-reply>'.length;
    for (let cut = 0; cut < end; cut++) {
      assert.throws(() => byteParse(doc.subarray(0, cut), [1], 2), MalformedMessageError, `cut at ${cut}`);
      assert.throws(() => byteParse(doc.subarray(0, cut), [cut || 1], 0), MalformedMessageError, `cut at ${cut}, whole`);
    }
    assert.doesNotThrow(() => byteParse(doc.subarray(0, end), [1], 2));
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
        for (const sizes of [[bytes.length], [1], [before.length, 1]]) {
          assert.throws(() => byteParse(bytes, sizes, 1, true), MalformedMessageError, `${what} in ${before}…${after}, pieces ${sizes.join(',')}`);
          cases++;
        }
      }
    }
    // Truncated at the end of the document.
    for (const cut of [[0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98]]) {
      for (const [before, after] of [['<a>', ''], ['<a/>', ''], ['<a b="', ''], ['<a><!--', '']]) {
        const bytes = Buffer.concat([Buffer.from(before!), Buffer.from(cut), Buffer.from(after!)]);
        assert.throws(() => byteParse(bytes, [1], 0), MalformedMessageError);
        assert.throws(() => byteParse(bytes, [bytes.length], 0), MalformedMessageError);
        cases += 2;
      }
    }
    assert.ok(cases > 600);
    // The boundaries themselves are fine.
    for (const ok of ['\u0080', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\ufffd', '\u{10000}', '\u{10FFFF}']) {
      const doc = `<a b="${ok}">${ok}<!--${ok}--><?pi ${ok}?><![CDATA[${ok}]]></a>`;
      assertSameLog(byteParse(Buffer.from(doc), [1], 0), stringParse(doc, 0), JSON.stringify(ok));
    }
  });

  it('error messages give byte offsets from the start of the stream', () => {
    const parser = new ByteStreamParser({ emitDepth: 1, onSubtree() {} });
    parser.write(Buffer.from('<a>é€'));
    parser.write(Buffer.from('<b>ok</b>'));
    assert.throws(
      () => parser.write(Buffer.from('<c x="1" x="2"/>')),
      (err: unknown) => err instanceof MalformedMessageError && /duplicate attribute x.*byte offset 17\b/.test(err.message),
    );
    const second = new ByteStreamParser({ emitDepth: 1, onSubtree() {} });
    assert.throws(() => second.write(Buffer.from('<a>😀</b>')), /mismatched end tag.*expected <\/a>.*byte offset 7\b/);
  });
});

// ---------------------------------------------------------------------------------------------
// API: getters, guards
// ---------------------------------------------------------------------------------------------

describe('ByteStreamParser API', () => {
  it('exposes the root skeleton as soon as its start tag is parsed, and the depth', () => {
    const parser = new ByteStreamParser({ emitDepth: 3, onSubtree() {} });
    const root = (): XmlElement | undefined => parser.root;
    assert.equal(root(), undefined);
    parser.write(Buffer.from(`<rpc-reply xmlns="${NC}" message-`));
    assert.equal(root(), undefined);
    assert.equal(parser.depth, 0);
    parser.write(Buffer.from('id="42"><da'));
    assert.equal(root()?.attributes['message-id'], '42');
    assert.equal(root()?.namespace, NC);
    assert.equal(parser.depth, 1);
    parser.write(Buffer.from('ta>'));
    assert.equal(parser.depth, 2);
    parser.write(Buffer.from('</data></rpc-reply>'));
    parser.end();
    assert.equal(parser.depth, 0);
    assert.equal(root()?.children.length, 0, 'a skeleton keeps no children');
  });

  it('emitDepth 0 emits the whole document once, which is the root; a deeper emitDepth emits nothing', () => {
    const doc = HAND_WRITTEN['rpc-reply with data']!;
    const whole = byteParse(Buffer.from(doc), [7], 0);
    assert.equal(whole.events.length, 1);
    assert.equal(whole.events[0]!.el, whole.root);
    assert.equal(byteParse(Buffer.from('<a><b/></a>'), [3], 5).events.length, 0);
  });

  it('refuses a bad emitDepth and non-byte pieces; accepts and ignores detachStrings', () => {
    assert.throws(() => new ByteStreamParser({ emitDepth: -1, onSubtree() {} }), RangeError);
    assert.throws(() => new ByteStreamParser({ emitDepth: 1.5, onSubtree() {} }), RangeError);
    const parser = new ByteStreamParser({ emitDepth: 1, detachStrings: false, onSubtree() {} });
    assert.throws(() => parser.write('<a/>' as unknown as Buffer), TypeError);
    parser.write(new Uint8Array(0));
    parser.write(Buffer.from('<a/>'));
    parser.end();
    assert.equal(parser.root?.name, 'a');
  });

  it('end() checks the document is complete', () => {
    for (const partial of ['', '  ', '<', '<a', '<a>', '<a><b></b>', '<a/><!-- x', '<?xml version="1.0"?>', '<a/><?pi', '<a>&amp', '<a>text', '\uFEFF', '<a/><']) {
      const parser = new ByteStreamParser({ emitDepth: 1, onSubtree() {} });
      parser.write(Buffer.from(partial));
      assert.throws(() => parser.end(), MalformedMessageError, JSON.stringify(partial));
    }
  });

  it('a failed parser keeps failing with the same error; write() and end() after end() throw', () => {
    const parser = new ByteStreamParser({ emitDepth: 1, onSubtree() {} });
    let first: unknown;
    assert.throws(
      () => parser.write(Buffer.from('<a><b></c>')),
      (err: unknown) => {
        first = err;
        return err instanceof MalformedMessageError && /mismatched end tag.*expected <\/b>.*byte offset 6\b/.test(err.message);
      },
    );
    assert.throws(() => parser.write(Buffer.from('</b></a>')), (err: unknown) => err === first);
    assert.throws(() => parser.end(), (err: unknown) => err === first);

    const failedAtEnd = new ByteStreamParser({ emitDepth: 1, onSubtree() {} });
    failedAtEnd.write(Buffer.from('<a>'));
    assert.throws(() => failedAtEnd.end(), /<a> is not closed/);
    assert.throws(() => failedAtEnd.write(Buffer.from('</a>')), MalformedMessageError);

    const done = new ByteStreamParser({ emitDepth: 1, onSubtree() {} });
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
      const parser = new ByteStreamParser(options);
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
        const parser: ByteStreamParser = new ByteStreamParser(options);
        parser.write(Buffer.from('<a>t<b><c/></b></a>'));
        parser.end();
        assert.ok(seen.length > 0, `${which} was called`);
        for (const err of seen) assert.match(String(err), /called from one of its callbacks/);
      }
    }
  });

  it('the parser keeps no reference to the pieces written: they may be reused at once', () => {
    const doc = Buffer.from(HAND_WRITTEN['rpc-reply with data']!);
    const expected = stringParse(doc.toString(), 3, true);
    const log: Log = { events: [], root: undefined };
    const parser = new ByteStreamParser(recorder(log, 3, true));
    const scratch = Buffer.alloc(7);
    for (let at = 0; at < doc.length; at += 7) {
      const n = doc.copy(scratch, 0, at, at + 7);
      parser.write(scratch.subarray(0, n));
      scratch.fill(0x3c); // '<' everywhere
    }
    parser.end();
    log.root = parser.root;
    assertSameLog(log, expected, 'reused piece');
  });
});

describe('ByteStreamParser: tokens spanning many pieces', () => {
  it('emits each subtree as soon as its end tag is written, whatever the split (terminators across pieces)', () => {
    const parts = ['<a><![CDATA[x]]]]></a>', '<b><!--y- -->t</b>', "<c><?p z??></c>", '<d e="f>" g=\'h\'/>', '<e>\r\n&amp;é</e>', '<f\n/>'];
    const doc = Buffer.from(`<r>${parts.join('')}`);
    const ends = parts.map((_, i) => Buffer.byteLength(`<r>${parts.slice(0, i + 1).join('')}`));
    for (const size of [1, 2, 3]) {
      for (let offset = 0; offset < size; offset++) {
        const emitted: string[] = [];
        const parser = new ByteStreamParser({ emitDepth: 1, onSubtree: (el) => emitted.push(el.local) });
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
    const parser = new ByteStreamParser({
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
