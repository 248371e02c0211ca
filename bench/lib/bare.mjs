// NETCONF with no NETCONF layer, for the ceilings: the hello exchange, then RPCs written as one
// pre-framed buffer each and replies merely counted (bytes, and end-of-message markers) as they
// stream by; nothing is parsed, joined or decoded. Works on any byte stream: an ssh2 channel
// (ceiling-ssh2.mjs) or the stdin/stdout of `ssh -s netconf` (ceiling-openssh.mjs).
import { DEFAULT_PEER_JSON, GET, GET_CONFIG_RUNNING, NETCONF_NS, percentile, secondsSince, stats } from './common.mjs';

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

export class BareNetconf {
  #out;
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

  /** @param out - writable side; @param input - readable side (the same Duplex for a channel) */
  constructor(out, input) {
    this.#out = out;
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
      this.#settleHello.resolve();
      return;
    }
    this.bytes += chunk.length;
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

  /** `<close-session>`: send it and wait for the reply. */
  async closeSession() {
    await this.call('<close-session/>');
  }
}

/** The large workload: `calls` get-configs, the first COLD (fresh process), the rest WARM. */
export async function bareLarge(bare, calls) {
  const seconds = [];
  let wireBytes = 0;
  for (let i = 0; i < calls; i++) {
    const r = await bare.call(GET_CONFIG_RUNNING);
    seconds.push(r.seconds);
    wireBytes = r.bytes;
  }
  return { wireBytes, coldSeconds: seconds[0], warmSeconds: seconds.slice(1) };
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
