/**
 * A private `redis-server` for tests (Debian's, installed by `scripts/netconfd.sh install`): on a
 * free loopback port, with its own temporary directory and no persistence, stopped after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:PORT/0`. */
  readonly url: string;
  /** Kill it (SIGKILL: a crash). */
  kill(): Promise<void>;
  /** Start it again on the same port (empty: nothing was saved). */
  restart(): Promise<void>;
  /** Stop it and remove its directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves when something accepts connections on the port. */
async function listening(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Start `redis-server` on a free port (a taken port is retried on another). */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'netconf-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  const launch = async (): Promise<boolean> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const exited = new Promise<boolean>((resolve) => child?.once('exit', () => resolve(false)));
    return Promise.race([listening(port, 5000), exited]);
  };
  for (let tries = 0; ; tries++) {
    port = await freePort();
    if (await launch()) break;
    child?.kill('SIGKILL');
    if (tries === 4) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error('redis-server did not start (is it installed? bash scripts/netconfd.sh install)');
    }
  }
  const kill = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await gone;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    kill,
    restart: async () => {
      await kill();
      if (!(await launch())) throw new Error('redis-server did not restart');
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
