#!/usr/bin/env node
// Checks that the layers of src/ point one way (docs/architecture.md):
//
//   errors.ts, namespaces.ts  <-  xml/  <-  transport/  <-  rpc/  <-  operations/  <-  manager.ts, call-home.ts
//     <-  index.ts (public API), internals.ts (netconfkit/internals)  <-  simulator/, fleet/  <-  cli/
//   yang/ (schemas, the RFC 7951 codec) stands beside transport/ and rpc/: it sees only xml/ and the
//   bottom, and rpc/ and everything above may use it.
//
// errors.ts and namespaces.ts (the bottom) may be imported from anywhere.
//
// Each module may import modules of its own unit and of the units listed for it below, nothing
// else; simulator/ and cli/ only through the public entry points. Prints the import graph between
// units and every import that breaks the rule (file:line), and exits 1 if there is one.
//
//   node scripts/check-layers.mjs [SRC_DIR]     (default: src/ beside this script)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which units each unit may import (besides itself). */
export const ALLOWED = {
  base: [],
  xml: ['base'],
  transport: ['base', 'xml'],
  yang: ['base', 'xml'],
  rpc: ['base', 'xml', 'transport', 'yang'],
  operations: ['base', 'xml', 'transport', 'rpc', 'yang'],
  manager: ['base', 'xml', 'transport', 'rpc', 'operations', 'yang'],
  api: ['base', 'xml', 'transport', 'rpc', 'operations', 'manager', 'yang'],
  simulator: ['base', 'api'],
  fleet: ['base', 'api'],
  cli: ['base', 'api', 'simulator-api', 'fleet-api'],
  'simulator-api': ['simulator'],
  'fleet-api': ['fleet'],
};

/** The unit of a module, from its path relative to src/ (with / separators). */
export function unitOf(path) {
  if (path === 'errors.ts' || path === 'namespaces.ts') return 'base';
  if (path === 'index.ts' || path === 'internals.ts') return 'api';
  if (path === 'manager.ts' || path === 'call-home.ts') return 'manager';
  if (path === 'simulator/index.ts') return 'simulator-api';
  if (path === 'fleet/index.ts') return 'fleet-api';
  const slash = path.indexOf('/');
  return slash === -1 ? path.replace(/\.ts$/, '') : path.slice(0, slash);
}

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

const IMPORT = /(?:^|[^.\w])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

/** Every relative import of every module under `srcDir`: { from, to, line } with src-relative paths. */
export function importsOf(srcDir) {
  const out = [];
  for (const file of sources(srcDir)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith('.')) continue; // a package
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      const line = text.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0);
      out.push({ from: relative(srcDir, file).split(sep).join('/'), to: relative(srcDir, target).split(sep).join('/'), line });
    }
  }
  return out;
}

/** The imports that break the layering, and the graph between units. */
export function checkLayers(srcDir) {
  const violations = [];
  const graph = new Map();
  for (const { from, to, line } of importsOf(srcDir)) {
    const a = unitOf(from);
    const b = unitOf(to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a).add(b);
    if (to.startsWith('..')) violations.push(`${from}:${line}: imports ${to}, outside src/`);
    else if (!(ALLOWED[a] ?? []).includes(b)) violations.push(`${from}:${line}: ${a} must not import ${b} (${to})`);
  }
  return { violations, graph };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const srcDir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const { violations, graph } = checkLayers(srcDir);
  for (const [unit, deps] of [...graph].sort()) console.log(`${unit} -> ${[...deps].sort().join(', ')}`);
  if (violations.length > 0) {
    console.error(`\n${violations.length} import(s) against the layering:`);
    for (const v of violations) console.error(`  ${v}`);
    process.exit(1);
  }
  console.log('layers: every import points down; no cycle between folders');
}
