import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../src/xml/parse.js';
import { YangDataError } from '../../src/yang/errors.js';
import type { JsonToXmlOptions } from '../../src/yang/json-to-xml.js';
import { jsonToXml, jsonToXmlBytes } from '../../src/yang/json-to-xml.js';
import { xmlToJson } from '../../src/yang/xml-to-json.js';
import type { YanglintDataType } from '../helpers/yanglint.js';
import { codecSchema, xmlElements, yanglint } from './schema-fixtures.js';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';

function toXml(json: Record<string, unknown>, options?: JsonToXmlOptions): string {
  return jsonToXml(codecSchema(), json, options);
}

function refuses(json: Record<string, unknown>, path: string, message: RegExp, options?: JsonToXmlOptions): void {
  assert.throws(
    () => toXml(json, options),
    (e: unknown) => e instanceof YangDataError && e.path === path && message.test(e.message),
    `${JSON.stringify(json)} → ${path} ${message}`,
  );
}

/** RFC 7951 documents (as yanglint writes them) and the yanglint type and our kind to read them with. */
const DOCUMENTS: ReadonlyArray<readonly [name: string, json: Record<string, unknown>, type?: YanglintDataType, options?: JsonToXmlOptions]> = [
  [
    'every kind of node, augments, choice, presence container',
    {
      'codec-t1:top': {
        s: 'hi & <bye>',
        i8: -5,
        i64: '123',
        d: '1.5',
        e: [null],
        b: true,
        id: 'codec-t2:c',
        ll: ['b', 'a'],
        l: [
          { v: 'vv', 'codec-t2:extra': 7, k2: 3, k1: 'kk' },
          { k1: 'kk', k2: 1 },
        ],
        y: 'yy',
        pc: {},
        'codec-t2:aug': 'A',
        'codec-t2:ac': { z: 'Z', s: 'S' },
        st: { sl: ['a', 'a'], kl: [{ a: '1' }, { a: '1' }, {}] },
      },
    },
  ],
  [
    'anydata and anyxml content',
    {
      'codec-t1:top': {
        ad: { a: true, b: '1.5', d: [null], f: [1, 2], g: [{ h: 'x' }, { h: 'y' }], 'codec-t2:z': 'q', top: { s: 'nested', i64: '7', id: 'codec-t1:b' }, 'root-list': [{ name: 'n' }] },
        ax: { a: false, o: { p: 1 } },
      },
    },
  ],
  [
    'ietf-interfaces with ietf-ip',
    {
      'ietf-interfaces:interfaces': {
        interface: [
          { name: 'eth0', type: 'iana-if-type:ethernetCsmacd', enabled: false, 'ietf-ip:ipv4': { mtu: 1500, address: [{ ip: '10.0.0.1', 'prefix-length': 24 }] } },
          { name: 'lo', type: 'iana-if-type:softwareLoopback' },
        ],
      },
    },
  ],
  ['several top-level nodes', { 'codec-t1:root-list': [{ name: 'a', c: { v: -1 } }, { name: 'b' }], 'codec-t1:root-leaf': 'x' }],
  [
    'metadata',
    {
      'codec-t1:top': {
        '@': { 'ietf-netconf:operation': 'merge', 'ietf-origin:origin': 'ietf-origin:intended' },
        s: '',
        '@s': { 'ietf-netconf:operation': 'delete' },
        i8: 5,
        '@i8': { 'ietf-netconf-with-defaults:default': false },
        ll: ['b', 'c', 'd'],
        '@ll': [{ 'yang:insert': 'before', 'yang:value': 'x' }, null, { 'ietf-netconf:operation': 'create' }],
        l: [{ '@': { 'ietf-netconf:operation': 'create', 'yang:insert': 'after', 'yang:key': "[k1='a'][k2='1']" }, k1: 'kk', k2: 3 }],
      },
    },
  ],
  ['an RPC', { 'codec-t1:r': { z: 'z', a: 'x' } }, 'rpc', { kind: 'rpc' }],
  ['an RPC reply', { 'codec-t1:r': { c: { d: 'y' }, b: 'x' } }, 'reply', { kind: 'reply' }],
  ['an action', { 'codec-t1:top': { act: { in1: 'x' } } }, 'rpc', { kind: 'rpc' }],
  ['an action reply', { 'codec-t1:top': { act: { out1: 'x' } } }, 'reply', { kind: 'reply' }],
  ['a notification', { 'codec-t1:n': { m: 'x' } }, 'notif', { kind: 'notification' }],
  ['a nested notification', { 'codec-t1:top': { nn: { n1: 'x' } } }, 'notif', { kind: 'notification' }],
];

describe('jsonToXml', () => {
  it('writes XML that yanglint reads back as the same JSON, and reads it back itself', async () => {
    const xmls = DOCUMENTS.map(([, json, , options]) => toXml(json, options));
    const outcomes = await yanglint(DOCUMENTS.map(([, , type], i) => ({ input: xmls[i]!, from: 'xml', to: 'json', type: type ?? 'get' })));
    DOCUMENTS.forEach(([name, json, , options], i) => {
      const outcome = outcomes[i]!;
      assert.ok(outcome.ok, `${name}: yanglint refused ${xmls[i]}: ${outcome.message}`);
      assert.deepEqual(JSON.parse(outcome.output), json, name);
      assert.deepEqual(xmlToJson(codecSchema(), xmlElements(xmls[i]!), options).json, json, name);
    });
  });

  it('writes the same document as UTF-8 bytes (jsonToXmlBytes), small and in many chunks, ASCII or not', () => {
    for (const [name, json, , options] of DOCUMENTS) {
      assert.deepEqual(jsonToXmlBytes(codecSchema(), json, options), Buffer.from(toXml(json, options), 'utf8'), name);
    }
    // past the output's first chunks (16 KiB, doubling), with characters of 2, 3 and 4 bytes
    const ll = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? `é${i}` : i % 3 === 1 ? `€ ${i}` : `😀${i}`));
    const bytes = jsonToXmlBytes(codecSchema(), { 'codec-t1:top': { ll } });
    assert.ok(bytes.length > 64 * 1024);
    assert.deepEqual(bytes, Buffer.from(toXml({ 'codec-t1:top': { ll } }), 'utf8'));
    assert.deepEqual(parseXml(bytes.toString('utf8')).elements.map((e) => e.text), ll);
  });

  it('accepts what yanglint accepts as JSON input', async () => {
    const outcomes = await yanglint(DOCUMENTS.map(([, json, type]) => ({ input: JSON.stringify(json), from: 'json', to: 'xml', type: type ?? 'get' })));
    DOCUMENTS.forEach(([name], i) => assert.ok(outcomes[i]!.ok, `${name}: ${outcomes[i]!.message}`));
  });

  it('writes keys first, namespaces where they change, value prefixes on the element using them', () => {
    assert.equal(
      toXml({ 'codec-t1:top': { l: [{ v: 'x', 'codec-t2:extra': 1, k2: 2, k1: 'a' }], id: 'codec-t2:c', 'codec-t2:ac': { z: 'z' } } }),
      '<top xmlns="urn:codec:t1"><l><k1>a</k1><k2>2</k2><v>x</v><extra xmlns="urn:codec:t2">1</extra></l>' +
        '<id xmlns:t2="urn:codec:t2">t2:c</id><ac xmlns="urn:codec:t2"><z>z</z></ac></top>',
    );
  });

  it('writes RPC input parameters in schema order', () => {
    assert.equal(toXml({ 'codec-t1:r': { z: 'z', a: 'a' } }, { kind: 'rpc' }), '<r xmlns="urn:codec:t1"><a>a</a><z>z</z></r>');
  });

  it('writes metadata as attributes: nc:operation, yang:insert/key/value', () => {
    const xml = toXml({
      'codec-t1:top': {
        '@': { 'ietf-netconf:operation': 'replace' },
        ll: ['a'],
        '@ll': [{ 'yang:insert': 'first' }],
        l: [{ '@': { 'ietf-netconf:operation': 'delete' }, k1: 'a', k2: 1 }],
      },
    });
    const top = parseXml(xml);
    assert.equal(top.attributes[`{${NC}}operation`], 'replace');
    assert.equal(top.child('ll')!.attributes['{urn:ietf:params:xml:ns:yang:1}insert'], 'first');
    assert.equal(top.child('l')!.attributes[`{${NC}}operation`], 'delete');
    assert.equal(top.child('l')!.elements[0]!.local, 'k1');
  });

  it('writes the output of a named RPC as the content of <rpc-reply>', () => {
    assert.equal(toXml({ 'codec-t1:b': 'x', 'codec-t1:c': { d: 'y' } }, { kind: 'reply', rpc: 'codec-t1:r' }), '<b xmlns="urn:codec:t1">x</b><c xmlns="urn:codec:t1"><d>y</d></c>');
    refuses({ b: 'x' }, '/codec-t1:r', /unknown member "b"/, { kind: 'reply', rpc: 'codec-t1:r' });
  });

  it('refuses what the schema refuses, naming the node', () => {
    refuses({ top: {} }, '/', /unknown member "top".*module-qualified/);
    refuses({ 'codec-t1:top': { zz: 1 } }, '/codec-t1:top', /unknown member "zz"/);
    refuses({ 'codec-t1:top': { aug: 'x' } }, '/codec-t1:top', /unknown member "aug"/);
    refuses({ 'codec-t1:top': { 'codec-t2:s': 'x' } }, '/codec-t1:top', /unknown member "codec-t2:s"/);
    refuses({ 'codec-t1:top': { i8: '5' } }, '/codec-t1:top/i8', /./);
    refuses({ 'codec-t1:top': { i64: 5 } }, '/codec-t1:top/i64', /./);
    refuses({ 'codec-t1:top': { e: null } }, '/codec-t1:top/e', /./);
    refuses({ 'codec-t1:top': { l: { k1: 'a', k2: 1 } } }, '/codec-t1:top/l', /must be a JSON array of objects, found object/);
    refuses({ 'codec-t1:top': { l: ['x'] } }, '/codec-t1:top/l', /entries must be JSON objects/);
    refuses({ 'codec-t1:top': { l: [{ k2: 1 }] } }, "/codec-t1:top/l[k2='1']", /missing its key "k1"/);
    refuses({ 'codec-t1:top': { l: [{ k1: 'a', k2: 1, v: 5 }] } }, "/codec-t1:top/l[k1='a'][k2='1']/v", /./);
    refuses({ 'codec-t1:top': { l: [{ k1: 'a', k2: 1 }, { k2: 1, k1: 'a' }] } }, "/codec-t1:top/l[k1='a'][k2='1']", /duplicate instance of "l"/);
    refuses({ 'codec-t1:top': { ll: 'a' } }, '/codec-t1:top/ll', /must be a JSON array, found string/);
    refuses({ 'codec-t1:top': { ll: ['a', 5] } }, "/codec-t1:top/ll[.='5']", /./);
    refuses({ 'codec-t1:top': { ll: ['a', 'a'] } }, "/codec-t1:top/ll[.='a']", /duplicate instance of "ll"/);
    refuses({ 'codec-t1:top': { pc: 'x' } }, '/codec-t1:top/pc', /must be a JSON object, found string/);
    refuses({ 'codec-t1:top': { x: 'x', y: 'y' } }, '/codec-t1:top', /both cases "c1" and "y"/);
    refuses({ 'codec-t1:top': { ad: 'x' } }, '/codec-t1:top/ad', /anydata "ad" must be a JSON object/);
    refuses({ 'codec-t1:top': { ad: { 'nowhere:x': 1 } } }, '/codec-t1:top/ad', /no module "nowhere"/);
    refuses({ 'codec-t1:top': { act: {} } }, '/codec-t1:top', /unknown member "act"/);
    refuses({ 'codec-t1:r': {} }, '/', /unknown member "codec-t1:r"/);
    refuses({ 'codec-t1:r': { b: 'x' } }, '/codec-t1:r', /unknown member "b"/, { kind: 'rpc' });
    refuses({ 'codec-t1:top': { s: 'x' } }, '/', /no RPC or action found/, { kind: 'rpc' });
    refuses({ 'codec-t1:top': { 'codec-t1:l': [{ k1: 'a', k2: 300 }] } }, "/codec-t1:top/l[k1='a'][k2='300']/k2", /./);
  });

  it('refuses metadata that no known annotation defines or of the wrong type', () => {
    refuses({ 'codec-t1:top': { s: 'q', '@s': { foo: 'x' } } }, '/codec-t1:top/s', /must be module-qualified/);
    refuses({ 'codec-t1:top': { s: 'q', '@s': { 'codec-t1:foo': 'x' } } }, '/codec-t1:top/s', /no annotation "codec-t1:foo"/);
    refuses({ 'codec-t1:top': { '@s': { 'ietf-netconf:operation': 'delete' } } }, '/codec-t1:top', /metadata "@s" without its data "s"/);
    refuses({ 'codec-t1:top': { s: 'q', '@s': { 'ietf-netconf-with-defaults:default': 'true' } } }, '/codec-t1:top/s', /JSON boolean/);
    refuses({ 'codec-t1:top': { '@': { 'ietf-netconf:operation': 'bogus' } } }, '/codec-t1:top', /invalid enumeration value "bogus"/);
    refuses({ 'codec-t1:top': { l: [{ '@': { 'yang:insert': 'middle' }, k1: 'a', k2: 1 }] } }, "/codec-t1:top/l[k1='a'][k2='1']", /"middle"/);
    refuses({ 'codec-t1:top': { ll: ['a'], '@ll': { 'yang:insert': 'first' } } }, '/codec-t1:top/ll', /must be a JSON array/);
  });

  it('accepts redundant qualification of a member name, but not the same node twice', () => {
    assert.equal(toXml({ 'codec-t1:top': { 'codec-t1:s': 'a' } }), '<top xmlns="urn:codec:t1"><s>a</s></top>');
    refuses({ 'codec-t1:top': { s: 'a', 'codec-t1:s': 'b' } }, '/codec-t1:top/s', /duplicate instance of "s"/);
  });

  it('writes the content of anyxml parameters with the schema where it names data nodes (edit-config)', () => {
    const xml = toXml(
      {
        'ietf-netconf:edit-config': {
          config: { 'ietf-interfaces:interfaces': { interface: [{ '@': { 'ietf-netconf:operation': 'delete' }, type: 'iana-if-type:ethernetCsmacd', name: 'eth0' }] } },
          target: { running: [null] },
        },
      },
      { kind: 'rpc' },
    );
    assert.equal(
      xml,
      '<edit-config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><target><running/></target><config>' +
        '<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="delete"><name>eth0</name>' +
        '<type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type></interface></interfaces></config></edit-config>',
    );
  });

  it('writes deep anydata content without recursion', () => {
    const depth = 20_000;
    let value: Record<string, unknown> = { a: 'x' };
    for (let i = 1; i < depth; i++) value = { a: value };
    const xml = toXml({ 'codec-t1:top': { ad: value } });
    assert.equal(xml, `<top xmlns="urn:codec:t1"><ad>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</ad></top>`);
  });
});
