/**
 * Starts and stops a real NETCONF server (Debian's netconfd behind a private OpenSSH sshd on
 * loopback) through scripts/netconfd.sh. Each test file gets its own instance, on its own
 * port, so files can run in parallel and one file may kill its server.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Repository root, from build/test/integration/ or test/integration/. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      readFileSync(join(dir, 'scripts', 'netconfd.sh'));
      return dir;
    } catch {
      dir = resolve(dir, '..');
    }
  }
  throw new Error('cannot find scripts/netconfd.sh above the test');
}

const SCRIPT = join(repoRoot(), 'scripts', 'netconfd.sh');

/** What scripts/netconfd.sh writes to server.json. */
export interface Netconfd {
  host: string;
  port: number;
  username: string;
  password: string;
  clientKeys: { ed25519: string; ecdsa: string; rsa: string; ed25519Encrypted: string };
  hostKeys: { ed25519: string; ecdsa: string; rsa: string };
  pids: { sshd: number; netconfd: number };
  modules: string[];
  stateDir: string;
  /** Stop the instance and delete its state. */
  stop(): Promise<void>;
  /** The sshd log so far (to see which authentication method was accepted). */
  sshdLog(): string;
}

/** A TCP port on loopback that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * `bash SCRIPT start STATEDIR PORT ARGS…`, with another port from `nextPort` when another process
 * took the port between choosing it and the server's bind (up to 3 tries). On failure the
 * instance is stopped, its state deleted, and the error carries the script's output.
 */
export async function startInstance(script: string, stateDir: string, what: string, nextPort: () => Promise<number>, args: (port: number) => string[] = () => []): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await nextPort();
    try {
      await run('bash', [script, 'start', stateDir, String(port), ...args(port)], { timeout: 60_000 });
      return;
    } catch (err) {
      lastError = err;
      if (!/already in use|Address already in use/.test((err as { stderr?: string }).stderr ?? '')) break;
    }
  }
  const e = lastError as { stdout?: string; stderr?: string; message: string };
  await run('bash', [script, 'stop', stateDir], { timeout: 30_000 }).catch(() => undefined);
  await rm(stateDir, { recursive: true, force: true });
  throw new Error(`could not start the ${what} (${script} start): ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
}

/** Options of {@link startNetconfd}. */
export interface TestServerOptions {
  /** Start netconfd with `--with-nmda=true` (TEST_SERVER_NMDA=1): get-data, ietf-datastores, ietf-origin. */
  nmda?: boolean;
}

/** Start a fresh server instance. */
export async function startNetconfd(name: string, options: TestServerOptions = {}): Promise<Netconfd> {
  const stateDir = await mkdtemp(join(tmpdir(), `netconf-${name}-`));
  const port = await freePort();
  const env = { ...process.env, TEST_SERVER_NMDA: options.nmda ? '1' : '0' };
  try {
    await run('bash', [SCRIPT, 'start', stateDir, String(port)], { timeout: 60_000, env });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`could not start the test server (${SCRIPT} start): ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  const info = JSON.parse(readFileSync(join(stateDir, 'server.json'), 'utf8')) as Omit<Netconfd, 'stop' | 'sshdLog'>;
  return {
    ...info,
    stateDir,
    async stop() {
      await run('bash', [SCRIPT, 'stop', stateDir], { timeout: 30_000 });
      await rm(stateDir, { recursive: true, force: true });
    },
    sshdLog() {
      return readFileSync(join(stateDir, 'sshd.log'), 'utf8');
    },
  };
}

/** The public key line (`type base64`) of a .pub file. */
export function publicKeyLine(pubFile: string): string {
  const [type, key] = readFileSync(pubFile, 'utf8').trim().split(/\s+/);
  return `${type} ${key}`;
}

/** What `ssh-keygen -l -E <hash>` prints as the fingerprint of a key file. */
export async function sshKeygenFingerprint(pubFile: string, hash: 'md5' | 'sha256'): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-l', '-E', hash, '-f', pubFile]);
  const field = stdout.trim().split(/\s+/)[1] ?? '';
  return hash === 'md5' ? field.replace(/^MD5:/, '') : field;
}

export { run };
