// This client (dist/) against the benchmark peer. One workload per process; prints one
// `RESULT {json}` line (see lib/common.mjs). Connection set-up is outside every timing except the
// many-sessions wall time.
//
//   node bench/client-node.mjs --workload large [--calls 4] [--expect-bytes N]
//       get-config of the peer's configured reply as raw XML (reply.xml; --as bytes: reply.bytes,
//       one Buffer, no string): the first call in this
//       fresh process is COLD, the later ones on the same session WARM; peak RSS from VmHWM.
//   node bench/client-node.mjs --workload stream [--expect-bytes N]
//       getConfigStream() of the peer's reply: one parsed <interface> subtree (an XmlElement) at a
//       time, each looked at (its <name> read) and dropped, in a fresh process: MB/s of the reply,
//       entries/s, peak RSS (VmHWM) against the RSS when connected.
//   node bench/client-node.mjs --workload small [--sequential 2000] [--pipelined 20000] [--window 256]
//       <get> with a tiny reply: sequential round trips (per-RPC latency), then pipelined on the
//       same session with `window` RPCs in flight (RPC/s).
//   node bench/client-node.mjs --workload many [--sessions 1000] [--connect-concurrency 0]
//       N concurrent sessions from this process, one get-config each, then close: wall times,
//       RSS growth per session, open fds and active handles before and after (leak check).
//   node bench/client-node.mjs --workload info
//       sshNativeCryptoAvailable() and the negotiated algorithms.
// Common: --peer bench/.state/peer.json
import { parseArgs } from 'node:util';
import { connect, Manager, SSHSession, sshNativeCryptoAvailable } from '../dist/index.js';
import { currentRss, DEFAULT_PEER_JSON, emitResult, fdCount, peakRss, percentile, readPeer, runMain, secondsSince, stats } from './lib/common.mjs';

const { values: opt } = parseArgs({
  options: {
    peer: { type: 'string', default: DEFAULT_PEER_JSON },
    workload: { type: 'string', default: 'large' },
    calls: { type: 'string', default: '4' },
    'expect-bytes': { type: 'string' },
    // large: take the reply as a string (reply.xml, what most callers use) or as one Buffer (reply.bytes)
    as: { type: 'string', default: 'string' },
    sequential: { type: 'string', default: '2000' },
    pipelined: { type: 'string', default: '20000' },
    window: { type: 'string', default: '256' },
    sessions: { type: 'string', default: '1000' },
    'connect-concurrency': { type: 'string', default: '0' },
    // Diagnostic: turn Nagle's algorithm off on the SSH socket (ssh2 leaves it on), through the
    // public session.transport, to show what src/ would gain from doing it itself.
    nodelay: { type: 'boolean', default: false },
  },
});
const peer = readPeer(opt.peer);

/** connect() options: key login, no host-key check (a throwaway peer), generous timeouts. */
function connectOptions() {
  return {
    host: peer.host,
    port: peer.port,
    username: peer.username,
    keyFilename: peer.keyFile,
    allowAgent: false,
    lookForKeys: false,
    hostkeyVerify: false,
    timeout: 300,
    rpcTimeout: 600,
  };
}

async function large() {
  const calls = Number(opt.calls);
  const expect = opt['expect-bytes'] === undefined ? undefined : Number(opt['expect-bytes']);
  const m = await connect(connectOptions());
  const rssConnected = currentRss();
  const seconds = [];
  let peakAfterCold = 0;
  let bytes = 0;
  for (let i = 0; i < calls; i++) {
    const call = await largeCall(m, expect);
    seconds.push(call.seconds);
    bytes = call.bytes;
    if (i === 0) peakAfterCold = peakRss();
  }
  const peakEnd = peakRss();
  await m.close();
  return { as: opt.as, bytes, coldSeconds: seconds[0], warmSeconds: seconds.slice(1), rssConnected, peakRssCold: peakAfterCold, peakRss: peakEnd, framing: m.session.framing };
}

/**
 * One large call, its reply checked and dropped: in a function of its own, as a caller would
 * process it, so that the previous reply is unreachable while the next one is received (a loop
 * variable of the caller's async function stays reachable across the next await).
 */
async function largeCall(m, expect) {
  const t0 = process.hrtime.bigint();
  const reply = await m.getConfig('running');
  // the raw reply as a string (what a caller gets to work with), or its bytes without a string
  const raw = opt.as === 'bytes' ? reply.bytes : reply.xml;
  const seconds = secondsSince(t0);
  // Checked outside the timing. The peer's XML is ASCII, so characters = bytes.
  const text = typeof raw === 'string' ? raw : raw.toString('latin1', 0, 10) + raw.toString('latin1', raw.length - 12);
  if (!text.startsWith('<rpc-reply') || !text.endsWith('</rpc-reply>')) throw new Error('reply is not a whole rpc-reply');
  if (expect !== undefined && raw.length !== expect) throw new Error(`reply has ${raw.length} bytes, expected ${expect}`);
  return { seconds, bytes: raw.length };
}

async function stream() {
  const expect = opt['expect-bytes'] === undefined ? undefined : Number(opt['expect-bytes']);
  const m = await connect(connectOptions());
  const rssConnected = currentRss();
  let entries = 0;
  let nameBytes = 0;
  const t0 = process.hrtime.bigint();
  const replyStream = m.getConfigStream('running');
  for await (const entry of replyStream) {
    if (entry.local !== 'interface') throw new Error(`unexpected subtree <${entry.local}>`);
    nameBytes += entry.child('name')?.textContent.length ?? 0; // use each entry, as a consumer would
    entries++;
  }
  const seconds = secondsSince(t0);
  const bytes = replyStream.bytesReceived;
  if (expect !== undefined && bytes !== expect) throw new Error(`reply has ${bytes} bytes, expected ${expect}`);
  if (entries === 0 || nameBytes === 0) throw new Error('no list entries streamed');
  const peak = peakRss();
  await m.close();
  return { bytes, seconds, entries, entriesPerSecond: entries / seconds, rssConnected, peakRss: peak, framing: m.session.framing };
}

async function small() {
  const sequential = Number(opt.sequential);
  const pipelined = Number(opt.pipelined);
  const window = Number(opt.window);
  const m = await connect(connectOptions());
  if (opt.nodelay) m.session.transport.setNoDelay(true);
  for (let i = 0; i < Math.min(200, Math.ceil(sequential / 10)); i++) await m.get(); // warm-up
  const latencies = [];
  for (let i = 0; i < sequential; i++) {
    const t0 = process.hrtime.bigint();
    await m.get();
    latencies.push(secondsSince(t0) * 1000);
  }
  // Pipelined: keep `window` RPCs in flight until `pipelined` replies have come back.
  let sent = 0;
  let done = 0;
  const t0 = process.hrtime.bigint();
  await new Promise((resolve, reject) => {
    const launch = () => {
      while (sent < pipelined && sent - done < window) {
        sent++;
        m.get().then(() => {
          if (++done === pipelined) resolve();
          else launch();
        }, reject);
      }
    };
    launch();
  });
  const pipelinedSeconds = secondsSince(t0);
  await m.close();
  return {
    sequential,
    latencyMs: stats(latencies),
    p99LatencyMs: percentile(latencies, 99),
    pipelined,
    window,
    pipelinedSeconds,
    rpcPerSecond: pipelined / pipelinedSeconds,
    sequentialRpcPerSecond: sequential / (latencies.reduce((a, b) => a + b, 0) / 1000),
    nodelay: opt.nodelay,
    peakRss: peakRss(),
  };
}

/** Active handles and requests by type, e.g. { TCPSocketWrap: 1, Timeout: 2 }. */
function activeResources() {
  const counts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Run `fns` with at most `limit` at once (0: all at once); resolves to their settled results. */
async function settleLimited(fns, limit) {
  if (!(limit > 0)) return Promise.allSettled(fns.map((fn) => fn()));
  const results = new Array(fns.length);
  let next = 0;
  const worker = async () => {
    while (next < fns.length) {
      const i = next++;
      results[i] = await fns[i]().then((value) => ({ status: 'fulfilled', value }), (reason) => ({ status: 'rejected', reason }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, fns.length) }, worker));
  return results;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

async function many() {
  const n = Number(opt.sessions);
  // One session first, so that what is loaded or created once per process is in the baseline.
  const first = await connect(connectOptions());
  await first.getConfig('running');
  await first.close();
  await settle();
  const fdsBefore = fdCount();
  const resourcesBefore = activeResources();
  const rssBefore = currentRss();

  const t0 = process.hrtime.bigint();
  const connected = await settleLimited(
    Array.from({ length: n }, () => () => connect(connectOptions())),
    Number(opt['connect-concurrency']),
  );
  const connectSeconds = secondsSince(t0);
  const managers = connected.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const connectErrors = connected.filter((r) => r.status === 'rejected').map((r) => String(r.reason?.message ?? r.reason));

  const t1 = process.hrtime.bigint();
  const replies = await Promise.allSettled(managers.map((m) => m.getConfig('running')));
  const rpcSeconds = secondsSince(t1);
  const rpcErrors = replies.filter((r) => r.status === 'rejected').map((r) => String(r.reason?.message ?? r.reason));
  const rssOpen = currentRss();
  const fdsOpen = fdCount();

  const t2 = process.hrtime.bigint();
  await Promise.all(managers.map((m) => m.close()));
  const closeSeconds = secondsSince(t2);
  const wallSeconds = secondsSince(t0);
  await settle();
  const fdsAfter = fdCount();
  const resourcesAfter = activeResources();
  const count = (r) => Object.values(r).reduce((a, b) => a + b, 0);
  return {
    sessions: n,
    connected: managers.length,
    replies: replies.length - rpcErrors.length,
    errors: [...new Set([...connectErrors, ...rpcErrors])].slice(0, 5),
    connectSeconds,
    rpcSeconds,
    closeSeconds,
    wallSeconds,
    rssBefore,
    rssOpen,
    rssPerSession: (rssOpen - rssBefore) / Math.max(1, managers.length),
    fdsBefore,
    fdsOpen,
    fdsAfter,
    fdLeak: fdsAfter - fdsBefore,
    resourcesBefore,
    resourcesAfter,
    resourceLeak: count(resourcesAfter) - count(resourcesBefore),
    peakRss: peakRss(),
  };
}

async function info() {
  // connect() hides the ssh2 client until it is connected, and the handshake is over by then:
  // build the same session by hand to hear the negotiated algorithms.
  const session = new SSHSession();
  let negotiated;
  const connecting = session.connect(connectOptions());
  session.transport?.once('handshake', (n) => (negotiated = n));
  await connecting;
  const m = new Manager(session);
  await m.close();
  return { nativeCrypto: sshNativeCryptoAvailable(), node: process.version, negotiated, framing: session.framing };
}

const workloads = { large, stream, small, many, info };
runMain(async () => {
  const run = workloads[opt.workload];
  if (!run) throw new Error(`unknown workload ${opt.workload}`);
  emitResult({ client: 'node', workload: opt.workload, ...(await run()) });
});
