import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetconfFramingError } from '../../src/transport/errors.js';
import { encodeMessage, FrameDecoder, MAX_CHUNK_SIZE, type FramingMode } from '../../src/transport/framing.js';

/** Feed `pieces` to a fresh decoder in `mode`; return the messages decoded, as strings. */
function decode(mode: FramingMode, pieces: Buffer[], maxMessageSize?: number): string[] {
  const out: string[] = [];
  const decoder = new FrameDecoder((segments, size) => {
    assert.equal(segments.reduce((n, s) => n + s.length, 0), size, 'size matches the segments');
    out.push(Buffer.concat(segments, size).toString('utf8'));
  }, maxMessageSize === undefined ? {} : { maxMessageSize });
  if (mode === 'chunked') decoder.upgrade();
  for (const piece of pieces) decoder.push(piece);
  return out;
}

function frame(mode: FramingMode, ...messages: string[]): Buffer {
  return Buffer.concat(messages.flatMap((m) => encodeMessage(Buffer.from(m, 'utf8'), mode)));
}

/** Split `buf` at the given offsets. */
function splitAt(buf: Buffer, ...offsets: number[]): Buffer[] {
  const cuts = [0, ...offsets, buf.length];
  return cuts.slice(1).map((end, i) => buf.subarray(cuts[i], end));
}

/** A small deterministic PRNG so failures can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomSplit(buf: Buffer, random: () => number, maxPiece: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < buf.length; ) {
    const n = 1 + Math.floor(random() * maxPiece);
    out.push(buf.subarray(at, at + n));
    at += n;
  }
  return out;
}

const MSG_A = '<rpc-reply message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ok/></rpc-reply>';
const MSG_B = '<rpc-reply message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data>é漢字🎉 ]]&gt; ]]</data></rpc-reply>';

for (const mode of ['eom', 'chunked'] as const) {
  describe(`FrameDecoder (${mode})`, () => {
    it('decodes one message, and several in one push', () => {
      assert.deepEqual(decode(mode, [frame(mode, MSG_A)]), [MSG_A]);
      assert.deepEqual(decode(mode, [frame(mode, MSG_A, MSG_B, MSG_A)]), [MSG_A, MSG_B, MSG_A]);
    });

    it('decodes two messages split in two at every byte offset', () => {
      const wire = frame(mode, MSG_A, MSG_B);
      for (let cut = 0; cut <= wire.length; cut++) {
        assert.deepEqual(decode(mode, splitAt(wire, cut)), [MSG_A, MSG_B], `split at ${cut}`);
      }
    });

    it('decodes a message split in three at every pair of offsets', () => {
      const wire = frame(mode, '<a>x</a>', '<b>é</b>');
      for (let i = 0; i <= wire.length; i++) {
        for (let j = i; j <= wire.length; j++) {
          assert.deepEqual(decode(mode, splitAt(wire, i, j)), ['<a>x</a>', '<b>é</b>'], `split at ${i},${j}`);
        }
      }
    });

    it('decodes byte by byte, and with random splits', () => {
      const wire = frame(mode, MSG_B, MSG_A, MSG_B);
      const bytes = [...wire].map((b) => Buffer.from([b]));
      assert.deepEqual(decode(mode, bytes), [MSG_B, MSG_A, MSG_B]);
      const random = rng(42);
      for (let round = 0; round < 200; round++) {
        assert.deepEqual(decode(mode, randomSplit(wire, random, 1 + (round % 40))), [MSG_B, MSG_A, MSG_B], `round ${round}`);
      }
    });

    it('keeps a multi-byte UTF-8 character split across reads whole', () => {
      const text = '<x>€🎉</x>';
      const wire = frame(mode, text);
      const euro = wire.indexOf(Buffer.from('€'));
      for (const cut of [euro + 1, euro + 2, euro + 4, euro + 5]) {
        assert.deepEqual(decode(mode, splitAt(wire, cut)), [text]);
      }
    });

    it('refuses a message over maxMessageSize', () => {
      const wire = frame(mode, 'x'.repeat(100));
      assert.throws(() => decode(mode, [wire], 50), NetconfFramingError);
      assert.deepEqual(decode(mode, [wire], 100), ['x'.repeat(100)]);
    });

    it('lets a message streamed to a consumer (unlimitCurrentMessage) exceed maxMessageSize, and limits the next one again', () => {
      let received = 0;
      let ended = 0;
      const decoder = new FrameDecoder(
        {
          data: (piece) => {
            received += piece.length;
            if (received > 0 && received < 40) decoder.unlimitCurrentMessage();
          },
          end: () => ended++,
        },
        { maxMessageSize: 50 },
      );
      if (mode === 'chunked') decoder.upgrade();
      // chunked: chunks of 40 bytes, each announced size within the limit when the consumer claims
      const wire = mode === 'eom' ? frame(mode, 'x'.repeat(200)) : Buffer.from(`${'\n#40\n'.concat('x'.repeat(40)).repeat(5)}\n##\n`);
      for (const piece of splitAt(wire, 30, 90, 150)) decoder.push(piece);
      assert.equal(ended, 1);
      assert.equal(received, 200);
      received = -1_000_000; // the handler does not lift the limit for the next message
      assert.throws(() => decoder.push(frame(mode, 'y'.repeat(60))), /maximum size of 50 bytes/);
    });

    it('fails for good after a framing error', () => {
      const decoder = new FrameDecoder(() => undefined, { maxMessageSize: 10 });
      if (mode === 'chunked') decoder.upgrade();
      assert.throws(() => decoder.push(frame(mode, 'y'.repeat(11))), NetconfFramingError);
      assert.throws(() => decoder.push(frame(mode, 'ok')), /maximum size/);
    });
  });
}

describe('FrameDecoder end-of-message specifics', () => {
  it('finds a delimiter that overlaps a partial one (]]]>]]>) across pushes', () => {
    const wire = Buffer.from('<a>]]</a>]]]>]]>');
    // the message is `<a>]]</a>]` followed by the delimiter
    for (let cut = 0; cut <= wire.length; cut++) {
      assert.deepEqual(decode('eom', splitAt(wire, cut)), ['<a>]]</a>]'], `split at ${cut}`);
    }
  });

  it('keeps text that only resembles the delimiter', () => {
    const text = '<a>]]>]]</a><b>]]>]</b>';
    assert.deepEqual(decode('eom', [Buffer.from(`${text}]]>]]>`)]), [text]);
  });

  it('checks the size limit while no delimiter has come', () => {
    const decoder = new FrameDecoder(() => undefined, { maxMessageSize: 1000 });
    decoder.push(Buffer.alloc(1000, 0x61));
    assert.throws(() => decoder.push(Buffer.from('a')), /maximum size of 1000 bytes/);
  });

  it('switches to chunked framing in the middle of a push (upgrade after the hello)', () => {
    const out: string[] = [];
    const decoder = new FrameDecoder((segments) => {
      out.push(Buffer.concat(segments).toString());
      if (out.length === 1) decoder.upgrade();
    });
    decoder.push(Buffer.concat([frame('eom', '<hello/>'), Buffer.from('\n'), frame('chunked', MSG_A, MSG_B)]));
    assert.deepEqual(out, ['<hello/>', MSG_A, MSG_B]);
    assert.equal(decoder.mode, 'chunked');
  });

  it('refuses to upgrade in the middle of a message', () => {
    const decoder = new FrameDecoder(() => undefined);
    decoder.push(Buffer.from('<hel'));
    assert.throws(() => decoder.upgrade(), NetconfFramingError);
  });
});

describe('FrameDecoder chunked specifics', () => {
  const chunked = (s: string): Buffer => Buffer.from(s, 'latin1');

  it('joins a message made of many chunks, of every size', () => {
    const body = 'abcdefghij'.repeat(50);
    for (const size of [1, 2, 7, 64, 499, 500]) {
      let wire = '';
      for (let at = 0; at < body.length; at += size) {
        const piece = body.slice(at, at + size);
        wire += `\n#${piece.length}\n${piece}`;
      }
      wire += '\n##\n';
      assert.deepEqual(decode('chunked', [chunked(wire)]), [body], `chunk size ${size}`);
    }
  });

  it('tolerates blank lines between messages', () => {
    assert.deepEqual(decode('chunked', [chunked('\n\n#3\nabc\n##\n\n\n#2\nde\n##\n')]), ['abc', 'de']);
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['#0', '\n#0\n\n##\n', /digit 1-9/],
    ['a zero-padded size', '\n#01\na\n##\n', /digit 1-9/],
    ['a size over 4294967295', '\n#4294967296\n', /maximum of 4294967295/],
    ['an 11-digit size', '\n#10000000000\n', /maximum of 4294967295/],
    ['a letter in the size', '\n#12a\n', /digit or LF/],
    ['a missing #', '\nabc', /expected '#'/],
    ['a header without LF', '#3\nabc\n##\n', /expected LF/],
    ['no LF after the chunk data', '\n#3\nabcd\n##\n', /expected LF/],
    ['end-of-chunks before any chunk', '\n##\n', /before any chunk/],
    ['end-of-chunks not closed by LF', '\n#1\na\n##x', /close the end-of-chunks/],
    ['a negative size', '\n#-1\n', /chunk size or '#'/],
    ['a space inside a message', '\n#1\na \n##\n', /expected LF/],
  ];
  for (const [what, wire, message] of malformed) {
    it(`refuses ${what}`, () => {
      assert.throws(() => decode('chunked', [chunked(wire)]), (err: unknown) => err instanceof NetconfFramingError && message.test(err.message));
      // the same, byte by byte
      assert.throws(() => decode('chunked', [...chunked(wire)].map((b) => Buffer.from([b]))), NetconfFramingError);
    });
  }

  it('accepts the largest chunk size in a header', () => {
    const decoder = new FrameDecoder(() => undefined, { maxMessageSize: Number.MAX_SAFE_INTEGER });
    decoder.upgrade();
    decoder.push(chunked(`\n#${MAX_CHUNK_SIZE}\nabc`));
    assert.equal(decoder.bufferedBytes, 3);
  });

  it('refuses a chunk announcing more than maxMessageSize before its data arrives', () => {
    const decoder = new FrameDecoder(() => undefined, { maxMessageSize: 1024 });
    decoder.upgrade();
    assert.throws(() => decoder.push(chunked('\n#1025\n')), /maximum size of 1024/);
  });

  it('reports what is pending of an unfinished message', () => {
    const decoder = new FrameDecoder(() => undefined);
    decoder.upgrade();
    assert.equal(decoder.inMessage, false);
    decoder.push(chunked('\n#10\n<rpc-re'));
    assert.equal(decoder.inMessage, true);
    assert.equal(decoder.pending().toString(), '<rpc-re');
  });

  it('does not copy: segments are views of the pushed buffers', () => {
    const wire = frame('chunked', 'hello world');
    let seen: Buffer[] = [];
    const decoder = new FrameDecoder((segments) => {
      seen = segments;
    });
    decoder.upgrade();
    decoder.push(wire);
    assert.equal(seen.length, 1);
    assert.equal((seen[0] as Buffer).buffer, wire.buffer);
  });

  it('decodes one 8 MiB chunk fed in 64 KiB pieces', () => {
    const body = Buffer.alloc(8 * 1024 * 1024, 0x78);
    const wire = Buffer.concat([chunked(`\n#${body.length}\n`), body, chunked('\n##\n')]);
    const sizes: number[] = [];
    const decoder = new FrameDecoder((_segments, size) => sizes.push(size));
    decoder.upgrade();
    for (let at = 0; at < wire.length; at += 65536) decoder.push(wire.subarray(at, at + 65536));
    assert.deepEqual(sizes, [body.length]);
  });
});

describe('encodeMessage', () => {
  it('frames end-of-message and chunked messages', () => {
    assert.equal(Buffer.concat(encodeMessage(Buffer.from('<a/>'), 'eom')).toString(), '<a/>]]>]]>');
    assert.equal(Buffer.concat(encodeMessage(Buffer.from('<a>é</a>'), 'chunked')).toString(), '\n#9\n<a>é</a>\n##\n');
  });

  it('refuses an empty message and a delimiter inside an end-of-message frame', () => {
    assert.throws(() => encodeMessage(Buffer.alloc(0), 'chunked'), NetconfFramingError);
    assert.throws(() => encodeMessage(Buffer.from('<a>]]>]]></a>'), 'eom'), /end-of-message delimiter/);
  });
});

describe('FrameDecoder with a FrameSink (streaming)', () => {
  /** Decode through a sink; return the messages and the largest number of bytes the decoder held. */
  function stream(mode: FramingMode, pieces: Buffer[]): { messages: string[]; pieces: number } {
    const messages: string[] = [];
    let current: Buffer[] = [];
    let count = 0;
    const decoder = new FrameDecoder({
      data(piece) {
        assert.ok(piece.length > 0, 'no empty pieces');
        current.push(Buffer.from(piece)); // copy: the test keeps them
        count++;
      },
      end() {
        messages.push(Buffer.concat(current).toString('utf8'));
        current = [];
      },
    });
    if (mode === 'chunked') decoder.upgrade();
    for (const piece of pieces) decoder.push(piece);
    return { messages, pieces: count };
  }

  for (const mode of ['eom', 'chunked'] as const) {
    it(`hands over the same messages as the collecting decoder (${mode}), at every split and random splits`, () => {
      const wire = frame(mode, MSG_A, MSG_B, '<x>]]]>]]</x>');
      for (let cut = 0; cut <= wire.length; cut++) {
        assert.deepEqual(stream(mode, splitAt(wire, cut)).messages, [MSG_A, MSG_B, '<x>]]]>]]</x>'], `split at ${cut}`);
      }
      const random = rng(7);
      for (let round = 0; round < 100; round++) {
        assert.deepEqual(stream(mode, randomSplit(wire, random, 1 + (round % 30))).messages, [MSG_A, MSG_B, '<x>]]]>]]</x>']);
      }
    });
  }

  it('hands over a large message while it arrives, holding back at most the 5 bytes that may start a delimiter', () => {
    let handed = 0;
    const decoder = new FrameDecoder({
      data(piece) {
        handed += piece.length;
      },
      end() {},
    });
    decoder.push(Buffer.alloc(100_000, 0x61));
    assert.equal(handed, 100_000 - 5);
    assert.equal(decoder.pending().length, 5, 'only the held-back bytes remain in the decoder');
  });
});
