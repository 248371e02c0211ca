// The differential test against libyang (yanglint), shared by oracle.test.ts (the IETF modules
// netconfd ships) and oracle-modules.test.ts (the modules written for the tests):
//
//   1. compile a module set with compileYang (features given explicitly, the same to both sides)
//   2. generate documents from the compiled schema (generate-instances.ts): valid ones, broken
//      ones, rpc/action inputs and notifications
//   3. yanglint converts every one XML → JSON (one interactive process per core, see
//      test/helpers/yanglint.ts); our xmlToJson must give the same JSON value (member order
//      free, array order kept); what yanglint refuses, we refuse with a YangDataError
//   4. our jsonToXml of yanglint's JSON must be accepted by yanglint and read back as the same
//      JSON (and by our own xmlToJson as well)
//   5. yanglint's JSON broken in one place (mutateJson): what yanglint refuses (-F json), our
//      jsonToXml refuses
//
// yanglint runs with `-t get` (`-t rpc`, `-t notif` for operations): parse-only, every value
// checked against its type and every element against the schema, but no datastore validation.
// The codec keeps `when`/`must` as text and does not check mandatory nodes, leafref instances,
// `unique` or min/max-elements; a datastore validation would refuse documents for reasons
// outside the codec's job. Excluded, and why:
//   - anydata/anyxml content (generated empty only): libyang 2.1.30 prints their content as
//     opaque nodes, not as RFC 7951 (member names without their module, numbers unquoted, an
//     anyxml text child such as `f` printed as a bare word, i.e. invalid JSON)
//   - duplicate list entries / leaf-list values: parse-only libyang keeps them; the codec may refuse
//   - date-and-time values with non-ASCII digits (XSD's \d is \p{Nd}, so the pattern admits them):
//     libyang accepts them and its conversion mangles the value ("2024-01-0٣T00:00:00Z" becomes
//     "2023-12-31T00:00:00+00:00"), not a behaviour to copy; nor "-00:MM" offsets, whose sign
//     libyang drops ("2024-01-01T00:00:00-00:30" becomes 23:30 UTC the day before, not 00:30)
//   - instance-identifiers pointing into an operation's content (not the datastore)
//   - identities of modules that are only imported: every module of a set is loaded as a file
//     (implemented), dependencies first (libyang 2.1.30 refuses an identity of a module that was
//     first imported and then implemented: "identity found in non-implemented module")
//
// Failures are collected, not thrown one by one: a test prints how many documents differ, the
// first few in full (seed, document, yanglint's output, ours), and writes every one to a JSON
// file in the temporary directory. Reproduce one with ORACLE_SET=NAME ORACLE_SEEDS=SEED.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseXml } from '../../src/xml/parse.js';
import { compileYang } from '../../src/yang/compile.js';
import { YangDataError } from '../../src/yang/errors.js';
import { jsonToXml } from '../../src/yang/json-to-xml.js';
import type { YangSchema } from '../../src/yang/schema.js';
import { yangSourcesFromDirectories } from '../../src/yang/sources.js';
import { xmlToJson } from '../../src/yang/xml-to-json.js';
import { runYanglint, type YanglintDataType, type YanglintJob, type YanglintOutcome } from '../helpers/yanglint.js';
import { generateDocument, mutateDocument, mutateJson, type GeneratedDocument } from './generate-instances.js';

/** The project root (tests run from build/test/yang). */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** The IETF modules netconfd ships. */
export const IETF_DIR = '/usr/share/yuma/modules/ietf';
/** The modules written for the tests. */
export const TEST_MODULES_DIR = join(ROOT, 'test', 'yang', 'modules');

/** A set of modules compiled and loaded together. */
export interface ModuleSet {
  readonly name: string;
  /** Search directories, for both sides. */
  readonly dirs: readonly string[];
  /** The modules implemented (loaded as files by yanglint). */
  readonly modules: readonly string[];
  /** Enabled features; default: every feature of every module of the schema. */
  readonly features?: ReadonlyMap<string, readonly string[]>;
  /** Document counts (before ORACLE_SCALE). */
  readonly counts?: Partial<Counts>;
}

interface Counts {
  valid: number;
  invalid: number;
  invalidJson: number;
  operations: number;
}

const DEFAULT_COUNTS: Counts = { valid: 200, invalid: 120, invalidJson: 80, operations: 40 };
const SCALE = Number(process.env.ORACLE_SCALE ?? '1');
const BASE_SEED = Number(process.env.ORACLE_SEED ?? '20261202');
const ONLY_SEEDS = process.env.ORACLE_SEEDS ? process.env.ORACLE_SEEDS.split(',').map(Number) : undefined;

/** Whether this set runs (ORACLE_SET filters by name). */
export function selectedSet(set: ModuleSet): boolean {
  const only = process.env.ORACLE_SET;
  return !only || only.split(',').includes(set.name);
}

/** The file of module `name` in `dirs` (name.yang or name@revision.yang, the newest revision). */
function moduleFile(name: string, dirs: readonly string[]): string {
  for (const s of yangSourcesFromDirectories(dirs)) if (s.name === name) return s.file;
  throw new Error(`module ${name} not found in ${dirs.join(', ')}`);
}

/** The set's files with every module after the modules it imports (see the header: identities). */
function loadOrder(modules: readonly string[], dirs: readonly string[]): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (name: string): void => {
    if (done.has(name) || !modules.includes(name)) return;
    done.add(name);
    const text = readFileSync(moduleFile(name, dirs), 'utf8');
    for (const m of text.matchAll(/^\s*import\s+"?([A-Za-z0-9_.-]+)"?/gm)) visit(m[1]!);
    out.push(moduleFile(name, dirs));
  };
  modules.forEach(visit);
  return out;
}

/** One difference between us and yanglint. */
export interface Difference {
  readonly set: string;
  readonly step: string;
  readonly seed: number;
  readonly mutation?: string | undefined;
  readonly document: string;
  readonly yanglint: string;
  readonly ours: string;
}

/** Everything a set's tests assert on, computed once. */
export interface OracleRun {
  readonly schema: YangSchema;
  readonly features: ReadonlyMap<string, readonly string[]>;
  /** Per step: documents compared, and the differences. */
  readonly steps: Map<string, { compared: number; differences: Difference[] }>;
  readonly stats: Record<string, number>;
}

/**
 * Where two JSON values differ, as short lines (`/a/b[0]/c: yanglint 1, ours "1"`, `missing in
 * ours`, `extra in ours`): the start of a difference report, the documents follow.
 */
export function jsonDiff(expected: unknown, actual: unknown, path = ''): string[] {
  const show = (v: unknown): string => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 120));
  if (expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object' && Array.isArray(expected) === Array.isArray(actual)) {
    if (Array.isArray(expected)) {
      const a = actual as unknown[];
      if (expected.length !== a.length) return [`${path}: ${expected.length} entries in yanglint's, ${a.length} in ours: yanglint ${show(expected)}, ours ${show(a)}`];
      return expected.flatMap((e, i) => jsonDiff(e, a[i], `${path}[${i}]`));
    }
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const out: string[] = [];
    for (const k of Object.keys(e)) out.push(...(k in a ? jsonDiff(e[k], a[k], `${path}/${k}`) : [`${path}/${k}: missing in ours (yanglint ${show(e[k])})`]));
    for (const k of Object.keys(a)) if (!(k in e)) out.push(`${path}/${k}: extra in ours (${show(a[k])})`);
    return out;
  }
  return Object.is(expected, actual) ? [] : [`${path}: yanglint ${show(expected)}, ours ${show(actual)}`];
}

const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** Parse a document of top-level elements (several roots allowed) into elements. */
export function parseElements(xml: string): ReturnType<typeof parseXml>['elements'] {
  return parseXml(`<oracle-root>${xml}</oracle-root>`).elements;
}

const yanglintType = (kind: GeneratedDocument['kind']): YanglintDataType => (kind === 'data' ? 'get' : kind === 'notification' ? 'notif' : kind);

/** Run the whole comparison for a set. */
export async function runOracle(set: ModuleSet): Promise<OracleRun> {
  const sources = yangSourcesFromDirectories(set.dirs);
  let features = set.features;
  if (!features) {
    // every feature of every module, written out: the same list goes to yanglint's -F
    const all = compileYang(sources, { modules: set.modules });
    features = new Map([...all.modules.values()].map((m) => [m.name, [...m.allFeatures].sort()]));
  }
  const schema = compileYang(sources, { modules: set.modules, features });
  const yl = { searchDirs: set.dirs, files: loadOrder(set.modules, set.dirs), features };
  const counts = { ...DEFAULT_COUNTS, ...set.counts };
  const n = (k: keyof Counts): number => Math.max(1, Math.round(counts[k] * SCALE));
  const steps = new Map<string, { compared: number; differences: Difference[] }>();
  const step = (name: string): { compared: number; differences: Difference[] } => {
    let s = steps.get(name);
    if (!s) steps.set(name, (s = { compared: 0, differences: [] }));
    return s;
  };
  const stats: Record<string, number> = {};
  const count = (k: string): void => void (stats[k] = (stats[k] ?? 0) + 1);

  // ---- documents
  const docs: GeneratedDocument[] = [];
  const seedsFor = (offset: number, howMany: number): number[] => ONLY_SEEDS ?? Array.from({ length: howMany }, (_, i) => (BASE_SEED + offset + i) >>> 0);
  for (const seed of seedsFor(0, n('valid'))) docs.push(generateDocument(schema, seed));
  for (const seed of seedsFor(1_000_000, n('invalid'))) {
    const bad = mutateDocument(generateDocument(schema, seed), schema, seed);
    if (bad) docs.push(bad);
  }
  for (const seed of seedsFor(2_000_000, n('operations'))) {
    // a schema without operations of that kind gives an empty document: nothing to compare
    const op = generateDocument(schema, seed, { kind: (['rpc', 'reply', 'notification'] as const)[seed % 3]! });
    if (op.xml) docs.push(op);
  }
  const outcomes = await runYanglint(yl, docs.map((d): YanglintJob => ({ input: d.xml, from: 'xml', to: 'json', type: yanglintType(d.kind) })));

  // ---- XML → JSON, and what yanglint refuses
  const accepted: Array<{ doc: GeneratedDocument; json: Record<string, unknown> }> = [];
  docs.forEach((doc, i) => {
    const out = outcomes[i]!;
    const label = doc.valid ? 'valid' : 'invalid';
    count(`${doc.kind} ${label}, yanglint ${out.ok ? 'accepted' : 'refused'}`);
    const diff = (name: string, yanglint: string, ours: string): void =>
      void step(name).differences.push({ set: set.name, step: name, seed: doc.seed, mutation: doc.mutation, document: doc.xml, yanglint, ours });
    let ours: Record<string, unknown> | undefined;
    let error: unknown;
    try {
      ours = xmlToJson(schema, parseElements(doc.xml), { kind: doc.kind }).json;
    } catch (e) {
      error = e;
    }
    if (doc.kind === 'data') {
      // The same document as text, converted while it is parsed (xml-stream-to-json.ts): the same
      // JSON, or a refusal where the tree walk refuses.
      step('xml→json streamed').compared++;
      let streamed: Record<string, unknown> | undefined;
      let streamError: unknown;
      try {
        streamed = xmlToJson(schema, `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${doc.xml}</config>`).json;
      } catch (e) {
        streamError = e;
      }
      if (error === undefined && streamError !== undefined) diff('xml→json streamed', JSON.stringify(ours), `refused: ${describeError(streamError)}`);
      else if (error !== undefined && !(streamError instanceof YangDataError)) diff('xml→json streamed', `refused: ${describeError(error)}`, streamError === undefined ? `accepted: ${JSON.stringify(streamed)}` : `not a YangDataError: ${describeError(streamError)}`);
      else if (error === undefined) {
        const differs = jsonDiff(ours!, streamed);
        if (differs.length) diff('xml→json streamed', JSON.stringify(ours), differs.join('\n'));
      }
    }
    if (out.ok) {
      let expected: Record<string, unknown>;
      try {
        expected = out.output.trim() ? (JSON.parse(out.output) as Record<string, unknown>) : {};
      } catch {
        count('yanglint printed invalid JSON (not compared)');
        return;
      }
      step('xml→json').compared++;
      if (error !== undefined) return diff('xml→json', out.output, `refused: ${describeError(error)}`);
      const differs = jsonDiff(expected, ours);
      if (differs.length) return diff('xml→json', out.output, `${differs.join('\n')}\n${JSON.stringify(ours, null, 2)}`);
      if (Object.keys(expected).length) accepted.push({ doc, json: expected });
    } else {
      step('refused xml').compared++;
      if (!(error instanceof YangDataError)) diff('refused xml', out.message, error === undefined ? `accepted: ${JSON.stringify(ours)}` : `not a YangDataError: ${describeError(error)}`);
    }
  });

  // ---- JSON → XML of yanglint's JSON, read back by yanglint (and by us)
  const back: Array<{ doc: GeneratedDocument; json: Record<string, unknown>; xml: string }> = [];
  for (const { doc, json } of accepted) {
    step('json→xml').compared++;
    try {
      const xml = jsonToXml(schema, json, { kind: doc.kind });
      back.push({ doc, json, xml });
    } catch (e) {
      step('json→xml').differences.push({ set: set.name, step: 'json→xml', seed: doc.seed, mutation: doc.mutation, document: JSON.stringify(json, null, 2), yanglint: 'accepted', ours: `refused: ${describeError(e)}` });
    }
  }
  const backOutcomes = await runYanglint(yl, back.map((b): YanglintJob => ({ input: b.xml, from: 'xml', to: 'json', type: yanglintType(b.doc.kind) })));
  back.forEach((b, i) => {
    const out = backOutcomes[i]!;
    const name = 'json→xml→yanglint';
    step(name).compared++;
    const diff = (yanglint: string, ours: string): void => void step(name).differences.push({ set: set.name, step: name, seed: b.doc.seed, mutation: b.doc.mutation, document: JSON.stringify(b.json, null, 2), yanglint, ours });
    if (!out.ok) return diff(`refused our XML: ${out.message}`, b.xml);
    const differs = jsonDiff(b.json, JSON.parse(out.output || '{}'));
    if (differs.length) return diff(out.output, `(yanglint's reading of our XML, compared with the JSON we started from)\n${differs.join('\n')}\n${b.xml}`);
    // and our own reading of our XML
    step('json→xml→xmlToJson').compared++;
    let problem: string[];
    try {
      problem = jsonDiff(b.json, xmlToJson(schema, parseElements(b.xml), { kind: b.doc.kind }).json);
    } catch (e) {
      problem = [describeError(e)];
    }
    if (problem.length) step('json→xml→xmlToJson').differences.push({ set: set.name, step: 'json→xml→xmlToJson', seed: b.doc.seed, document: b.xml, yanglint: JSON.stringify(b.json), ours: problem.join('\n') });
  });

  // ---- broken JSON: what yanglint refuses, jsonToXml refuses
  const broken: Array<{ doc: GeneratedDocument; json: Record<string, unknown>; mutation: string }> = [];
  for (let i = 0; i < accepted.length && broken.length < n('invalidJson'); i++) {
    const a = accepted[i]!;
    const m = mutateJson(a.json, a.doc.seed);
    if (m) broken.push({ doc: a.doc, json: m.json, mutation: m.mutation });
  }
  const brokenOutcomes: YanglintOutcome[] = await runYanglint(yl, broken.map((b): YanglintJob => ({ input: JSON.stringify(b.json), from: 'json', to: 'xml', type: yanglintType(b.doc.kind) })));
  broken.forEach((b, i) => {
    const out = brokenOutcomes[i]!;
    count(`json mutated, yanglint ${out.ok ? 'accepted' : 'refused'}`);
    let error: unknown;
    try {
      jsonToXml(schema, b.json, { kind: b.doc.kind });
    } catch (e) {
      error = e;
    }
    const name = out.ok ? 'mutated json accepted' : 'refused json';
    step(name).compared++;
    const bad = out.ok ? error !== undefined : !(error instanceof YangDataError);
    if (bad) {
      step(name).differences.push({
        set: set.name,
        step: name,
        seed: b.doc.seed,
        mutation: b.mutation,
        document: JSON.stringify(b.json, null, 2),
        yanglint: out.ok ? 'accepted' : out.message,
        ours: error === undefined ? 'accepted' : `refused: ${describeError(error)}`,
      });
    }
  });
  return { schema, features, steps, stats };
}

/** Fail with the differences of `step` (the first few in full, all of them written to a file). */
export function assertNoDifferences(run: OracleRun, set: ModuleSet, stepNames: readonly string[]): void {
  const diffs = stepNames.flatMap((s) => run.steps.get(s)?.differences ?? []);
  const compared = stepNames.reduce((t, s) => t + (run.steps.get(s)?.compared ?? 0), 0);
  if (diffs.length === 0) return;
  const file = join(tmpdir(), `netconfkit-oracle-${set.name}-${stepNames.join('+').replace(/[^a-z0-9+-]/gi, '_')}.json`);
  writeFileSync(file, JSON.stringify(diffs, null, 2));
  const shown = diffs
    .slice(0, 3)
    .map((d) => `--- ${d.step} seed ${d.seed}${d.mutation ? ` (${d.mutation})` : ''} — reproduce: ORACLE_SET=${d.set} ORACLE_SEEDS=${d.seed}\ndocument:\n${d.document}\nyanglint:\n${d.yanglint.trim()}\nours:\n${d.ours.trim()}`)
    .join('\n');
  assert.fail(`${set.name}: ${diffs.length} of ${compared} documents differ from yanglint (${stepNames.join(', ')}); all in ${file}\n${shown}`);
}

/** The differential tests of one module set (one describe per set, the comparison run once in `before`). */
export function oracleSuite(sets: readonly ModuleSet[]): void {
  for (const set of sets.filter(selectedSet)) {
    describe(`yanglint oracle: ${set.name} (${set.modules.join(', ')})`, { timeout: 120_000 }, () => {
      let run: OracleRun;
      before(async () => {
        run = await runOracle(set);
        const steps = [...run.steps].map(([k, v]) => `${k} ${v.compared - v.differences.length}/${v.compared}`).join(', ');
        console.log(`# oracle ${set.name}: ${steps}; ${Object.entries(run.stats).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
      });
      it('our XML → JSON equals yanglint\'s (member order free, array order kept)', () => assertNoDifferences(run, set, ['xml→json']));
      it('documents yanglint refuses, xmlToJson refuses with a YangDataError', () => assertNoDifferences(run, set, ['refused xml']));
      it('our jsonToXml of yanglint\'s JSON is accepted by jsonToXml and yanglint reads it back as the same JSON', () => assertNoDifferences(run, set, ['json→xml', 'json→xml→yanglint']));
      it('xmlToJson reads our own XML back as the same JSON', () => assertNoDifferences(run, set, ['json→xml→xmlToJson']));
      it('JSON yanglint refuses, jsonToXml refuses with a YangDataError (and accepts what yanglint accepts)', () => assertNoDifferences(run, set, ['refused json', 'mutated json accepted']));
    });
  }
}

