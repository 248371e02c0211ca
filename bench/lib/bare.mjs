// NETCONF with no NETCONF layer, for the ceilings: the hello exchange, then RPCs written as one
// pre-framed buffer each and replies merely counted (bytes, and end-of-message markers) as they
// stream by; nothing is parsed, joined or decoded. Works on any byte stream: an ssh2 channel
// (ceiling-ssh2.mjs) or the stdin/stdout of `ssh -s netconf` (ceiling-openssh.mjs).
// With `{ asString: true }` (the string ceiling), each reply is also built as one string, the
// least work that gives what this client returns as `reply.xml` (see StringGatherer).
import { DEFAULT_PEER_JSON, GET, GET_CONFIG_RUNNING, NETCONF_NS, peakRss, percentile, secondsSince, stats } from './common.mjs';

/** The command-line options both ceiling scripts take (parseArgs form). */
export const BARE_OPTIONS = {
  peer: { type: 'string', default: DEFAULT_PEER_JSON },
  workload: { type: 'string', default: 'large' },
  calls: { type: 'string', default: '4' },
  sequential: { type: 'string', default: '2000' },
  pipelined: { type: 'string', default: '20000' },
  window: { type: 'string', default: '256' },
};

const EOM = Buffer.from(']]>]]>');
const END_OF_CHUNKS = Buffer.from('\n##\n');
const CLIENT_HELLO = Buffer.from(
  `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NETCONF_NS}"><capabilities>` +
    '<capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability>' +
    '</capabilities></hello>]]>]]>',
);

/**
 * The string ceiling: each reply built as one JavaScript string, as cheaply as it can be done.
 * The framing is stripped as the bytes arrive (a chunk header costs a few byte comparisons, a
 * chunk's data one `copy`) and the payload copied into one buffer, reserved with
 * `Buffer.allocUnsafeSlow` and kept for the next reply (the first reply grows it eightfold at a
 * time from 256 KiB, as this client's receive buffer does); at the end of the message that buffer
 * is decoded once as Latin-1 (the peer's XML is ASCII; a Latin-1 string of more than ~1 MB is
 * created outside V8's heap, the copy `profile-large.mjs` shows as `latin1Slice`). No ASCII check,
 * no error check, no root element, no promise per reply: only the bytes and the string.
 */
export class StringGatherer {
  #chunked;
  #buffer = null;
  #size = 0;
  // chunked framing: where the decoder stands (0: LF, 1: '#', 2: digit or '#', 3: digits, 4: LF of '\n##\n')
  #state = 0;
  #remaining = 0;
  #chunkSize = 0;
  /** The last reply, as a string (cleared by whoever looked at it). */
  text = null;

  constructor(chunked) {
    this.#chunked = chunked;
  }

  /** Take the next piece of the stream; returns how many replies it completed. */
  push(chunk) {
    return this.#chunked ? this.#pushChunked(chunk) : this.#pushEom(chunk);
  }

  #pushChunked(chunk) {
    let ended = 0;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.#remaining > 0) {
        const end = Math.min(n, i + this.#remaining);
        this.#append(chunk, i, end);
        this.#remaining -= end - i;
        i = end;
        continue;
      }
      const byte = chunk[i++];
      switch (this.#state) {
        case 0: // LF
          if (byte !== 0x0a) throw new Error(`chunked framing: expected LF, got ${byte}`);
          this.#state = 1;
          break;
        case 1: // '#'
          if (byte !== 0x23) throw new Error(`chunked framing: expected '#', got ${byte}`);
          this.#state = 2;
          break;
        case 2: // first digit, or the second '#' of end-of-chunks
          if (byte === 0x23) this.#state = 4;
          else {
            this.#chunkSize = byte - 0x30;
            this.#state = 3;
          }
          break;
        case 3: // digits until LF
          if (byte === 0x0a) {
            this.#remaining = this.#chunkSize;
            this.#state = 0;
          } else this.#chunkSize = this.#chunkSize * 10 + (byte - 0x30);
          break;
        case 4: // LF of end-of-chunks: the reply is complete
          this.#finish(this.#size);
          this.#state = 0;
          ended++;
          break;
      }
    }
    return ended;
  }

  #pushEom(chunk) {
    let ended = 0;
    let from = Math.max(0, this.#size - (EOM.length - 1)); // a delimiter may straddle two pieces
    this.#append(chunk, 0, chunk.length);
    for (;;) {
      const at = this.#buffer.subarray(0, this.#size).indexOf(EOM, from);
      if (at === -1) return ended;
      const next = at + EOM.length;
      const rest = this.#size - next;
      this.#finish(at);
      // what follows the delimiter (nothing, with one RPC in flight) starts the next reply
      if (rest > 0) this.#buffer.copy(this.#buffer, 0, next, next + rest);
      this.#size = rest;
      from = 0;
      ended++;
    }
  }

  #append(source, start, end) {
    const needed = this.#size + (end - start);
    if (this.#buffer === null || needed > this.#buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.#buffer === null ? 256 * 1024 : this.#buffer.length * 8));
      if (this.#size > 0) this.#buffer.copy(grown, 0, 0, this.#size);
      this.#buffer = grown;
    }
    source.copy(this.#buffer, this.#size, start, end);
    this.#size = needed;
  }

  /** The reply is the first `length` bytes of the buffer: one string; the buffer is kept for the next one. */
  #finish(length) {
    this.text = this.#buffer === null ? '' : this.#buffer.toString('latin1', 0, length);
    this.#size = 0;
  }
}

export class BareNetconf {
  #out;
  #asString;
  #gatherer = null;
  #helloBuf = Buffer.alloc(0);
  #helloDone;
  #settleHello;
  #marker = EOM;
  #carry = Buffer.alloc(0);
  #waiter = null;
  #nextId = 1;
  /** Replies seen (end markers counted) and bytes received after the hello. */
  replies = 0;
  bytes = 0;
  chunked = false;
  sessionId = null;
  /** Called after every read that completed a reply (the pipelined workload tops up here). */
  onProgress = null;

  /**
   * @param out - writable side; @param input - readable side (the same Duplex for a channel)
   * @param options - `asString`: build each reply as one string (`takeText()`), see {@link StringGatherer}
   */
  constructor(out, input, { asString = false } = {}) {
    this.#out = out;
    this.#asString = asString;
    this.#helloDone = new Promise((resolve, reject) => {
      this.#settleHello = { resolve, reject };
    });
    input.on('data', (chunk) => this.#onData(chunk));
    input.on('close', () => this.#fail(new Error('stream closed')));
    input.on('error', (err) => this.#fail(err));
  }

  #fail(err) {
    this.#settleHello.reject(err);
    if (this.#waiter) this.#waiter.reject(err);
  }

  /** Exchange hellos; chunked framing when the server offers base:1.1 (ours always does). */
  async hello() {
    this.#out.write(CLIENT_HELLO);
    await this.#helloDone;
  }

  #onData(chunk) {
    if (this.sessionId === null) {
      // The hello: buffered until its delimiter; nothing follows it until we send an RPC.
      this.#helloBuf = Buffer.concat([this.#helloBuf, chunk]);
      const at = this.#helloBuf.indexOf(EOM);
      if (at === -1) return;
      const hello = this.#helloBuf.subarray(0, at).toString();
      this.sessionId = /<session-id>(\d+)<\/session-id>/.exec(hello)?.[1] ?? '?';
      this.chunked = hello.includes('urn:ietf:params:netconf:base:1.1');
      this.#marker = this.chunked ? END_OF_CHUNKS : EOM;
      if (this.#asString) this.#gatherer = new StringGatherer(this.chunked);
      this.#settleHello.resolve();
      return;
    }
    this.bytes += chunk.length;
    if (this.#gatherer !== null) {
      const ended = this.#gatherer.push(chunk);
      if (ended > 0) this.#replied(ended);
      return;
    }
    const marker = this.#marker;
    const m = marker.length;
    let found = 0;
    // A marker split across reads: starts in the carried tail, ends in this chunk.
    if (this.#carry.length > 0) {
      const edge = Buffer.concat([this.#carry, chunk.subarray(0, m - 1)]);
      for (let i = edge.indexOf(marker); i !== -1 && i < this.#carry.length; i = edge.indexOf(marker, i + 1)) found++;
    }
    for (let i = chunk.indexOf(marker); i !== -1; i = chunk.indexOf(marker, i + m)) found++;
    this.#carry = chunk.length >= m - 1 ? chunk.subarray(chunk.length - (m - 1)) : Buffer.concat([this.#carry, chunk]).subarray(-(m - 1));
    if (found === 0) return;
    this.#replied(found);
  }

  #replied(found) {
    this.replies += found;
    this.onProgress?.();
    if (this.#waiter && this.replies >= this.#waiter.target) {
      const w = this.#waiter;
      this.#waiter = null;
      w.resolve();
    }
  }

  /** One RPC, framed as negotiated, as a single Buffer (one SSH packet). */
  frame(operation) {
    const xml = Buffer.from(`<rpc message-id="${this.#nextId++}" xmlns="${NETCONF_NS}">${operation}</rpc>`);
    return this.chunked ? Buffer.concat([Buffer.from(`\n#${xml.length}\n`), xml, END_OF_CHUNKS]) : Buffer.concat([xml, EOM]);
  }

  #until(target) {
    if (this.replies >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiter = { target, resolve, reject };
    });
  }

  /** Send one RPC and wait for its reply: seconds and wire bytes. */
  async call(operation) {
    const target = this.replies + 1;
    const bytes0 = this.bytes;
    const t0 = process.hrtime.bigint();
    this.#out.write(this.frame(operation));
    await this.#until(target);
    return { seconds: secondsSince(t0), bytes: this.bytes - bytes0 };
  }

  /** `count` RPCs with `window` in flight: seconds. */
  async pipelined(operation, count, window) {
    const base = this.replies;
    let sent = 0;
    const pump = () => {
      while (sent < count && sent - (this.replies - base) < window) {
        sent++;
        this.#out.write(this.frame(operation));
      }
    };
    const t0 = process.hrtime.bigint();
    this.onProgress = pump;
    pump();
    await this.#until(base + count);
    this.onProgress = null;
    return secondsSince(t0);
  }

  /**
   * The last reply as a string (with `asString`), handed over: the gatherer lets go of it, so it
   * is garbage as soon as the caller drops it, like this client's `reply.xml`.
   */
  takeText() {
    const text = this.#gatherer?.text ?? null;
    if (this.#gatherer !== null) this.#gatherer.text = null;
    return text;
  }

  /** `<close-session>`: send it and wait for the reply. */
  async closeSession() {
    await this.call('<close-session/>');
  }
}

/**
 * The large workload: `calls` get-configs, the first COLD (fresh process), the rest WARM; peak RSS
 * (VmHWM) after the cold call. With a BareNetconf built `asString`, each reply's string is checked
 * outside the timing, as client-node.mjs checks `reply.xml` (`bytes`: its length), then dropped.
 */
export async function bareLarge(bare, calls, expectBytes) {
  const seconds = [];
  let wireBytes = 0;
  let bytes;
  let peakRssCold = NaN;
  for (let i = 0; i < calls; i++) {
    const r = await bare.call(GET_CONFIG_RUNNING);
    seconds.push(r.seconds);
    wireBytes = r.bytes;
    const text = bare.takeText();
    if (text !== null) {
      if (!text.startsWith('<rpc-reply') || !text.endsWith('</rpc-reply>')) throw new Error('reply is not a whole rpc-reply');
      if (expectBytes !== undefined && text.length !== expectBytes) throw new Error(`reply has ${text.length} bytes, expected ${expectBytes}`);
      bytes = text.length;
    }
    if (i === 0) peakRssCold = peakRss();
  }
  return { wireBytes, ...(bytes === undefined ? {} : { bytes }), coldSeconds: seconds[0], warmSeconds: seconds.slice(1), peakRssCold };
}

/** The small workload: sequential round trips (ms each), then pipelined (RPC/s). */
export async function bareSmall(bare, sequential, pipelined, window) {
  for (let i = 0; i < Math.min(200, Math.ceil(sequential / 10)); i++) await bare.call(GET); // warm-up
  const latencies = [];
  for (let i = 0; i < sequential; i++) latencies.push((await bare.call(GET)).seconds * 1000);
  const pipelinedSeconds = await bare.pipelined(GET, pipelined, window);
  return {
    sequential,
    latencyMs: stats(latencies),
    p99LatencyMs: percentile(latencies, 99),
    sequentialRpcPerSecond: sequential / (latencies.reduce((a, b) => a + b, 0) / 1000),
    pipelined,
    window,
    pipelinedSeconds,
    rpcPerSecond: pipelined / pipelinedSeconds,
  };
}
