// Ceiling: the bare ssh2 channel. An ssh2 Client opens the `netconf` subsystem, exchanges hellos
// and sends the same RPCs as the clients, but only counts the bytes and end markers that come back
// (lib/bare.mjs): no framing decoder, no message assembly, no string. What this client (built on
// ssh2) could reach at most.
// With --as string (the string ceiling), it also builds each reply as one string, what this
// client returns as `reply.xml`: the framing stripped and the payload copied into one reused
// buffer as it arrives, decoded once as Latin-1 at the end (lib/bare.mjs, StringGatherer). What
// this client could reach at most when it must hand out the reply as a string.
//
//   node bench/ceiling-ssh2.mjs --workload large [--calls 4] [--as string [--expect-bytes N]]
//   node bench/ceiling-ssh2.mjs --workload small [--sequential 2000] [--pipelined 20000] [--window 256] [--nodelay]
// Prints one `RESULT {json}` line, with the negotiated algorithms.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import ssh2 from 'ssh2';
import { BARE_OPTIONS, BareNetconf, bareLarge, bareSmall } from './lib/bare.mjs';
import { emitResult, peakRss, readPeer, runMain } from './lib/common.mjs';

const { values: opt } = parseArgs({
  options: {
    ...BARE_OPTIONS,
    // ssh2 leaves Nagle's algorithm on; --nodelay turns it off on the socket.
    nodelay: { type: 'boolean', default: false },
    // large: `count` (the bytes only counted) or `string` (each reply built as one string)
    as: { type: 'string', default: 'count' },
    'expect-bytes': { type: 'string' },
  },
});
if (!['count', 'string'].includes(opt.as)) throw new Error(`--as must be count or string, got ${opt.as}`);
const peer = readPeer(opt.peer);

/** Connect with ssh2's defaults (as this client does), open the subsystem, exchange hellos. */
function open() {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let negotiated;
    client.on('handshake', (n) => (negotiated = n));
    client.on('error', reject);
    client.on('ready', () => {
      if (opt.nodelay) client.setNoDelay(true);
      client.subsys('netconf', (err, channel) => {
        if (err) return reject(err);
        const bare = new BareNetconf(channel, channel, { asString: opt.as === 'string' });
        bare.hello().then(() => resolve({ client, bare, negotiated }), reject);
      });
    });
    client.connect({
      host: peer.host,
      port: peer.port,
      username: peer.username,
      privateKey: readFileSync(peer.keyFile),
      hostVerifier: () => true,
      readyTimeout: 60000,
    });
  });
}

runMain(async () => {
  const { client, bare, negotiated } = await open();
  let result;
  if (opt.workload === 'large') result = await bareLarge(bare, Number(opt.calls), opt['expect-bytes'] === undefined ? undefined : Number(opt['expect-bytes']));
  else if (opt.workload === 'small') result = await bareSmall(bare, Number(opt.sequential), Number(opt.pipelined), Number(opt.window));
  else throw new Error(`unknown workload ${opt.workload}`);
  const peak = peakRss();
  await bare.closeSession();
  client.end();
  emitResult({ client: opt.as === 'string' ? 'ssh2-string' : 'ssh2-bare', workload: opt.workload, as: opt.as, ...result, nodelay: opt.nodelay, framing: bare.chunked ? 'chunked' : 'eom', cipher: negotiated?.sc?.cipher, negotiated, peakRss: peak });
});
