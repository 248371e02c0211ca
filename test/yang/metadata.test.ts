import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../src/xml/parse.js';
import { MetadataError, metadataToXml, moduleOfNamespace, namespaceOfModule, xmlMetadata } from '../../src/yang/metadata.js';
import type { YangSchema } from '../../src/yang/schema.js';
import { codecSchema } from './schema-fixtures.js';

/** A schema with no module at all: the known annotations must work without their modules. */
const EMPTY: YangSchema = { modules: new Map(), byNamespace: new Map(), data: [], rpcs: [], notifications: [] };

const NS = {
  nc: 'urn:ietf:params:xml:ns:netconf:base:1.0',
  wd: 'urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults',
  yang: 'urn:ietf:params:xml:ns:yang:1',
  or: 'urn:ietf:params:xml:ns:yang:ietf-origin',
};

function metadataOf(xml: string, schema: YangSchema = EMPTY, lenient = false): { meta: Record<string, unknown> | undefined; warnings: string[] } {
  const el = parseXml(xml);
  const warnings: string[] = [];
  const meta = xmlMetadata(el, { schema, namespaceOf: (p) => el.inScopeNamespaces().get(p), lenient, warn: (m) => warnings.push(m) });
  return { meta, warnings };
}

/** metadataToXml with a declare that records the declarations. */
function attributesOf(meta: unknown, schema: YangSchema = EMPTY): { attributes: string; declared: Array<[string, string]> } {
  const declared: Array<[string, string]> = [];
  const attributes = metadataToXml(meta, schema, (ns, prefix) => {
    declared.push([prefix, ns]);
    return prefix;
  });
  return { attributes, declared };
}

describe('xmlMetadata', () => {
  it('reads the known annotations by namespace, whatever the prefix, typed', () => {
    const { meta } = metadataOf(
      `<x xmlns:a="${NS.nc}" xmlns:b="${NS.wd}" xmlns:c="${NS.yang}" xmlns:d="${NS.or}" a:operation="remove" b:default="true" c:insert="after" c:key="[k='1']" c:value="v" d:origin="d:learned"/>`,
    );
    assert.deepEqual(meta, {
      'ietf-netconf:operation': 'remove',
      'ietf-netconf-with-defaults:default': true,
      'yang:insert': 'after',
      'yang:key': "[k='1']",
      'yang:value': 'v',
      'ietf-origin:origin': 'ietf-origin:learned',
    });
  });

  it('gives undefined for an element without attributes', () => {
    assert.equal(metadataOf('<x/>').meta, undefined);
  });

  it('refuses values the annotation type refuses', () => {
    assert.throws(() => metadataOf(`<x xmlns:a="${NS.nc}" a:operation="bogus"/>`), MetadataError);
    assert.throws(() => metadataOf(`<x xmlns:a="${NS.wd}" a:default="1"/>`), MetadataError);
    assert.throws(() => metadataOf(`<x xmlns:a="${NS.yang}" a:insert="middle"/>`), MetadataError);
    assert.throws(() => metadataOf(`<x xmlns:a="${NS.or}" a:origin="zz:learned"/>`), MetadataError);
  });

  it('strict: refuses unqualified attributes, unknown namespaces and unknown annotations', () => {
    assert.throws(() => metadataOf('<x foo="1"/>'), /no namespace/);
    assert.throws(() => metadataOf('<x xmlns:q="urn:q" q:a="1"/>'), /urn:q/);
    assert.throws(() => metadataOf('<x xmlns:t="urn:codec:t1" t:a="1"/>', codecSchema()), /no annotation "codec-t1:a"/);
  });

  it('lenient: keeps attributes of known modules as strings, drops the others, with warnings', () => {
    const { meta, warnings } = metadataOf('<x xmlns:t="urn:codec:t1" xmlns:q="urn:q" t:a="1" q:b="2" c="3"/>', codecSchema(), true);
    assert.deepEqual(meta, { 'codec-t1:a': '1' });
    assert.equal(warnings.length, 3);
  });
});

describe('metadataToXml', () => {
  it('writes the known annotations in their namespaces, declaring the prefixes', () => {
    const { attributes, declared } = attributesOf({
      'ietf-netconf:operation': 'create',
      'ietf-netconf-with-defaults:default': true,
      'yang:insert': 'before',
      'yang:value': 'a"b',
    });
    assert.equal(attributes, ' nc:operation="create" ncwd:default="true" yang:insert="before" yang:value="a&quot;b"');
    assert.deepEqual(declared, [
      ['nc', NS.nc],
      ['ncwd', NS.wd],
      ['yang', NS.yang],
      ['yang', NS.yang],
    ]);
  });

  it('writes an identityref value with a declared prefix', () => {
    const { attributes, declared } = attributesOf({ 'ietf-origin:origin': 'ietf-origin:system' }, codecSchema());
    assert.equal(attributes, ' or:origin="or:system"');
    assert.deepEqual(declared, [
      ['or', NS.or],
      ['or', NS.or],
    ]);
  });

  it('refuses unqualified or unknown members and values of the wrong JSON type', () => {
    assert.throws(() => attributesOf({ operation: 'create' }), /module-qualified/);
    assert.throws(() => attributesOf({ 'ietf-netconf:nope': 'x' }), /no annotation/);
    assert.throws(() => attributesOf({ 'ietf-netconf:operation': 'bogus' }), /bogus/);
    assert.throws(() => attributesOf({ 'ietf-netconf-with-defaults:default': 'true' }), /JSON boolean/);
    assert.throws(() => attributesOf({ 'yang:key': 5 }), /JSON string/);
    assert.throws(() => attributesOf({ 'ietf-origin:origin': 'intended' }), /not qualified/);
    assert.throws(() => attributesOf(['x']), /JSON object/);
  });
});

describe('module ↔ namespace', () => {
  it('knows the annotation modules without a schema, and the schema’s modules', () => {
    assert.equal(moduleOfNamespace(EMPTY, NS.nc), 'ietf-netconf');
    assert.equal(namespaceOfModule(EMPTY, 'yang'), NS.yang);
    assert.equal(moduleOfNamespace(codecSchema(), 'urn:codec:t2'), 'codec-t2');
    assert.equal(moduleOfNamespace(EMPTY, 'urn:codec:t2'), undefined);
  });
});
