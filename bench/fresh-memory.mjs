// What a reply kept whole in one Buffer costs before a single byte is received: the page faults
// of fresh memory. Fills SIZE MB in 64 KB copies (what the receive path does with the pieces of a
// reply), once into freshly allocated memory, once more into the same, now mapped, memory.
// Medians over ROUNDS. Explains why workload (g) (and (a)) cannot reach 70% of a bare socket that
// keeps nothing: on this VM the fresh 100 MB alone cost more than the bare socket's whole transfer.
//
//   node bench/fresh-memory.mjs [--size-mb 100] [--rounds 5]
import { parseArgs } from 'node:util';
import { stats } from './lib/common.mjs';

const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '100' }, rounds: { type: 'string', default: '5' } } });
const size = Number(values['size-mb']) * 1024 * 1024;
const piece = Buffer.alloc(64 * 1024, 0x61);
const fill = (buffer) => {
  for (let at = 0; at < size; at += piece.length) piece.copy(buffer, at);
};
const fresh = [];
const mapped = [];
for (let r = 0; r < Number(values.rounds); r++) {
  let t = performance.now();
  const buffer = Buffer.allocUnsafeSlow(size);
  fill(buffer);
  fresh.push(performance.now() - t);
  t = performance.now();
  fill(buffer);
  mapped.push(performance.now() - t);
}
const show = (name, xs) => {
  const s = stats(xs);
  console.log(`${name.padEnd(44)} ${s.median.toFixed(1).padStart(8)} ms  (${s.min.toFixed(1)}–${s.max.toFixed(1)})  ${((size / 1024 / 1024 / s.median) * 1000).toFixed(0)} MB/s`);
};
console.log(`fill ${values['size-mb']} MB in 64 KB copies, median (min–max) of ${values.rounds}`);
show('fresh memory (allocUnsafeSlow, first touch)', fresh);
show('the same memory again (already mapped)', mapped);
