import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ReceiveBuffer } from '../../src/transport/receive-buffer.js';

/** Split `bytes` into pieces of the given sizes (the last piece takes the rest). */
function pieces(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push(bytes.subarray(at, Math.min(bytes.length, at + size)));
    at += size;
  }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}

describe('ReceiveBuffer', () => {
  it('keeps a message of one piece as it is (no copy)', () => {
    const buffer = new ReceiveBuffer();
    const piece = Buffer.from('<hello/>');
    buffer.append(piece);
    buffer.append(Buffer.alloc(0));
    assert.equal(buffer.size, piece.length);
    assert.equal(buffer.view(), piece);
    assert.equal(buffer.take(), piece);
    assert.equal(buffer.size, 0);
    assert.equal(buffer.take().length, 0, 'an empty message');
  });

  it('gathers pieces into one contiguous Buffer across every growth step, for messages of many sizes', () => {
    const buffer = new ReceiveBuffer();
    for (const size of [2, 1000, 262_144, 262_145, 3_000_000, 20_000_000, 700_000, 5]) {
      const message = randomBytes(size);
      const sizes = [1, 65_536, 7, 1_000_000, 32_768];
      for (const piece of pieces(message, sizes)) buffer.append(piece);
      assert.equal(buffer.size, size);
      assert.ok(buffer.view().equals(message), `view of ${size}`);
      const taken = buffer.take();
      assert.ok(taken.equals(message), `message of ${size} bytes`);
      // What take() returned is the caller's: the next message must not overwrite it.
      const next = randomBytes(300_000);
      for (const piece of pieces(next, [100, 200_000])) buffer.append(piece);
      assert.ok(taken.equals(message), `message of ${size} bytes still intact after the next one arrived`);
      assert.ok(buffer.take().equals(next));
    }
  });

  it('copies out a small message and keeps its storage; hands a large one over without a copy', () => {
    const buffer = new ReceiveBuffer();
    const large = randomBytes(4_000_000);
    for (const piece of pieces(large, [300_000, 300_000])) buffer.append(piece);
    const first = buffer.take();
    assert.ok(first.equals(large));
    assert.ok(first.buffer.byteLength < 2 * large.length, 'a large message is handed over in a buffer at most twice its size');
    // the next large message starts at the capacity the last one needed: not regrown
    const again = randomBytes(4_000_000);
    for (const piece of pieces(again, [300_000, 300_000])) buffer.append(piece);
    const second = buffer.take();
    assert.ok(second.equals(again));
    assert.equal(second.buffer.byteLength, first.buffer.byteLength);
    // a small one in that large capacity is copied out to its own size
    const small = randomBytes(500_000);
    for (const piece of pieces(small, [100_000])) buffer.append(piece);
    const third = buffer.take();
    assert.ok(third.equals(small));
    assert.ok(third.buffer.byteLength < 1_000_000, `${third.buffer.byteLength} bytes pinned for a 500 KB message`);
  });

  it('receives into recycled storage, and only when it holds none itself', () => {
    const buffer = new ReceiveBuffer();
    const message = randomBytes(3_000_000);
    for (const piece of pieces(message, [65_536])) buffer.append(piece);
    const taken = buffer.take();
    buffer.recycle(taken);
    const next = randomBytes(2_000_000);
    for (const piece of pieces(next, [65_536])) buffer.append(piece);
    const reused = buffer.take();
    assert.ok(reused.equals(next));
    assert.equal(reused.buffer, taken.buffer, 'the recycled memory was received into');
    buffer.recycle(Buffer.alloc(10)); // too small to be worth keeping: ignored
    const tiny = buffer.view();
    assert.equal(tiny.length, 0);
  });

  it('reset drops a partly received message', () => {
    const buffer = new ReceiveBuffer();
    buffer.append(Buffer.from('abc'));
    buffer.append(Buffer.from('def'));
    buffer.reset();
    assert.equal(buffer.size, 0);
    buffer.append(Buffer.from('xyz'));
    assert.equal(buffer.take().toString(), 'xyz');
  });

  it('lets a large spare buffer go after a while, but never one a message is being gathered in', async () => {
    const buffer = new ReceiveBuffer(30);
    const message = randomBytes(3_000_000);
    for (const piece of pieces(message, [65_536])) buffer.append(piece);
    buffer.recycle(buffer.take());
    assert.equal(buffer.holdsSpare, true);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(buffer.holdsSpare, false, 'let go when idle');
    // a message in progress in recycled storage keeps it past the delay
    for (const piece of pieces(message, [65_536])) buffer.append(piece);
    buffer.recycle(buffer.take());
    buffer.append(Buffer.from('<a>'));
    buffer.append(Buffer.from('still coming'));
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(buffer.view().toString(), '<a>still coming');
    assert.equal(buffer.take().toString(), '<a>still coming');
    buffer.reset();
    assert.equal(buffer.holdsSpare, false);
  });
});
