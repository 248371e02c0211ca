// Workload (f): connect time, direct and through one SSH jump host. In this one fresh process,
// N rounds of four connections, one after the other (never two at once), timed each:
//   direct  this client (dist/): connect() to the peer: TCP + SSH handshake + auth + netconf
//           subsystem + hello, until connect() resolves; close() follows, untimed
//   jump    the same through the jump host (proxyJump: one hop): a second SSH connection, to the
//           jump host, whose direct-tcpip channel carries the first
//   jump-bare  reference (c): a bare ssh2 Client to the jump host alone, until 'ready'
//           (handshake + auth): the cost of the one extra handshake; no forward, no NETCONF
//   direct-bare  reference (d): a bare ssh2 Client to the peer's sshd, until 'ready', then
//           subsys('netconf') and the hello exchange (lib/bare.mjs), as connect() does, without
//           this library
// interleaved (direct, jump, jump-bare, direct-bare, direct, jump, …) so that machine noise hits
// all four alike; one untimed round first (module loading, JIT, the first key parse). Host keys
// are checked strictly: a known_hosts file built from the peer's and the jump host's .pub files
// (this client), the same keys compared by the bare references.
//
//   node bench/connect.mjs [--connects 50] [--peer bench/.state/peer.json] [--jump bench/.state/jump/jump.json]
// Prints one `RESULT {json}` line: the connect times in ms per kind, in order (pair i of direct
// and jump is round i), and their per-pair differences.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import ssh2 from 'ssh2';
import { connect } from '../dist/index.js';
import { BareNetconf } from './lib/bare.mjs';
import { BENCH_DIR, DEFAULT_PEER_JSON, emitResult, readPeer, runMain, secondsSince, stats } from './lib/common.mjs';

const DEFAULT_JUMP_JSON = join(BENCH_DIR, '.state', 'jump', 'jump.json');

const { values: opt } = parseArgs({
  options: {
    peer: { type: 'string', default: DEFAULT_PEER_JSON },
    jump: { type: 'string', default: DEFAULT_JUMP_JSON },
    connects: { type: 'string', default: '50' },
  },
});
const connects = Number(opt.connects);
if (!Number.isInteger(connects) || connects < 1) throw new Error(`--connects must be a positive integer, got ${opt.connects}`);
const peer = readPeer(opt.peer);
const jump = JSON.parse(readFileSync(opt.jump, 'utf8'));
// bench/peer.sh keeps the peer's host key beside its client key
const peerHostKeys = [join(dirname(peer.keyFile), 'ssh_host_ed25519_key.pub')];
const jumpHostKeys = Object.values(jump.hostKeys);

/** [type, base64] of each .pub file. */
const pubKeys = (files) => files.map((file) => readFileSync(file, 'utf8').trim().split(/\s+/).slice(0, 2));
const knownHostsName = (host, port) => (port === 22 ? host : `[${host}]:${port}`);
const knownHostsLines = (host, port, files) => pubKeys(files).map(([type, key]) => `${knownHostsName(host, port)} ${type} ${key}\n`).join('');

/** connect() options: strict host-key checking against our known_hosts file only, key login only. */
function connectOptions(knownHostsFile, viaJump) {
  const options = {
    host: peer.host,
    port: peer.port,
    username: peer.username,
    keyFilename: peer.keyFile,
    knownHostsFile,
    strictHostKeyChecking: 'yes',
    allowAgent: false,
    lookForKeys: false,
    sshConfig: false,
    timeout: 60,
  };
  if (viaJump) options.proxyJump = [{ host: jump.host, port: jump.port, username: jump.username, keyFilename: jump.clientKeys.ed25519 }];
  return options;
}

/** this client: ms until connect() resolves; close() after the timing. */
async function timeConnect(options) {
  const t0 = process.hrtime.bigint();
  const m = await connect(options);
  const ms = secondsSince(t0) * 1000;
  await m.close();
  return ms;
}

/** A host verifier for ssh2 accepting exactly these key blobs (what a known_hosts match amounts to). */
function keyVerifier(files) {
  const blobs = pubKeys(files).map(([, key]) => Buffer.from(key, 'base64'));
  return (key) => blobs.some((b) => b.equals(key));
}

/** An ssh2 Client connected and authenticated (`ready`), with ssh2's defaults as this client uses them. */
function bareClient(config) {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('error', reject);
    client.on('ready', () => {
      client.setNoDelay(true); // as this client does on 'ready'
      resolve(client);
    });
    client.connect({ readyTimeout: 60000, ...config });
  });
}

/** End a bare client and wait until its connection has closed. */
function endBare(client) {
  return new Promise((resolve) => {
    client.once('close', resolve);
    client.end();
  });
}

runMain(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netconfkit-bench-connect-'));
  try {
    const knownHostsFile = join(dir, 'known_hosts');
    writeFileSync(knownHostsFile, knownHostsLines(peer.host, peer.port, peerHostKeys) + knownHostsLines(jump.host, jump.port, jumpHostKeys));
    const direct = connectOptions(knownHostsFile, false);
    const viaJump = connectOptions(knownHostsFile, true);
    // The bare references get their keys read once, up front (this client reads its per connect).
    const jumpConfig = { host: jump.host, port: jump.port, username: jump.username, privateKey: readFileSync(jump.clientKeys.ed25519), hostVerifier: keyVerifier(jumpHostKeys) };
    const peerConfig = { host: peer.host, port: peer.port, username: peer.username, privateKey: readFileSync(peer.keyFile), hostVerifier: keyVerifier(peerHostKeys) };

    const kinds = {
      direct: () => timeConnect(direct),
      jump: () => timeConnect(viaJump),
      // (c) one handshake + auth with the jump host, nothing else
      'jump-bare': async () => {
        const t0 = process.hrtime.bigint();
        const client = await bareClient(jumpConfig);
        const ms = secondsSince(t0) * 1000;
        await endBare(client);
        return ms;
      },
      // (d) what connect() does directly, on bare ssh2: handshake + auth, subsystem, hello
      'direct-bare': async () => {
        const t0 = process.hrtime.bigint();
        const client = await bareClient(peerConfig);
        const channel = await new Promise((resolve, reject) => client.subsys('netconf', (err, ch) => (err ? reject(err) : resolve(ch))));
        const bare = new BareNetconf(channel, channel);
        await bare.hello();
        const ms = secondsSince(t0) * 1000;
        await bare.closeSession();
        await endBare(client);
        return ms;
      },
    };
    const warmupMs = {};
    for (const [kind, run] of Object.entries(kinds)) warmupMs[kind] = await run();
    const ms = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
    for (let i = 0; i < connects; i++) {
      for (const [kind, run] of Object.entries(kinds)) ms[kind].push(await run());
    }
    const jumpMinusDirect = ms.jump.map((x, i) => x - ms.direct[i]);
    emitResult({
      client: 'node',
      workload: 'connect',
      connects,
      ms,
      jumpMinusDirectMs: jumpMinusDirect,
      warmupMs,
      summary: {
        direct: stats(ms.direct),
        jump: stats(ms.jump),
        jumpMinusDirect: stats(jumpMinusDirect),
        jumpBare: stats(ms['jump-bare']),
        directBare: stats(ms['direct-bare']),
      },
      jumpSshd: { usePam: /^UsePAM\s+yes/im.test(readFileSync(join(jump.stateDir, 'sshd_config'), 'utf8')) },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
