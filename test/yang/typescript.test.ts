/**
 * The TypeScript generator. One `tsc --strict` run checks everything: the generated files compile
 * (a hand-built schema using every construct, the IETF modules netconfd ships, the codec tests'
 * modules); user-style scripts that use them correctly pass; deliberately wrong ones fail with
 * the expected diagnostic on the expected line; and what libyang prints for a hand-written
 * document and for ~200 random ones (the codec tests' generator) satisfies the types, so they are
 * not narrower than RFC 7951 JSON. Plus: the output is deterministic.
 */
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { compileYang } from '../../src/yang/compile.js';
import { YangError } from '../../src/yang/errors.js';
import { yangSourcesFromDirectories } from '../../src/yang/sources.js';
import { generateTypeScript } from '../../src/yang/typescript.js';
import type { YangSchema } from '../../src/yang/schema.js';
import { OPENCONFIG_DIR, OPENCONFIG_MODULES } from '../helpers/openconfig.js';
import { YANGLINT, runYanglint, yanglintVersion, type YanglintJob } from '../helpers/yanglint.js';
import { generateDocument } from './generate-instances.js';
import { ttSchema } from './typescript-fixtures/tt-schema.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixtures = join(repo, 'test', 'yang', 'typescript-fixtures');
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const IETF = '/usr/share/yuma/modules/ietf';

/** The files yanglint needs for the oracle documents (ietf-netconf: the operation annotation). */
const YANGLINT_MODULES = [
  'ietf-interfaces@2014-05-08',
  'ietf-ip@2014-06-16',
  'iana-if-type@2014-05-08',
  'ietf-system@2014-08-06',
  'ietf-netconf@2011-06-01',
  'ietf-netconf-with-defaults@2011-06-01',
];

/**
 * RFC 7951 JSON of an instance document, as libyang prints it (`type`: yanglint's `-t`;
 * `tagged`: with every default added and tagged as RFC 6243 report-all-tagged does).
 */
function yanglintJson(file: string, type: 'data' | 'edit', tagged = false): string {
  yanglintVersion();
  const args = ['-p', IETF, '-f', 'json', '-t', type, ...(tagged ? ['-d', 'all-tagged'] : []), ...YANGLINT_MODULES.map((m) => join(IETF, `${m}.yang`)), file];
  return execFileSync(YANGLINT, args, { encoding: 'utf8' }).trimEnd();
}

/** The modules of the typed user scripts (netconfd's interfaces, ip and system). */
const USER_MODULES = ['ietf-interfaces', 'ietf-ip', 'ietf-system'];
/** What is compiled for them: iana-if-type too, for the identities of an interface's type. */
const COMPILED = [...USER_MODULES, 'iana-if-type'];
/** The OpenConfig modules the typed scripts use. */
const OPENCONFIG_USER_MODULES = ['openconfig-interfaces', 'openconfig-if-ethernet', 'openconfig-if-aggregate', 'openconfig-vlan'];

function ietfSchema(modules?: readonly string[]): YangSchema {
  const sources = yangSourcesFromDirectories([IETF]);
  return compileYang(sources, modules === undefined ? {} : { modules });
}

/** The oracle modules written for the codec tests (test/yang/modules). */
const TEST_MODULES = ['oracle-common', 'oracle-types', 'oracle-augment', 'oracle-deviations', 'oracle-legacy'];

/** A module set for the random documents: compiled with every feature written out, so yanglint gets the same list. */
interface RandomSet {
  readonly name: string;
  readonly dirs: readonly string[];
  readonly modules: readonly string[];
}

/** Module files with each after the ones it imports (yanglint resolves identities in load order). */
function loadOrder(set: RandomSet): string[] {
  const files = new Map(yangSourcesFromDirectories(set.dirs).map((s) => [s.name, s.file]));
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    const file = files.get(name);
    if (seen.has(name) || !set.modules.includes(name) || file === undefined) return;
    seen.add(name);
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s*import\s+"?([A-Za-z0-9_.-]+)"?/gm)) visit(m[1] ?? '');
    out.push(file);
  };
  set.modules.forEach(visit);
  return out;
}

/**
 * The property the random documents check: every document libyang accepts, as the RFC 7951
 * JSON libyang prints, satisfies the generated types (`Datastore` for config+state documents,
 * validated as a whole datastore (`-t data`: mandatory nodes and choices checked, as the data
 * types require them); `DatastoreEdit` for config-only ones; the RPC input and notification maps
 * for operations).
 * Returns the TypeScript file of `satisfies` checks and how many documents it holds.
 */
async function randomDocumentChecks(set: RandomSet, models: string, seed: number): Promise<{ types: string; checks: string; documents: number }> {
  const sources = yangSourcesFromDirectories(set.dirs);
  const all = compileYang(sources, { modules: set.modules });
  const features = new Map([...all.modules.values()].map((m) => [m.name, [...m.allFeatures].sort()]));
  const schema = compileYang(sources, { modules: set.modules, features });
  const docs = [
    ...Array.from({ length: 100 }, (_, i) => ({ what: 'data', doc: generateDocument(schema, seed + i) })),
    ...Array.from({ length: 30 }, (_, i) => ({ what: 'edit', doc: generateDocument(schema, seed + 1000 + i, { state: false }) })),
    ...Array.from({ length: 30 }, (_, i) => {
      const kind = i % 2 === 0 ? 'rpc' : 'notification';
      return { what: kind, doc: generateDocument(schema, seed + 2000 + i, { kind }) };
    }),
  ].filter((d) => d.doc.xml !== '');
  const jobs = docs.map((d): YanglintJob => ({ input: d.doc.xml, from: 'xml', to: 'json', type: d.what === 'rpc' ? 'rpc' : d.what === 'notification' ? 'notif' : d.what === 'data' ? 'data' : 'get' }));
  const outcomes = await runYanglint({ searchDirs: set.dirs, files: loadOrder(set), features }, jobs);
  const topRpcs = new Set(schema.rpcs.map((r) => `${r.module}:${r.name}`));
  const topNotifications = new Set(schema.notifications.map((n) => `${n.module}:${n.name}`));
  const lines = [
    `import type { Datastore, DatastoreEdit, Rpcs, Notifications } from './${models}.js';`,
    'type RpcInputs = { [K in keyof Rpcs]?: Rpcs[K][\'input\'] };',
    'type NotificationContents = { [K in keyof Notifications]?: Notifications[K] };',
  ];
  let documents = 0;
  docs.forEach((d, i) => {
    const out = outcomes[i];
    if (out === undefined || !out.ok || out.output.trim() === '') return;
    const keys = Object.keys(JSON.parse(out.output) as object);
    const target = { data: 'Datastore', edit: 'DatastoreEdit', rpc: 'RpcInputs', notification: 'NotificationContents' }[d.what];
    // Actions and nested notifications come wrapped in their data path: not in these maps.
    if (d.what === 'rpc' && !keys.every((k) => topRpcs.has(k))) return;
    if (d.what === 'notification' && !keys.every((k) => topNotifications.has(k))) return;
    lines.push(`// seed ${d.doc.seed} (${d.what})`, `export const d${i} = ${out.output.trim()} satisfies ${target};`);
    documents++;
  });
  return { types: generateTypeScript(schema), checks: lines.join('\n'), documents };
}

interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly text: string;
}

/** `file(line,col): error TSnnnn: …` lines of tsc's output. */
function parseDiagnostics(output: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)) {
    out.push({ file: m[1] ?? '', line: Number(m[2]), code: m[3] ?? '', text: m[4] ?? '' });
  }
  return out;
}

/** The `// expect TSnnnn` markers of a fixture, as `line:code`. */
function expectedOf(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /\/\/ expect (TS\d+)\s*$/.exec(line);
    if (m) out.push(`${i + 1}:${m[1]}`);
  });
  return out;
}

function runTsc(dir: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [tsc, '-p', dir], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

describe('generateTypeScript: the types compile and constrain (one tsc --strict run)', () => {
  let dir = '';
  let diagnostics: Diagnostic[] = [];
  let tscOutput = '';
  const checked = ['tt-good', 'tt-bad', 'ietf-good', 'ietf-bad', 'oc-good', 'oc-bad'];
  const generated = ['tt-models.ts', 'ietf-models.ts', 'ietf-all-models.ts', 'test-modules-models.ts', 'ietf-oracle.ts', 'random-ietf.ts', 'random-test-modules.ts', 'openconfig-models.ts'];
  const randomCounts = new Map<string, number>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netconfkit-ts-'));
    writeFileSync(join(dir, 'tt-models.ts'), generateTypeScript(ttSchema()));
    writeFileSync(join(dir, 'ietf-models.ts'), generateTypeScript(ietfSchema(COMPILED), { modules: USER_MODULES }));
    // A vendor's published modules (OpenConfig): the typed scripts oc-good / oc-bad use them.
    writeFileSync(join(dir, 'openconfig-models.ts'), generateTypeScript(compileYang(yangSourcesFromDirectories([OPENCONFIG_DIR]), { modules: OPENCONFIG_MODULES }), { modules: OPENCONFIG_USER_MODULES }));
    // Every module netconfd ships, all implemented, every feature on: must compile too.
    writeFileSync(join(dir, 'ietf-all-models.ts'), generateTypeScript(ietfSchema()));
    // Random documents (the codec tests' generator), as libyang prints them, against the types
    // of their schema: the IETF modules of the user script, and the modules written for the
    // codec tests (every statement and type).
    const randomSets: Array<[string, RandomSet, string]> = [
      ['random-ietf.ts', { name: 'ietf', dirs: [IETF], modules: COMPILED }, 'ietf-random-models'],
      ['random-test-modules.ts', { name: 'test-modules', dirs: [join(repo, 'test', 'yang', 'modules'), IETF], modules: TEST_MODULES }, 'test-modules-models'],
    ];
    for (const [file, set, models] of randomSets) {
      const { types, checks, documents } = await randomDocumentChecks(set, models, 20261202);
      writeFileSync(join(dir, `${models}.ts`), types);
      writeFileSync(join(dir, file), checks);
      randomCounts.set(file, documents);
    }
    // The user-style scripts type against the package's own declarations (built by `npm test`).
    const dist = join(repo, 'dist', 'index.js');
    for (const name of checked) writeFileSync(join(dir, `${name}.ts`), readFileSync(join(fixtures, `${name}.ts.txt`), 'utf8').replaceAll('@NETCONFKIT@', dist));
    // The oracle: what libyang prints for a config+state document and for an edit must be
    // accepted as is by the data and edit types (excess members included: `satisfies`).
    writeFileSync(
      join(dir, 'ietf-oracle.ts'),
      [
        "import type { Datastore, DatastoreEdit } from './ietf-models.js';",
        `export const data = ${yanglintJson(join(fixtures, 'ietf-data.xml'), 'data')} satisfies Datastore;`,
        // report-all-tagged: `"@mtu": {"ietf-netconf-with-defaults:default": true}` members.
        `export const tagged = ${yanglintJson(join(fixtures, 'ietf-data.xml'), 'data', true)} satisfies Datastore;`,
        `export const edit = ${yanglintJson(join(fixtures, 'ietf-edit.json'), 'edit')} satisfies DatastoreEdit;`,
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true, types: [] },
        files: [...generated, 'ietf-random-models.ts', ...checked.map((n) => `${n}.ts`)],
      }),
    );
    const result = await runTsc(dir);
    tscOutput = result.output;
    diagnostics = parseDiagnostics(result.output);
  });

  after(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  for (const models of generated) {
    it(`${models} compiles with no diagnostic${models === 'ietf-oracle.ts' ? " (yanglint's JSON satisfies the types)" : ''}`, () => {
      assert.deepEqual(diagnostics.filter((d) => d.file === models), [], tscOutput);
    });
  }

  it('random documents: enough of them accepted by yanglint to mean something', () => {
    assert.equal(randomCounts.size, 2);
    for (const [file, n] of randomCounts) assert.ok(n >= 60, `${file}: ${n} documents`);
  });

  for (const name of ['tt-good', 'ietf-good', 'oc-good']) {
    it(`${name}: a correct user script type-checks`, () => {
      assert.deepEqual(diagnostics.filter((d) => d.file === `${name}.ts`), [], tscOutput);
    });
  }

  for (const name of ['tt-bad', 'ietf-bad', 'oc-bad']) {
    it(`${name}: every wrong line fails with its diagnostic, nothing else does`, () => {
      const expected = expectedOf(readFileSync(join(fixtures, `${name}.ts.txt`), 'utf8'));
      assert.ok(expected.length >= 5);
      const got = diagnostics.filter((d) => d.file === `${name}.ts`).map((d) => `${d.line}:${d.code}`);
      assert.deepEqual(got, expected, tscOutput);
    });
  }

  it('reports nothing outside the checked files', () => {
    const expected = ['tt-bad', 'ietf-bad', 'oc-bad'].map((name) => expectedOf(readFileSync(join(fixtures, `${name}.ts.txt`), 'utf8')).length);
    assert.equal(diagnostics.length, expected.reduce((a, b) => a + b, 0), tscOutput);
  });
});

describe('generateTypeScript: output', () => {
  const tt = generateTypeScript(ttSchema());

  it('is deterministic: same schema, same bytes; a recompiled schema, same bytes', () => {
    assert.equal(generateTypeScript(ttSchema()), tt);
    const a = generateTypeScript(ietfSchema(COMPILED), { modules: USER_MODULES });
    const b = generateTypeScript(ietfSchema(COMPILED), { modules: [...USER_MODULES].reverse() });
    assert.equal(a, b);
  });

  it('qualifies top-level and augmented members, keeps the others bare', () => {
    assert.match(tt, /^ {2}'tt:top'\?: Tt_Top;$/m);
    assert.match(tt, /^ {2}'tt-aug:extra'\?: Tt_Top_Extra;$/m);
    assert.match(tt, /^ {2}'tt-aug:name-ref'\?: string;$/m);
    assert.match(tt, /^ {2}i8\?: number;$/m);
  });

  it('maps leaf types as RFC 7951 writes them', () => {
    assert.match(tt, /^ {2}i64\?: string;$/m);
    assert.match(tt, /^ {2}dec\?: string;$/m);
    assert.match(tt, /^ {2}nothing\?: \[null\];$/m);
    assert.match(tt, /^ {2}color\?: 'red' \| 'green' \| 'it\\'s blue';$/m);
    assert.match(tt, /^ {2}u\?: number \| 'unbounded' \| \[null\];$/m);
    assert.match(tt, /^ {2}us\?: string;$/m);
    assert.match(tt, /^export type Tt_ProtocolIdentity =\n {2}\| 'tt:tcp'\n {2}\| 'tt:udp'\n {2}\| 'tt-ids:sctp';$/m);
    // Requests may name the leaf module's own identities bare (RFC 7951 §6.8), replies do not.
    assert.match(tt, /^ {2}proto\?: Tt_ProtocolIdentity \| 'tcp' \| 'udp';$/m);
  });

  it('resolves name collisions deterministically (foo-bar, foo_bar)', () => {
    assert.match(tt, /^ {2}'foo-bar'\?: Tt_Top_FooBar;$/m);
    assert.match(tt, /^ {2}foo_bar\?: Tt_Top_FooBar_2;$/m);
  });

  it('keeps TSDoc from descriptions with */ escaped', () => {
    assert.match(tt, /^ \* Second line with \*\\\/ in it\.$/m);
    assert.doesNotMatch(tt.replace(/\/\*\*[^]*?\*\//g, ''), /\*\//);
  });

  it('refuses modules that are unknown or only imported', () => {
    assert.throws(() => generateTypeScript(ttSchema(), { modules: ['nope'] }), (e: unknown) => e instanceof YangError && e.missingModule === 'nope');
    assert.throws(() => generateTypeScript(ttSchema(), { modules: ['tt-ids'] }), YangError);
    assert.match(generateTypeScript(ttSchema(), { modules: [] }), /^export type Notifications = \{ \[member: string\]: never \};$/m);
  });

  it('says so for a module asked for that only augments others', () => {
    const text = generateTypeScript(ietfSchema(COMPILED), { modules: ['ietf-ip'] });
    assert.match(text, /^\/\/ ietf-ip has no top-level data, RPC or notification: /m);
    assert.match(text, /^export type Datastore = \{ \[member: string\]: never \};$/m);
  });

  it('ietf-interfaces: keys required, state out of the edit type, operation metadata in it', () => {
    const text = generateTypeScript(ietfSchema(COMPILED), { modules: USER_MODULES });
    assert.match(text, /^export interface IetfInterfaces_Interfaces_Interface \{$/m);
    assert.match(text, /^ {2}name: string;$/m);
    assert.match(text, /^ {2}'ietf-ip:ipv4'\?: IetfInterfaces_Interfaces_Interface_Ipv4;$/m);
    assert.match(text, /^ {2}'ietf-interfaces:interfaces-state'\?: IetfInterfaces_InterfacesState;$/m);
    const edit = /^export interface IetfInterfacesEdit \{[^]*?^\}$/m.exec(text)?.[0] ?? '';
    assert.match(edit, /'ietf-interfaces:interfaces'\?:/);
    assert.doesNotMatch(edit, /interfaces-state/);
    assert.match(text, /'ietf-netconf:operation'\?: 'merge' \| 'replace' \| 'create' \| 'delete' \| 'remove';/);
  });
});
