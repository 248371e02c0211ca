// Where the time of the raw large-reply path goes: runs client-node.mjs --workload large under
// `node --cpu-prof` against the running peer (bench/peer.sh start) and summarises the profile:
// self time per function, and the inclusive time of the frames that matter (framing decoder,
// Buffer.concat, UTF-8 decoding, root finding, ssh2's decryption, GC).
//
//   node bench/profile-large.mjs [--size-mb 100] [--calls 3] [--top 20]
// The profile is kept in bench/results/profile/ (open it in Chrome DevTools for the flame chart).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR } from './lib/common.mjs';

const { values: opt } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '100' },
    calls: { type: 'string', default: '3' },
    top: { type: 'string', default: '20' },
    'chunk-bytes': { type: 'string', default: '16384' },
  },
});
const size = Math.round(Number(opt['size-mb']) * 1e6);
const dir = join(BENCH_DIR, 'results', 'profile');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const conf = join(BENCH_DIR, '.state', 'peer.conf');
writeFileSync(`${conf}.tmp`, `reply_bytes=${size}\nchunk_bytes=${opt['chunk-bytes']}\nframing=auto\n`);
renameSync(`${conf}.tmp`, conf);

const run = spawnSync('node', ['--cpu-prof', '--cpu-prof-dir', dir, join(BENCH_DIR, 'client-node.mjs'), '--workload', 'large', '--calls', opt.calls, '--expect-bytes', String(size)], { encoding: 'utf8' });
if (run.status !== 0) throw new Error(`client failed: ${run.stdout}${run.stderr}`);
console.log(run.stdout.trim());
const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self time per node from the samples; the tree from the children lists.
const byId = new Map(profile.nodes.map((n) => [n.id, { ...n, self: 0 }]));
for (let i = 0; i < profile.samples.length; i++) byId.get(profile.samples[i]).self += (profile.timeDeltas[i] ?? 0) / 1000;
const parent = new Map();
for (const n of byId.values()) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
};
const total = [...byId.values()].reduce((a, n) => a + n.self, 0);
const idle = [...byId.values()].filter((n) => n.callFrame.functionName === '(idle)').reduce((a, n) => a + n.self, 0);

const selfBy = new Map();
for (const n of byId.values()) selfBy.set(name(n), (selfBy.get(name(n)) ?? 0) + n.self);
console.log(`\nprofile ${basename(file)}: ${total.toFixed(0)} ms sampled, ${idle.toFixed(0)} ms idle (waiting for the network)`);
console.log(`\nself time, top ${opt.top}:`);
for (const [k, ms] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, Number(opt.top))) {
  console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${(100 * ms / total).toFixed(1).padStart(5)}%  ${k}`);
}

// Inclusive time of frames matching a test: a sample counts once however deep the match recurs.
function inclusive(test) {
  let ms = 0;
  for (const n of byId.values()) {
    if (n.self === 0) continue;
    for (let id = n.id; id !== undefined; id = parent.get(id)) {
      if (test(byId.get(id))) {
        ms += n.self;
        break;
      }
    }
  }
  return ms;
}
const fn = (f, file) => (n) => n.callFrame.functionName === f && (file === undefined || n.callFrame.url.includes(file));
const groups = [
  // ssh2 hands each decrypted packet on synchronously: this includes the rows below it.
  ['ssh2: receive path (Protocol.parse), including what it calls (the rows below)', fn('parse', 'ssh2/lib/protocol/Protocol.js')],
  ['framing: FrameDecoder.push (slicing only)', fn('push', 'framing.js')],
  ['copy of each piece into the receive buffer (_copyActual)', fn('_copyActual')],
  ['rpc-error and ASCII checks as pieces arrive (MessageScan.push)', fn('push', 'message-scan.js')],
  ['the string: Latin-1 / UTF-8 decoding (latin1Slice, utf8Slice)', (n) => ['latin1Slice', 'utf8Slice'].includes(n.callFrame.functionName)],
  ['findRoot (root start tag)', fn('findRoot')],
  ['garbage collector', (n) => n.callFrame.functionName === '(garbage collector)'],
];
console.log('\ninclusive time:');
for (const [label, test] of groups) {
  const ms = inclusive(test);
  console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${(100 * ms / total).toFixed(1).padStart(5)}%  ${label}`);
}
console.log(`\nopen ${file} in Chrome DevTools (Performance > Load profile) for the flame chart`);
