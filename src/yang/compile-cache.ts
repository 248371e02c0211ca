import { createHash } from 'node:crypto';
import { compileYang, type CompileOptions } from './compile.js';
import type { YangSchema } from './schema.js';
import type { YangSource } from './sources.js';

/** How many compiled schemas are kept (a fleet has a handful of device models). */
const KEEP = 16;
const compiled = new Map<string, YangSchema>();

/**
 * {@link compileYang}, remembered in this process by the sources' names, revisions and texts and
 * the options: a fleet of a thousand devices of one model compiles their modules once, not a
 * thousand times (compiling ~30 IETF modules costs ~100 ms of CPU; hashing their texts ~1 ms).
 * The schema tree is never modified after compiling, so sharing it is safe. The least recently
 * used of more than {@link KEEP} schemas is let go.
 */
export function compileYangCached(sources: readonly YangSource[], options: CompileOptions = {}): YangSchema {
  const hash = createHash('sha256');
  const texts = sources.map((s) => [s.name, s.revision ?? '', s.text()] as const).sort((a, b) => (a[0] + '@' + a[1] < b[0] + '@' + b[1] ? -1 : 1));
  for (const [name, revision, text] of texts) hash.update(`${name}@${revision}\0${text.length}\0`).update(text);
  hash.update(`\0modules:${options.modules === undefined ? '*' : [...options.modules].sort().join(',')}`);
  const features = options.features === undefined ? '*' : [...options.features].map(([m, fs]) => `${m}:${[...fs].sort().join(',')}`).sort().join(';');
  hash.update(`\0features:${features}`);
  const key = hash.digest('hex');
  const hit = compiled.get(key);
  if (hit) {
    compiled.delete(key); // most recently used last
    compiled.set(key, hit);
    return hit;
  }
  const schema = compileYang(sources, options);
  compiled.set(key, schema);
  if (compiled.size > KEEP) compiled.delete(compiled.keys().next().value as string);
  return schema;
}
