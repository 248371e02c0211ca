// Framing decoder throughput: one message of SIZE MB in chunked framing (every chunk size from
// 1 KB to a single chunk), and in end-of-message framing, fed to the decoder in 64 KiB pieces as
// a socket would deliver it. Prints median/min/max MB/s over ROUNDS runs and writes JSON.
//   node bench/framing.mjs [--size-mb 100] [--rounds 7] [--json bench/results/framing.json]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { FrameDecoder } from '../dist/internals.js';

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '100' },
    rounds: { type: 'string', default: '7' },
    piece: { type: 'string', default: '65536' },
    json: { type: 'string', default: 'bench/results/framing.json' },
  },
});
const size = Math.round(Number(values['size-mb']) * 1024 * 1024);
const rounds = Number(values.rounds);
const piece = Number(values.piece);

function chunkedWire(payload, chunkSize) {
  const parts = [];
  for (let at = 0; at < payload.length; at += chunkSize) {
    const n = Math.min(chunkSize, payload.length - at);
    parts.push(Buffer.from(`\n#${n}\n`, 'latin1'), payload.subarray(at, at + n));
  }
  parts.push(Buffer.from('\n##\n', 'latin1'));
  return Buffer.concat(parts);
}

// join: also copy the message into one Buffer, as the session does before decoding it to text.
function run(wire, mode, join = false) {
  let got = 0;
  const decoder = new FrameDecoder((segments, n) => {
    got += join ? Buffer.concat(segments, n).length : n;
  }, { maxMessageSize: wire.length });
  if (mode === 'chunked') decoder.upgrade();
  const t0 = process.hrtime.bigint();
  for (let at = 0; at < wire.length; at += piece) decoder.push(wire.subarray(at, at + piece));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (got !== size) throw new Error(`decoded ${got} bytes, expected ${size}`);
  return size / 1e6 / seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Payload: XML-ish text, no delimiter inside.
const unit = Buffer.from('<interface><name>ge-0/0/1</name><description>uplink é</description></interface>\n');
const payload = Buffer.alloc(size);
for (let at = 0; at < size; at += unit.length) unit.copy(payload, at);

const cases = [
  ...[1024, 1986, 8192, 65536, 1 << 20].map((c) => ({ name: `chunked, ${c} B chunks`, mode: 'chunked', wire: () => chunkedWire(payload, c) })),
  { name: 'chunked, one chunk', mode: 'chunked', wire: () => chunkedWire(payload, size) },
  { name: 'end-of-message', mode: 'eom', wire: () => Buffer.concat([payload, Buffer.from(']]>]]>')]) },
];
const results = [];
console.log(`framing decoder, ${(size / 1048576).toFixed(0)} MiB message fed in ${piece} B pieces, ${rounds} rounds (node ${process.version})`);
console.log('case'.padEnd(28), 'median MB/s'.padStart(12), 'min'.padStart(8), 'max'.padStart(8), '  with one Buffer.concat: median'.padStart(34));
for (const c of cases) {
  const wire = c.wire();
  run(wire, c.mode); // warm-up
  const rates = Array.from({ length: rounds }, () => run(wire, c.mode));
  const joined = Array.from({ length: rounds }, () => run(wire, c.mode, true));
  const r = { case: c.name, medianMBps: median(rates), minMBps: Math.min(...rates), maxMBps: Math.max(...rates), withConcatMedianMBps: median(joined) };
  results.push(r);
  console.log(c.name.padEnd(28), r.medianMBps.toFixed(0).padStart(12), r.minMBps.toFixed(0).padStart(8), r.maxMBps.toFixed(0).padStart(8), r.withConcatMedianMBps.toFixed(0).padStart(34));
}
if (values.json) {
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(values.json, JSON.stringify({ sizeBytes: size, piece, rounds, node: process.version, results }, null, 2));
}
