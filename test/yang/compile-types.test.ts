/** Types: typedef chains, range/length against the base, enums/bits, decimal64, patterns, unions, identityref, leafref targets; and their errors. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IntegerKind, YangType } from '../../src/yang/schema.js';
import { compileTexts, mod, node, refused } from './compile-helpers.js';

/** The type of leaf `x` of a module with `body`. */
function typeOf(body: string, leaf = 'x'): YangType {
  const s = compileTexts([mod('a', body)]);
  const t = node(s, 'a', leaf).type;
  assert.ok(t);
  return t;
}

/** Narrows a type to a kind. */
function as<K extends YangType['kind']>(t: YangType, kind: K): Of<K> {
  assert.equal(t.kind, kind);
  return t as Of<K>;
}

/** The member of YangType with that kind (integer kinds share one member). */
type Of<K extends YangType['kind']> = K extends IntegerKind ? Extract<YangType, { kind: IntegerKind }> : Extract<YangType, { kind: K }>;

describe('compile types: typedef chains and restrictions', () => {
  it('integers: ranges narrowed through typedefs, min/max meaning the base bounds', () => {
    const t = as(typeOf('  typedef pct { type uint8 { range "0..100"; } }\n  typedef low { type pct { range "min..10 | 20..max"; } }\n  leaf x { type low; }'), 'uint8');
    assert.deepEqual(t.range, [[0n, 10n], [20n, 100n]]);
    assert.equal(t.typedef, 'a:low');
    assert.deepEqual(t.typedefs, ['a:low', 'a:pct']);
    assert.equal(as(typeOf('  leaf x { type int64; }'), 'int64').range, undefined);
    assert.equal(as(typeOf('  leaf x { type int64; }'), 'int64').typedef, undefined);
  });

  it('a typedef default and units are inherited by the leaf (not over its own)', () => {
    const s = compileTexts([mod('a', '  typedef t { type int8; default 3; units "s"; }\n  leaf x { type t; }\n  leaf y { type t; default 4; units "ms"; }\n  leaf z { type t; mandatory true; }')]);
    assert.deepEqual(node(s, 'a', 'x').defaults, ['3']);
    assert.equal(node(s, 'a', 'x').units, 's');
    assert.deepEqual(node(s, 'a', 'y').defaults, ['4']);
    assert.equal(node(s, 'a', 'y').units, 'ms');
    assert.deepEqual(node(s, 'a', 'z').defaults, []);
  });

  it('range errors: outside the base, not ascending, overlapping, not a number', () => {
    refused([mod('a', '  typedef t { type uint8 { range "0..100"; } }\n  leaf x { type t { range "50..200"; } }')], /m0\.yang:6:21: range "50\.\.200" is not within the base type's range/);
    refused([mod('a', '  leaf x { type int8 { range "-200..0"; } }')], /not within the base type's range/);
    refused([mod('a', '  leaf x { type int8 { range "5..1"; } }')], /5 is greater than 1/);
    refused([mod('a', '  leaf x { type int8 { range "1..5 | 3..7"; } }')], /ascending and disjoint/);
    refused([mod('a', '  leaf x { type int8 { range "one"; } }')], /invalid range bound "one"/);
    refused([mod('a', '  leaf x { type string { range "1..2"; } }')], /"range" cannot restrict type "string"/);
  });

  it('decimal64: fraction-digits on the built-in type only, ranges scaled', () => {
    const t = as(typeOf('  typedef m { type decimal64 { fraction-digits 2; range "-10.5..10 | 20.25"; } }\n  leaf x { type m { range "0..1.5"; } }'), 'decimal64');
    assert.equal(t.fractionDigits, 2);
    assert.deepEqual(t.range, [[0n, 150n]]);
    refused([mod('a', '  leaf x { type decimal64; }')], /decimal64 needs fraction-digits/);
    refused([mod('a', '  leaf x { type decimal64 { fraction-digits 19; } }')], /is not 1\.\.18/);
    refused([mod('a', '  leaf x { type decimal64 { fraction-digits 1; range "0.25..1"; } }')], /invalid range bound "0\.25"/);
    refused([mod('a', '  typedef m { type decimal64 { fraction-digits 2; } }\n  leaf x { type m { fraction-digits 3; } }')], /only be given on the built-in decimal64/);
  });

  it('string: length narrowed, patterns accumulated (with invert-match and error statements)', () => {
    const t = as(
      typeOf('  typedef s { type string { length "1..10"; pattern "[a-z]+"; } }\n  leaf x { type s { length "2..5"; pattern "x.*" { modifier invert-match; error-message "no x"; error-app-tag "t"; } } }'),
      'string',
    );
    assert.deepEqual(t.length, [[2n, 5n]]);
    assert.deepEqual(t.patterns.map((p) => [p.source, p.invert, p.errorMessage, p.errorAppTag]), [['[a-z]+', false, undefined, undefined], ['x.*', true, 'no x', 't']]);
    assert.ok(t.patterns[0]!.regex.test('abc'));
    assert.ok(!t.patterns[0]!.regex.test('abc1'), 'anchored');
    refused([mod('a', '  leaf x { type string { pattern "[a-"; } }')], /m0\.yang:5:26: invalid pattern .*\[a-/);
    refused([mod('a', '  leaf x { type string { length "-1..2"; } }')], /length/);
  });

  it('enumeration: values auto-assigned after the highest so far; a derived enumeration keeps the values (YANG 1.1)', () => {
    const t = as(typeOf('  leaf x { type enumeration { enum a; enum b { value 10; } enum c; enum d { value -3; } enum e; } }'), 'enumeration');
    assert.deepEqual([...t.enums], [['a', 0], ['b', 10], ['c', 11], ['d', -3], ['e', 12]]);
    const d = as(typeOf('  typedef e { type enumeration { enum a; enum b; enum c; } }\n  leaf x { type e { enum c; enum a; } }'), 'enumeration');
    assert.deepEqual([...d.enums], [['c', 2], ['a', 0]]);
    refused([mod('a', '  typedef e { type enumeration { enum a; } }\n  leaf x { type e { enum z; } }')], /enum "z" is not in the base type/);
    refused([mod('a', '  leaf x { type enumeration { enum a { value 1; } enum b { value 1; } } }')], /value 1 used twice/);
    refused([mod('a', '  leaf x { type enumeration { enum a; enum a; } }')], /duplicate enum "a"/);
    refused([mod('a', '  leaf x { type enumeration; }')], /enumeration needs at least one enum/);
  });

  it('bits: positions auto-assigned, kept in position order', () => {
    const t = as(typeOf('  leaf x { type bits { bit b { position 5; } bit c; bit a { position 1; } } }'), 'bits');
    assert.deepEqual([...t.bits], [['a', 1], ['b', 5], ['c', 6]]);
    refused([mod('a', '  leaf x { type bits { bit a { position -1; } } }')], /position -1 is out of range/);
  });

  it('union members in order, nested unions flattened (as libyang); identityref bases; instance-identifier', () => {
    const u = as(typeOf('  typedef inner { type union { type string; type boolean; } }\n  leaf x { type union { type int8; type inner; type empty; } }'), 'union');
    assert.deepEqual(u.types.map((m) => m.kind), ['int8', 'string', 'boolean', 'empty']);
    const s = compileTexts([mod('a', '  identity b1;\n  identity b2;\n  leaf x { type identityref { base b1; base b2; } }\n  leaf i { type instance-identifier { require-instance false; } }')]);
    const idr = as(node(s, 'a', 'x').type!, 'identityref');
    assert.deepEqual(idr.bases.map((b) => b.name), ['b1', 'b2']);
    assert.equal(as(node(s, 'a', 'i').type!, 'instance-identifier').requireInstance, false);
    refused([mod('a', '  leaf x { type identityref; }')], /identityref needs a base/);
    refused([mod('a', '  leaf x { type union { type int8; type empty; } }', '')], /YANG 1.0 union cannot have a empty member/);
  });

  it('typedef errors: unknown type, a cycle, a typedef without type', () => {
    refused([mod('a', '  leaf x { type nope; }')], /m0\.yang:5:12: type "nope" not found/);
    refused([mod('a', '  typedef t1 { type t2; }\n  typedef t2 { type t1; }\n  leaf x { type t1; }')], /typedef "t1" refers to itself/);
    refused([mod('a', '  leaf x { type q:t; }')], /unknown prefix "q"/);
  });
});

describe('compile types: leafref', () => {
  it('resolves the target node and its type, through choices, relative and absolute, leafref to leafref', () => {
    const s = compileTexts([
      mod(
        'a',
        `  container c {
    list l { key name; leaf name { type uint16; } }
    choice ch { leaf pick { type leafref { path "../l/name"; } } }
    leaf abs { type leafref { path "/a:c/a:l[a:name = current()/../pick]/a:name"; require-instance false; } }
    leaf chain { type leafref { path "../pick"; } }
  }`,
      ),
    ]);
    const target = node(s, 'a', 'c', 'l', 'name');
    const pick = as(node(s, 'a', 'c', 'ch', 'pick', 'pick').type!, 'leafref');
    assert.equal(pick.target, target);
    assert.equal(pick.targetType.kind, 'uint16');
    assert.equal(pick.requireInstance, true);
    const abs = as(node(s, 'a', 'c', 'abs').type!, 'leafref');
    assert.equal(abs.target, target);
    assert.equal(abs.requireInstance, false);
    const chain = as(node(s, 'a', 'c', 'chain').type!, 'leafref');
    assert.equal(chain.target, node(s, 'a', 'c', 'ch', 'pick', 'pick'));
    assert.equal(chain.targetType.kind, 'uint16', 'followed through the leafref it points at');
  });

  it('a leafref typedef is resolved from each leaf that uses it; one in a grouping from where it is used', () => {
    const s = compileTexts([
      mod(
        'a',
        `  typedef ref { type leafref { path "../target"; } }
  grouping g { leaf target { type int8; } leaf r { type ref; } leaf u { type union { type ref; type string; } } }
  container one { uses g; }
  container two { leaf target { type string; } leaf r { type ref; } }`,
      ),
    ]);
    assert.equal(as(node(s, 'a', 'one', 'r').type!, 'leafref').target, node(s, 'a', 'one', 'target'));
    assert.equal(as(node(s, 'a', 'two', 'r').type!, 'leafref').targetType.kind, 'string');
    const u = as(node(s, 'a', 'one', 'u').type!, 'union');
    assert.equal(as(u.types[0]!, 'leafref').target, node(s, 'a', 'one', 'target'));
  });

  it('errors: a missing target, a target that is not a leaf, a leafref cycle', () => {
    refused([mod('a', '  leaf x { type leafref { path "../nope"; } }')], /m0\.yang:5:12: leafref path "\.\.\/nope": node "nope" not found/);
    refused([mod('a', '  container c { leaf x { type leafref { path "/a:c"; } } }')], /does not point to a leaf or leaf-list/);
    refused([mod('a', '  leaf x { type leafref { path "../y"; } }\n  leaf y { type leafref { path "../x"; } }')], /leads back to itself/);
    refused([mod('a', '  leaf x { type leafref; }')], /leafref needs a path/);
  });
});

describe('compile types: defaults checked against their types (as libyang)', () => {
  it('accepts valid defaults, also identityrefs with the prefix of the writing module', () => {
    const s = compileTexts([
      mod('i', '  identity base;\n  identity one { base base; }'),
      mod('a', '  import i { prefix x; }\n  leaf x { type identityref { base x:base; } default x:one; }\n  leaf e { type enumeration { enum on; enum off; } default off; }\n  leaf-list l { type uint8; default 1; default 2; }'),
    ]);
    assert.deepEqual(node(s, 'a', 'x').defaults, ['x:one']);
  });

  it('refuses a default the type refuses: one inherited from a typedef a range narrowed, an unknown enum, a deviated one', () => {
    refused([mod('a', '  typedef pct { type uint8 { range "0..100"; } default 50; }\n  leaf x { type pct { range "0..10"; } }')], /m0\.yang:6:3: invalid default "50" of leaf "x"/);
    refused([mod('a', '  leaf e { type enumeration { enum on; } default of; }')], /invalid default "of" of leaf "e"/);
    refused([mod('a', '  leaf-list l { type int8; default 1; default 300; }')], /invalid default "300" of leaf-list "l"/);
    refused([mod('a', '  leaf x { type string; default abc; }'), mod('d', '  import a { prefix a; }\n  deviation /a:x { deviate replace { type int8; } }')], /invalid default "abc" of leaf "x"/);
    refused([mod('a', '  leaf x { type int8; }'), mod('d', '  import a { prefix a; }\n  deviation /a:x { deviate add { default abc; } }')], /invalid default "abc" of leaf "x"/);
  });
});

