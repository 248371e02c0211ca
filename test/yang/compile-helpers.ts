/** Test helpers for the compiler tests: compile inline module texts, find nodes, expect errors. */
import * as assert from 'node:assert/strict';
import { compileYang, type CompileOptions } from '../../src/yang/compile.js';
import { YangError } from '../../src/yang/errors.js';
import type { SchemaNode, YangSchema } from '../../src/yang/schema.js';
import { yangSourceFromText } from '../../src/yang/sources.js';

/** Compiles module texts (file names m0.yang, m1.yang …). */
export function compileTexts(texts: readonly string[], options?: CompileOptions): YangSchema {
  return compileYang(texts.map((t, i) => yangSourceFromText(t, `m${i}.yang`)), options);
}

/** A module text with the usual header. */
export function mod(name: string, body: string, header = 'yang-version 1.1;'): string {
  return `module ${name} {\n  ${header}\n  namespace "urn:${name}";\n  prefix ${name};\n${body}\n}\n`;
}

/** The node at a path of names (choice/case included) from a module's top level. */
export function node(schema: YangSchema, module: string, ...names: string[]): SchemaNode {
  const m = schema.modules.get(module);
  assert.ok(m, `module ${module}`);
  let nodes: readonly SchemaNode[] = [...m.data, ...m.rpcs, ...m.notifications];
  let found: SchemaNode | undefined;
  for (const name of names) {
    found = nodes.find((n) => n.name === name);
    assert.ok(found, `node ${names.join('/')}: no ${name} among ${nodes.map((n) => n.name).join(', ')}`);
    nodes = found.children;
  }
  return found!;
}

/** Asserts compileTexts throws a YangError whose message matches (and returns it). */
export function refused(texts: readonly string[], message: RegExp, options?: CompileOptions): YangError {
  let error: YangError | undefined;
  assert.throws(
    () => compileTexts(texts, options),
    (err: unknown) => {
      assert.ok(err instanceof YangError, `expected YangError, got ${String(err)}`);
      assert.match(err.message, message);
      error = err;
      return true;
    },
  );
  return error!;
}

