// Workload (h) of bench/run.mjs, issue 12's benchmark: RFC 7951 JSON ↔ XML of a large
// ietf-interfaces + ietf-ip document, this library (dist/) beside libyang's yanglint converting
// the same file, and compiling the IETF modules beside yanglint loading them.
//
//   node bench/yang.mjs [--interfaces 100000] [--rounds 5] [--compile-rounds 10] [--state bench/.state/yang]
//
// The document (generated once into STATE, reused while its size matches): INTERFACES
// <interface> entries, each with a name, type, description, enabled, ietf-ip ipv4 (mtu, two
// addresses with prefix-length) and ipv6 (two addresses). Each round, in fresh processes (run
// under /usr/bin/time -f '%e %M', the same for both: wall seconds and peak RSS):
//   ours xml→json   node bench/yang.mjs --worker xml2json: read the file, xmlToJson of the bytes
//                   (parsed and converted in one pass; timed inside), JSON.stringify written to a file
//   ours json→xml   --worker json2xml: read yanglint's JSON, JSON.parse + jsonToXmlBytes (timed
//                   inside), the bytes written to a file
//   yanglint        yanglint -t get -f json (parse-only: the checks the codec makes, no datastore
//                   validation) of the same XML, and -f xml of the same JSON; also -t config once
//                   per round (full validation), for reference
// and, in this process, compileYang of every module in /usr/share/yuma/modules/ietf (COMPILE
// rounds, median) beside `yanglint -p DIR FILES` loading the same modules (process wall, median).
// The JSON written by ours is compared with yanglint's once (as JSON values): a benchmark of a
// wrong conversion would be worthless.
// Prints a table and one `RESULT {json}` line (bench/run.mjs collects it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, emitResult, peakRss, runMain, stats } from './lib/common.mjs';

const IETF = '/usr/share/yuma/modules/ietf';
const MODULES = ['ietf-interfaces', 'ietf-ip', 'iana-if-type'];
const TIME = '/usr/bin/time';

const { values: opt } = parseArgs({
  options: {
    interfaces: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
    'compile-rounds': { type: 'string', default: '10' },
    state: { type: 'string', default: join(BENCH_DIR, '.state', 'yang') },
    worker: { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
  },
});

const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;
const lib = async () => ({
  ...(await import(dist('yang/compile.js'))),
  ...(await import(dist('yang/sources.js'))),
  ...(await import(dist('yang/xml-to-json.js'))),
  ...(await import(dist('yang/json-to-xml.js'))),
  ...(await import(dist('xml/parse.js'))),
});

/** The module files of the document's schema, imports first (yanglint's load order). */
const moduleFiles = (sources) => MODULES.map((m) => sources.find((s) => s.name === m).file);

// ---- workers: one conversion in a fresh process ------------------------------------------------

async function worker(kind) {
  const { compileYang, yangSourcesFromDirectories, xmlToJson, jsonToXmlBytes } = await lib();
  const schema = compileYang(yangSourcesFromDirectories([IETF]), { modules: MODULES });
  const text = readFileSync(opt.in);
  const t0 = process.hrtime.bigint();
  let out;
  if (kind === 'xml2json') {
    // the bytes read, converted while they are parsed (no element tree of the whole document)
    const { json } = xmlToJson(schema, text);
    const t1 = process.hrtime.bigint();
    out = JSON.stringify(json);
    emitResult({ seconds: Number(t1 - t0) / 1e9, peakRss: peakRss() });
  } else {
    const json = JSON.parse(text.toString('utf8'));
    const tParsed = process.hrtime.bigint();
    out = jsonToXmlBytes(schema, json);
    const t1 = process.hrtime.bigint();
    emitResult({ seconds: Number(t1 - t0) / 1e9, parseSeconds: Number(tParsed - t0) / 1e9, peakRss: peakRss() });
  }
  writeFileSync(opt.out, out);
}

// ---- the document ------------------------------------------------------------------------------

function generate(file, n) {
  const parts = ['<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">\n'];
  for (let i = 0; i < n; i++) {
    const a = (i >> 8) & 255;
    const b = i & 255;
    parts.push(
      `<interface><name>eth${i}</name><description>port ${i} &amp; uplink</description><type>ianaift:ethernetCsmacd</type><enabled>${i % 7 ? 'true' : 'false'}</enabled>` +
        `<ipv4 xmlns="urn:ietf:params:xml:ns:yang:ietf-ip"><mtu>${1280 + (i % 8000)}</mtu>` +
        `<address><ip>10.${a}.${b}.1</ip><prefix-length>24</prefix-length></address><address><ip>172.16.${a}.${b}</ip><prefix-length>32</prefix-length></address></ipv4>` +
        `<ipv6 xmlns="urn:ietf:params:xml:ns:yang:ietf-ip"><address><ip>2001:db8:${a.toString(16)}:${b.toString(16)}::1</ip><prefix-length>64</prefix-length></address>` +
        `<address><ip>fd00::${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}</ip><prefix-length>128</prefix-length></address></ipv6></interface>\n`,
    );
  }
  parts.push('</interfaces>\n');
  writeFileSync(file, parts.join(''));
}

// ---- measuring -----------------------------------------------------------------------------------

/** Run a command under /usr/bin/time: wall seconds, peak RSS (bytes), stdout. */
function timed(cmd, args, what) {
  const r = spawnSync(TIME, ['-f', 'TIME %e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const m = /TIME ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`${what} failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').slice(-2000)}`);
  return { wall: Number(m[1]), peakRss: Number(m[2]) * 1024, stdout: r.stdout };
}

function ours(kind, input, output) {
  const t = timed(process.execPath, [new URL(import.meta.url).pathname, '--worker', kind, '--in', input, '--out', output], `ours ${kind}`);
  const line = t.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  const r = JSON.parse(line.slice(7));
  if (r.error) throw new Error(`ours ${kind}: ${r.error}`);
  return { ...r, wall: t.wall, peakRss: t.peakRss };
}

function yanglint(files, args, what) {
  return timed('yanglint', ['-p', IETF, ...files, ...args], what);
}

/** JSON values equal (member order free, array order kept). */
function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameJson(a[k], b[k]));
}

async function main() {
  const n = Number(opt.interfaces);
  const rounds = Number(opt.rounds);
  const compileRounds = Number(opt['compile-rounds']);
  if (!(n > 0) || !(rounds > 0) || !(compileRounds > 0)) throw new Error('--interfaces, --rounds and --compile-rounds must be positive');
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed for the peak RSS of each process (apt-get install time)`);
  if (spawnSync('yanglint', ['--version']).status !== 0) throw new Error('yanglint is needed (apt-get install libyang2-tools)');
  const { compileYang, yangSourcesFromDirectories } = await lib();
  mkdirSync(opt.state, { recursive: true });
  // the name carries the generator's version: a changed generator makes a new file
  const xml = join(opt.state, `interfaces-${n}.v2.xml`);
  if (!existsSync(xml)) generate(xml, n);
  const sources = yangSourcesFromDirectories([IETF]);
  const files = moduleFiles(sources);
  const ylJson = join(opt.state, `interfaces-${n}.yanglint.json`);
  const ylXml = join(opt.state, `interfaces-${n}.yanglint.xml`);
  const ourJson = join(opt.state, `interfaces-${n}.ours.json`);
  const ourXml = join(opt.state, `interfaces-${n}.ours.xml`);
  const samples = { oursToJson: [], oursToJsonWall: [], oursToJsonRss: [], oursToXml: [], oursToXmlWall: [], oursToXmlRss: [], ylToJson: [], ylToJsonRss: [], ylToXml: [], ylToXmlRss: [], ylConfigToJson: [], ylConfigToJsonRss: [] };
  let checked;
  for (let round = 0; round < rounds; round++) {
    // yanglint first in round 0: its JSON is the input of both JSON → XML runs
    const yj = yanglint(files, ['-t', 'get', '-f', 'json', '-o', ylJson, xml], 'yanglint xml→json');
    samples.ylToJson.push(yj.wall);
    samples.ylToJsonRss.push(yj.peakRss);
    const yc = yanglint(files, ['-t', 'config', '-f', 'json', '-o', join(opt.state, `interfaces-${n}.yanglint-config.json`), xml], 'yanglint -t config xml→json');
    samples.ylConfigToJson.push(yc.wall);
    samples.ylConfigToJsonRss.push(yc.peakRss);
    const yx = yanglint(files, ['-t', 'get', '-f', 'xml', '-o', ylXml, ylJson], 'yanglint json→xml');
    samples.ylToXml.push(yx.wall);
    samples.ylToXmlRss.push(yx.peakRss);
    const oj = ours('xml2json', xml, ourJson);
    samples.oursToJson.push(oj.seconds);
    samples.oursToJsonWall.push(oj.wall);
    samples.oursToJsonRss.push(oj.peakRss);
    const ox = ours('json2xml', ylJson, ourXml);
    samples.oursToXml.push(ox.seconds);
    samples.oursToXmlWall.push(ox.wall);
    samples.oursToXmlRss.push(ox.peakRss);
    if (checked === undefined) {
      // ours == yanglint's JSON, and yanglint reads our XML back as the same JSON
      const same = sameJson(JSON.parse(readFileSync(ourJson, 'utf8')), JSON.parse(readFileSync(ylJson, 'utf8')));
      const back = yanglint(files, ['-t', 'get', '-f', 'json', ourXml], 'yanglint reading our XML');
      checked = { jsonEqualsYanglint: same, ourXmlReadBackEqual: sameJson(JSON.parse(back.stdout), JSON.parse(readFileSync(ylJson, 'utf8'))) };
    }
  }
  // compile: every module of the directory, ours in this process beside yanglint loading them
  // the modules (submodules come with their module): the first `module NAME {` / `submodule NAME {`
  const all = sources.filter((s) => /\b(sub)?module\s+[\w.-]+\s*\{/.exec(s.text())?.[1] === undefined);
  const compileMs = [];
  let moduleCount = 0;
  for (let i = 0; i < compileRounds + 1; i++) {
    const t0 = process.hrtime.bigint();
    const schema = compileYang(yangSourcesFromDirectories([IETF]));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i > 0) compileMs.push(ms); // the first: module loading and JIT warm-up
    moduleCount = schema.modules.size;
  }
  const cold = spawnSync(process.execPath, ['--input-type=module', '-e', `const t=process.hrtime.bigint();const c=await import(${JSON.stringify(dist('yang/compile.js'))});const s=await import(${JSON.stringify(dist('yang/sources.js'))});c.compileYang(s.yangSourcesFromDirectories([${JSON.stringify(IETF)}]));console.log(Number(process.hrtime.bigint()-t)/1e6)`], { encoding: 'utf8' });
  const coldMs = Number(cold.stdout.trim());
  const ylLoad = [];
  for (let i = 0; i < compileRounds; i++) ylLoad.push(yanglint(all.map((s) => s.file), [], 'yanglint loading the modules').wall * 1000);
  const emptyYl = [];
  for (let i = 0; i < compileRounds; i++) emptyYl.push(timed('yanglint', ['--version'], 'yanglint --version').wall * 1000);

  const size = statSync(xml).size;
  const jsonSize = statSync(ylJson).size;
  const result = {
    interfaces: n,
    rounds,
    xmlBytes: size,
    jsonBytes: jsonSize,
    ...checked,
    oursXmlToJsonSeconds: stats(samples.oursToJson),
    oursXmlToJsonWall: stats(samples.oursToJsonWall),
    oursXmlToJsonPeakRss: stats(samples.oursToJsonRss),
    oursJsonToXmlSeconds: stats(samples.oursToXml),
    oursJsonToXmlWall: stats(samples.oursToXmlWall),
    oursJsonToXmlPeakRss: stats(samples.oursToXmlRss),
    yanglintXmlToJsonWall: stats(samples.ylToJson),
    yanglintXmlToJsonPeakRss: stats(samples.ylToJsonRss),
    yanglintConfigXmlToJsonWall: stats(samples.ylConfigToJson),
    yanglintConfigXmlToJsonPeakRss: stats(samples.ylConfigToJsonRss),
    yanglintJsonToXmlWall: stats(samples.ylToXml),
    yanglintJsonToXmlPeakRss: stats(samples.ylToXmlRss),
    compileModules: moduleCount,
    compileFiles: all.length,
    oursCompileMs: stats(compileMs),
    oursCompileColdMs: coldMs,
    yanglintLoadMs: stats(ylLoad),
    yanglintStartMs: stats(emptyYl),
  };
  printTable(result);
  emitResult(result);
}

function printTable(r) {
  const s = (x, d = 2) => (x ? `${x.median.toFixed(d)}${x.n > 1 ? ` (${x.min.toFixed(d)}–${x.max.toFixed(d)})` : ''}` : '-');
  const mb = (x) => (x ? { ...x, median: x.median / 1e6, min: x.min / 1e6, max: x.max / 1e6 } : x);
  const rows = [
    [`XML → JSON, ${r.interfaces} interfaces (${(r.xmlBytes / 1e6).toFixed(1)} MB XML)`, 's', `${s(r.oursXmlToJsonSeconds)} in-process; ${s(r.oursXmlToJsonWall)} process`, s(r.yanglintXmlToJsonWall)],
    ['  peak RSS', 'MB', s(mb(r.oursXmlToJsonPeakRss), 0), s(mb(r.yanglintXmlToJsonPeakRss), 0)],
    ['  yanglint -t config (full validation)', 's', '', s(r.yanglintConfigXmlToJsonWall)],
    [`JSON → XML (${(r.jsonBytes / 1e6).toFixed(1)} MB JSON)`, 's', `${s(r.oursJsonToXmlSeconds)} in-process; ${s(r.oursJsonToXmlWall)} process`, s(r.yanglintJsonToXmlWall)],
    ['  peak RSS', 'MB', s(mb(r.oursJsonToXmlPeakRss), 0), s(mb(r.yanglintJsonToXmlPeakRss), 0)],
    [`compile the ${r.compileFiles} modules of ${IETF}`, 'ms', `${s(r.oursCompileMs, 1)} warm; ${r.oursCompileColdMs.toFixed(0)} cold (fresh process, import incl.)`, `${s(r.yanglintLoadMs, 1)} (process; --version alone ${s(r.yanglintStartMs, 1)})`],
  ];
  const w = [Math.max(...rows.map((x) => x[0].length)), 4, Math.max(10, ...rows.map((x) => x[2].length)), 10];
  const line = (c) => `${c[0].padEnd(w[0])}  ${c[1].padEnd(w[1])}  ${c[2].padEnd(w[2])}  ${c[3]}`;
  console.log(line(['(h) YANG: RFC 7951 JSON ↔ XML, medians (min–max) of ' + r.rounds + ' rounds', 'unit', 'netconfkit', 'yanglint']));
  for (const row of rows) console.log(line(row));
  console.log(`our JSON equals yanglint's: ${r.jsonEqualsYanglint}; yanglint reads our XML back as the same JSON: ${r.ourXmlReadBackEqual}`);
}

if (opt.worker) runMain(() => worker(opt.worker));
else runMain(main);
