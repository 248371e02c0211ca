// Schemas for the codec's tests (xml-to-json, json-to-xml, metadata): small modules written for
// them (every kind of data node, augment across modules, choice, anydata, rpc, action,
// notifications) compiled with the IETF modules netconfd ships, and the same set for yanglint.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileYang } from '../../src/yang/compile.js';
import type { YangSchema } from '../../src/yang/schema.js';
import { yangSourcesFromDirectories } from '../../src/yang/sources.js';
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/element.js';
import type { YanglintJob, YanglintOutcome, YanglintSchema } from '../helpers/yanglint.js';
import { runYanglint } from '../helpers/yanglint.js';

/** Where netconfd's IETF modules are. */
export const IETF_DIR = '/usr/share/yuma/modules/ietf';

/** A module with one of each kind of node and type the codec treats differently. */
export const CODEC_T1 = `module codec-t1 {
  yang-version 1.1;
  namespace "urn:codec:t1"; prefix t1;
  identity base-id;
  identity a { base base-id; }
  identity b { base a; }
  container top {
    leaf s { type string; }
    leaf i8 { type int8; }
    leaf i64 { type int64; }
    leaf d { type decimal64 { fraction-digits 2; } }
    leaf e { type empty; }
    leaf b { type boolean; }
    leaf id { type identityref { base base-id; } }
    leaf-list ll { type string; ordered-by user; }
    list l { key "k1 k2"; ordered-by user; leaf v { type string; } leaf k1 { type string; } leaf k2 { type uint8; } }
    choice ch { case c1 { leaf x { type string; } } leaf y { type string; } }
    anydata ad;
    anyxml ax;
    container pc { presence "p"; }
    container st { config false; leaf-list sl { type string; } list kl { leaf a { type string; } } }
    action act { input { leaf in1 { type string; } } output { leaf out1 { type string; } } }
    notification nn { leaf n1 { type string; } }
  }
  list root-list { key name; leaf name { type string; } container c { leaf v { type int32; } } }
  leaf root-leaf { type string; }
  rpc r { input { leaf a { type string; } leaf z { type string; } } output { leaf b { type string; } container c { leaf d { type string; } } } }
  notification n { leaf m { type string; } }
}
`;

/** Augments codec-t1 from another module (qualified member names where the module changes). */
export const CODEC_T2 = `module codec-t2 {
  namespace "urn:codec:t2"; prefix t2;
  import codec-t1 { prefix t1; }
  identity c { base t1:base-id; }
  augment /t1:top { leaf aug { type string; } container ac { leaf z { type string; } leaf s { type string; } } }
  augment /t1:top/t1:l { leaf extra { type int16; } }
}
`;

let dir: string | undefined;

/** The directory holding the test modules (written once per process). */
export function fixtureDir(): string {
  if (dir === undefined) {
    dir = join(tmpdir(), `netconfkit-codec-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const made = dir;
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
    writeFileSync(join(dir, 'codec-t1.yang'), CODEC_T1);
    writeFileSync(join(dir, 'codec-t2.yang'), CODEC_T2);
  }
  return dir;
}

/** Modules implemented by {@link codecSchema}. */
export const CODEC_MODULES = ['codec-t1', 'codec-t2', 'ietf-interfaces', 'ietf-ip', 'iana-if-type', 'ietf-netconf', 'ietf-netconf-with-defaults', 'ietf-origin'];

let schema: YangSchema | undefined;

/** The test modules and the IETF ones, compiled (cached). */
export function codecSchema(): YangSchema {
  schema ??= compileYang(yangSourcesFromDirectories([fixtureDir(), IETF_DIR]), { modules: CODEC_MODULES });
  return schema;
}

/** The same set for yanglint. */
export function codecYanglintSchema(): YanglintSchema {
  const d = fixtureDir();
  return {
    searchDirs: [d, IETF_DIR],
    files: [
      join(d, 'codec-t1.yang'),
      join(d, 'codec-t2.yang'),
      join(IETF_DIR, 'ietf-interfaces@2014-05-08.yang'),
      join(IETF_DIR, 'ietf-ip@2014-06-16.yang'),
      join(IETF_DIR, 'iana-if-type@2014-05-08.yang'),
      join(IETF_DIR, 'ietf-netconf@2011-06-01.yang'),
      join(IETF_DIR, 'ietf-netconf-with-defaults@2011-06-01.yang'),
      join(IETF_DIR, 'ietf-origin@2018-02-14.yang'),
    ],
  };
}

/** Run yanglint on documents with the codec's module set. */
export function yanglint(jobs: readonly YanglintJob[]): Promise<YanglintOutcome[]> {
  return runYanglint(codecYanglintSchema(), jobs);
}

/** The top-level elements of an XML fragment (several siblings allowed). */
export function xmlElements(fragment: string): XmlElement[] {
  return parseXml(`<fragment>${fragment}</fragment>`).elements;
}
