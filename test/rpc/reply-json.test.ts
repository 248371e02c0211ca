/**
 * RFC 7951 JSON of replies and notifications: `RPCReply.json()` / `jsonResult()` (data of
 * get/get-config/get-data, the output of a named RPC, strict and lenient, the schema given or the
 * reply's own) and `notificationJson()` (RESTCONF's form), offline with a compiled schema.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notificationJson, parseNotification } from '../../src/rpc/notification.js';
import { RPCReply } from '../../src/rpc/rpc-reply.js';
import { compileYang } from '../../src/yang/compile.js';
import { YangDataError } from '../../src/yang/errors.js';
import { yangSourceFromText } from '../../src/yang/sources.js';
import { SYS_MODULE, SYS_NS, SYS_SUBMODULE, TYPES_MODULE } from '../helpers/example-yang.js';

const schema = compileYang([yangSourceFromText(TYPES_MODULE, 't.yang'), yangSourceFromText(SYS_MODULE, 's.yang'), yangSourceFromText(SYS_SUBMODULE, 'sub.yang')]);
const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const reply = (body: string): RPCReply => new RPCReply(`<rpc-reply xmlns="${NC}" message-id="1">${body}</rpc-reply>`, '1');

describe('RPCReply.json()', () => {
  it('the content of <data> as RFC 7951 JSON (get, get-config; get-data\'s <data> in the NMDA namespace too)', () => {
    const data = `<system xmlns="${SYS_NS}"><enabled>true</enabled><counter>18446744073709551615</counter><role xmlns:t="urn:example:types">t:admin</role></system>`;
    const expected = { 'example-sys:system': { enabled: true, counter: '18446744073709551615', role: 'example-types:admin' } };
    assert.deepEqual(reply(`<data>${data}</data>`).json({ schema }), expected);
    assert.deepEqual(reply(`<data xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-nmda">${data}</data>`).json({ schema }), expected);
    assert.deepEqual(reply('<data/>').json({ schema }), {});
    assert.deepEqual(reply('<ok/>').json({ schema }), {});
  });

  it('the schema set on the reply is the default; none at all is a TypeError', () => {
    const r = reply(`<data><system xmlns="${SYS_NS}"><load>5</load></system></data>`);
    assert.throws(() => r.json(), TypeError);
    r.schema = schema;
    assert.deepEqual(r.json(), { 'example-sys:system': { load: 5 } });
  });

  it('strict by default (YangDataError with the data path); lenient keeps the unknown and warns', () => {
    const r = reply(`<data><system xmlns="${SYS_NS}"><load>5</load><extra>x</extra></system></data>`);
    assert.throws(() => r.json({ schema }), (e: unknown) => e instanceof YangDataError && e.path.startsWith('/example-sys:system'));
    const { json, warnings } = r.jsonResult({ schema, lenient: true });
    assert.equal(warnings.length, 1);
    assert.equal((json['example-sys:system'] as Record<string, unknown>)['load'], 5);
  });

  it('{ rpc }: the reply as the output of that RPC', () => {
    const r = reply(`<message xmlns="${SYS_NS}">soon</message>`);
    assert.deepEqual(r.json({ schema, rpc: 'example-sys:restart' }), { 'example-sys:message': 'soon' });
  });
});

describe('notificationJson()', () => {
  it('RESTCONF form: eventTime and the event by the schema (given, or the notification\'s own)', () => {
    const n = parseNotification(`<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-05-01T12:00:00Z</eventTime><overheated xmlns="${SYS_NS}"><load>99</load></overheated></notification>`);
    assert.throws(() => notificationJson(n), TypeError);
    const expected = { 'ietf-restconf:notification': { eventTime: '2024-05-01T12:00:00Z', 'example-sys:overheated': { load: 99 } } };
    assert.deepEqual(notificationJson(n, { schema }).json, expected);
    n.schema = schema;
    assert.deepEqual(notificationJson(n).json, expected);
  });
});
