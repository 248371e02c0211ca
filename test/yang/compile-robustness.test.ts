/**
 * Malformed modules are YangErrors, never crashes: truncations and random edits of real modules,
 * and hostile shapes (deep nesting, recursion through groupings and typedefs, augment loops).
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileYang } from '../../src/yang/compile.js';
import { YangError } from '../../src/yang/errors.js';
import { yangSourceFromText, yangSourcesFromDirectories, type YangSource } from '../../src/yang/sources.js';

const IETF = '/usr/share/yuma/modules/ietf';

/** A deterministic pseudo-random generator (so failures reproduce). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** Compiles; returns 'ok' or the YangError; anything else fails the test. */
function attempt(sources: readonly YangSource[], label: string): 'ok' | YangError {
  try {
    compileYang(sources);
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof YangError, `${label}: ${err instanceof Error ? err.stack : String(err)}`);
    assert.match(err.message, /^\S+:\d+:\d+: |^module "|^features/, label);
    return err;
  }
}

describe('compiler robustness', () => {
  const all = yangSourcesFromDirectories([IETF]);
  const texts = new Map(readdirSync(IETF).map((f) => [f, readFileSync(join(IETF, f), 'utf8')]));

  it('random edits of IETF modules (deleted, duplicated or swapped spans, stray characters) give a YangError or compile', () => {
    const random = rng(12);
    const names = [...texts.keys()];
    let errors = 0;
    for (let i = 0; i < 300; i++) {
      const file = names[Math.floor(random() * names.length)]!;
      let t = texts.get(file)!;
      const at = Math.floor(random() * t.length);
      const len = 1 + Math.floor(random() * 40);
      switch (Math.floor(random() * 5)) {
        case 0:
          t = t.slice(0, at) + t.slice(at + len);
          break;
        case 1:
          t = t.slice(0, at) + t.slice(at, at + len) + t.slice(at);
          break;
        case 2:
          t = t.slice(0, at) + '{};"\'/*+:'[Math.floor(random() * 9)] + t.slice(at);
          break;
        case 3:
          t = t.slice(0, at);
          break;
        default: {
          const other = Math.floor(random() * t.length);
          t = t.slice(0, at) + t.slice(other, other + len) + t.slice(at + len);
        }
      }
      const sources = all.map((s) => (s.file.endsWith(file) ? { name: s.name, revision: s.revision, file: s.file, text: () => t } : s));
      if (attempt(sources, `edit ${i} of ${file} at ${at}`) !== 'ok') errors++;
    }
    assert.ok(errors > 100, `${errors} of 300 edits refused`);
  });

  it('hostile shapes are refused with a YangError', () => {
    const m = (body: string): YangSource[] => [yangSourceFromText(`module h { yang-version 1.1; namespace "urn:h"; prefix h; ${body} }`, 'h.yang')];
    const deep = 'container c { '.repeat(450) + '}'.repeat(450);
    assert.match(String(attempt(m(deep), 'deep')), /nested deeper than/);
    // 300 groupings each using the next: deep through expansion, not through text.
    const chain = Array.from({ length: 500 }, (_, i) => `grouping g${i} { container c { uses g${i + 1}; } }`).join(' ') + ' grouping g500 { leaf x { type string; } } uses g0;';
    assert.match(String(attempt(m(chain), 'chain')), /schema nested deeper than|nested deeper/);
    assert.match(String(attempt(m('grouping g { uses g; } uses g;'), 'self')), /uses itself/);
    assert.match(String(attempt(m('typedef t { type t; } leaf x { type t; }'), 'typedef')), /refers to itself/);
    assert.match(String(attempt(m('augment /h:a { container a; }'), 'augment')), /augment target "\/h:a" not found/);
    assert.match(String(attempt(m('feature f { if-feature g; } feature g { if-feature f; } leaf x { if-feature f; type string; }'), 'features')), /depends on itself/);
  });
});
