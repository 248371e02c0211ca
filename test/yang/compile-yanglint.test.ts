/**
 * The compiler against libyang (yanglint 2.1.30, the oracle): the tree (`-f tree`) and the
 * compiled details (`-f info`: config, mandatory, defaults, keys, min/max, ordered-by, must/when,
 * types flattened with their effective restrictions, identities' derived sets) agree for the IETF
 * modules netconfd ships, for modules written for these tests, and under `-F` feature sets.
 * yanglint must be installed: these tests fail, not skip, without it.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compileYang } from '../../src/yang/compile.js';
import { parseFeatureSpec } from '../../src/yang/features.js';
import type { CompiledModule, YangSchema } from '../../src/yang/schema.js';
import { yangSourcesFromDirectories } from '../../src/yang/sources.js';
import { OPENCONFIG_DIR } from '../helpers/openconfig.js';
import { compareWithInfo, parseInfo } from './yanglint-info.js';
import { ourTree, parseYanglintTree, yanglint } from './yanglint-tree.js';

const IETF = '/usr/share/yuma/modules/ietf';
const ORACLE_MODULES = join(import.meta.dirname, '../../../test/yang/modules');

/** The file of a module in a directory (name.yang or name@revision.yang). */
function fileOf(dir: string, name: string): string {
  const f = readdirSync(dir).find((x) => x === `${name}.yang` || x.startsWith(`${name}@`));
  assert.ok(f, `${name} in ${dir}`);
  return join(dir, f);
}

/** The modules of the IETF directory, submodules excluded (yanglint refuses them as arguments). */
const ietfModules = readdirSync(IETF)
  .map((f) => f.replace(/(@.*)?\.yang$/, ''))
  .filter((m) => m !== 'ietf-ipv6-router-advertisements');

/** Compares ours and yanglint's `-f info` for `modules` found in `dirs` (features as `-F` items, or all). */
function compareInfo(dirs: readonly string[], modules: readonly string[], features?: string): void {
  const fargs = features === undefined ? [] : features.split(' ').flatMap((f) => ['-F', f]);
  const info = parseInfo(yanglint([...dirs.flatMap((d) => ['-p', d]), ...fargs, '-f', 'info', ...modules.map((m) => fileOf(dirs[0]!, m))]));
  const schema = compileYang(yangSourcesFromDirectories(dirs), { modules, features: features === undefined ? undefined : parseFeatureSpec(features.split(' ').join(',')) });
  const diffs: string[] = [];
  let compared = 0;
  for (const [name, stmt] of info) {
    const m = schema.modules.get(name);
    assert.ok(m, `module ${name}`);
    if (!m.implemented) continue;
    compared++;
    diffs.push(...compareWithInfo(schema, m, stmt));
  }
  assert.ok(compared >= modules.length);
  assert.deepEqual(diffs, []);
}

/** Compares ours and yanglint's `-f tree` (node set, flags, markers, keys, type names). */
function compareTree(dirs: readonly string[], modules: readonly string[], features?: string, ignore: readonly string[] = []): number {
  const fargs = features === undefined ? [] : features.split(' ').flatMap((f) => ['-F', f]);
  const theirs = parseYanglintTree(yanglint([...dirs.flatMap((d) => ['-p', d]), ...fargs, '-f', 'tree', ...modules.map((m) => fileOf(dirs[0]!, m))]));
  const schema = compileYang(yangSourcesFromDirectories(dirs), { modules, features: features === undefined ? undefined : parseFeatureSpec(features.split(' ').join(',')) });
  const ours = ourTree(schema, modules);
  const skip = (l: string): boolean => ignore.some((i) => l.startsWith(i));
  assert.deepEqual(ours.filter((l) => !skip(l)), theirs.filter((l) => !skip(l)));
  return ours.length;
}

describe('compiler vs yanglint: IETF modules', () => {
  it('-f info agrees for every IETF module compiled together (types, defaults, config, keys, identities …)', () => {
    compareInfo([IETF], ietfModules);
  });

  it('-f tree agrees for every IETF module yanglint can print together', () => {
    // yanglint 2.1.30 crashes printing the trees of ietf-netconf, ietf-netconf-with-defaults, ietf-origin.
    const printable = ietfModules.filter((m) => !['ietf-netconf', 'ietf-netconf-with-defaults', 'ietf-origin'].includes(m));
    const n = compareTree([IETF], printable);
    assert.ok(n > 900, `${n} nodes compared`);
  });

  it('ietf-interfaces + ietf-ip: the same nodes, keys, config and types, with features disabled (-F) or some enabled', () => {
    compareTree([IETF], ['ietf-interfaces', 'ietf-ip']);
    compareTree([IETF], ['ietf-interfaces', 'ietf-ip'], 'ietf-interfaces: ietf-ip:');
    compareTree([IETF], ['ietf-interfaces', 'ietf-ip'], 'ietf-interfaces:if-mib ietf-ip:ipv6-privacy-autoconf');
    compareInfo([IETF], ['ietf-interfaces', 'ietf-ip'], 'ietf-interfaces: ietf-ip:');
    compareInfo([IETF], ['ietf-system', 'ietf-routing'], 'ietf-system:radius,ntp ietf-routing:');
  });

  it('an imported module that an augment or a leafref reaches into is implemented, as libyang does', () => {
    compareTree([IETF], ['ietf-routing']);
    compareInfo([IETF], ['ietf-netconf-nmda']);
  });
});

describe("compiler vs yanglint: a vendor's published modules (OpenConfig)", () => {
  const OC = OPENCONFIG_DIR;
  // dependencies first: yanglint refuses an identity default of a module first only imported
  const modules = ['openconfig-vlan-types', 'openconfig-interfaces', 'openconfig-if-ethernet', 'openconfig-if-aggregate', 'openconfig-vlan'];

  it('-f tree and -f info agree for interfaces, Ethernet, aggregates and VLANs', () => {
    const n = compareTree([OC], modules);
    assert.ok(n > 250, `${n} nodes compared`);
    compareInfo([OC], modules);
  });

  it('nodes that several modules augment into one parent come in the order of the modules\' names, whatever order they are given in', () => {
    // openconfig-if-aggregate's aggregation before openconfig-if-ethernet's ethernet, as libyang puts them
    compareTree([OC], ['openconfig-interfaces', 'openconfig-if-ethernet', 'openconfig-if-aggregate']);
    compareTree([OC], ['openconfig-interfaces', 'openconfig-if-aggregate', 'openconfig-if-ethernet']);
  });
});

describe('compiler vs yanglint: test modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yang-compile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'mod-a.yang'),
    `module mod-a {
  yang-version 1.1;
  namespace "urn:test:a";
  prefix a;
  import ietf-inet-types { prefix inet; }
  feature f1;
  feature f2 { if-feature f1; }
  identity base1;
  identity base2;
  identity multi { base base1; base base2; }
  identity sub { base multi; }
  typedef pct { type uint8 { range "0..100"; } default 50; }
  typedef pct-low { type pct { range "min..10"; } default 5; }
  typedef money { type decimal64 { fraction-digits 2; range "-10.5..10 | 20.25"; } }
  typedef flags { type bits { bit a; bit b { position 5; } bit c; } }
  grouping addr {
    leaf ip { type inet:ipv4-address; }
    leaf prefix-len { type uint8; }
    container opts { leaf ttl { type uint8; default 64; } }
    choice kind { leaf v4 { type empty; } case v6 { leaf v6-flag { type boolean; } } }
  }
  grouping rec { container again { uses rec2; } }
  grouping rec2 { leaf z { type string { length "1..10 | 20"; pattern "[a-z]+"; pattern "x.*" { modifier invert-match; } } } }
  container top {
    leaf name { type string; mandatory true; }
    leaf level { type pct-low; }
    leaf pctv { type pct; }
    leaf cash { type money; }
    leaf fl { type flags; default "a c"; }
    leaf u { type union { type pct; type union { type string; type boolean; } type enumeration { enum e1; enum e2 { value 7; } enum e3; } } }
    leaf only-f1 { if-feature f1; type string; }
    leaf f1-not-f2 { if-feature "f1 and not f2"; type string; }
    leaf f1-or-f2 { if-feature "(f1 or f2)"; type string; }
    leaf idr { type identityref { base base1; } }
    leaf gone { type string; }
    leaf ty { type int32; must ". > 0"; }
    uses addr {
      refine ip { mandatory true; description "refined"; }
      refine opts { presence "has opts"; }
      refine "opts/ttl" { default 32; }
      refine kind { default v4; }
      augment "opts" { leaf extra { type string; } }
    }
    uses rec;
    choice ch {
      leaf short { type string; }
      case long { leaf l1 { type string; } leaf l2 { type string; } }
    }
    list item {
      key "id";
      leaf id { type string; }
      leaf ref { type leafref { path "../../name"; } }
      leaf ref2 { type leafref { path "../ref"; require-instance false; } }
      action reset {
        input { leaf why { type string; } }
        output { leaf done { type boolean; } }
      }
      notification changed { leaf what { type string; } }
    }
    container state {
      config false;
      leaf counter { type uint64; }
      list entry { leaf v { type string; } }
      leaf-list seen { type string; }
    }
    anydata blob;
  }
  rpc op {
    input { leaf x { type string; } }
    output { leaf y { type string; } }
  }
  rpc plain;
  notification ev { leaf msg { type string; } }
}
`,
  );
  writeFileSync(
    join(dir, 'mod-b.yang'),
    `module mod-b {
  yang-version 1.1;
  namespace "urn:test:b";
  prefix b;
  import mod-a { prefix a; }
  feature g;
  identity sub2 { base a:sub; }
  augment "/a:top" {
    leaf added { type string; }
    container sub { leaf s { if-feature g; type string; } }
  }
  augment "/a:top/a:ch" {
    leaf aug-short { type string; }
    case aug-case { leaf ac { type string; } }
  }
  augment "/a:top/b:sub" { leaf deeper { type int8; } }
  augment "/a:op/a:input" { leaf bx { type string; } }
  augment "/a:op/a:output" { leaf by { type string; } }
  augment "/a:plain/a:output" { leaf pz { type string; } }
  augment "/a:ev" { leaf bmsg { type string; } }
  augment "/a:top/a:item/a:reset/a:input" { leaf force { type boolean; } }
  deviation "/a:top/a:gone" { deviate not-supported; }
  deviation "/a:top/a:ty" {
    deviate replace { type string; }
    deviate delete { must ". > 0"; }
  }
  deviation "/a:top/a:idr" { deviate add { default a:sub; } }
  deviation "/a:top/a:pctv" { deviate add { default 60; } }
}
`,
  );
  writeFileSync(
    join(dir, 'mod-c.yang'),
    `module mod-c {
  namespace "urn:test:c";
  prefix c;
  feature old;
  grouping g { leaf gl { type string; } }
  container legacy {
    if-feature old;
    uses g;
    leaf esc { type string; default "a\\tb"; }
    choice pick { default one; leaf one { type string; } leaf two { type string; } }
    list l { key "k"; leaf k { type int8 { range "-5..5"; } } }
  }
  leaf top-leaf { type enumeration { enum x; enum y { value 5; } enum z; } }
}
`,
  );
  const dirs = [dir, IETF];
  const mods = ['mod-a', 'mod-b', 'mod-c'];
  // libyang's tree printer shows a deviated type as written before the deviation (-f info shows the new one).
  const ignore = ['mod-a|data/top/ty '];

  for (const features of [undefined, 'mod-a: mod-b: mod-c:', 'mod-a:f1 mod-b:g mod-c:old', 'mod-a:f1,f2 mod-b: mod-c:']) {
    it(`grouping/refine, augment into choice and operations, deviations, identities, YANG 1.0 — features ${features ?? 'all'}`, () => {
      compareTree(dirs, mods, features, ignore);
      compareInfo(dirs, mods, features);
    });
  }

  it("the project's oracle modules (test/yang/modules)", () => {
    const oracle = readdirSync(ORACLE_MODULES)
      .map((f) => f.replace(/(@.*)?\.yang$/, ''))
      .filter((m) => m !== 'oracle-types-sub');
    compareInfo([ORACLE_MODULES, IETF], oracle);
  });
});

describe('compiler vs yanglint: the other modules netconfd ships', () => {
  const Y = '/usr/share/yuma/modules';
  const dirs = ['ietf', 'netconfcentral', 'yuma123', 'ietf-derived', 'examples', 'ietf-draft'].map((d) => join(Y, d));
  const sources = yangSourcesFromDirectories(dirs);

  it('each module under /usr/share/yuma/modules compiles exactly when yanglint accepts it, and -f info agrees', () => {
    const verdicts: string[] = [];
    for (const dir of dirs.slice(1)) {
      for (const f of readdirSync(dir)) {
        const name = f.replace(/(@.*)?\.yang$/, '');
        let ours = 'ok';
        let schema: YangSchema | undefined;
        try {
          // yanglint without -F enables the features of the modules it is given only (not of those
          // imported, nor of those implemented because an augment or leafref reaches them); ours
          // default is every module's: ask for exactly libyang's.
          const first = compileYang(sources, { modules: [name] });
          const features = new Map([...first.modules.values()].map((m) => [m.name, m.name === name ? [...m.allFeatures] : []]));
          schema = compileYang(sources, { modules: [name], features });
        } catch {
          ours = 'refused';
        }
        let info: ReturnType<typeof parseInfo> | undefined;
        let theirs = 'ok';
        try {
          info = parseInfo(yanglint([...dirs.flatMap((d) => ['-p', d]), '-f', 'info', join(dir, f)]));
        } catch {
          theirs = 'refused';
        }
        verdicts.push(`${name}: ours ${ours}, yanglint ${theirs}`);
        if (!schema || !info) continue;
        for (const [n, stmt] of info) {
          const m: CompiledModule = schema.modules.get(n)!;
          if (m.implemented) assert.deepEqual(compareWithInfo(schema, m, stmt), [], name);
        }
      }
    }
    const disagree = verdicts.filter((v) => !/ours (\w+), yanglint \1$/.test(v));
    assert.deepEqual(disagree, []);
    // The draft ietf-if-ethernet-like augments a node of a newer ietf-interfaces than the one shipped.
    assert.ok(verdicts.includes('ietf-if-ethernet-like: ours refused, yanglint refused'));
    assert.ok(verdicts.length > 40);
  });
});
