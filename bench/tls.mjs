// Workload (g): get-config of the peer's configured reply over NETCONF over TLS (RFC 7589), the
// benchmark peer (bench/peer/netconf-bench-peer.c) behind Debian's stunnel4 (exec'd per TLS
// connection, mutual TLS with a throw-away PKI; bench/run.mjs starts it and writes
// bench/.state/tls/tls.json). One mode per fresh process; connection set-up (TCP, TLS handshake,
// hello) is outside every timing. Prints one `RESULT {json}` line (see lib/common.mjs).
//
//   node bench/tls.mjs --mode node [--calls 4] [--as bytes|string] [--expect-bytes N]
//       this client (dist/): connect({ transport: 'tls', host, port, tls: { cert, key, ca } }),
//       then `calls` getConfig('running'), each reply taken as reply.bytes (one Buffer; default)
//       or reply.xml (--as string): the first call in this fresh process is COLD, the later ones
//       on the same session WARM; peak RSS (VmHWM) after the cold call and at the end.
//   node bench/tls.mjs --mode bare [--calls 4]
//       the reference: Node's tls.connect() with the same credentials and checks (the server's
//       certificate against the CA and 127.0.0.1, TLS 1.2 at least, Nagle off as this client
//       does), the hello exchange, then the same <get-config> RPCs written as one pre-framed
//       buffer each (chunked framing, as negotiated), the reply bytes counted until the end of
//       each message and nothing decoded (lib/bare.mjs, as ceiling-ssh2.mjs does over SSH).
// Common: --tls bench/.state/tls/tls.json (host, port, ca, cert, key).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { parseArgs } from 'node:util';
import { connect } from '../dist/index.js';
import { BareNetconf, bareLarge } from './lib/bare.mjs';
import { BENCH_DIR, currentRss, emitResult, peakRss, runMain, secondsSince } from './lib/common.mjs';

const { values: opt } = parseArgs({
  options: {
    tls: { type: 'string', default: join(BENCH_DIR, '.state', 'tls', 'tls.json') },
    mode: { type: 'string', default: 'node' },
    calls: { type: 'string', default: '4' },
    // node: the reply as one Buffer (reply.bytes) or as a string (reply.xml)
    as: { type: 'string', default: 'bytes' },
    'expect-bytes': { type: 'string' },
  },
});
if (!['node', 'bare'].includes(opt.mode)) throw new Error(`--mode must be node or bare, got ${opt.mode}`);
if (!['bytes', 'string'].includes(opt.as)) throw new Error(`--as must be bytes or string, got ${opt.as}`);
const server = JSON.parse(readFileSync(opt.tls, 'utf8'));
const credentials = { cert: readFileSync(server.cert), key: readFileSync(server.key), ca: readFileSync(server.ca) };
const calls = Number(opt.calls);
const expect = opt['expect-bytes'] === undefined ? undefined : Number(opt['expect-bytes']);

/** The negotiated TLS version and cipher of a TLSSocket. */
const negotiated = (socket) => ({ protocol: socket.getProtocol(), cipher: socket.getCipher()?.name });

async function node() {
  const m = await connect({ transport: 'tls', host: server.host, port: server.port, tls: credentials, timeout: 300, rpcTimeout: 600 });
  const tls = negotiated(m.session.transport);
  const rssConnected = currentRss();
  const seconds = [];
  let peakAfterCold = 0;
  let bytes = 0;
  for (let i = 0; i < calls; i++) {
    const call = await largeCall(m);
    seconds.push(call.seconds);
    bytes = call.bytes;
    if (i === 0) peakAfterCold = peakRss();
  }
  const peakEnd = peakRss();
  await m.close();
  return { as: opt.as, bytes, coldSeconds: seconds[0], warmSeconds: seconds.slice(1), rssConnected, peakRssCold: peakAfterCold, peakRss: peakEnd, framing: m.session.framing, ...tls };
}

/**
 * One call, its reply checked and dropped, in a function of its own (as client-node.mjs does):
 * the previous reply is unreachable while the next one is received.
 */
async function largeCall(m) {
  const t0 = process.hrtime.bigint();
  const reply = await m.getConfig('running');
  const raw = opt.as === 'bytes' ? reply.bytes : reply.xml;
  const seconds = secondsSince(t0);
  // Checked outside the timing. The peer's XML is ASCII, so characters = bytes.
  const text = typeof raw === 'string' ? raw : raw.toString('latin1', 0, 10) + raw.toString('latin1', raw.length - 12);
  if (!text.startsWith('<rpc-reply') || !text.endsWith('</rpc-reply>')) throw new Error('reply is not a whole rpc-reply');
  if (expect !== undefined && raw.length !== expect) throw new Error(`reply has ${raw.length} bytes, expected ${expect}`);
  return { seconds, bytes: raw.length };
}

/** tls.connect() with this client's settings, until the handshake is done. */
function openBare() {
  return new Promise((resolve, reject) => {
    // An IP address: no SNI; the certificate is checked against its IP SAN (Node's default check).
    const socket = tlsConnect({ host: server.host, port: server.port, ...credentials, minVersion: 'TLSv1.2', rejectUnauthorized: true });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}

async function bare() {
  const socket = await openBare();
  const tls = negotiated(socket);
  const netconf = new BareNetconf(socket, socket);
  await netconf.hello();
  const rssConnected = currentRss();
  const result = await bareLarge(netconf, calls);
  const peak = peakRss();
  if (expect !== undefined && netconf.chunked) {
    // the wire bytes include the chunk headers: at least the reply itself must have come
    if (result.wireBytes < expect) throw new Error(`reply has ${result.wireBytes} wire bytes, expected at least ${expect}`);
  }
  await netconf.closeSession();
  socket.end();
  return { ...result, rssConnected, peakRss: peak, framing: netconf.chunked ? 'chunked' : 'eom', ...tls };
}

runMain(async () => {
  const result = opt.mode === 'node' ? await node() : await bare();
  emitResult({ client: opt.mode === 'node' ? 'node-tls' : 'tls-bare', workload: 'tls', ...result });
});
