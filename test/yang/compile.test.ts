/** compileYang: the module set, the tree (groupings, augments, choices, operations, deviations, features), errors, speed. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileYang } from '../../src/yang/compile.js';
import { YangError } from '../../src/yang/errors.js';
import { dataChildren, type YangSchema, type YangType } from '../../src/yang/schema.js';
import { yangSourcesFromDirectories } from '../../src/yang/sources.js';
import { compileTexts, mod, node, refused } from './compile-helpers.js';

const IETF = '/usr/share/yuma/modules/ietf';

describe('compileYang: modules', () => {
  it('records name, revision, namespace, prefix, version, features, and the top-level nodes', () => {
    const s = compileTexts([
      mod('a', '  revision 2020-01-01;\n  revision 2021-02-03;\n  feature f;\n  container c;\n  rpc r;\n  notification n;'),
      mod('b', '  leaf x { type string; }', ''),
    ]);
    const a = s.modules.get('a')!;
    assert.equal(a.revision, '2021-02-03');
    assert.equal(a.namespace, 'urn:a');
    assert.equal(a.prefix, 'a');
    assert.equal(a.yangVersion, '1.1');
    assert.equal(s.modules.get('b')!.yangVersion, '1');
    assert.equal(a.implemented, true);
    assert.deepEqual([...a.allFeatures], ['f']);
    assert.deepEqual([...a.features], ['f']);
    assert.deepEqual(a.data.map((n) => n.name), ['c']);
    assert.deepEqual(a.rpcs.map((n) => n.name), ['r']);
    assert.deepEqual(a.notifications.map((n) => n.name), ['n']);
    assert.equal(a.file, 'm0.yang');
    assert.equal(s.byNamespace.get('urn:b'), s.modules.get('b'));
    assert.deepEqual(s.data.map((n) => n.name), ['c', 'x']);
  });

  it('implements only the modules asked for; imports are loaded for their definitions', () => {
    const s = compileTexts([mod('a', '  import b { prefix b; }\n  leaf x { type b:t; }'), mod('b', '  typedef t { type int8; }\n  leaf y { type string; }')], { modules: ['a'] });
    assert.equal(s.modules.get('b')!.implemented, false);
    assert.deepEqual(s.modules.get('b')!.data, []);
    assert.deepEqual(s.data.map((n) => n.name), ['x']);
    assert.equal(node(s, 'a', 'x').type?.kind, 'int8');
    assert.equal(node(s, 'a', 'x').type?.typedef, 'b:t');
  });

  it('import revision-date picks that revision; otherwise the newest', () => {
    const v1 = mod('b', '  revision 2019-01-01;\n  typedef t { type int8; }');
    const v2 = mod('b', '  revision 2020-01-01;\n  typedef t { type string; }');
    const pinned = compileTexts([mod('a', '  import b { prefix b; revision-date 2019-01-01; }\n  leaf x { type b:t; }'), v2, v1], { modules: ['a'] });
    assert.equal(pinned.modules.get('b')!.revision, '2019-01-01');
    assert.equal(node(pinned, 'a', 'x').type?.kind, 'int8');
    const newest = compileTexts([mod('a', '  import b { prefix b; }\n  leaf x { type b:t; }'), v1, v2], { modules: ['a'] });
    assert.equal(newest.modules.get('b')!.revision, '2020-01-01');
    assert.equal(node(newest, 'a', 'x').type?.kind, 'string');
    // One revision per module name in a schema: two imports pinning different ones cannot both hold.
    refused(
      [mod('a', '  import b { prefix b; revision-date 2019-01-01; }\n  import c { prefix c; }'), mod('c', '  import b { prefix b; revision-date 2020-01-01; }'), v1, v2],
      /imports "b" revision 2020-01-01, but revision 2019-01-01 is required elsewhere/,
      { modules: ['a'] },
    );
    const err = refused([mod('a', '  import b { prefix b; revision-date 2018-01-01; }'), v1], /module "b"@2018-01-01 imported by "a" not found/);
    assert.equal(err.missingModule, 'b');
  });

  it('a module asked for that no source provides is a YangError naming it', () => {
    assert.throws(() => compileTexts([mod('a', '')], { modules: ['zz'] }), (err: unknown) => err instanceof YangError && err.missingModule === 'zz' && /module "zz" not found/.test(err.message));
  });

  it('a missing import names the module (missingModule) and the place', () => {
    const err = refused([mod('a', '  import nowhere { prefix n; }')], /^m0\.yang:5:3: module "nowhere" imported by "a" not found/);
    assert.equal(err.missingModule, 'nowhere');
    assert.deepEqual(err.loc, { file: 'm0.yang', line: 5, column: 3 });
  });

  it('includes submodules (belongs-to), merging their definitions and nodes', () => {
    const sub = 'submodule a-sub {\n  yang-version 1.1;\n  belongs-to a { prefix a; }\n  revision 2020-05-05;\n  typedef t { type uint16; }\n  container from-sub { leaf y { type t; } }\n}';
    const s = compileTexts([mod('a', '  include a-sub;\n  leaf x { type t; }'), sub]);
    const a = s.modules.get('a')!;
    assert.deepEqual([...a.submodules], [['a-sub', '2020-05-05']]);
    assert.deepEqual(a.data.map((n) => n.name), ['x', 'from-sub']);
    assert.equal(node(s, 'a', 'from-sub', 'y').module, 'a');
    assert.equal(node(s, 'a', 'x').type?.typedef, 'a:t');
    refused([mod('a', '  include gone;')], /submodule "gone" included by "a" not found/);
    refused([mod('a', '  include a-sub;'), sub.replace('belongs-to a', 'belongs-to z')], /submodule "a-sub" belongs to "z", not "a"/);
  });

  it('extensions: kept on the node, not interpreted; an unknown prefix or extension is an error naming it', () => {
    const ext = mod('e', '  extension note { argument text; }');
    const s = compileTexts([ext, mod('a', '  import e { prefix x; }\n  leaf l { type string; x:note "hello"; }')]);
    const l = node(s, 'a', 'l');
    assert.deepEqual(l.extensions.map((e) => [e.keyword, e.argument]), [['x:note', 'hello']]);
    refused([mod('a', '  leaf l { type string; q:note "hello"; }')], /m0\.yang:5:25: extension "q:note": prefix "q" is not the prefix of an imported module/);
    refused([ext, mod('a', '  import e { prefix x; }\n  x:other;')], /extension "x:other" is not defined in module "e"/);
  });
});

describe('compileYang: data tree', () => {
  it('containers, lists, leaves, leaf-lists with their properties', () => {
    const s = compileTexts([
      mod(
        'a',
        `  container c {
    presence "p";
    description "desc";
    list l {
      key "k1 k2";
      unique "v w";
      ordered-by user;
      min-elements 1;
      max-elements 5;
      leaf v { type string; when "../k1 = 'x'"; must ". != 'y'"; }
      leaf k2 { type int8; }
      leaf k1 { type string; }
      leaf w { type string; units "sec"; status deprecated; }
    }
    leaf-list ll { type string; default a; default b; max-elements unbounded; }
    leaf m { type string; mandatory true; }
    anydata any;
    anyxml ax;
  }`,
      ),
    ]);
    const c = node(s, 'a', 'c');
    assert.equal(c.presence, 'p');
    assert.equal(c.description, 'desc');
    const l = node(s, 'a', 'c', 'l');
    assert.deepEqual(l.keys, ['k1', 'k2']);
    // Keys first, in key order (libyang's order; XML needs keys first).
    assert.deepEqual(l.children.map((n) => n.name), ['k1', 'k2', 'v', 'w']);
    assert.deepEqual(l.unique, [['v', 'w']]);
    assert.equal(l.orderedBy, 'user');
    assert.equal(l.minElements, 1);
    assert.equal(l.maxElements, 5);
    const v = node(s, 'a', 'c', 'l', 'v');
    assert.deepEqual(v.when, ["../k1 = 'x'"]);
    assert.deepEqual(v.must, [". != 'y'"]);
    assert.equal(node(s, 'a', 'c', 'l', 'w').units, 'sec');
    assert.equal(node(s, 'a', 'c', 'l', 'w').status, 'deprecated');
    const ll = node(s, 'a', 'c', 'll');
    assert.deepEqual(ll.defaults, ['a', 'b']);
    assert.equal(ll.maxElements, Infinity);
    assert.equal(node(s, 'a', 'c', 'm').mandatory, true);
    assert.equal(node(s, 'a', 'c', 'any').kind, 'anydata');
    assert.equal(node(s, 'a', 'c', 'ax').kind, 'anyxml');
    assert.equal(v.parent, l);
    assert.equal(l.parent, c);
    assert.equal(c.parent, undefined);
    assert.deepEqual(v.loc, { file: 'm0.yang', line: 14, column: 7 });
  });

  it('config is inherited, false under config false and inside rpc, action, notification', () => {
    const s = compileTexts([
      mod(
        'a',
        `  container c {
    leaf x { type string; }
    container st { config false; leaf y { type string; } }
    list l { key k; leaf k { type string; } action go { input { leaf i { type string; } } output { leaf o { type string; } } } notification n { leaf z { type string; } } }
  }
  rpc r { input { leaf a { type string; } } }
  notification top { leaf b { type string; } }`,
      ),
    ]);
    assert.equal(node(s, 'a', 'c', 'x').config, true);
    assert.equal(node(s, 'a', 'c', 'st').config, false);
    assert.equal(node(s, 'a', 'c', 'st', 'y').config, false);
    assert.equal(node(s, 'a', 'c', 'l', 'go', 'input', 'i').config, false);
    assert.equal(node(s, 'a', 'c', 'l', 'go', 'output', 'o').config, false);
    assert.equal(node(s, 'a', 'c', 'l', 'n', 'z').config, false);
    assert.equal(node(s, 'a', 'r', 'input', 'a').config, false);
    assert.equal(node(s, 'a', 'top', 'b').config, false);
    // rpc and action always have input and output (augment targets, codec lookups).
    assert.deepEqual(node(s, 'a', 'r').children.map((n) => n.kind), ['input', 'output']);
    refused([mod('a', '  container c { config false; leaf x { type string; config true; } }')], /"x" is config true inside config false data/);
  });

  it('choice: shorthand case named after the node, explicit cases, default case, mandatory', () => {
    const s = compileTexts([
      mod('a', '  container c {\n    choice ch {\n      default two;\n      leaf one { type string; }\n      case two { leaf t1 { type string; } leaf t2 { type string; } }\n      container three;\n    }\n    choice req { mandatory true; leaf r { type string; } }\n  }'),
    ]);
    const ch = node(s, 'a', 'c', 'ch');
    assert.equal(ch.kind, 'choice');
    assert.deepEqual(ch.defaults, ['two']);
    assert.deepEqual(ch.children.map((n) => [n.kind, n.name]), [['case', 'one'], ['case', 'two'], ['case', 'three']]);
    assert.deepEqual(node(s, 'a', 'c', 'ch', 'one').children.map((n) => n.name), ['one']);
    assert.equal(node(s, 'a', 'c', 'req').mandatory, true);
    assert.deepEqual(dataChildren(node(s, 'a', 'c')).map((n) => n.name), ['one', 't1', 't2', 'three', 'r']);
    refused([mod('a', '  choice ch { default nope; leaf one { type string; } }')], /default case "nope" not found/);
  });

  it('errors: a leaf without type, a config list without key, a key that is not a leaf, duplicate names', () => {
    refused([mod('a', '  leaf x;')], /m0\.yang:5:3: leaf "x" has no type/);
    refused([mod('a', '  list l { leaf x { type string; } }')], /list "l" is configuration data and has no key/);
    refused([mod('a', '  list l { key y; leaf x { type string; } }')], /key "y" of list "l" is not a leaf of the list/);
    refused([mod('a', '  leaf x { type string; }\n  container x;')], /duplicate node name "x"/);
    refused([mod('a', '  choice c { leaf x { type string; } }\n  leaf x { type int8; }')], /duplicate node name "x"/);
  });
});

describe('compileYang: groupings and uses', () => {
  it('expands a grouping where it is used, in the using module, with refine and augment', () => {
    const s = compileTexts([
      mod('g', '  grouping addr {\n    leaf ip { type string; }\n    container opts { leaf ttl { type uint8; default 64; } }\n    leaf-list tags { type string; }\n  }'),
      mod(
        'a',
        `  import g { prefix g; }
  container c {
    uses g:addr {
      refine ip { mandatory true; description "refined"; must "true()"; }
      refine opts { presence "yes"; config false; }
      refine "opts/ttl" { default 32; units "hops"; }
      refine tags { min-elements 1; max-elements 3; }
      augment opts { leaf extra { type string; } }
      when "true()";
    }
  }`,
      ),
    ]);
    const ip = node(s, 'a', 'c', 'ip');
    assert.equal(ip.module, 'a', 'a node from a grouping is in the namespace of the module where the uses is');
    assert.equal(ip.namespace, 'urn:a');
    assert.equal(ip.mandatory, true);
    assert.equal(ip.description, 'refined');
    assert.deepEqual(ip.must, ['true()']);
    assert.deepEqual(ip.when, ['true()']);
    const opts = node(s, 'a', 'c', 'opts');
    assert.equal(opts.presence, 'yes');
    assert.equal(opts.config, false);
    assert.equal(node(s, 'a', 'c', 'opts', 'ttl').config, false);
    assert.deepEqual(node(s, 'a', 'c', 'opts', 'ttl').defaults, ['32']);
    assert.equal(node(s, 'a', 'c', 'opts', 'ttl').units, 'hops');
    assert.equal(node(s, 'a', 'c', 'opts', 'extra').module, 'a');
    assert.equal(node(s, 'a', 'c', 'tags').minElements, 1);
    assert.equal(node(s, 'a', 'c', 'tags').maxElements, 3);
  });

  it('types and nested groupings resolve where the grouping is defined (lexical scope)', () => {
    const s = compileTexts([
      mod(
        'a',
        `  typedef t { type int8; }
  grouping outer {
    typedef t { type string; }
    grouping inner { leaf y { type t; } }
    leaf x { type t; }
    container k { uses inner; }
  }
  container c { uses outer; leaf z { type t; } }`,
      ),
    ]);
    assert.equal(node(s, 'a', 'c', 'x').type?.kind, 'string');
    assert.equal(node(s, 'a', 'c', 'k', 'y').type?.kind, 'string');
    assert.equal(node(s, 'a', 'c', 'z').type?.kind, 'int8');
  });

  it('a grouping that uses itself, directly or not, is an error (no endless expansion)', () => {
    refused([mod('a', '  grouping g { container c { uses g; } }\n  uses g;')], /m0\.yang:5:30: grouping "g" uses itself/);
    refused([mod('a', '  grouping g1 { uses g2; }\n  grouping g2 { leaf x { type string; } container c { uses g1; } }\n  uses g1;')], /grouping "g1" uses itself/);
  });

  it('unknown groupings, refine and augment targets are errors', () => {
    refused([mod('a', '  uses nope;')], /grouping "nope" not found/);
    refused([mod('a', '  grouping g { leaf x { type string; } }\n  uses g { refine y { mandatory true; } }')], /refine target "y" not found/);
    refused([mod('a', '  grouping g { leaf x { type string; } }\n  uses g { augment z { leaf q { type string; } } }')], /augment target "z" not found/);
  });
});

describe('compileYang: augment', () => {
  const base = mod(
    'a',
    `  container c {
    choice ch { leaf one { type string; } }
    list l { key k; leaf k { type string; } action act { input { leaf i { type string; } } } }
  }
  rpc r { input { leaf x { type string; } } }
  notification n { leaf y { type string; } }`,
  );

  it('adds nodes in the augmenting module, into containers, choices (shorthand case), rpc input/output, actions and notifications', () => {
    const s = compileTexts([
      base,
      mod(
        'b',
        `  import a { prefix a; }
  augment /a:c { leaf added { type string; } }
  augment /a:c/a:ch { leaf two { type string; } case three { leaf t { type string; } } }
  augment /a:r/a:input { leaf bx { type string; } }
  augment /a:r/a:output { leaf by { type string; } }
  augment /a:c/a:l/a:act/a:input { leaf force { type boolean; } }
  augment /a:n { leaf bn { type string; } }
  augment /a:c/b:more { leaf deeper { type string; } }
  augment /a:c { container more; when "true()"; }`,
      ),
    ]);
    const added = node(s, 'a', 'c', 'added');
    assert.equal(added.module, 'b');
    assert.equal(added.namespace, 'urn:b');
    assert.equal(added.parent, node(s, 'a', 'c'));
    assert.deepEqual(node(s, 'a', 'c', 'ch').children.map((n) => [n.kind, n.name, n.module]), [['case', 'one', 'a'], ['case', 'two', 'b'], ['case', 'three', 'b']]);
    assert.equal(node(s, 'a', 'c', 'ch', 'two', 'two').module, 'b');
    assert.equal(node(s, 'a', 'r', 'input', 'bx').module, 'b');
    assert.equal(node(s, 'a', 'r', 'output', 'by').config, false);
    assert.equal(node(s, 'a', 'c', 'l', 'act', 'input', 'force').module, 'b');
    assert.equal(node(s, 'a', 'n', 'bn').module, 'b');
    // An augment may target what another augment adds, whatever the order.
    assert.equal(node(s, 'a', 'c', 'more', 'deeper').module, 'b');
    assert.deepEqual(node(s, 'a', 'c', 'more').when, ['true()']);
  });

  it('implements an imported module that an implemented module augments (as libyang)', () => {
    const s = compileTexts([base, mod('b', '  import a { prefix a; }\n  augment /a:c { leaf added { type string; } }')], { modules: ['b'] });
    assert.equal(s.modules.get('a')!.implemented, true);
    assert.equal(node(s, 'a', 'c', 'added').module, 'b');
  });

  it('errors: missing target, a target that cannot be augmented, a loop, mandatory nodes into another module', () => {
    refused([base, mod('b', '  import a { prefix a; }\n  augment /a:nope { leaf x { type string; } }')], /m1\.yang:6:3: augment target "\/a:nope" not found/);
    refused([base, mod('b', '  import a { prefix a; }\n  augment /a:c/a:l/a:k { leaf x { type string; } }')], /is a leaf, which cannot be augmented/);
    refused([mod('a', '  augment /a:c/a:d { container c { container d; } }')], /augment target "\/a:c\/a:d" not found/);
    refused([base, mod('b', '  import a { prefix a; }\n  augment /a:c { leaf m { type string; mandatory true; } }')], /adds mandatory node "m" to another module/);
  });
});

describe('compileYang: deviations', () => {
  const base = mod(
    'a',
    `  container c {
    leaf gone { type string; }
    leaf t { type int32; units "s"; must ". > 0"; default 5; }
    leaf-list ll { type string; }
    list l { key k; leaf k { type string; } leaf v { type string; } }
  }
  rpc r;`,
  );

  it('not-supported removes, add/replace/delete change properties; deviatedBy lists the deviating module', () => {
    const s = compileTexts([
      base,
      mod(
        'd',
        `  import a { prefix a; }
  deviation /a:c/a:gone { deviate not-supported; }
  deviation /a:r { deviate not-supported; }
  deviation /a:c/a:t {
    deviate replace { type string; default "x"; }
    deviate delete { units "s"; must ". > 0"; }
  }
  deviation /a:c/a:ll { deviate add { default a; default b; min-elements 1; max-elements 3; } }
  deviation /a:c/a:l { deviate add { unique v; config false; } }
  deviation /a:c/a:l/a:v { deviate add { mandatory true; } }`,
      ),
    ]);
    assert.deepEqual(node(s, 'a', 'c').children.map((n) => n.name), ['t', 'll', 'l']);
    assert.deepEqual(s.modules.get('a')!.rpcs, []);
    const t = node(s, 'a', 'c', 't');
    assert.equal(t.type?.kind, 'string');
    assert.deepEqual(t.defaults, ['x']);
    assert.equal(t.units, undefined);
    assert.deepEqual(t.must, []);
    const ll = node(s, 'a', 'c', 'll');
    assert.deepEqual(ll.defaults, ['a', 'b']);
    assert.equal(ll.minElements, 1);
    assert.equal(ll.maxElements, 3);
    assert.deepEqual(node(s, 'a', 'c', 'l').unique, [['v']]);
    assert.equal(node(s, 'a', 'c', 'l').config, false);
    assert.equal(node(s, 'a', 'c', 'l', 'v').config, false);
    assert.equal(node(s, 'a', 'c', 'l', 'v').mandatory, true);
    assert.deepEqual(s.modules.get('a')!.deviatedBy, ['d']);
  });

  it('errors: missing target, deleting what is not there, a property that does not apply', () => {
    refused([base, mod('d', '  import a { prefix a; }\n  deviation /a:c/a:nope { deviate not-supported; }')], /deviation target "\/a:c\/a:nope" not found/);
    refused([base, mod('d', '  import a { prefix a; }\n  deviation /a:c/a:t { deviate delete { default 7; } }')], /default "7" is not a default of "t"/);
    refused([base, mod('d', '  import a { prefix a; }\n  deviation /a:c { deviate add { units "x"; } }')], /"units" cannot be deviated on a container/);
    refused([base, mod('d', '  import a { prefix a; }\n  deviation /a:c/a:ll { deviate replace { default x; } }')], /"ll" has no default to replace/);
  });
});

describe('compileYang: features', () => {
  const a = mod(
    'a',
    `  feature f1;
  feature f2 { if-feature f1; }
  feature f3;
  leaf x1 { if-feature f1; type string; }
  leaf x2 { if-feature "f1 and not f2"; type string; }
  leaf x3 { if-feature "(f2 or f3) and f1"; type string; }
  container c { if-feature f3; leaf inner { type string; } }
  leaf e { type enumeration { enum on; enum off { if-feature f3; } } }
  augment /a:c { if-feature f1; leaf aug { type string; } }
  grouping g { leaf from-g { type string; } }
  container u { uses g { if-feature f2; } }`,
  );
  const names = (s: YangSchema): string[] => s.modules.get('a')!.data.map((n) => n.name);

  it('every feature enabled by default', () => {
    const s = compileTexts([a]);
    assert.deepEqual(names(s), ['x1', 'x3', 'c', 'e', 'u']);
    assert.deepEqual([...s.modules.get('a')!.features].sort(), ['f1', 'f2', 'f3']);
    assert.deepEqual(node(s, 'a', 'c').children.map((n) => n.name), ['inner', 'aug']);
  });

  it('exactly the listed features when given; a feature needs its own if-feature to hold', () => {
    const none = compileTexts([a], { features: new Map([['a', []]]) });
    assert.deepEqual(names(none), ['e', 'u']);
    assert.deepEqual([...(node(none, 'a', 'e').type as { enums: Map<string, number> } & YangType).enums], [['on', 0]]);
    assert.deepEqual(node(none, 'a', 'u').children, []);
    const f2only = compileTexts([a], { features: new Map([['a', ['f2']]]) });
    assert.deepEqual([...f2only.modules.get('a')!.features], [], 'f2 needs f1');
    const f1f3 = compileTexts([a], { features: new Map([['a', ['f1', 'f3']]]) });
    assert.deepEqual(names(f1f3), ['x1', 'x2', 'x3', 'c', 'e', 'u']);
    assert.deepEqual(node(f1f3, 'a', 'c').children.map((n) => n.name), ['inner', 'aug']);
    assert.deepEqual(node(f1f3, 'a', 'u').children, []);
    const star = compileTexts([a], { features: new Map([['a', ['*']]]) });
    assert.deepEqual([...star.modules.get('a')!.features].sort(), ['f1', 'f2', 'f3'], 'a:* (yanglint) enables every feature of a');
  });

  it('unknown features and modules in the list are errors; so are unknown features in if-feature', () => {
    refused([a], /module "a" has no feature "zz"/, { features: new Map([['a', ['zz']]]) });
    refused([a], /features given for module "q", which is not loaded/, { features: new Map([['q', []]]) });
    refused([mod('b', '  leaf x { if-feature nope; type string; }')], /feature "nope" not found in module "b"/);
    refused([mod('b', '  feature f;\n  leaf x { if-feature "f and"; type string; }')], /invalid if-feature expression "f and"/);
    refused([mod('b', '  feature f;\n  leaf x { if-feature "not f"; type string; }', '')], /YANG 1.0 allows only a feature name/);
  });
});

describe('compileYang: identities', () => {
  it('resolves several bases across modules and keeps the transitive derived sets', () => {
    const s = compileTexts([
      mod('a', '  identity base1;\n  identity base2;\n  identity multi { base base1; base base2; }'),
      mod('b', '  import a { prefix a; }\n  identity sub { base a:multi; }\n  identity other { base a:base2; }'),
    ]);
    const a = s.modules.get('a')!;
    const b = s.modules.get('b')!;
    const base1 = a.identities.get('base1')!;
    const base2 = a.identities.get('base2')!;
    const multi = a.identities.get('multi')!;
    const sub = b.identities.get('sub')!;
    assert.deepEqual(multi.bases, [base1, base2]);
    assert.deepEqual(sub.bases, [multi]);
    assert.equal(sub.module, 'b');
    assert.deepEqual([...base1.derived].map((i) => i.name).sort(), ['multi', 'sub']);
    assert.deepEqual([...base2.derived].map((i) => i.name).sort(), ['multi', 'other', 'sub']);
    assert.deepEqual([...sub.derived], []);
  });

  it('errors: unknown base, a cycle, several bases in YANG 1.0', () => {
    refused([mod('a', '  identity x { base nope; }')], /identity "nope" not found/);
    refused([mod('a', '  identity x { base y; }\n  identity y { base x; }')], /derived from itself/);
    refused([mod('a', '  identity b1;\n  identity b2;\n  identity x { base b1; base b2; }', '')], /several bases need YANG 1.1/);
  });
});

describe('compileYang: YANG 1.0 modules', () => {
  it('compile like 1.1 ones (groupings, choices, typedefs, if-feature with one name)', () => {
    const s = compileTexts([
      mod('old', '  feature f;\n  grouping g { leaf gl { type string; } }\n  container legacy { if-feature f; uses g; choice pick { leaf one { type string; } } }', ''),
    ]);
    assert.equal(s.modules.get('old')!.yangVersion, '1');
    assert.deepEqual(node(s, 'old', 'legacy').children.map((n) => n.name), ['gl', 'pick']);
  });
});

describe('compileYang: speed and the IETF modules', () => {
  it(`compiles every module in ${IETF} together (all implemented, all features)`, () => {
    const runs: number[] = [];
    let schema: YangSchema | undefined;
    const cpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      schema = compileYang(yangSourcesFromDirectories([IETF]));
      runs.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    // Wall time and CPU time (the latter is what a loaded CI machine does not inflate).
    console.log(`# compiling ${schema!.modules.size} IETF modules (read + parse + compile): ${runs.map((t, i) => `${t.toFixed(0)} ms (cpu ${cpu[i]!.toFixed(0)} ms)`).join(', ')}; the first is cold`);
    assert.ok(schema!.modules.size >= 30);
    assert.ok([...schema!.modules.values()].every((m) => m.implemented));
    assert.ok(Math.min(...runs) < 5000, 'sanity bound only; the benchmark is elsewhere');
  });
});
