/**
 * Real NETCONF-over-TLS (RFC 7589) and call-home (RFC 8071) peers for the integration tests.
 *
 * {@link startTlsPeer} puts Debian's stunnel4 in front of a {@link startNetconfd} instance through
 * scripts/stunnel-netconf.sh: one daemon, seven services on seven consecutive loopback ports
 * (see {@link TlsPorts}), each requiring a client certificate from the test CA
 * (scripts/test-pki.sh) and exec-ing netconf-subsystem per connection with USER = the client
 * certificate's CN (RFC 7589 common-name mapping), through a small pacing relay
 * (DIR/netconf-gate.pl: netconfd loses client bytes that reach it in one read with
 * netconf-subsystem's `<ncx-connect>` or with the client's `<hello>`, so the relay holds the
 * client's bytes until netconfd's hello went out and passes the client's hello alone).
 * {@link makeTestPki} makes the same PKI anywhere. {@link callHomeDevice} plays the device side of call home: `socat` dials the client's
 * call-home port and bridges the connection to the device's sshd (SSH call home) or stunnel
 * (TLS call home).
 */
import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, run, startInstance, type Netconfd } from './netconfd.js';
import { descendantPids, isRunning, processName } from './jump-host.js';

const SCRIPT = join(repoRoot(), 'scripts', 'stunnel-netconf.sh');
const PKI_SCRIPT = join(repoRoot(), 'scripts', 'test-pki.sh');

/** PEM files made by scripts/test-pki.sh (absolute paths). EC P-256 keys, unencrypted unless stated. */
export interface TestPki {
  dir: string;
  /** The test CA (CN `netconfkit test CA`): issuer of every server and client certificate below but `otherClient`. */
  ca: string;
  caKey: string;
  /** CN `netconf-server`, SAN `DNS:localhost, IP:127.0.0.1, IP:::1`. */
  server: string;
  serverKey: string;
  /** CN and only SAN `DNS:wrong.example`. */
  serverWrongName: string;
  serverWrongNameKey: string;
  /** As `server`, valid 2020-01-01 .. 2020-01-02 only. */
  serverExpired: string;
  serverExpiredKey: string;
  /** As `server`, valid from 2099-01-01. */
  serverNotYetValid: string;
  serverNotYetValidKey: string;
  /** CN `nctest` (the NETCONF user it maps to), extendedKeyUsage clientAuth. */
  client: string;
  clientKey: string;
  /** `clientKey` encrypted (PKCS#8, AES-256-CBC) with {@link TestPki.clientEncPassphrase}; goes with `client`. */
  clientEncKey: string;
  /** Always `secret`. */
  clientEncPassphrase: string;
  /** A second, unrelated CA. */
  otherCa: string;
  otherCaKey: string;
  /** CN `nctest`, issued by `otherCa`: refused by every service. */
  otherClient: string;
  otherClientKey: string;
}

/**
 * The services of one {@link TlsPeer}, all on 127.0.0.1, all NETCONF (a client that accepts the
 * server certificate and presents `pki.client` gets netconfd's hello), all requiring a client
 * certificate from `pki.ca`.
 */
export interface TlsPorts {
  /** `pki.server`; TLS `tlsMin`..`tlsMax` (default 1.2..1.3). Same as {@link TlsPeer.port}. */
  good: number;
  /** `pki.serverExpired`. */
  expired: number;
  /** `pki.serverWrongName`. */
  wrongName: number;
  /** `pki.serverNotYetValid`. */
  notYetValid: number;
  /** `pki.server`, TLS 1.1 only (OpenSSL security level 0). A TLS >= 1.2 client cannot connect. */
  tls11: number;
  /** `pki.server`, TLS 1.2 only: a missing/refused client certificate fails the handshake itself. */
  tls12: number;
  /** `pki.server`, TLS 1.3 only: a missing/refused client certificate is refused after the handshake. */
  tls13: number;
}

/** What scripts/stunnel-netconf.sh writes to tls.json, plus helpers. */
export interface TlsPeer {
  /** `127.0.0.1`. */
  host: string;
  /** The `good` service. */
  port: number;
  ports: TlsPorts;
  tlsMin: 'TLSv1.2' | 'TLSv1.3';
  tlsMax: 'TLSv1.2' | 'TLSv1.3';
  /** The NETCONF user `pki.client` maps to: `nctest`. */
  username: string;
  pki: TestPki;
  /** The netconfd instance behind it. */
  netconfd: { port: number; stateDir: string };
  /** The stunnel4 daemon (runs as user nctest). */
  pid: number;
  stateDir: string;
  /** Stop the daemon and its netconf-subsystem children, delete the state. Idempotent. */
  stop(): Promise<void>;
  /** stunnel's log so far (debug = info: accepted/refused certificates, TLS alerts, children). */
  log(): string;
  /**
   * The exec wrapper's log so far: one line per accepted connection,
   * `... user=CN from=ADDR:PORT subject='CN=...' issuer='CN=...'`, or `refused: ...`.
   */
  subsystemLog(): string;
  /** The daemon (when running) and its running descendants (netconf-subsystem per connection). */
  pids(): number[];
}

/** Options of {@link startTlsPeer}. */
export interface TlsPeerOptions {
  /** Lowest TLS version of the `good` service (default 1.2). */
  tlsMin?: '1.2' | '1.3';
  /** Highest TLS version of the `good` service (default 1.3). */
  tlsMax?: '1.2' | '1.3';
}

const SERVICE_COUNT = 7;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

/**
 * The first of `count` consecutive loopback ports that were all free a moment ago. Chosen below
 * Linux's ephemeral range (32768-60999), so that outgoing connections do not take them meanwhile.
 */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * (32_700 - 20_000 - count));
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await portFree(base + i);
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1`);
}

/** Make (or keep, when complete and valid) the test PKI of scripts/test-pki.sh in `dir`. */
export async function makeTestPki(dir: string): Promise<TestPki> {
  try {
    await run('bash', [PKI_SCRIPT, dir], { timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`could not make the test PKI (${PKI_SCRIPT} ${dir}): ${e.message}\n${e.stderr ?? ''}`);
  }
  const d = realpathSync(dir);
  const f = (name: string) => join(d, name);
  return {
    dir: d,
    ca: f('ca.pem'),
    caKey: f('ca.key'),
    server: f('server.pem'),
    serverKey: f('server.key'),
    serverWrongName: f('server-wrong-name.pem'),
    serverWrongNameKey: f('server-wrong-name.key'),
    serverExpired: f('server-expired.pem'),
    serverExpiredKey: f('server-expired.key'),
    serverNotYetValid: f('server-not-yet-valid.pem'),
    serverNotYetValidKey: f('server-not-yet-valid.key'),
    client: f('client.pem'),
    clientKey: f('client.key'),
    clientEncKey: f('client-enc.key'),
    clientEncPassphrase: 'secret',
    otherCa: f('other-ca.pem'),
    otherCaKey: f('other-ca.key'),
    otherClient: f('other-client.pem'),
    otherClientKey: f('other-client.key'),
  };
}

/** The contents of a PEM file (for `tls: { cert, key, ca }`). */
export function pem(file: string): string {
  return readFileSync(file, 'utf8');
}

type TlsJson = Omit<TlsPeer, 'stop' | 'log' | 'subsystemLog' | 'pids'>;

/** Start a TLS peer (stunnel4 + netconf-subsystem) in front of a running netconfd, on fresh ports. */
export async function startTlsPeer(name: string, netconfd: Netconfd, options: TlsPeerOptions = {}): Promise<TlsPeer> {
  const stateDir = await mkdtemp(join(tmpdir(), `netconf-tls-${name}-`));
  const extra: string[] = [];
  if (options.tlsMin) extra.push('--tls-min', options.tlsMin);
  if (options.tlsMax) extra.push('--tls-max', options.tlsMax);
  await startInstance(SCRIPT, stateDir, 'TLS peer', () => freePortBlock(SERVICE_COUNT), () => [netconfd.stateDir, String(netconfd.port), ...extra]);
  const info = JSON.parse(readFileSync(join(stateDir, 'tls.json'), 'utf8')) as TlsJson;
  const readLog = (file: string) => {
    try {
      return readFileSync(join(stateDir, 'run', file), 'utf8');
    } catch {
      return '';
    }
  };
  let stopped: Promise<void> | undefined;
  return {
    ...info,
    stateDir,
    stop() {
      stopped ??= (async () => {
        await run('bash', [SCRIPT, 'stop', stateDir], { timeout: 30_000 });
        await rm(stateDir, { recursive: true, force: true });
      })();
      return stopped;
    },
    log: () => readLog('stunnel.log'),
    subsystemLog: () => readLog('subsystem.log'),
    pids() {
      if (processName(info.pid) !== 'stunnel4' || !isRunning(info.pid)) return [];
      return [info.pid, ...descendantPids(info.pid)];
    },
  };
}

// ------------------------------------------------------------ call home ----

/** Options of {@link callHomeDevice}. */
export interface CallHomeDeviceOptions {
  /** The client's call-home listener (RFC 8071: the device dials it). */
  to: { host: string; port: number };
  /** What the device serves over that connection: an sshd ({@link Netconfd}) or stunnel ({@link TlsPeer}) port. */
  via: { host: string; port: number };
  /** Dial attempts after the first while the client does not listen yet (socat `retry`); default 0. */
  retry?: number;
  /** Seconds between attempts (socat `interval`); default 0.2. */
  interval?: number;
}

/** A device calling home once (one `socat` process; it exits when the connection ends). */
export interface CallHomeDevice {
  pid: number;
  /** socat's exit code (null: killed by a signal). Never rejects. */
  exited: Promise<number | null>;
  /** socat's stderr so far (its errors, e.g. `Connection refused` after the last attempt). */
  log(): string;
  /** Kill socat (and so close both connections); resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

function socatAddress(host: string, port: number): string {
  return host.includes(':') ? `TCP6:[${host}]:${port}` : `TCP4:${host}:${port}`;
}

/** Relays not stopped yet: killed when the test process exits, whatever happened. */
const liveRelays = new Set<() => void>();
let exitHookInstalled = false;

/**
 * The device side of call home (RFC 8071 §3, §4): `socat TCP:to TCP:via` dials the client's
 * call-home port (retrying `retry` times while nobody listens) and, once connected, connects to
 * the device's own server (`via`: sshd for SSH call home, stunnel for TLS call home) and relays
 * both ways. The client then plays the SSH or TLS client on the socket it accepted. One
 * connection per call; start several for several devices.
 */
export async function callHomeDevice(options: CallHomeDeviceOptions): Promise<CallHomeDevice> {
  const { to, via } = options;
  const retry = Math.max(0, Math.floor(options.retry ?? 0));
  const interval = options.interval ?? 0.2;
  const first = `${socatAddress(to.host, to.port)},retry=${retry},interval=${interval}`;
  const child = spawn('socat', [first, socatAddress(via.host, via.port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => resolveExit(code));
    child.once('error', (err) => {
      stderr += `${err.message}\n`;
      resolveExit(null);
    });
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  liveRelays.add(kill);
  void exited.then(() => liveRelays.delete(kill));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const k of liveRelays) k();
    });
  }
  // a forgotten relay must not keep the test process alive
  child.unref();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  await new Promise<void>((resolveSpawn, reject) => {
    child.once('spawn', resolveSpawn);
    child.once('error', reject);
  });
  return {
    pid: child.pid ?? 0,
    exited,
    log: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(kill, 2000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
