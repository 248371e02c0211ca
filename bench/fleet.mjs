// Workload (i) of bench/run.mjs (issue 13): one get-config on each of N simulated devices, from
// one process (runFleet) and through BullMQ on a private redis-server with 1, 2 and 4 worker
// processes (enqueueFleet + startFleetWorker), beside Python ncclient doing the same devices with
// a thread pool (bench/fleet-ncclient.py). Needs `npm run build` (dist/), redis-server (bash
// scripts/netconfd.sh install), python3-ncclient for the reference.
//
//   node bench/fleet.mjs                                  # 1000 and 5000 devices; workers 1,2,4
//   node bench/fleet.mjs --devices 1000 --workers 2 --ncclient-devices 0
//   node bench/fleet.mjs --tiny                           # 20 devices, 2 workers (CI)
//
// The devices are netconfkit's simulator, in --sim-processes separate processes (default 2), each
// listening on one port: every device name is its own SSH session to one of those ports. The
// simulators run on the same machine and take CPU too: devices/s is the rate of the whole
// loopback system, not of the client alone. Prints a table; `RESULT {json}` on stdout for
// bench/run.mjs; --json FILE also writes it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, emitResult, fdCount, peakRss, currentRss } from './lib/common.mjs';

const ROOT = join(BENCH_DIR, '..');
const DIST = join(ROOT, 'dist');
const USER = 'admin';
const PASSWORD = 'bench-fleet';
const CONFIG = '<config><system xmlns="urn:example:system"><hostname>bench</hostname><location>rack 1</location></system></config>';

const { values: cli } = parseArgs({
  options: {
    tiny: { type: 'boolean', default: false },
    devices: { type: 'string' },
    workers: { type: 'string' },
    concurrency: { type: 'string', default: '200' },
    'worker-concurrency': { type: 'string', default: '100' },
    'sim-processes': { type: 'string', default: '2' },
    'ncclient-devices': { type: 'string' },
    'ncclient-threads': { type: 'string', default: '100' },
    json: { type: 'string' },
    // internal roles
    role: { type: 'string' },
    ports: { type: 'string' },
    url: { type: 'string' },
    queue: { type: 'string' },
    count: { type: 'string' },
  },
});

const list = (text) => text.split(',').map(Number).filter((n) => Number.isFinite(n) && n > 0);
const targetsFor = (n, ports) => Array.from({ length: n }, (_, i) => ({ name: `d${i}`, host: '127.0.0.1', port: ports[i % ports.length], username: USER, password: PASSWORD, hostkeyVerify: false, sshConfig: false, allowAgent: false, lookForKeys: false, timeout: 120, rpcTimeout: 120 }));
const inventoryText = (n, ports) => `hosts:\n${Array.from({ length: n }, (_, i) => `  d${i}: { host: 127.0.0.1, port: ${ports[i % ports.length]}, username: ${USER}, passwordEnv: BENCH_FLEET_PW, hostkeyVerify: false, sshConfig: none, allowAgent: false, lookForKeys: false, timeout: 120, rpcTimeout: 120 }`).join('\n')}\n`;
const getConfig = async (m) => (await m.getConfig('running')).bytes.length;

// ---- roles (child processes) -------------------------------------------------------------------

/** A simulator process: prints its port, serves until killed. */
async function roleSim() {
  const { startSimulator } = await import(join(DIST, 'simulator', 'index.js'));
  const sim = await startSimulator({ users: [{ username: USER, password: PASSWORD }], config: CONFIG, helloTimeout: 120_000 });
  process.stdout.write(`PORT ${sim.port}\n`);
  process.on('SIGTERM', () => sim.close().then(() => process.exit(0)));
}

/** One in-process run: runFleet over N devices. */
async function roleInProcess() {
  const { runFleet } = await import(join(DIST, 'fleet', 'index.js'));
  const ports = list(cli.ports);
  const n = Number(cli.count);
  const rssBefore = currentRss();
  const fdsBefore = fdCount();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let ok = 0;
  const errors = new Map();
  let peakInFlight = 0;
  for await (const r of runFleet(targetsFor(n, ports), getConfig, { concurrency: Number(cli.concurrency), retries: 0, onProgress: (p) => (peakInFlight = Math.max(peakInFlight, p.inFlight)) })) {
    if (r.ok) ok++;
    else errors.set(r.error?.name ?? '?', (errors.get(r.error?.name ?? '?') ?? 0) + 1);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await new Promise((r) => setTimeout(r, 200));
  emitResult({ cpuSeconds: (cpu.user + cpu.system) / 1e6, devices: n, ok, errors: Object.fromEntries(errors), seconds, rate: n / seconds, peakRss: peakRss(), rssBefore, peakInFlight, fdsBefore, fdsAfter: fdCount(), handlesAfter: process.getActiveResourcesInfo().filter((h) => h !== 'TTYWrap').length });
}

/** A queue worker: runs until SIGTERM, then reports its peak RSS and job count. */
async function roleWorker() {
  const { Inventory, startFleetWorker } = await import(join(DIST, 'fleet', 'index.js'));
  const inventory = Inventory.parse(readFileSync(cli.ports, 'utf8'));
  const rssBefore = currentRss();
  const cpu0 = process.cpuUsage();
  let jobs = 0;
  const worker = await startFleetWorker({ url: cli.url, queueName: cli.queue, inventory, concurrency: Number(cli['worker-concurrency']), retries: 0, env: { BENCH_FLEET_PW: PASSWORD }, tasks: { getConfig }, onResult: () => jobs++ });
  process.stdout.write('READY\n');
  process.on('SIGTERM', async () => {
    await worker.close();
    const cpu = process.cpuUsage(cpu0);
    emitResult({ jobs, peakRss: peakRss(), rssBefore, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
    process.exit(0);
  });
}

// ---- the orchestrator --------------------------------------------------------------------------

function child(args, { env, expect } = {}) {
  const c = spawn(process.execPath, [new URL(import.meta.url).pathname, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  c.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  const line = (re) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const m = re.exec(out);
        if (m) resolve(m);
      };
      c.stdout.on('data', check);
      check();
      c.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code} before ${re}: ${out.slice(-500)}`)));
    });
  const result = () => line(/^RESULT (.*)$/m).then((m) => JSON.parse(m[1]));
  void expect;
  return { child: c, line, result, exited: new Promise((r) => c.once('exit', r)) };
}

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function startRedis(dir) {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  return { url: `redis://127.0.0.1:${port}/0`, stop: () => new Promise((r) => { redis.once('exit', r); redis.kill('SIGTERM'); }) };
}

async function queued(n, workers, ports, redis, dir) {
  const { enqueueFleet } = await import(join(DIST, 'fleet', 'index.js'));
  const inv = join(dir, `inventory-${n}.yaml`);
  writeFileSync(inv, inventoryText(n, ports));
  const queue = `bench-${n}-${workers}-${Date.now()}`;
  const procs = Array.from({ length: workers }, () => child(['--role', 'worker', '--ports', inv, '--url', redis.url, '--queue', queue, '--worker-concurrency', cli['worker-concurrency']]));
  await Promise.all(procs.map((p) => p.line(/^READY$/m)));
  const t0 = process.hrtime.bigint();
  let ok = 0;
  const errors = {};
  for await (const r of enqueueFleet(Array.from({ length: n }, (_, i) => `d${i}`), { url: redis.url, queueName: queue, task: 'getConfig' })) {
    if (r.ok) ok++;
    else errors[r.error?.message ?? '?'] = (errors[r.error?.message ?? '?'] ?? 0) + 1;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const reports = procs.map((p) => p.result());
  for (const p of procs) p.child.kill('SIGTERM');
  const per = await Promise.all(reports);
  return { devices: n, workers, ok, errors, seconds, rate: n / seconds, workerPeakRss: per.map((w) => w.peakRss), workerJobs: per.map((w) => w.jobs), workerRssBefore: per.map((w) => w.rssBefore), workerCpuSeconds: per.map((w) => w.cpuSeconds) };
}

function ncclient(n, ports, threads) {
  return new Promise((resolve) => {
    const c = spawn('/usr/bin/python3', [join(BENCH_DIR, 'fleet-ncclient.py'), '--devices', String(n), '--ports', ports.join(','), '--threads', String(threads), '--username', USER, '--password', PASSWORD], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    c.on('error', (err) => resolve({ error: String(err) }));
    c.on('exit', (code) => {
      const m = /^RESULT (.*)$/m.exec(out);
      resolve(m ? JSON.parse(m[1]) : { error: `fleet-ncclient.py exit ${code}` });
    });
  });
}

const MB = 1e6;
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');

async function main() {
  const tiny = cli.tiny;
  const devices = list(cli.devices ?? (tiny ? '20' : '1000,5000'));
  const workerCounts = list(cli.workers ?? (tiny ? '2' : '1,2,4'));
  const ncDevices = Number(cli['ncclient-devices'] ?? (tiny ? '0' : '1000'));
  const dir = mkdtempSync(join(tmpdir(), 'netconf-bench-fleet-'));
  const sims = Array.from({ length: Number(cli['sim-processes']) }, () => child(['--role', 'sim']));
  const redis = await startRedis(dir);
  const results = { inProcess: [], queue: [], ncclient: null, options: { devices, workerCounts, concurrency: Number(cli.concurrency), workerConcurrency: Number(cli['worker-concurrency']), simProcesses: sims.length, ncclientDevices: ncDevices, ncclientThreads: Number(cli['ncclient-threads']) } };
  try {
    const ports = (await Promise.all(sims.map((s) => s.line(/^PORT (\d+)$/m)))).map((m) => Number(m[1]));
    for (const n of devices) {
      console.error(`[fleet] in-process: ${n} devices, concurrency ${cli.concurrency}`);
      const r = await child(['--role', 'inprocess', '--ports', ports.join(','), '--count', String(n), '--concurrency', cli.concurrency]).result();
      results.inProcess.push(r);
      for (const w of workerCounts) {
        console.error(`[fleet] BullMQ: ${n} devices, ${w} worker(s) × concurrency ${cli['worker-concurrency']}`);
        results.queue.push(await queued(n, w, ports, redis, dir));
      }
    }
    if (ncDevices > 0) {
      console.error(`[fleet] ncclient: ${ncDevices} devices, ThreadPoolExecutor(${cli['ncclient-threads']})`);
      results.ncclient = await ncclient(ncDevices, ports, Number(cli['ncclient-threads']));
    }
  } finally {
    for (const s of sims) s.child.kill('SIGTERM');
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const lines = ['', 'fleet: get-config on N simulated devices (loopback; simulators in separate processes)', 'run                                   devices   ok     wall s   devices/s   peak RSS MB   KB/session   client CPU ms/device   fds after'];
  for (const r of results.inProcess) {
    const perSession = ((r.peakRss - r.rssBefore) / Math.max(1, r.peakInFlight)) / 1e3;
    lines.push(`one process, runFleet (conc. ${results.options.concurrency})`.padEnd(38) + `${String(r.devices).padStart(7)} ${String(r.ok).padStart(5)} ${f1(r.seconds).padStart(9)} ${f1(r.rate).padStart(11)} ${f1(r.peakRss / MB).padStart(13)} ${f1(perSession).padStart(12)} ${f1((r.cpuSeconds * 1000) / r.devices).padStart(22)} ${String(r.fdsAfter - r.fdsBefore >= 0 ? `${r.fdsAfter} (+${r.fdsAfter - r.fdsBefore})` : r.fdsAfter).padStart(11)}`);
  }
  for (const r of results.queue) {
    const peak = Math.max(...r.workerPeakRss);
    const perSession = (Math.max(...r.workerPeakRss.map((p, i) => p - r.workerRssBefore[i])) / Math.min(results.options.workerConcurrency, Math.ceil(r.devices / r.workers))) / 1e3;
    lines.push(`BullMQ, ${r.workers} worker${r.workers > 1 ? 's' : ''} (conc. ${results.options.workerConcurrency} each)`.padEnd(38) + `${String(r.devices).padStart(7)} ${String(r.ok).padStart(5)} ${f1(r.seconds).padStart(9)} ${f1(r.rate).padStart(11)} ${f1(peak / MB).padStart(13)} ${f1(perSession).padStart(12)} ${f1((r.workerCpuSeconds.reduce((a, b) => a + b, 0) * 1000) / r.devices).padStart(22)}   jobs ${r.workerJobs.join('/')}`);
  }
  const nc = results.ncclient;
  if (nc && !nc.error) lines.push(`ncclient, ThreadPoolExecutor(${results.options.ncclientThreads})`.padEnd(38) + `${String(nc.devices).padStart(7)} ${String(nc.ok).padStart(5)} ${f1(nc.seconds).padStart(9)} ${f1(nc.rate).padStart(11)} ${f1(nc.peakRss / MB).padStart(13)} ${f1((nc.peakRss - nc.rssBefore) / results.options.ncclientThreads / 1e3).padStart(12)} ${f1((nc.cpuSeconds * 1000) / nc.devices).padStart(22)} ${String(nc.fdsAfter).padStart(11)}`);
  else if (nc) lines.push(`ncclient: ${nc.error}`);
  console.error(lines.join('\n'));
  if (cli.json) writeFileSync(cli.json, `${JSON.stringify(results, null, 2)}\n`);
  emitResult(results);
}

const roles = { sim: roleSim, inprocess: roleInProcess, worker: roleWorker };
const run = roles[cli.role] ?? main;
run().then(
  () => { if (!cli.role || cli.role === 'inprocess') process.exit(0); },
  (err) => {
    emitResult({ error: String(err?.stack ?? err) });
    process.exit(1);
  },
);
