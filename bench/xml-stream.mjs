// XML parsing throughput on a large NETCONF reply: an <rpc-reply> of SIZE MB made of ~200-byte
// <interface> list entries (pretty-printed, namespaces, a prefixed identity value, an entity), in
// pieces of 64 KiB like a session delivers them. Prints median/min/max MB/s over ROUNDS runs of:
//   - XmlStreamParser (the library's one tokenizer), emitDepth 3 (rpc-reply/data/interfaces/
//     interface): Buffers in, XmlElement subtrees out (and dropped), as streamed replies use it;
//     and the same pieces as strings (encoded to UTF-8 by the parser)
//   - parseXml on the whole document (builds the whole tree): the bytes, as a reply's document is
//     parsed, at SIZE MB and at 20 MB; and a 20 MB string, as notifications and hellos are
//   - saxes (namespaces on), the reference the tests compare the parser with: a bare pass on the
//     chunks (no-op handlers, no tree), and the tests' saxes-based parse (tree) of a 20 MB string
// Each case runs in a fresh process (no garbage or heap growth carried from one case to the next).
//   node bench/xml-stream.mjs [--size-mb 100] [--tree-mb 20] [--rounds 5] [--json bench/results/xml-stream.json]
//
// The tokenizer and the saxes reference are not in the package entry point (dist/index.js), so
// this imports the test build: run `npx tsc -p tsconfig.test.json` first (it writes build/src/...
// and build/test/...).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SaxesParser } from 'saxes';
import { XmlStreamParser } from '../build/src/xml/stream-parser.js';
import { parseXml } from '../build/src/xml/parse.js';
import { referenceParse } from '../build/test/helpers/saxes-reference.js';

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '100' },
    'tree-mb': { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    piece: { type: 'string', default: '65536' },
    json: { type: 'string', default: '' },
    case: { type: 'string' }, // internal: run one case in this process, print a JSON line
  },
});
const MB = 1e6;
const size = Math.round(Number(values['size-mb']) * MB);
const treeSize = Math.round(Number(values['tree-mb']) * MB);
const rounds = Number(values.rounds);
const piece = Number(values.piece);

const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="101">\n' +
  '  <data>\n' +
  '    <interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">\n';
const TAIL = '    </interfaces>\n  </data>\n</rpc-reply>\n';
const entry = (i) =>
  '      <interface>\n' +
  `        <name>ge-${i % 8}/${(i >> 3) % 64}/${i}</name>\n` +
  `        <description>uplink ${i} &amp; backup</description>\n` +
  '        <type>ianaift:ethernetCsmacd</type>\n' +
  '        <enabled>true</enabled>\n' +
  '      </interface>\n';

/** A document of about `bytes` bytes (ASCII: one char per byte). */
function buildDoc(bytes) {
  const parts = [HEAD];
  let n = HEAD.length + TAIL.length;
  let count = 0;
  while (n < bytes) {
    const e = entry(count++);
    parts.push(e);
    n += e.length;
  }
  parts.push(TAIL);
  return { doc: parts.join(''), count };
}

/** Fresh flat strings of `piece` chars, as a TextDecoder on socket data would give. */
function toChunks(doc) {
  const chunks = [];
  for (let at = 0; at < doc.length; at += piece) chunks.push(Buffer.from(doc.slice(at, at + piece), 'latin1').toString('latin1'));
  return chunks;
}

/** The pieces (Buffers, as a session delivers them, or strings) through the stream parser. */
function streamCase({ chunks, count }) {
  let got = 0;
  const parser = new XmlStreamParser({
    emitDepth: 3,
    onSubtree(el) {
      if (el.local === 'interface') got++;
    },
  });
  for (const c of chunks) parser.write(c);
  parser.end();
  if (got !== count) throw new Error(`got ${got} subtrees, expected ${count}`);
}

/** A whole-document parse of the bytes (`bytes`) or of the string (`doc`). */
function treeCase(parse, input) {
  return ({ doc, bytes, count }) => {
    const root = parse(input === 'bytes' ? bytes : doc);
    if (root.elements[0].elements[0].elements.length !== count) throw new Error('wrong tree');
  };
}

const mb = (bytes) => `${(bytes / MB).toFixed(0)} MB`;
const CASES = [
  { name: `XmlStreamParser emitDepth 3, ${mb(size)} in Buffers`, bytes: size, chunks: true, bytesIn: true, run: streamCase },
  { name: '  same, in string chunks', bytes: size, chunks: true, run: streamCase },
  { name: `parseXml, ${mb(size)} Buffer`, bytes: size, whole: true, run: treeCase(parseXml, 'bytes') },
  { name: `parseXml, ${mb(treeSize)} Buffer`, bytes: treeSize, whole: true, run: treeCase(parseXml, 'bytes') },
  { name: `parseXml, ${mb(treeSize)} string`, bytes: treeSize, run: treeCase(parseXml, 'string') },
  {
    name: `saxes bare pass (no tree), ${mb(size)} in chunks`,
    bytes: size,
    chunks: true,
    run({ chunks, count }) {
      let opened = 0;
      const parser = new SaxesParser({ xmlns: true, position: false });
      parser.on('opentag', () => {
        opened++;
      });
      parser.on('text', () => {});
      parser.on('closetag', () => {});
      parser.on('error', (err) => {
        throw err;
      });
      for (const c of chunks) parser.write(c);
      parser.close();
      if (opened !== count * 5 + 3) throw new Error(`saw ${opened} elements`);
    },
  },
  { name: `saxes + tree (tests' reference), ${mb(treeSize)} string`, bytes: treeSize, run: treeCase(referenceParse, 'string') },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (values.case !== undefined) {
  // Child: one case. Wall-clock MB/s is what counts, but on a shared machine it also measures
  // the other load: the CPU-time rate (bytes / CPU seconds of this process, GC threads
  // included) shows the parser's own cost.
  const c = CASES[Number(values.case)];
  const { doc, count } = buildDoc(c.bytes);
  const chunks = c.chunks ? toChunks(doc) : undefined;
  const input = { doc, count, chunks: c.bytesIn ? chunks.map((x) => Buffer.from(x, 'latin1')) : chunks, bytes: c.whole ? Buffer.from(doc, 'latin1') : undefined };
  const rates = [];
  const cpuRates = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    c.run(input);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(c0);
    rates.push(doc.length / MB / wall);
    cpuRates.push(doc.length / MB / ((cpu.user + cpu.system) / 1e6));
  }
  const row = {
    case: c.name.trim(),
    bytes: doc.length,
    entries: count,
    medianMBps: median(rates),
    minMBps: Math.min(...rates),
    maxMBps: Math.max(...rates),
    medianMBperCpuSecond: median(cpuRates),
  };
  process.stdout.write(`${JSON.stringify(row)}\n`);
} else {
  console.log(
    `XML parsing: rpc-reply of ~210-byte <interface> entries, ${piece}-byte pieces, ${rounds} rounds per case, each case in a fresh process (node ${process.version})`,
  );
  console.log('case'.padEnd(46), 'median MB/s'.padStart(12), 'min'.padStart(8), 'max'.padStart(8), 'MB/CPU s'.padStart(10));
  const results = [];
  const self = fileURLToPath(import.meta.url);
  const pass = ['--size-mb', values['size-mb'], '--tree-mb', values['tree-mb'], '--rounds', values.rounds, '--piece', values.piece];
  for (let i = 0; i < CASES.length; i++) {
    const child = spawnSync(process.execPath, [self, '--case', String(i), ...pass], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`case ${CASES[i].name} failed:\n${child.stderr}`);
    const row = JSON.parse(child.stdout.trim().split('\n').pop());
    results.push(row);
    console.log(
      CASES[i].name.padEnd(46),
      row.medianMBps.toFixed(1).padStart(12),
      row.minMBps.toFixed(1).padStart(8),
      row.maxMBps.toFixed(1).padStart(8),
      row.medianMBperCpuSecond.toFixed(1).padStart(10),
    );
  }
  if (values.json) {
    mkdirSync(dirname(values.json), { recursive: true });
    writeFileSync(values.json, `${JSON.stringify({ node: process.version, piece, rounds, results }, null, 2)}\n`);
  }
}
