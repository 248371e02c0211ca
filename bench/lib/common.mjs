// Helpers shared by the Node benchmark scripts: the peer's connection details, /proc readings,
// statistics, and the one-JSON-line result protocol between the clients and bench/run.mjs.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_PEER_JSON = join(BENCH_DIR, '.state', 'peer.json');

/** host, port, username, keyFile … as written by bench/peer.sh start. */
export function readPeer(file = DEFAULT_PEER_JSON) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** A field of /proc/self/status in bytes (VmHWM: peak RSS; VmRSS: current RSS). */
export function procStatusBytes(field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

export const peakRss = () => procStatusBytes('VmHWM');
export const currentRss = () => procStatusBytes('VmRSS');

/** Open file descriptors of this process. */
export const fdCount = () => readdirSync('/proc/self/fd').length;

/** Seconds elapsed since `t0` (from process.hrtime.bigint()). */
export const secondsSince = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

/** median (lower middle for an even count), min, max, n of a list of numbers. */
export function stats(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return { median: v[(v.length - 1) >> 1], min: v[0], max: v[v.length - 1], n: v.length };
}

/** The p-th percentile (0-100) of a list. */
export function percentile(xs, p) {
  const v = [...xs].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))];
}

/**
 * Print the result for bench/run.mjs: one line `RESULT {json}` on stdout (anything else a script
 * prints is for people).
 */
export function emitResult(result) {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

/** Run `main`, reporting a failure as a result with `error` and exit code 1. */
export function runMain(main) {
  main().then(
    () => process.exit(0),
    (err) => {
      emitResult({ error: String(err?.stack ?? err) });
      process.exit(1);
    },
  );
}

/** The RPC the benchmarks send for the large workload, and the small one. */
export const NETCONF_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
export const GET_CONFIG_RUNNING = '<get-config><source><running/></source></get-config>';
export const GET = '<get/>';
