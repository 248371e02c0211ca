// The benchmark of issue 5: this client against the reference client (Python ncclient) and two
// ceilings (the bare ssh2 channel, OpenSSH's `ssh -s netconf`), all against the same fast peer
// (bench/peer/netconf-bench-peer.c behind a private sshd on 127.0.0.1) in the same run.
//
//   npm run bench                      # = node bench/run.mjs
//   npm run bench -- --smoke           # tiny sizes, one round: checks every workload runs (CI)
//   node bench/run.mjs --rounds 3 --size-mb 100 --sessions 1000
//   node bench/run.mjs --only f        # only the workloads named (letters or names, comma-separated)
//
// Setup (each step skipped when already done): npm run build; apt-get install python3-ncclient;
// `bash scripts/netconfd.sh install` (the test users); `bash bench/peer.sh start` (gcc builds
// the peer); for (f), a jump host (`scripts/jump-host.sh start bench/.state/jump 18831`, port
// BENCH_JUMP_PORT). Then ROUNDS rounds, the order of this client and ncclient alternating per
// round, every client measured in fresh processes (so each round gives one COLD sample per client):
//   (a) large: get-config of a SIZE MB reply as raw XML, cold (first call in the process) and warm
//       (later calls on the same session), peak RSS (VmHWM); beside the bare ssh2 channel, the
//       string ceiling: the bare channel also building each reply as one string (--as string)
//   (b) small: sequential <get> round trips with a tiny reply (latency), pipelined <get>s
//   (c) many: N concurrent sessions from one process, a small get-config each, leak check
//   (d) the framing decoder alone (bench/framing.mjs)
//   (e) stream: getConfigStream() of a STREAM MB reply (default 1000) as parsed <interface>
//       subtrees, MB/s and peak RSS; the bare ssh2 channel reading the same reply once, for scale
//   (f) connect: CONNECTS connect() + close() each, direct and through one jump host, interleaved
//       in one fresh process (bench/connect.mjs), beside the bare ssh2 handshake with the jump
//       host alone and the bare ssh2 handshake + subsystem + hello with the peer
//   (g) tls: get-config of a SIZE MB reply over NETCONF over TLS (bench/tls.mjs): the same peer
//       binary exec'd by stunnel4 on 127.0.0.1:18832 (BENCH_TLS_PORT; mutual TLS, a throw-away
//       PKI in bench/.state/tls/pki), this client (reply.bytes, and reply.xml) cold and warm, peak
//       RSS, beside a bare Node tls socket reading the same bytes (hello, RPC, bytes counted);
//       diagnostic rows: both again with glibc's malloc using transparent huge pages
//   (h) yang: RFC 7951 JSON ↔ XML of an ietf-interfaces + ietf-ip document of YANG_INTERFACES
//       interfaces (bench/yang.mjs, one round per round; no peer): XML → JSON and JSON → XML in
//       fresh processes, peak RSS, compiling the IETF modules, beside libyang's yanglint doing the same
//   (i) fleet: get-config on FLEET_DEVICES simulated devices (bench/fleet.mjs, round 1 only): runFleet in one
//       process, then BullMQ on a private redis-server with FLEET_WORKERS worker processes; wall, devices/s,
//       peak RSS, open fds after; ncclient with a ThreadPoolExecutor(100) on 1000 devices (--fleet-devices
//       1000,5000/20, --fleet-workers 1,2,4/2)
// Prints a table of medians (min–max) and the issue's targets, writes bench/results/latest.json.
// Exits non-zero when a workload failed or produced no numbers; never because of a timing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, stats } from './lib/common.mjs';

const ROOT = join(BENCH_DIR, '..');
const STATE = join(BENCH_DIR, '.state');
const PYTHON = '/usr/bin/python3';
// (f)'s jump host: scripts/jump-host.sh's private sshd (user ncjump), state in bench/.state/jump
const JUMP_DIR = join(STATE, 'jump');
const JUMP_PORT = process.env.BENCH_JUMP_PORT ?? '18831';
// (g)'s TLS front end: stunnel4 exec'ing the peer binary per connection, state in bench/.state/tls
const TLS_DIR = join(STATE, 'tls');
const TLS_PORT = process.env.BENCH_TLS_PORT ?? '18832';
const STUNNEL = '/usr/bin/stunnel4';

const { values: cli } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'size-mb': { type: 'string' },
    'stream-mb': { type: 'string' },
    sessions: { type: 'string' },
    // ncclient needs a thread per session, each polling every 0.1 s: with 1000 of them a 2-core
    // machine reached a load of 300 and 725 sessions in 16 minutes. Default 200 (20 in --smoke).
    'ncclient-sessions': { type: 'string' },
    'chunk-bytes': { type: 'string', default: '16384' },
    'small-bytes': { type: 'string', default: '512' },
    'many-bytes': { type: 'string', default: '4096' },
    calls: { type: 'string' },
    'ncclient-calls': { type: 'string' },
    sequential: { type: 'string' },
    'ncclient-sequential': { type: 'string' },
    pipelined: { type: 'string' },
    window: { type: 'string', default: '256' },
    // sshd's listen backlog is 128: with all 1000 handshakes at once, a loaded machine overflows
    // it and connections are reset. All N sessions are still open at once for the get-config.
    'connect-concurrency': { type: 'string', default: '100' },
    // (f): connect() of each kind per round (direct, through the jump host, and the two bare references)
    connects: { type: 'string' },
    // (h): interfaces in the YANG document (bench/yang.mjs)
    'yang-interfaces': { type: 'string' },
    // (i): device counts of the fleet run (bench/fleet.mjs), comma-separated, and worker counts on Redis
    'fleet-devices': { type: 'string' },
    'fleet-workers': { type: 'string' },
    // Run only these workloads: letters or names, comma-separated (`--only f`, `--only large,stream`).
    only: { type: 'string' },
    'no-setup': { type: 'boolean', default: false },
    'keep-peer': { type: 'boolean', default: false },
    // default bench/results/latest.json; with --only, bench/results/only-LETTERS.json
    json: { type: 'string' },
    // Print the table again from a saved results file (no measuring).
    report: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (cli.help) {
  const lines = readFileSync(new URL(import.meta.url), 'utf8').split('\n');
  console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.slice(3)).join('\n')); // the header comment
  console.log(`Options (full / --smoke): --rounds 5/1, --size-mb 100/1, --stream-mb 1000/1, --sessions 1000/20, --calls 4/2 (ncclient: --ncclient-calls 3/2),
  --sequential 500/20 (ncclient: --ncclient-sequential 200/10), --ncclient-sessions 200/20, --pipelined 20000/200, --window 256,
  --chunk-bytes 16384, --small-bytes 512, --many-bytes 4096, --connect-concurrency 100 (0: all at once), --connects 50/5,
  --yang-interfaces 100000/200, --fleet-devices 1000,5000/20, --fleet-workers 1,2,4/2, --only a,b,c,d,e,f,g,h,i (or large,small,many,framing,stream,connect,tls,yang,fleet), BENCH_JUMP_PORT=18831 (the jump host of (f)),
  BENCH_TLS_PORT=18832 (the stunnel4 in front of the peer for (g)),
  --no-setup, --keep-peer (and the jump host and stunnel4), --json bench/results/latest.json, --report FILE (reprint a saved run)`);
  process.exit(0);
}
const smoke = cli.smoke;
const num = (name, full, small) => Number(cli[name] ?? (smoke ? small : full));
let opt = {
  smoke,
  rounds: num('rounds', 5, 1),
  sizeMb: num('size-mb', 100, 1),
  streamMb: num('stream-mb', 1000, 1),
  sessions: num('sessions', 1000, 20),
  ncclientSessions: num('ncclient-sessions', 200, 20),
  chunkBytes: Number(cli['chunk-bytes']),
  smallBytes: Number(cli['small-bytes']),
  manyBytes: Number(cli['many-bytes']),
  calls: num('calls', 4, 2),
  ncclientCalls: num('ncclient-calls', 3, 2),
  sequential: num('sequential', 500, 20),
  ncclientSequential: num('ncclient-sequential', 200, 10),
  pipelined: num('pipelined', 20000, 200),
  window: Number(cli.window),
  connectConcurrency: Number(cli['connect-concurrency']),
  connects: num('connects', 50, 5),
  yangInterfaces: num('yang-interfaces', 100000, 200),
  fleetDevices: cli['fleet-devices'] ?? (smoke ? '20' : '1000,5000'),
  fleetWorkers: cli['fleet-workers'] ?? (smoke ? '2' : '1,2,4'),
  tlsPort: Number(TLS_PORT),
  only: onlyWorkloads(cli.only),
};
if (cli.report) opt = JSON.parse(readFileSync(cli.report, 'utf8')).meta.options;
if (!cli.json) cli.json = join(BENCH_DIR, 'results', opt.only ? `only-${opt.only.join('')}.json` : 'latest.json');
/** Whether workload `letter` runs (or ran, for --report); (f), (g) and (h) are absent from results saved before they existed. */
const selected = (letter) => (opt.only ? opt.only.includes(letter) : (letter !== 'f' || opt.connects !== undefined) && (letter !== 'g' || opt.tlsPort !== undefined) && (letter !== 'h' || opt.yangInterfaces !== undefined) && (letter !== 'i' || opt.fleetDevices !== undefined));
const sizeBytes = Math.round(opt.sizeMb * 1e6); // MB = 10^6 bytes throughout
const streamBytes = Math.round((opt.streamMb ?? opt.sizeMb) * 1e6);

const log = (...args) => console.error('[bench]', ...args);

/** `--only` as sorted workload letters (undefined: all). */
function onlyWorkloads(value) {
  if (value === undefined) return undefined;
  const names = { large: 'a', small: 'b', many: 'c', framing: 'd', stream: 'e', connect: 'f', tls: 'g', yang: 'h', fleet: 'i' };
  const letters = value.split(',').map((w) => w.trim()).filter(Boolean).map((w) => names[w] ?? w);
  for (const l of letters) if (!Object.values(names).includes(l)) throw new Error(`--only: unknown workload ${l} (a-i or ${Object.keys(names).join(', ')})`);
  return [...new Set(letters)].sort();
}

// ---- setup -------------------------------------------------------------------------------------

function sh(cmd, args, what) {
  log(what);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')}: exit ${r.status ?? r.signal})`);
}

/** Newest modification time under `dir` (recursively). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function setup() {
  // tsc takes 10-30 s here: only when dist/ is older than a source file or the build config.
  const dist = join(ROOT, 'dist', 'index.js');
  const sources = Math.max(newestMtime(join(ROOT, 'src')), ...['tsconfig.json', 'package.json'].map((f) => statSync(join(ROOT, f)).mtimeMs));
  if (!existsSync(dist) || statSync(dist).mtimeMs < sources) sh('npm', ['run', '--silent', 'build'], 'building dist/ (npm run build)');
  else log('dist/ is up to date');
  if (spawnSync(PYTHON, ['-c', 'import ncclient'], { stdio: 'ignore' }).status !== 0) {
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    const env = ['env', 'DEBIAN_FRONTEND=noninteractive'];
    const run = (args, what) => (sudo.length ? sh('sudo', [...env, ...args], what) : sh(env[0], [...env.slice(1), ...args], what));
    run(['apt-get', 'update', '-q'], 'apt-get update');
    run(['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'python3-ncclient'], 'installing python3-ncclient (apt)');
  }
  sh('bash', ['scripts/netconfd.sh', 'install'], 'test user (scripts/netconfd.sh install)');
}

/**
 * Start (f)'s jump host (a leftover of --keep-peer is stopped first). UsePAM no, as the peer's
 * sshd: each login is the same work on both sshds (the jump host's sshd still re-execs per
 * connection, the peer's runs with -r).
 */
function startJump() {
  stopJump();
  const r = spawnSync('bash', ['scripts/jump-host.sh', 'start', JUMP_DIR, JUMP_PORT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, TEST_SERVER_USE_PAM: 'no' } });
  if (r.status !== 0) throw new Error(`scripts/jump-host.sh start ${JUMP_DIR} ${JUMP_PORT} failed`);
  log(`jump host up (${r.stdout.trim().split('\n').pop()})`);
}

function stopJump() {
  spawnSync('bash', ['scripts/jump-host.sh', 'stop', JUMP_DIR], { cwd: ROOT, stdio: 'inherit' });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function portOpen(port) {
  return spawnSync('bash', ['-c', `(exec 3<>/dev/tcp/127.0.0.1/${Number(port)}) 2>/dev/null`], { stdio: 'ignore' }).status === 0;
}

const sleepMs = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The pid of our stunnel4 daemon, when it is alive (read from its pid file, checked in /proc). */
function tlsDaemonPid() {
  let pid;
  try {
    pid = Number(readFileSync(join(TLS_DIR, 'stunnel.pid'), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!(pid > 1)) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return stat.includes('(stunnel') && state !== 'Z' ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Start (g)'s TLS front end (a leftover of --keep-peer is stopped first): the throw-away PKI
 * (scripts/test-pki.sh, kept while valid) and one stunnel4 daemon, run as this user, on
 * 127.0.0.1:TLS_PORT, requiring a client certificate from the test CA (verifyChain), TLS 1.2 or
 * later, exec'ing the peer binary with the same arguments as the sshd's Subsystem line (so it
 * reads bench/.state/peer.conf, and `bench/peer.sh stop` also finds leftovers). Writes tls.json
 * for bench/tls.mjs.
 */
function startTls() {
  stopTls();
  if (!existsSync(STUNNEL)) throw new Error(`${STUNNEL} missing: apt-get install stunnel4 openssl (or bash scripts/netconfd.sh install)`);
  const peerBin = join(BENCH_DIR, '.build', 'netconf-bench-peer');
  const peerConf = join(STATE, 'peer.conf');
  for (const path of [TLS_DIR, peerBin, peerConf]) if (!/^[A-Za-z0-9_./@+:=,-]+$/.test(path)) throw new Error(`path ${path} has characters stunnel.conf cannot carry`);
  if (portOpen(TLS_PORT)) throw new Error(`127.0.0.1:${TLS_PORT} is already in use (set BENCH_TLS_PORT)`);
  mkdirSync(TLS_DIR, { recursive: true });
  const pki = join(TLS_DIR, 'pki');
  sh('bash', ['scripts/test-pki.sh', pki], `TLS test PKI (scripts/test-pki.sh ${pki})`);
  const conf = join(TLS_DIR, 'stunnel.conf');
  writeFileSync(
    conf,
    [
      '; generated by bench/run.mjs for workload (g)',
      'foreground = no',
      `pid = ${join(TLS_DIR, 'stunnel.pid')}`,
      `output = ${join(TLS_DIR, 'stunnel.log')}`,
      'syslog = no',
      'debug = notice',
      '',
      '[netconf-bench]',
      `accept = 127.0.0.1:${Number(TLS_PORT)}`,
      `cert = ${pki}/server.pem`,
      `key = ${pki}/server.key`,
      `CAfile = ${pki}/ca.pem`,
      'requireCert = yes',
      'verifyChain = yes',
      'sslVersionMin = TLSv1.2',
      'socket = l:TCP_NODELAY=1',
      'TIMEOUTclose = 0',
      `exec = ${peerBin}`,
      `execArgs = ${peerBin} ${peerConf}`,
      '',
    ].join('\n'),
  );
  const r = spawnSync(STUNNEL, [conf], { cwd: TLS_DIR, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30000 });
  const logTail = () => {
    try {
      return readFileSync(join(TLS_DIR, 'stunnel.log'), 'utf8').trim().split('\n').slice(-10).join('\n');
    } catch {
      return '';
    }
  };
  if (r.status !== 0) throw new Error(`stunnel4 ${conf} failed (exit ${r.status ?? r.signal}): ${`${r.stdout}${r.stderr}`.trim().slice(-2000)}\n${logTail()}`);
  let pid;
  for (let i = 0; i < 150 && !(pid && portOpen(TLS_PORT)); i++) {
    sleepMs(100);
    pid = tlsDaemonPid();
  }
  if (!pid || !portOpen(TLS_PORT)) {
    stopTls();
    throw new Error(`stunnel4 did not come up on 127.0.0.1:${TLS_PORT}\n${logTail()}`);
  }
  const version = /stunnel \S+/.exec(spawnSync(STUNNEL, ['-version'], { encoding: 'utf8' }).stderr ?? '')?.[0];
  const info = { host: '127.0.0.1', port: Number(TLS_PORT), ca: `${pki}/ca.pem`, cert: `${pki}/client.pem`, key: `${pki}/client.key`, stunnelPid: pid, stunnel: version, conf, peerBinary: peerBin };
  writeFileSync(join(TLS_DIR, 'tls.json'), `${JSON.stringify(info, null, 2)}\n`);
  log(`stunnel4 up (pid ${pid}, 127.0.0.1:${TLS_PORT}, ${join(TLS_DIR, 'tls.json')})`);
  return info;
}

/** Stop our stunnel4 daemon and the peers it exec'd (idempotent). */
function stopTls() {
  const pid = tlsDaemonPid();
  if (pid !== undefined) {
    // its children: the peers of open connections (each exits at EOF anyway)
    const pids = [pid];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) pids.push(Number(entry));
      } catch {
        // gone
      }
    }
    const signal = (sig) => {
      for (const p of pids) {
        try {
          process.kill(p, sig);
        } catch {
          // gone
        }
      }
    };
    const alive = (p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
      } catch {
        return false;
      }
    };
    signal('SIGTERM');
    for (let i = 0; i < 50 && pids.some(alive); i++) sleepMs(100);
    if (pids.some(alive)) signal('SIGKILL');
  }
  for (const f of ['stunnel.pid', 'tls.json']) {
    try {
      unlinkSync(join(TLS_DIR, f));
    } catch {
      // not there
    }
  }
}

/** Replace the peer's configuration atomically (the peer checks it before every RPC). */
function configurePeer(replyBytes) {
  const file = join(STATE, 'peer.conf');
  writeFileSync(`${file}.tmp`, `reply_bytes=${replyBytes}\nchunk_bytes=${opt.chunkBytes}\nframing=auto\n`);
  renameSync(`${file}.tmp`, file);
}

// ---- running one measurement ---------------------------------------------------------------------

/** Run one client process; resolves to its RESULT object (or { error }), never rejects. */
function measure(label, cmd, args, timeoutSeconds) {
  return new Promise((resolve) => {
    const load0 = loadavg()[0];
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[bench] killed after ${timeoutSeconds} s`;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      let result;
      try {
        result = line ? JSON.parse(line.slice(7)) : undefined;
      } catch {
        result = undefined;
      }
      if (!result || result.error || code !== 0) {
        const why = result?.error ?? `exit ${code ?? signal}: ${stderr.trim().split('\n').slice(-6).join(' | ')}`;
        log(`${label}: FAILED ${String(why).split('\n').slice(-3).join(' ')}`);
        resolve({ error: String(why).slice(0, 4000) });
        return;
      }
      resolve({ ...result, loadavg: [load0, loadavg()[0]] });
    });
  });
}

const nodeClient = (workload, extra = []) => ['node', ['bench/client-node.mjs', '--workload', workload, ...extra]];
const ncclientClient = (workload, extra = []) => [PYTHON, ['bench/client-ncclient.py', '--workload', workload, ...extra]];
const ssh2Ceiling = (workload, extra = []) => ['node', ['bench/ceiling-ssh2.mjs', '--workload', workload, ...extra]];
const opensshCeiling = (workload, extra = []) => ['node', ['bench/ceiling-openssh.mjs', '--workload', workload, ...extra]];
const tlsClient = (mode, extra = []) => ['node', ['bench/tls.mjs', '--mode', mode, '--tls', join(TLS_DIR, 'tls.json'), ...extra]];
// (g)'s diagnostic: the same process with glibc's malloc asking for transparent huge pages
// (madvise) for its large blocks, so a fresh 100 MB buffer costs ~50 page faults instead of ~25 000
const HUGE_PAGES = 'GLIBC_TUNABLES=glibc.malloc.hugetlb=1';
const withHugePages = ([cmd, args]) => ['env', [HUGE_PAGES, cmd, ...args]];

/** The runs of one round, workload by workload: [client id, command] in the order to run them. */
function roundPlan(round) {
  const smallArgs = ['--sequential', String(opt.sequential), '--pipelined', String(opt.pipelined), '--window', String(opt.window)];
  const largeArgs = ['--calls', String(opt.calls), '--expect-bytes', String(sizeBytes)];
  const manyArgs = ['--sessions', String(opt.sessions)];
  // This client and ncclient alternate which goes first; the ceilings follow.
  const pair = (a, b) => (round % 2 === 1 ? [a, b] : [b, a]);
  const steps = [
    {
      workload: 'large',
      letter: 'a',
      replyBytes: sizeBytes,
      runs: [
        ...pair(['node', nodeClient('large', largeArgs)], ['ncclient', ncclientClient('large', ['--calls', String(opt.ncclientCalls), '--expect-bytes', String(sizeBytes)])]),
        ['node-bytes', nodeClient('large', [...largeArgs, '--as', 'bytes'])],
        ['ssh2', ssh2Ceiling('large', ['--calls', String(opt.calls)])],
        // the string ceiling: the bare channel building each reply as one string, as reply.xml is
        ['ssh2-string', ssh2Ceiling('large', ['--calls', String(opt.calls), '--as', 'string', '--expect-bytes', String(sizeBytes)])],
        ['openssh', opensshCeiling('large', ['--calls', String(opt.calls)])],
      ],
    },
    {
      // ncclient has no way to consume a reply as it arrives: this client and the bare channel.
      workload: 'stream',
      letter: 'e',
      replyBytes: streamBytes,
      runs: [
        ['node', nodeClient('stream', ['--expect-bytes', String(streamBytes)])],
        ['ssh2', ssh2Ceiling('large', ['--calls', '1'])],
      ],
    },
    {
      workload: 'small',
      letter: 'b',
      replyBytes: opt.smallBytes,
      runs: [
        ...pair(['node', nodeClient('small', smallArgs)], ['ncclient', ncclientClient('small', ['--sequential', String(opt.ncclientSequential)])]),
        ['node-nodelay', nodeClient('small', [...smallArgs, '--nodelay'])],
        ['ssh2', ssh2Ceiling('small', smallArgs)],
        ['openssh', opensshCeiling('small', smallArgs)],
      ],
    },
    {
      workload: 'many',
      letter: 'c',
      replyBytes: opt.manyBytes,
      runs: pair(
        ['node', nodeClient('many', [...manyArgs, '--connect-concurrency', String(opt.connectConcurrency)])],
        ['ncclient', ncclientClient('many', ['--sessions', String(opt.ncclientSessions), '--connect-concurrency', String(opt.connectConcurrency)])],
      ),
    },
    {
      // one process: this client direct and through the jump host, and both bare references,
      // interleaved (bench/connect.mjs); the peer only says hello
      workload: 'connect',
      letter: 'f',
      replyBytes: opt.smallBytes,
      runs: [['node', ['node', ['bench/connect.mjs', '--connects', String(opt.connects), '--jump', join(JUMP_DIR, 'jump.json')]]]],
    },
    {
      // over TLS (stunnel4 exec'ing the same peer binary): this client, reply.bytes (the row
      // compared) and reply.xml, and the bare tls socket reading the same bytes; this client and
      // the bare socket alternate which goes first
      workload: 'tls',
      letter: 'g',
      replyBytes: sizeBytes,
      runs: [
        ...pair(['node', tlsClient('node', [...largeArgs, '--as', 'bytes'])], ['tls-bare', tlsClient('bare', largeArgs)]),
        ['node-xml', tlsClient('node', [...largeArgs, '--as', 'string'])],
        // both again with huge pages (the diagnostic rows): how much of the gap is page faults
        ...pair(['node-thp', withHugePages(tlsClient('node', [...largeArgs, '--as', 'bytes']))], ['tls-bare-thp', withHugePages(tlsClient('bare', largeArgs))]),
      ],
    },
    {
      // no peer: the same file converted by this library and by yanglint, in fresh processes
      workload: 'yang',
      letter: 'h',
      replyBytes: opt.smallBytes,
      runs: [['node', ['node', ['bench/yang.mjs', '--interfaces', String(opt.yangInterfaces), '--rounds', '1', '--compile-rounds', smoke ? '1' : '10']]]],
    },
    // (i) fleets: simulators in their own processes, runFleet and BullMQ workers (bench/fleet.mjs); round 1 only (minutes)
    ...(round === 1
      ? [{ workload: 'fleet', letter: 'i', replyBytes: opt.smallBytes, runs: [['node', ['node', ['bench/fleet.mjs', '--devices', opt.fleetDevices, '--workers', opt.fleetWorkers, '--ncclient-devices', smoke ? '0' : '1000']]]] }]
      : []),
  ];
  return steps.filter((step) => selected(step.letter));
}

// ---- summarising ---------------------------------------------------------------------------------

const fmt = (x, digits) => {
  if (x === undefined || x === null || !Number.isFinite(x)) return '—';
  const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3);
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }).replace(/,/g, ' ');
};
const cell = (s, digits) => (s ? (s.n > 1 ? `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})` : fmt(s.median, digits)) : '—');

/** Collect a number from every successful sample of (workload, client). */
function collect(samples, workload, client, pick) {
  const xs = [];
  for (const s of samples) {
    if (s.workload !== workload || s.client !== client || s.result.error) continue;
    const v = pick(s.result);
    if (Array.isArray(v)) xs.push(...v);
    else xs.push(v);
  }
  return stats(xs);
}

function summarise(samples, framing) {
  const MB = 1e6;
  const rows = [];
  const row = (group, name, unit, better, values, note) => rows.push({ group, name, unit, better, ...values, note });
  const get = (w, c, pick) => collect(samples, w, c, pick);
  const each = (w, pick, clients = ['node', 'ncclient', 'ssh2', 'openssh']) => Object.fromEntries(clients.map((c) => [c, get(w, c, pick)]));

  const sz = `${opt.sizeMb} MB`;
  // (a) has one more column: the string ceiling (the bare channel building the same string)
  const large = ['node', 'ncclient', 'ssh2', 'ssh2-string', 'openssh'];
  row('a', `get-config ${sz}, COLD (1st call, fresh process)`, 's', 'lower', each('large', (r) => r.coldSeconds, large));
  row('a', `get-config ${sz}, COLD throughput`, 'MB/s', 'higher', each('large', (r) => (r.bytes ?? sizeBytes) / r.coldSeconds / MB, large));
  row('a', `get-config ${sz}, WARM (later calls)`, 's', 'lower', each('large', (r) => r.warmSeconds, large));
  row('a', `get-config ${sz}, WARM throughput`, 'MB/s', 'higher', each('large', (r) => r.warmSeconds.map((s) => (r.bytes ?? sizeBytes) / s / MB), large));
  row('a', '  the same as bytes (reply.bytes: one Buffer, no string), COLD throughput', 'MB/s', 'higher', { node: get('large', 'node-bytes', (r) => r.bytes / r.coldSeconds / MB), ssh2: get('large', 'ssh2', (r) => (r.bytes ?? sizeBytes) / r.coldSeconds / MB) });
  row('a', '  the same as bytes, WARM throughput', 'MB/s', 'higher', { node: get('large', 'node-bytes', (r) => r.warmSeconds.map((s) => r.bytes / s / MB)), ssh2: get('large', 'ssh2', (r) => r.warmSeconds.map((s) => (r.bytes ?? sizeBytes) / s / MB)) });
  row('a', '  the same as bytes, peak RSS after all calls', 'MB', 'lower', { node: get('large', 'node-bytes', (r) => r.peakRss / MB) });
  row('a', 'cold − warm (first-call overhead)', 's', 'lower', each('large', (r) => r.coldSeconds - (stats(r.warmSeconds)?.median ?? NaN), large));
  row('a', 'peak RSS after the cold call', 'MB', 'lower', each('large', (r) => r.peakRssCold / MB, ['node', 'ncclient', 'ssh2', 'ssh2-string']));
  row('a', 'peak RSS after all calls', 'MB', 'lower', each('large', (r) => r.peakRss / MB, ['node', 'ncclient', 'ssh2', 'ssh2-string']));
  row('a', 'peak RSS after all calls ÷ reply size', '×', 'lower', each('large', (r) => r.peakRss / sizeBytes, ['node', 'ncclient', 'ssh2-string']));

  const st = `${opt.streamMb ?? opt.sizeMb} MB`;
  const streamMBps = (r) => (r.seconds !== undefined ? r.bytes / r.seconds : r.wireBytes / r.coldSeconds) / MB;
  row('e', `getConfigStream() ${st}: parsed <interface> subtrees (fresh process)`, 'MB/s', 'higher', each('stream', streamMBps, ['node', 'ssh2']), 'ssh2 bare: the same reply only counted; ncclient cannot stream');
  row('e', '  subtrees per second', '1/s', 'higher', each('stream', (r) => r.entriesPerSecond, ['node']));
  row('e', '  peak RSS (whole process)', 'MB', 'lower', each('stream', (r) => r.peakRss / MB, ['node']));
  row('e', '  peak RSS − RSS when connected', 'MB', 'lower', each('stream', (r) => (r.peakRss - r.rssConnected) / MB, ['node']));

  row('b', `sequential <get>, ${opt.smallBytes} B reply: median latency`, 'ms', 'lower', each('small', (r) => r.latencyMs.median));
  row('b', 'sequential <get>: p99 latency', 'ms', 'lower', each('small', (r) => r.p99LatencyMs));
  const pipe = each('small', (r) => r.rpcPerSecond);
  pipe.ncclient = get('small', 'ncclient', (r) => r.sequentialRpcPerSecond); // it can only do sequential
  row('b', `pipelined <get>, ${opt.window} in flight`, 'RPC/s', 'higher', pipe, 'ncclient: sequential (no pipelining in its manager API)');
  row('b', 'diagnostic: this client + setNoDelay(true), median latency', 'ms', 'lower', { node: get('small', 'node-nodelay', (r) => r.latencyMs.median) });
  row('b', 'diagnostic: this client + setNoDelay(true), pipelined', 'RPC/s', 'higher', { node: get('small', 'node-nodelay', (r) => r.rpcPerSecond) });

  const two = ['node', 'ncclient'];
  const sessionsLabel = opt.ncclientSessions === opt.sessions ? `${opt.sessions} sessions` : `${opt.sessions} sessions (ncclient: ${opt.ncclientSessions})`;
  row('c', `${sessionsLabel}: wall (connect + get-config + close)`, 's', 'lower', each('many', (r) => r.wallSeconds, two));
  row('c', '  connect all', 's', 'lower', each('many', (r) => r.connectSeconds, two));
  // Comparable whatever the session counts: on a 2-core machine sshd's login work bounds this.
  row('c', '  connect rate', 'sessions/s', 'higher', each('many', (r) => r.connected / r.connectSeconds, two));
  row('c', '  one get-config on each', 's', 'lower', each('many', (r) => r.rpcSeconds, two));
  row('c', '  close all', 's', 'lower', each('many', (r) => r.closeSeconds, two));
  row('c', 'client RSS growth per session', 'KB', 'lower', each('many', (r) => r.rssPerSession / 1e3, two));
  row('c', 'sessions that failed', 'count', 'lower', each('many', (r) => r.sessions - (r.replies ?? r.connected), two));
  row('c', 'open fds after close − before', 'count', 'lower', each('many', (r) => r.fdLeak, two), 'ncclient: after gc.collect(); before it, see fdLeakBeforeGc');
  row('c', 'active handles/timers (node) or threads (ncclient) after close − before', 'count', 'lower', each('many', (r) => r.resourceLeak, two));

  // (f) every connect of every round pooled; ssh2 column: the bare references (lib/bare.mjs)
  row('f', 'connect() direct: TCP + SSH handshake + auth + hello', 'ms', 'lower', { node: get('connect', 'node', (r) => r.ms.direct), ssh2: get('connect', 'node', (r) => r.ms['direct-bare']) }, 'ssh2 bare: handshake + auth + subsys(netconf) + hello, no library');
  row('f', 'connect() through one jump host', 'ms', 'lower', { node: get('connect', 'node', (r) => r.ms.jump) });
  const extra = get('connect', 'node', (r) => r.jumpMinusDirectMs);
  const bareJump = get('connect', 'node', (r) => r.ms['jump-bare']);
  row('f', '  via jump − direct (each jump connect − the direct one before it)', 'ms', 'lower', { node: extra });
  row('f', '  the jump host alone: bare ssh2 handshake + auth', 'ms', 'lower', { ssh2: bareJump });
  const extraRatio = extra && bareJump ? extra.median / bareJump.median : undefined;
  row('f', '  (via jump − direct) ÷ the bare jump handshake', '×', 'lower', { node: Number.isFinite(extraRatio) ? { median: extraRatio, min: extraRatio, max: extraRatio, n: 1 } : null });

  // (g) over TLS; column `bare TLS socket`: Node's tls socket, hello + RPC, the reply bytes counted
  const tlsRuns = ['node', 'tls-bare'];
  const tlsMBps = (r) => (r.bytes ?? sizeBytes) / r.coldSeconds / MB;
  const tlsWarmMBps = (r) => r.warmSeconds.map((s) => (r.bytes ?? sizeBytes) / s / MB);
  row('g', `TLS get-config ${sz}, COLD (1st call, fresh process)`, 's', 'lower', each('tls', (r) => r.coldSeconds, tlsRuns));
  row('g', `TLS get-config ${sz}, COLD throughput (reply.bytes)`, 'MB/s', 'higher', each('tls', tlsMBps, tlsRuns));
  row('g', `TLS get-config ${sz}, WARM (later calls)`, 's', 'lower', each('tls', (r) => r.warmSeconds, tlsRuns));
  row('g', `TLS get-config ${sz}, WARM throughput (reply.bytes)`, 'MB/s', 'higher', each('tls', tlsWarmMBps, tlsRuns));
  row('g', '  TLS peak RSS after the cold call', 'MB', 'lower', each('tls', (r) => r.peakRssCold / MB, tlsRuns));
  row('g', '  TLS peak RSS after all calls', 'MB', 'lower', each('tls', (r) => r.peakRss / MB, tlsRuns));
  row('g', '  TLS, as reply.xml (one string): COLD throughput', 'MB/s', 'higher', { node: get('tls', 'node-xml', tlsMBps) });
  row('g', '  TLS, as reply.xml: WARM throughput', 'MB/s', 'higher', { node: get('tls', 'node-xml', tlsWarmMBps) });
  row('g', '  TLS, as reply.xml: peak RSS after all calls', 'MB', 'lower', { node: get('tls', 'node-xml', (r) => r.peakRss / MB) });
  const thp = (pick) => ({ node: get('tls', 'node-thp', pick), 'tls-bare': get('tls', 'tls-bare-thp', pick) });
  row('g', `  diagnostic, both with huge pages (${HUGE_PAGES}): COLD throughput`, 'MB/s', 'higher', thp(tlsMBps));
  row('g', '  diagnostic, both with huge pages: WARM throughput', 'MB/s', 'higher', thp(tlsWarmMBps));
  row('g', '  diagnostic, both with huge pages: peak RSS after all calls', 'MB', 'lower', thp((r) => r.peakRss / MB));

  // (h) YANG; column `yanglint`: libyang's yanglint on the same file (process wall, /usr/bin/time)
  const yg = (pick) => get('yang', 'node', pick);
  const yi = `${opt.yangInterfaces} interfaces`;
  row('h', `XML → JSON, ${yi}: parse + convert (yanglint: its process)`, 's', 'lower', { node: yg((r) => r.oursXmlToJsonSeconds.median), yanglint: yg((r) => r.yanglintXmlToJsonWall.median) }, 'yanglint -t get (parse-only: the checks the codec makes)');
  row('h', '  XML → JSON: the whole process (node start, compile, read, write)', 's', 'lower', { node: yg((r) => r.oursXmlToJsonWall.median), yanglint: yg((r) => r.yanglintXmlToJsonWall.median) });
  row('h', '  XML → JSON: peak RSS', 'MB', 'lower', { node: yg((r) => r.oursXmlToJsonPeakRss.median / MB), yanglint: yg((r) => r.yanglintXmlToJsonPeakRss.median / MB) });
  row('h', '  yanglint -t config (full validation)', 's', 'lower', { yanglint: yg((r) => r.yanglintConfigXmlToJsonWall.median) });
  row('h', `JSON → XML, ${yi}: convert (yanglint: its process)`, 's', 'lower', { node: yg((r) => r.oursJsonToXmlSeconds.median), yanglint: yg((r) => r.yanglintJsonToXmlWall.median) });
  row('h', '  JSON → XML: the whole process', 's', 'lower', { node: yg((r) => r.oursJsonToXmlWall.median), yanglint: yg((r) => r.yanglintJsonToXmlWall.median) });
  row('h', '  JSON → XML: peak RSS', 'MB', 'lower', { node: yg((r) => r.oursJsonToXmlPeakRss.median / MB), yanglint: yg((r) => r.yanglintJsonToXmlPeakRss.median / MB) });
  row('h', 'compile the IETF modules (yanglint: loading them, its process)', 'ms', 'lower', { node: yg((r) => r.oursCompileMs.median), yanglint: yg((r) => r.yanglintLoadMs.median) });
  row('h', '  our JSON = yanglint\'s, yanglint reads our XML back the same', 'count', 'higher', { node: yg((r) => Number(r.jsonEqualsYanglint === true) + Number(r.ourXmlReadBackEqual === true)) }, '2 = both');

  // (i) fleets: one get-config per simulated device; column ncclient: bench/fleet-ncclient.py (ThreadPoolExecutor(100))
  for (const n of String(opt.fleetDevices ?? '').split(',').map(Number).filter((x) => x > 0)) {
    const ip = (pick) => get('fleet', 'node', (r) => { const x = r.inProcess.find((v) => v.devices === n); return x ? pick(x) : NaN; });
    const nc = (pick) => get('fleet', 'node', (r) => (r.ncclient && !r.ncclient.error && r.ncclient.devices === n ? pick(r.ncclient) : NaN));
    row('i', `fleet: ${n} devices × get-config, one process: wall`, 's', 'lower', { node: ip((x) => x.seconds), ncclient: nc((x) => x.seconds) });
    row('i', '  devices/s', 'dev/s', 'higher', { node: ip((x) => x.rate), ncclient: nc((x) => x.rate) });
    row('i', '  peak RSS', 'MB', 'lower', { node: ip((x) => x.peakRss / MB), ncclient: nc((x) => x.peakRss / MB) });
    row('i', '  client CPU per device (user + system)', 'ms', 'lower', { node: ip((x) => (x.cpuSeconds * 1000) / x.devices), ncclient: nc((x) => (x.cpuSeconds * 1000) / x.devices) });
    row('i', '  open fds after', 'count', 'lower', { node: ip((x) => x.fdsAfter), ncclient: nc((x) => x.fdsAfter) });
    for (const w of String(opt.fleetWorkers ?? '').split(',').map(Number).filter((x) => x > 0)) {
      const q = (pick) => get('fleet', 'node', (r) => { const x = r.queue.find((v) => v.devices === n && v.workers === w); return x ? pick(x) : NaN; });
      row('i', `  BullMQ, ${w} worker${w > 1 ? 's' : ''}: devices/s`, 'dev/s', 'higher', { node: q((x) => x.rate) });
      row('i', `  BullMQ, ${w} worker${w > 1 ? 's' : ''}: largest worker peak RSS`, 'MB', 'lower', { node: q((x) => Math.max(...x.workerPeakRss) / MB) });
    }
  }

  for (const f of framing?.results ?? []) {
    row('d', `framing decoder: ${f.case}`, 'MB/s', 'higher', { node: { median: f.medianMBps, min: f.minMBps, max: f.maxMBps, n: framing.rounds } });
    row('d', `  + one Buffer.concat of the message`, 'MB/s', 'higher', { node: { median: f.withConcatMedianMBps, min: f.withConcatMedianMBps, max: f.withConcatMedianMBps, n: 1 } });
  }
  // Wall times of runs with different session counts are not comparable: no ratio for them.
  const sameSessions = opt.ncclientSessions === opt.sessions;
  for (const r of rows) {
    if (r.group === 'c' && r.unit === 's' && !sameSessions) continue;
    const a = r.node?.median;
    const b = r.ncclient?.median;
    if (Number.isFinite(a) && Number.isFinite(b) && a > 0 && b > 0 && r.unit !== 'count') r.ratio = r.better === 'higher' ? a / b : b / a;
  }
  return rows.filter((r) => selected(r.group));
}

function targets(rows) {
  const find = (prefix) => rows.find((r) => r.name.startsWith(prefix));
  const med = (r, c) => r?.[c]?.median;
  const out = [];
  const t = (what, value, ok, detail) => out.push({ target: what, value, met: ok === undefined ? null : ok, detail });
  const coldMBps = find(`get-config ${opt.sizeMb} MB, COLD throughput`);
  const warmMBps = find(`get-config ${opt.sizeMb} MB, WARM throughput`);
  for (const [label, r] of [['cold', coldMBps], ['warm', warmMBps]]) {
    const p = med(r, 'node') / med(r, 'ssh2');
    const ps = med(r, 'node') / med(r, 'ssh2-string');
    t(`(a) ${label}: this client >= 70% of the bare ssh2 channel`, `${fmt(100 * p, 0)}%`, Number.isFinite(p) ? p >= 0.7 : undefined, `${fmt(med(r, 'node'))} vs ${fmt(med(r, 'ssh2'))} MB/s; ${fmt(100 * ps, 0)}% of the bare channel building the same string, ${fmt(med(r, 'ssh2-string'))} MB/s`);
    const x = med(r, 'node') / med(r, 'ncclient');
    t(`(a) ${label}: this client >= 8x ncclient`, `${fmt(x, 1)}x`, Number.isFinite(x) ? x >= 8 : undefined, `${fmt(med(r, 'node'))} vs ${fmt(med(r, 'ncclient'))} MB/s`);
    const rb = find(`  the same as bytes${label === 'cold' ? ' (reply.bytes' : ', WARM'}`);
    const pb = med(rb, 'node') / med(rb, 'ssh2');
    t(`(a) ${label}, as bytes (reply.bytes): >= 70% of the bare ssh2 channel`, `${fmt(100 * pb, 0)}%`, Number.isFinite(pb) ? pb >= 0.7 : undefined, `${fmt(med(rb, 'node'))} vs ${fmt(med(rb, 'ssh2'))} MB/s`);
  }
  for (const name of ['peak RSS after the cold call', 'peak RSS after all calls']) {
    const r = find(name);
    const ratio = (med(r, 'node') * 1e6) / sizeBytes;
    t(`(a) ${name} <= 3x reply size`, `${fmt(ratio, 2)}x`, Number.isFinite(ratio) ? ratio <= 3 : undefined, `${fmt(med(r, 'node'))} MB for a ${opt.sizeMb} MB reply; the bare channel building the same string: ${fmt(med(r, 'ssh2-string'))} MB`);
  }
  const stream = find('getConfigStream()');
  const smb = med(stream, 'node');
  t('(e) streamed subtrees >= 60 MB/s', `${fmt(smb)} MB/s`, Number.isFinite(smb) ? smb >= 60 : undefined, `${fmt(100 * smb / med(stream, 'ssh2'), 0)}% of the bare channel's ${fmt(med(stream, 'ssh2'))} MB/s`);
  const srss = med(find('  peak RSS (whole process)'), 'node');
  t('(e) streamed: peak RSS < 100 MB', `${fmt(srss)} MB`, Number.isFinite(srss) ? srss < 100 : undefined, `of which ${fmt(med(find('  peak RSS − RSS'), 'node'))} MB above the RSS of the connected process; reply ${opt.streamMb ?? opt.sizeMb} MB`);
  const lat = med(find('sequential <get>'), 'node');
  t('(b) sequential round trip <= 1 ms (median)', `${fmt(lat)} ms`, Number.isFinite(lat) ? lat <= 1 : undefined);
  const rps = med(find('pipelined <get>'), 'node');
  t('(b) pipelined >= 10 000 RPC/s', `${fmt(rps, 0)} RPC/s`, Number.isFinite(rps) ? rps >= 10000 : undefined);
  const fd = find('open fds after close')?.node;
  const res = find('active handles')?.node;
  t('(c) no fd leak after close', fd ? `${fmt(fd.max, 0)} (max over rounds)` : '—', fd ? fd.max <= 0 : undefined);
  t('(c) no timer/handle leak after close', res ? `${fmt(res.max, 0)} (max over rounds)` : '—', res ? res.max <= 0 : undefined);
  // One jump host costs one more SSH handshake, not more: the extra connect time against the jump
  // host's bare handshake + auth, measured in the same process; up to 1.5 counts as one (the
  // forward channel's round trip and the second handshake running inside the first connection).
  const extra = med(find('  via jump − direct'), 'node');
  const bareJump = med(find('  the jump host alone'), 'ssh2');
  const extraRatio = extra / bareJump;
  t('(f) through one jump host: the extra connect time is one handshake (<= 1.5x the bare jump handshake)', `${fmt(extraRatio, 2)}x`, Number.isFinite(extraRatio) ? extraRatio <= 1.5 : undefined, `via jump − direct ${fmt(extra)} ms (median of the per-pair differences); the jump host's bare ssh2 handshake + auth ${fmt(bareJump)} ms; direct ${fmt(med(find('connect() direct'), 'node'))} ms, via jump ${fmt(med(find('connect() through one jump host'), 'node'))} ms`);
  // (g) over TLS, reply.bytes against the bare tls socket reading the same bytes
  const tlsWarm = find(`TLS get-config ${opt.sizeMb} MB, WARM throughput`);
  const tlsCold = find(`TLS get-config ${opt.sizeMb} MB, COLD throughput`);
  const tp = med(tlsWarm, 'node') / med(tlsWarm, 'tls-bare');
  const tpc = med(tlsCold, 'node') / med(tlsCold, 'tls-bare');
  const tlsRss = find('  TLS peak RSS after all calls');
  const tlsRssCold = find('  TLS peak RSS after the cold call');
  const thpWarm = find('  diagnostic, both with huge pages: WARM throughput');
  const thpRatio = med(thpWarm, 'node') / med(thpWarm, 'tls-bare');
  t('(g) TLS: this client >= 70% of the bare TLS socket (warm)', `${fmt(100 * tp, 0)}%`, Number.isFinite(tp) ? tp >= 0.7 : undefined, `reply.bytes ${fmt(med(tlsWarm, 'node'))} vs ${fmt(med(tlsWarm, 'tls-bare'))} MB/s warm; both with huge pages ${fmt(med(thpWarm, 'node'))} vs ${fmt(med(thpWarm, 'tls-bare'))} MB/s (${fmt(100 * thpRatio, 0)}%); cold ${fmt(med(tlsCold, 'node'))} vs ${fmt(med(tlsCold, 'tls-bare'))} MB/s (${fmt(100 * tpc, 0)}%); peak RSS ${fmt(med(tlsRssCold, 'node'))} MB after the cold call, ${fmt(med(tlsRss, 'node'))} MB after all calls (${fmt((med(tlsRss, 'node') * 1e6) / sizeBytes, 2)}x the reply; the bare socket ${fmt(med(tlsRss, 'tls-bare'))} MB)`);
  // (h) issue 12: faster than yanglint both ways, as whole processes (node start, compiling,
  // reading and writing the files: what yanglint's time includes) and for the conversion alone;
  // the IETF modules compile well under a second
  const y2j = find(`XML → JSON, ${opt.yangInterfaces} interfaces`);
  const y2jWhole = find('  XML → JSON: the whole process');
  const j2x = find(`JSON → XML, ${opt.yangInterfaces} interfaces`);
  const j2xWhole = find('  JSON → XML: the whole process');
  const yc = find('compile the IETF modules');
  const faster = (what, inProcess, whole, rss) => {
    const r = med(whole, 'yanglint') / med(whole, 'node');
    const ri = med(inProcess, 'yanglint') / med(inProcess, 'node');
    const known = Number.isFinite(r) && Number.isFinite(ri);
    t(`(h) ${what} faster than yanglint (whole process, and conversion alone)`, `${fmt(r, 2)}x`, known ? r > 1 && ri > 1 : undefined, `whole process ${fmt(med(whole, 'node'))} s vs ${fmt(med(whole, 'yanglint'))} s; conversion alone ${fmt(med(inProcess, 'node'))} s (${fmt(ri, 2)}x); peak RSS ${fmt(med(rss, 'node'))} vs ${fmt(med(rss, 'yanglint'))} MB`);
  };
  faster('XML → JSON', y2j, y2jWhole, find('  XML → JSON: peak RSS'));
  faster('JSON → XML', j2x, j2xWhole, find('  JSON → XML: peak RSS'));
  t('(h) compiling the IETF modules takes well under a second (< 500 ms)', `${fmt(med(yc, 'node'))} ms`, Number.isFinite(med(yc, 'node')) ? med(yc, 'node') < 500 : undefined, `yanglint loading them: ${fmt(med(yc, 'yanglint'))} ms`);
  return out.filter((x) => selected(x.target[1]));
}

function printTable(meta, rows, targetList) {
  const cols = [
    ['workload', (r) => `(${r.group}) ${r.name} [${r.unit}]`],
    ['this client', (r) => cell(r.node, r.unit === 'count' ? 0 : undefined)],
    ['ncclient', (r) => cell(r.ncclient, r.unit === 'count' ? 0 : undefined)],
    ['ratio', (r) => (r.ratio ? `${fmt(r.ratio, r.ratio >= 10 ? 0 : 1)}x` : '')],
    ['ssh2 bare channel', (r) => cell(r.ssh2)],
    ['ssh2 + one string', (r) => cell(r['ssh2-string'])],
    ['ssh -s netconf', (r) => cell(r.openssh)],
    // (g) only: Node's tls socket reading the same reply (no column when (g) did not run)
    ...(selected('g') ? [['bare TLS socket', (r) => cell(r['tls-bare'])]] : []),
    // (h) only: libyang's yanglint converting the same file
    ...(selected('h') ? [['yanglint', (r) => cell(r.yanglint)]] : []),
  ];
  const table = [cols.map((c) => c[0]), ...rows.map((r) => cols.map((c) => c[1](r)))];
  const widths = cols.map((_, i) => Math.max(...table.map((line) => line[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const out = [];
  out.push('');
  out.push(`netconfkit benchmark${opt.smoke ? ' (SMOKE: tiny sizes, numbers meaningless)' : ''} — ${meta.date}`);
  out.push(`machine: ${meta.cpu} × ${meta.cores}, ${fmt(meta.memoryGB, 0)} GB; load average ${meta.loadavgStart.map((x) => fmt(x, 2)).join(' ')} at start, ${meta.loadavgEnd.map((x) => fmt(x, 2)).join(' ')} at end`);
  out.push(`client: dist/ built ${meta.distBuilt} at commit ${meta.commit}${meta.srcUncommitted ? ` + ${meta.srcUncommitted} uncommitted src/ change(s)` : ''}${meta.distRebuiltDuringRun ? ' — WARNING: dist/ was rebuilt during the run (by another build in this checkout): rounds may have measured different code' : ''}`);
  out.push(`node ${meta.node}; sshNativeCryptoAvailable(): ${meta.nativeCrypto}; ${meta.ncclient}; ${meta.openssh ?? 'OpenSSH ?'}`);
  out.push(`ciphers (server->client): this client ${meta.ciphers.node} | ncclient ${meta.ciphers.ncclient} | ssh2 bare ${meta.ciphers.ssh2} | ssh -s ${meta.ciphers.openssh} (pinned to ssh2's)`);
  out.push(`peer: ${opt.sizeMb} MB / ${opt.smallBytes} B / ${opt.manyBytes} B replies, ${meta.framing} framing in ${opt.chunkBytes} B chunks; ${opt.rounds} round(s), this client and ncclient alternating; medians (min–max); ratio = how many times better this client is than ncclient`);
  if (selected('a')) out.push('ssh2 + one string: the bare ssh2 channel also building each (a) reply as one string, as reply.xml is (framing stripped as it arrives, one Latin-1 decode): the string ceiling');
  if (['a', 'b', 'c'].some(selected)) out.push(`samples per round: large ${opt.calls} calls (ncclient ${opt.ncclientCalls}), first cold; ${opt.sequential} sequential RPCs (ncclient ${opt.ncclientSequential}); ${opt.pipelined} pipelined; ${opt.sessions} sessions (ncclient ${opt.ncclientSessions}), ${opt.connectConcurrency || 'all'} connecting at once`);
  if (selected('f')) out.push(`(f) per round, one fresh process: ${opt.connects} connects of each kind, interleaved (direct, via jump, bare jump handshake, bare direct), after one untimed of each; jump host: scripts/jump-host.sh's sshd on ${meta.jump ? `127.0.0.1:${meta.jump.port}` : '127.0.0.1'}, UsePAM no; strict host-key checking (known_hosts from the .pub files)`);
  if (selected('g')) out.push(`(g) over TLS: ${meta.tls?.stunnel ?? 'stunnel4'} on 127.0.0.1:${meta.tls?.port ?? opt.tlsPort} exec'ing the same peer binary, mutual TLS (requireCert, verifyChain; scripts/test-pki.sh), ${meta.tls?.protocol ?? '?'} ${meta.tls?.cipher ?? '?'} (bare socket: ${meta.tls?.bareProtocol ?? '?'} ${meta.tls?.bareCipher ?? '?'}); bare TLS socket: tls.connect() with the same credentials, hello, the same RPCs, the reply bytes counted`);
  if (selected('h')) out.push(`(h) YANG: bench/yang.mjs, a ${opt.yangInterfaces}-interface ietf-interfaces + ietf-ip document in bench/.state/yang; each conversion a fresh process under /usr/bin/time (wall, peak RSS), this library timed inside too (parse + convert); yanglint: libyang's, -t get, the same file; compile: every module of /usr/share/yuma/modules/ietf, warm median`);
  if (selected('i')) out.push(`(i) fleet: bench/fleet.mjs, round 1 only: ${opt.fleetDevices} devices (the simulator, 2 processes, every device its own SSH session), get-config each: runFleet in one process (concurrency 200), then BullMQ on a private redis-server with ${opt.fleetWorkers} worker processes (concurrency 100 each); ncclient: ${smoke ? 'not in --smoke' : 'bench/fleet-ncclient.py, 1000 devices, ThreadPoolExecutor(100)'}`);
  out.push('');
  out.push(line(table[0]));
  out.push(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const l of table.slice(1)) out.push(line(l));
  out.push('');
  out.push('targets (issue 5: (a)–(e); issue 10: (f); 11: (g); 12: (h)):');
  for (const t of targetList) out.push(`  ${t.met === null ? '  ?   ' : t.met ? ' MET  ' : 'MISSED'}  ${t.target}: ${t.value}${t.detail ? ` (${t.detail})` : ''}`);
  console.log(out.join('\n'));
}

// ---- main ----------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const loadavgStart = loadavg();
  if (!cli['no-setup']) setup();
  // dist/ is shared with whoever else builds in this checkout: note it if it changes under us.
  const distFile = join(ROOT, 'dist', 'index.js');
  const distAtStart = statSync(distFile).mtimeMs;
  const peerStart = spawnSync('bash', ['bench/peer.sh', 'start'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (peerStart.status !== 0) throw new Error('bench/peer.sh start failed');
  log(`peer up (${peerStart.stdout.trim()})`);
  const failures = [];
  const samples = [];
  let framing;
  let tlsInfo;
  try {
    if (selected('f')) startJump();
    if (selected('g')) tlsInfo = startTls();
    configurePeer(opt.smallBytes);
    const info = {
      node: await measure('info node', ...nodeClient('info'), 120),
      ncclient: await measure('info ncclient', ...ncclientClient('info'), 120),
    };
    for (const [k, v] of Object.entries(info)) if (v.error) failures.push({ workload: 'info', client: k, error: v.error });

    for (let round = 1; round <= opt.rounds; round++) {
      for (const step of roundPlan(round)) {
        configurePeer(step.replyBytes);
        for (const [client, [cmd, args]] of step.runs) {
          const label = `round ${round}/${opt.rounds} ${step.workload} ${client}`;
          log(`${label} ...`);
          const t0 = Date.now();
          const result = await measure(label, cmd, args, smoke ? 120 : 1800);
          log(`${label}: ${result.error ? 'failed' : 'done'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          samples.push({ round, workload: step.workload, client, result });
          if (result.error) failures.push({ round, workload: step.workload, client, error: result.error });
        }
      }
    }

    if (selected('d')) {
      log('(d) framing decoder: bench/framing.mjs');
      const framingJson = join(BENCH_DIR, 'results', 'framing.json');
      const fr = spawnSync('node', ['bench/framing.mjs', '--size-mb', String(smoke ? 1 : opt.sizeMb), '--rounds', String(smoke ? 1 : 7), '--json', framingJson], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
      if (fr.status === 0 && existsSync(framingJson)) framing = JSON.parse(readFileSync(framingJson, 'utf8'));
      else failures.push({ workload: 'framing', client: 'node', error: `bench/framing.mjs exit ${fr.status}` });
    }

    const rows = summarise(samples, framing);
    // Every workload must have produced numbers (a smoke run checks exactly this).
    const required = [
      ['a', 'large', ['node', 'ncclient', 'node-bytes', 'ssh2', 'ssh2-string', 'openssh']],
      ['b', 'small', ['node', 'ncclient', 'node-nodelay', 'ssh2', 'openssh']],
      ['c', 'many', ['node', 'ncclient']],
      ['e', 'stream', ['node', 'ssh2']],
      ['f', 'connect', ['node']],
      ['g', 'tls', ['node', 'tls-bare', 'node-xml', 'node-thp', 'tls-bare-thp']],
      ['h', 'yang', ['node']],
      ['i', 'fleet', ['node']],
    ];
    for (const [letter, w, clients] of required) {
      if (!selected(letter)) continue;
      for (const c of clients) {
        const ok = samples.some((s) => s.workload === w && s.client === c && !s.result.error);
        if (!ok && !failures.some((f) => f.workload === w && f.client === c)) failures.push({ workload: w, client: c, error: 'no numbers' });
      }
    }
    for (const s of samples.filter((x) => x.workload === 'many' && !x.result.error)) {
      if (s.result.sessions !== (s.result.replies ?? s.result.connected)) failures.push({ round: s.round, workload: 'many', client: s.client, error: `${s.result.sessions - (s.result.replies ?? s.result.connected)} sessions failed: ${s.result.errors?.join('; ')}` });
    }
    if (selected('d') && !framing?.results?.length) failures.push({ workload: 'framing', client: 'node', error: 'no numbers' });

    const firstOk = (w, c) => samples.find((s) => s.workload === w && s.client === c && !s.result.error)?.result;
    const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();
    const meta = {
      date: new Date().toISOString(),
      // The client measured: dist/ as built from this commit, plus uncommitted changes to src/ if any.
      commit: git('rev-parse', '--short', 'HEAD'),
      srcUncommitted: git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length,
      distBuilt: statSync(distFile).mtime.toISOString(),
      distRebuiltDuringRun: statSync(distFile).mtimeMs !== distAtStart,
      smoke,
      options: opt,
      replyBytes: { large: sizeBytes, stream: streamBytes, small: opt.smallBytes, many: opt.manyBytes },
      cpu: cpus()[0]?.model ?? '?',
      cores: cpus().length,
      memoryGB: totalmem() / 2 ** 30,
      node: process.version,
      nativeCrypto: info.node.nativeCrypto,
      ncclient: info.ncclient.error ? 'ncclient ?' : `ncclient ${info.ncclient.ncclient} (paramiko ${info.ncclient.paramiko}, Python ${info.ncclient.python})`,
      openssh: firstOk('large', 'openssh')?.version ?? firstOk('small', 'openssh')?.version,
      ciphers: {
        node: info.node.negotiated?.sc?.cipher ?? '?',
        ncclient: info.ncclient.cipher ? `${info.ncclient.cipher} + ${info.ncclient.mac}` : '?',
        ssh2: (firstOk('large', 'ssh2') ?? firstOk('small', 'ssh2'))?.cipher ?? '?',
        openssh: (firstOk('large', 'openssh') ?? firstOk('small', 'openssh'))?.cipher ?? '?',
      },
      framing: info.node.framing ?? '?',
      jump: selected('f') ? { port: Number(JUMP_PORT), dir: JUMP_DIR } : undefined,
      tls: selected('g')
        ? { port: tlsInfo?.port, stunnel: tlsInfo?.stunnel, protocol: firstOk('tls', 'node')?.protocol, cipher: firstOk('tls', 'node')?.cipher, bareProtocol: firstOk('tls', 'tls-bare')?.protocol, bareCipher: firstOk('tls', 'tls-bare')?.cipher }
        : undefined,
      loadavgStart,
      loadavgEnd: loadavg(),
      seconds: (Date.now() - started) / 1000,
    };
    const targetList = targets(rows);
    printTable(meta, rows, targetList);
    mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
    writeFileSync(cli.json, `${JSON.stringify({ meta, info, rows, targets: targetList, failures, samples, framing }, null, 2)}\n`);
    console.log(`\nwrote ${cli.json} (${fmt(meta.seconds, 0)} s)`);
  } finally {
    if (!cli['keep-peer']) {
      if (selected('g')) stopTls();
      spawnSync('bash', ['bench/peer.sh', 'stop'], { cwd: ROOT, stdio: 'inherit' });
      if (selected('f')) stopJump();
    }
  }
  if (failures.length > 0) {
    console.log(`\n${failures.length} workload run(s) FAILED:`);
    for (const f of failures) console.log(`  ${f.round ? `round ${f.round} ` : ''}${f.workload} ${f.client}: ${String(f.error).split('\n').slice(-2).join(' ').slice(0, 300)}`);
    process.exitCode = 1;
  }
}

/** --report FILE: summarise the samples of an earlier run again. */
function report(file) {
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  const rows = summarise(saved.samples, saved.framing);
  printTable(saved.meta, rows, targets(rows));
}

if (cli.report) report(cli.report);
else main().catch((err) => {
  console.error(err);
  if (selected('g')) stopTls();
  spawnSync('bash', ['bench/peer.sh', 'stop'], { cwd: ROOT, stdio: 'inherit' });
  if (selected('f')) stopJump();
  process.exitCode = 1;
});
