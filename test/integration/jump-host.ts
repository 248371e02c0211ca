/**
 * SSH jump hosts (bastions) and ssh-agents for the integration tests.
 *
 * {@link startJumpHost} starts a private OpenSSH sshd on loopback through scripts/jump-host.sh:
 * user `ncjump` (password or the client keys in its state dir), no commands, no TTY, TCP
 * forwarding (direct-tcpip: `ssh -W`, ProxyJump) to `127.0.0.1:*` only. Put it in front of a
 * {@link startNetconfd} instance. {@link startAgent} runs a real `ssh-agent` holding given keys;
 * {@link generateKeys} makes throwaway keys (e.g. many keys the servers do not accept).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot, run, startInstance, type Netconfd } from './netconfd.js';

const SCRIPT = join(repoRoot(), 'scripts', 'jump-host.sh');

/** What scripts/jump-host.sh writes to jump.json, plus helpers. */
export interface JumpHost {
  host: string;
  port: number;
  /** Always `ncjump`. */
  username: string;
  password: string;
  /** Private key files (the `.pub` beside each) accepted for `ncjump`. */
  clientKeys: { ed25519: string; rsa: string };
  /** The sshd's public host key files (`.pub`). */
  hostKeys: { ed25519: string; ecdsa: string; rsa: string };
  /** The sshd listener. */
  pid: number;
  stateDir: string;
  /** Stop the sshd and its per-connection processes, delete the state. Idempotent. */
  stop(): Promise<void>;
  /** The sshd log so far (LogLevel VERBOSE: accepted keys, denied forwards). */
  sshdLog(): string;
  /** known_hosts lines (`[127.0.0.1]:PORT type base64`, newline-terminated) for all its host keys. */
  knownHostsLines(): string;
  /** The listener (when running) and all its running descendants (per-connection sshd processes); zombies excluded. */
  pids(): number[];
}

type JumpJson = Omit<JumpHost, 'stop' | 'sshdLog' | 'knownHostsLines' | 'pids'>;

/** Something with host keys: a {@link Netconfd} or a {@link JumpHost}. */
export type HasHostKeys = Pick<Netconfd, 'host' | 'port'> & { hostKeys: Record<string, string> };

/** known_hosts lines (`[host]:port type base64`, newline-terminated) for every host key of a server. */
export function knownHostsFor(server: HasHostKeys): string {
  const name = server.port === 22 ? server.host : `[${server.host}]:${server.port}`;
  return Object.values(server.hostKeys)
    .map((pubFile) => {
      const [type, key] = readFileSync(pubFile, 'utf8').trim().split(/\s+/);
      return `${name} ${type} ${key}\n`;
    })
    .join('');
}

/** State and parent of a process from /proc/PID/stat, or undefined when there is no such process. */
function procStat(pid: number | string): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses
    const [state = '', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/**
 * Whether a process exists and is not a zombie. A killed daemon (whose parent is PID 1) stays a
 * zombie until PID 1 reaps it, which can take seconds; it holds no port or file any more.
 */
export function isRunning(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** Parent pid of every running (non-zombie) process, from /proc. */
function parentMap(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat && stat.state !== 'Z') parents.set(Number(entry), stat.ppid);
  }
  return parents;
}

/** All running (non-zombie) descendants of a process (children, grandchildren, ...). */
export function descendantPids(pid: number): number[] {
  const parents = parentMap();
  const found = new Set<number>([pid]);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [p, parent] of parents) {
      if (!found.has(p) && found.has(parent)) {
        found.add(p);
        changed = true;
      }
    }
  }
  found.delete(pid);
  return [...found];
}

/** The process name (`/proc/PID/comm`), or undefined when it does not exist. */
export function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Start a fresh jump host on a free loopback port. */
export async function startJumpHost(name: string): Promise<JumpHost> {
  const stateDir = await mkdtemp(join(tmpdir(), `netconf-jump-${name}-`));
  await startInstance(SCRIPT, stateDir, 'jump host', freePort);
  const info = JSON.parse(readFileSync(join(stateDir, 'jump.json'), 'utf8')) as JumpJson;
  const jump: JumpHost = {
    ...info,
    stateDir,
    async stop() {
      await run('bash', [SCRIPT, 'stop', stateDir], { timeout: 30_000 });
      await rm(stateDir, { recursive: true, force: true });
    },
    sshdLog() {
      return readFileSync(join(stateDir, 'sshd.log'), 'utf8');
    },
    knownHostsLines() {
      return knownHostsFor(jump);
    },
    pids() {
      if (processName(info.pid) !== 'sshd' || !isRunning(info.pid)) return [];
      return [info.pid, ...descendantPids(info.pid)];
    },
  };
  return jump;
}

/** A running `ssh-agent` (see {@link startAgent}). */
export interface Agent {
  /** Its unix socket: the value for SSH_AUTH_SOCK. */
  socket: string;
  pid: number;
  /** Kill the agent and delete its directory. Idempotent. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Agents not stopped yet: killed when the test process exits, whatever happened. */
const liveAgents = new Map<ChildProcess, string>();
let exitHookInstalled = false;
function killAgentsOnExit(child: ChildProcess, dir: string): void {
  liveAgents.set(child, dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [agent, agentDir] of liveAgents) {
      agent.kill('SIGKILL');
      rmSync(agentDir, { recursive: true, force: true });
    }
  });
}

/** An environment without the caller's agent or askpass settings. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.SSH_AUTH_SOCK;
  delete env.SSH_AGENT_PID;
  delete env.SSH_ASKPASS;
  delete env.SSH_ASKPASS_REQUIRE;
  delete env.DISPLAY;
  return { ...env, ...extra };
}

/**
 * Start a real `ssh-agent -D -a SOCKET` in a fresh temporary directory and `ssh-add` the given
 * unencrypted private key files, in this order (the order the agent offers them in).
 */
export async function startAgent(keyFiles: string[]): Promise<Agent> {
  const dir = await mkdtemp(join(tmpdir(), 'netconf-agent-'));
  const socket = join(dir, 'agent.sock');
  const logFile = join(dir, 'agent.log');
  const logFd = openSync(logFile, 'w');
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', logFd, logFd], env: cleanEnv() });
  closeSync(logFd);
  // do not keep the test process alive for it, but never leave it behind either
  child.unref();
  killAgentsOnExit(child, dir);
  let exited = false;
  const exitPromise = new Promise<void>((resolveExit) => {
    const done = () => {
      exited = true;
      liveAgents.delete(child);
      resolveExit();
    };
    child.once('exit', done);
    child.once('error', done);
  });
  const pid = child.pid ?? 0;

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exitPromise;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + 10_000;
    while (!existsSync(socket)) {
      if (exited) throw new Error('ssh-agent exited during startup');
      if (Date.now() > deadline) throw new Error('ssh-agent did not create its socket within 10 s');
      await sleep(20);
    }
    if (keyFiles.length > 0) {
      await run('ssh-add', ['-q', ...keyFiles], { timeout: 60_000, env: cleanEnv({ SSH_AUTH_SOCK: socket }) });
    }
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    await stop();
    const e = err as { stderr?: string; message: string };
    throw new Error(`could not start ssh-agent: ${e.message}\n${e.stderr ?? ''}\n${log}`);
  }
  return { socket, pid, stop };
}

/**
 * Generate `count` unencrypted throwaway key pairs in `dir` (created when missing):
 * `DIR/TYPE-01`, `DIR/TYPE-02`, ... with the `.pub` beside each; returns the private key paths.
 * Existing files of those names are replaced.
 */
export async function generateKeys(
  dir: string,
  count: number,
  type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519',
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, i) => join(dir, `${type}-${String(i + 1).padStart(2, '0')}`));
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      await rm(file, { force: true });
      await rm(`${file}.pub`, { force: true });
      const bits = type === 'rsa' ? ['-b', '3072'] : [];
      await run('ssh-keygen', ['-q', '-t', type, ...bits, '-N', '', '-C', `throwaway-${type}`, '-f', file], { timeout: 60_000 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, count) }, worker));
  return files;
}
