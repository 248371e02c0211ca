import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../src/xml/parse.js';
import { YangDataError } from '../../src/yang/errors.js';
import type { XmlToJsonOptions } from '../../src/yang/xml-to-json.js';
import { xmlToJson } from '../../src/yang/xml-to-json.js';
import { jsonToXml } from '../../src/yang/json-to-xml.js';
import type { YanglintDataType } from '../helpers/yanglint.js';
import { codecSchema, xmlElements, yanglint } from './schema-fixtures.js';

const T1 = 'xmlns="urn:codec:t1"';
const IF = 'xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"';

function convert(xml: string, options?: XmlToJsonOptions): Record<string, unknown> {
  const r = xmlToJson(codecSchema(), xmlElements(xml), options);
  assert.deepEqual(r.warnings, []);
  return r.json;
}

function refuses(xml: string, path: string, message: RegExp, options?: XmlToJsonOptions): void {
  assert.throws(
    () => xmlToJson(codecSchema(), xmlElements(xml), options),
    (e: unknown) => e instanceof YangDataError && e.path === path && message.test(e.message),
  );
}

/** Documents yanglint accepts: our JSON must equal its JSON (as values). */
const ACCEPTED: ReadonlyArray<readonly [name: string, xml: string, type?: YanglintDataType, options?: XmlToJsonOptions]> = [
  [
    'every kind of node, augments, choice shorthand case, presence container',
    `<top ${T1} xmlns:x="urn:codec:t1" xmlns:t2p="urn:codec:t2">
      <s>hi</s><i8>-5</i8><i64>123</i64><d>1.50</d><e/><b>true</b><id>t2p:c</id>
      <ll>b</ll><ll>a</ll>
      <l><k1>kk</k1><k2>3</k2><v>vv</v><extra xmlns="urn:codec:t2">7</extra></l>
      <l><k1>kk</k1><k2>1</k2></l>
      <y>yy</y><pc/>
      <aug xmlns="urn:codec:t2">A</aug>
      <ac xmlns="urn:codec:t2"><z>Z</z><s>S</s></ac>
      <st><sl>a</sl><sl>a</sl><kl><a>1</a></kl><kl><a>1</a></kl><kl/></st>
    </top>`,
  ],
  [
    'anydata and anyxml content, with and without schema',
    `<top ${T1}>
      <ad><a>true</a><b>1.5</b><d/><e>abc</e><f>1</f><f>2</f><g><h>x</h></g><g><h>y</h></g><n>-3</n>
        <big>123456789012345678901234</big><sp> 12 </sp><z xmlns="urn:codec:t2">q</z>
        <top><s>nested</s><i64>7</i64></top><root-leaf>r</root-leaf><root-list><name>n</name></root-list></ad>
      <ax><a>false</a><o><p>1</p></o><i64>5</i64></ax>
    </top>`,
  ],
  ['empty anydata and anyxml', `<top ${T1}><ad> </ad><ax/></top>`],
  ['anyxml with text only', `<top ${T1}><ax>5</ax></top>`],
  [
    'ietf-interfaces with ietf-ip: identityref through a prefix, module change at the augment',
    `<interfaces ${IF} xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">
      <interface><name>eth0</name><type>ianaift:ethernetCsmacd</type><enabled>false</enabled>
        <ipv4 xmlns="urn:ietf:params:xml:ns:yang:ietf-ip"><mtu>1500</mtu><address><ip>10.0.0.1</ip><prefix-length>24</prefix-length></address></ipv4>
      </interface>
      <interface><name>lo</name><type xmlns:x="urn:ietf:params:xml:ns:yang:iana-if-type">x:softwareLoopback</type></interface>
    </interfaces>`,
  ],
  ['several top-level nodes, a top-level list', `<root-list ${T1}><name>a</name><c><v>-1</v></c></root-list><root-leaf ${T1}>x</root-leaf><root-list ${T1}><name>b</name></root-list>`],
  [
    'metadata: operation, insert/key/value, with-defaults false, origin',
    `<top ${T1} xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:yang="urn:ietf:params:xml:ns:yang:1" xmlns:wd="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults" xmlns:or="urn:ietf:params:xml:ns:yang:ietf-origin" nc:operation="merge" or:origin="or:intended">
      <s nc:operation="delete"/><i8 wd:default="false">5</i8>
      <ll yang:insert="before" yang:value="x">b</ll><ll>c</ll><ll nc:operation="create">d</ll>
      <l nc:operation="create" yang:insert="after" yang:key="[k1='a'][k2='1']"><k1>kk</k1><k2>3</k2></l>
    </top>`,
  ],
  ['an RPC with its input', `<r ${T1}><a>x</a></r>`, 'rpc', { kind: 'rpc' }],
  ['an RPC reply (the RPC element holding the output)', `<r ${T1}><b>x</b><c><d>y</d></c></r>`, 'reply', { kind: 'reply' }],
  ['an action with its input', `<top ${T1}><act><in1>x</in1></act></top>`, 'rpc', { kind: 'rpc' }],
  ['an action reply', `<top ${T1}><act><out1>x</out1></act></top>`, 'reply', { kind: 'reply' }],
  ['a notification', `<n ${T1}><m>x</m></n>`, 'notif', { kind: 'notification' }],
  ['a nested notification', `<top ${T1}><nn><n1>x</n1></nn></top>`, 'notif', { kind: 'notification' }],
];

/** Documents yanglint refuses (as `-t get`): we refuse them too, naming the node. */
const REFUSED: ReadonlyArray<readonly [name: string, xml: string, path: string, message: RegExp]> = [
  ['unknown element', `<top ${T1}><zz/></top>`, '/codec-t1:top', /"zz".*not a known child of "top"/],
  ['augmented node in the wrong namespace', `<top ${T1}><aug>x</aug></top>`, '/codec-t1:top', /"aug"/],
  ['unknown top-level element', `<nope ${T1}/>`, '/', /"nope".*top level/],
  ['list entry without a key', `<top ${T1}><l><k1>a</k1></l></top>`, "/codec-t1:top/l[k1='a']", /missing its key "k2"/],
  ['list entry without any key', `<top ${T1}><l/></top>`, '/codec-t1:top/l', /missing its key "k1"/],
  ['keys out of order', `<top ${T1}><l><k2>1</k2><k1>a</k1></l></top>`, "/codec-t1:top/l[k2='1']/k1", /position of the key "k1"/],
  ['a key after a later key', `<top ${T1}><l><v>x</v><k2>1</k2><k1>a</k1></l></top>`, "/codec-t1:top/l[k2='1']/k1", /position of the key "k1"/],
  ['a value its type refuses', `<top ${T1}><i8>300</i8></top>`, '/codec-t1:top/i8', /300/],
  ['a bad key value', `<top ${T1}><l><k1>a</k1><k2>x</k2></l></top>`, "/codec-t1:top/l[k1='a']/k2", /"x"/],
  ['text inside a container', `<top ${T1}>text<s>a</s></top>`, '/codec-t1:top', /text "text" inside an inner node/],
  ['an element inside a leaf', `<top ${T1}><s>a<x/></s></top>`, '/codec-t1:top/s', /child element/],
  ['an unqualified attribute', `<top ${T1} foo="1"/>`, '/codec-t1:top', /"foo" has no namespace/],
  ['an attribute of an unknown module', `<top ${T1}><s xmlns:q="urn:q" q:zz="1">x</s></top>`, '/codec-t1:top/s', /namespace "urn:q"/],
  ['an unknown annotation', `<top ${T1} xmlns:t1="urn:codec:t1"><s t1:zz="1">x</s></top>`, '/codec-t1:top/s', /no annotation "codec-t1:zz"/],
  ['an annotation value its type refuses', `<top ${T1} xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><ll nc:operation="bogus">a</ll></top>`, '/codec-t1:top/ll', /invalid enumeration value "bogus"/],
  ['text in anydata', `<top ${T1}><ad>hello</ad></top>`, '/codec-t1:top/ad', /text "hello" inside the anydata node "ad"/],
  ['an identityref prefix bound to nothing', `<top ${T1}><id>zz:a</id></top>`, '/codec-t1:top/id', /zz/],
];

describe('xmlToJson', () => {
  it('gives yanglint’s JSON for the documents yanglint accepts', async () => {
    const outcomes = await yanglint(ACCEPTED.map(([, xml, type]) => ({ input: xml, from: 'xml', to: 'json', type: type ?? 'get' })));
    ACCEPTED.forEach(([name, xml, , options], i) => {
      const outcome = outcomes[i]!;
      assert.ok(outcome.ok, `${name}: yanglint refused it: ${outcome.message}`);
      assert.deepEqual(convert(xml, options), JSON.parse(outcome.output), name);
    });
  });

  it('refuses what yanglint refuses, with the data path of the offending node', async () => {
    const outcomes = await yanglint(REFUSED.map(([, xml]) => ({ input: xml, from: 'xml', to: 'json', type: 'get' })));
    REFUSED.forEach(([name, xml, path, message], i) => {
      assert.equal(outcomes[i]!.ok, false, `${name}: yanglint accepted it`);
      assert.throws(
        () => convert(xml),
        (e: unknown) => e instanceof YangDataError && e.path === path && message.test(e.message),
        name,
      );
    });
  });

  it('accepts keys after other children when the keys are in order (as libyang does)', () => {
    assert.deepEqual(convert(`<top ${T1}><l><v>x</v><k1>a</k1><extra xmlns="urn:codec:t2">1</extra><k2>1</k2></l></top>`), {
      'codec-t1:top': { l: [{ v: 'x', k1: 'a', 'codec-t2:extra': 1, k2: 1 }] },
    });
  });

  it('converts a 2000-interface document as yanglint does, and back to XML yanglint reads the same', async () => {
    let xml = `<interfaces ${IF} xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">`;
    for (let i = 0; i < 2000; i++) {
      xml +=
        `<interface><name>eth${i}</name><description>port &lt;${i}&gt; é</description><type>ianaift:${i % 3 ? 'ethernetCsmacd' : 'softwareLoopback'}</type><enabled>${i % 2 === 0}</enabled>` +
        `<ipv4 xmlns="urn:ietf:params:xml:ns:yang:ietf-ip"><mtu>${1280 + i}</mtu><address><ip>10.0.${i >> 8}.${i & 255}</ip><prefix-length>24</prefix-length></address>` +
        `<address><ip>192.168.${i >> 8}.${i & 255}</ip><netmask>255.255.0.0</netmask></address></ipv4>` +
        `<ipv6 xmlns="urn:ietf:params:xml:ns:yang:ietf-ip"><address><ip>2001:db8::${i.toString(16)}</ip><prefix-length>64</prefix-length></address><dup-addr-detect-transmits>${i % 5}</dup-addr-detect-transmits></ipv6></interface>`;
    }
    xml += '</interfaces>';
    const ours = convert(xml);
    const [fromXml] = await yanglint([{ input: xml, from: 'xml', to: 'json', type: 'config' }]);
    assert.ok(fromXml!.ok, fromXml!.message);
    assert.deepEqual(ours, JSON.parse(fromXml!.output));
    const back = jsonToXml(codecSchema(), ours);
    const [fromOurs] = await yanglint([{ input: back, from: 'xml', to: 'json', type: 'config' }]);
    assert.ok(fromOurs!.ok, fromOurs!.message);
    assert.deepEqual(JSON.parse(fromOurs!.output), ours);
  });

  it('refuses duplicates and two cases of one choice (as yanglint -t data does)', () => {
    refuses(`<top ${T1}><s>a</s><s>b</s></top>`, '/codec-t1:top/s', /duplicate instance of "s"/);
    refuses(`<top ${T1}><s>a</s></top><top ${T1}/>`, '/codec-t1:top', /duplicate instance of "top"/);
    refuses(`<top ${T1}><l><k1>a</k1><k2>1</k2></l><l><k1>a</k1><k2>1</k2></l></top>`, "/codec-t1:top/l[k1='a'][k2='1']", /duplicate instance of "l"/);
    refuses(`<top ${T1}><ll>a</ll><ll>a</ll></top>`, "/codec-t1:top/ll[.='a']", /duplicate instance of "ll"/);
    refuses(`<top ${T1}><x>1</x><y>2</y></top>`, '/codec-t1:top', /both cases "c1" and "y"/);
  });

  it('finds a duplicate anywhere in a long list or leaf-list, and accepts long lists without one', () => {
    // lists of up to 16 entries are compared one by one, longer ones through a set: both ways
    for (const n of [3, 16, 17, 40]) {
      const entries = (dupAt: number) => Array.from({ length: n }, (_, i) => `<l><k1>e${i === dupAt ? 0 : i}</k1><k2>1</k2></l>`).join('');
      const values = (dupAt: number) => Array.from({ length: n }, (_, i) => `<ll>v${i === dupAt ? 1 : i}</ll>`).join('');
      const ok = convert(`<top ${T1}>${entries(-1)}${values(-1)}</top>`) as { 'codec-t1:top': { l: unknown[]; ll: unknown[] } };
      assert.equal(ok['codec-t1:top'].l.length, n);
      assert.equal(ok['codec-t1:top'].ll.length, n);
      for (const at of new Set([1, n - 1, Math.min(20, n - 1)])) {
        refuses(`<top ${T1}>${entries(at)}</top>`, "/codec-t1:top/l[k1='e0'][k2='1']", /duplicate instance of "l"/);
        if (at !== 1) refuses(`<top ${T1}>${values(at)}</top>`, "/codec-t1:top/ll[.='v1']", /duplicate instance of "ll"/);
      }
    }
  });

  it('keeps a with-defaults tagged node with its metadata (yanglint drops it unless -d all-tagged)', () => {
    const json = convert(`<top ${T1} xmlns:wd="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults"><i8 wd:default="true">5</i8></top>`);
    assert.deepEqual(json, { 'codec-t1:top': { i8: 5, '@i8': { 'ietf-netconf-with-defaults:default': true } } });
  });

  it('pads leaf-list metadata with null for the entries without', () => {
    const json = convert(`<top ${T1} xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><ll>a</ll><ll>b</ll><ll nc:operation="create">c</ll></top>`);
    assert.deepEqual(json, { 'codec-t1:top': { ll: ['a', 'b', 'c'], '@ll': [null, null, { 'ietf-netconf:operation': 'create' }] } });
  });

  it('resolves value prefixes declared above the converted elements (an envelope)', () => {
    const reply = parseXml(
      `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type" message-id="1"><data>` +
        `<interfaces ${IF}><interface><name>e</name><type>ianaift:ethernetCsmacd</type></interface></interfaces></data></rpc-reply>`,
    );
    const expected = { 'ietf-interfaces:interfaces': { interface: [{ name: 'e', type: 'iana-if-type:ethernetCsmacd' }] } };
    // The whole reply (envelopes looked through), and the data's children alone (prefix declared on an ancestor).
    assert.deepEqual(xmlToJson(codecSchema(), reply).json, expected);
    assert.deepEqual(xmlToJson(codecSchema(), reply.find('data/interfaces')!).json, expected);
    assert.deepEqual(xmlToJson(codecSchema(), reply.find('data')!.elements).json, expected);
  });

  it('reads an <rpc-reply> as the output of the RPC named (yanglint nc-reply)', () => {
    const reply = parseXml(`<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><b ${T1}>x</b><c ${T1}><d>y</d></c></rpc-reply>`);
    assert.deepEqual(xmlToJson(codecSchema(), reply, { kind: 'reply', rpc: 'codec-t1:r' }).json, { 'codec-t1:b': 'x', 'codec-t1:c': { d: 'y' } });
    assert.throws(() => xmlToJson(codecSchema(), reply, { kind: 'reply', rpc: 'codec-t1:nope' }), YangDataError);
    const ok = parseXml('<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><ok/></rpc-reply>');
    assert.deepEqual(xmlToJson(codecSchema(), ok, { kind: 'reply', rpc: 'codec-t1:r' }).json, {});
    assert.deepEqual(xmlToJson(codecSchema(), ok).json, {});
    const unknown = parseXml(`<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><zz ${T1}/></rpc-reply>`);
    assert.throws(() => xmlToJson(codecSchema(), unknown, { kind: 'reply', rpc: 'codec-t1:r' }), (e: unknown) => e instanceof YangDataError && e.path === '/codec-t1:r');
  });

  it('reads NETCONF envelopes: <rpc>, <action>, <notification> (eventTime left out)', () => {
    const rpc = parseXml(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><action xmlns="urn:ietf:params:xml:ns:yang:1"><top ${T1}><act><in1>x</in1></act></top></action></rpc>`);
    assert.deepEqual(xmlToJson(codecSchema(), rpc, { kind: 'rpc' }).json, { 'codec-t1:top': { act: { in1: 'x' } } });
    const n = parseXml(`<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2020-01-01T00:00:00Z</eventTime><n ${T1}><m>x</m></n></notification>`);
    assert.deepEqual(xmlToJson(codecSchema(), n, { kind: 'notification' }).json, { 'codec-t1:n': { m: 'x' } });
  });

  it('allows operations only in documents of their kind, exactly one', () => {
    refuses(`<top ${T1}><act><in1>x</in1></act></top>`, '/codec-t1:top', /"act"/);
    refuses(`<r ${T1}><a>x</a></r>`, '/', /"r"/);
    refuses(`<top ${T1}><nn/></top>`, '/codec-t1:top', /"nn"/, { kind: 'rpc' });
    refuses(`<top ${T1}><s>x</s></top>`, '/', /no RPC or action found/, { kind: 'rpc' });
    refuses(`<n ${T1}/><n ${T1}/>`, '/codec-t1:n', /duplicate/, { kind: 'notification' });
    refuses(`<r ${T1}><zz/></r>`, '/codec-t1:r', /"zz"/, { kind: 'rpc' });
    // Input parameters are not output parameters.
    refuses(`<r ${T1}><b>x</b></r>`, '/codec-t1:r', /"b"/, { kind: 'rpc' });
  });

  it('lenient: keeps unknown elements as schema-less JSON and bad values as strings, with warnings', () => {
    const r = xmlToJson(
      codecSchema(),
      xmlElements(`<top ${T1}><zz><a>1</a><a>2</a></zz><i8>300</i8><l><k2>1</k2><k1>a</k1></l><other xmlns="urn:codec:t2">t</other></top><stray xmlns="urn:nowhere">x</stray>`),
      { lenient: true },
    );
    assert.deepEqual(r.json, {
      'codec-t1:top': { zz: { a: [1, 2] }, i8: '300', l: [{ k2: 1, k1: 'a' }], 'codec-t2:other': 't' },
      stray: 'x',
    });
    assert.equal(r.warnings.length, 5);
    assert.match(r.warnings[0]!, /^\/codec-t1:top: unknown element "zz"/);
    assert.match(r.warnings[1]!, /^\/codec-t1:top\/i8: .*300.*kept as a string/);
    assert.match(r.warnings[2]!, /position of the key/);
  });

  it('lenient: keeps duplicates, entries without keys and two cases of a choice, with warnings', () => {
    const r = xmlToJson(
      codecSchema(),
      xmlElements(`<top ${T1}><s>a</s><s>b</s><st><sl>x</sl></st><st><sl>y</sl></st><l><k1>a</k1></l><ll>a</ll><ll>a</ll><x>1</x><y>2</y></top>`),
      { lenient: true },
    );
    assert.deepEqual(r.json, { 'codec-t1:top': { s: 'a', st: { sl: ['x', 'y'] }, l: [{ k1: 'a' }], ll: ['a', 'a'], x: '1', y: '2' } });
    assert.equal(r.warnings.length, 5);
  });

  it('lenient: drops attributes of unknown namespaces, keeps those of known modules, with warnings', () => {
    const r = xmlToJson(codecSchema(), xmlElements(`<top ${T1} xmlns:q="urn:q" xmlns:t2="urn:codec:t2"><s q:a="1" t2:b="2">x</s></top>`), { lenient: true });
    assert.deepEqual(r.json, { 'codec-t1:top': { s: 'x', '@s': { 'codec-t2:b': '2' } } });
    assert.equal(r.warnings.length, 2);
  });

  it('converts deep anydata content without recursion', () => {
    const depth = 20_000;
    const xml = `<top ${T1}><ad>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</ad></top>`;
    const root = parseXml(`<fragment>${xml}</fragment>`, { maxDepth: depth + 10 });
    let value: unknown = (xmlToJson(codecSchema(), root.elements).json['codec-t1:top'] as Record<string, unknown>)['ad'];
    let levels = 0;
    while (typeof value === 'object' && value !== null && 'a' in value) {
      value = (value as Record<string, unknown>)['a'];
      levels++;
    }
    assert.equal(levels, depth);
    assert.equal(value, 'x');
  });

  it('refuses a deep unknown subtree with a typed error (strict) and keeps it (lenient)', () => {
    const depth = 20_000;
    const root = parseXml(`<fragment><top ${T1}>${'<zz>'.repeat(depth)}${'</zz>'.repeat(depth)}</top></fragment>`, { maxDepth: depth + 10 });
    assert.throws(() => xmlToJson(codecSchema(), root.elements), YangDataError);
    const r = xmlToJson(codecSchema(), root.elements, { lenient: true });
    assert.equal(r.warnings.length, 1);
  });

  it('takes one element or an array', () => {
    const [el] = xmlElements(`<root-leaf ${T1}>x</root-leaf>`);
    assert.deepEqual(xmlToJson(codecSchema(), el!).json, { 'codec-t1:root-leaf': 'x' });
    assert.deepEqual(xmlToJson(codecSchema(), []).json, {});
  });
});
