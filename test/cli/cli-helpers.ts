/**
 * Running the `netconf` command as a subprocess in tests: `node build/src/cli/main.js`, the CLI
 * compiled by the same `tsc -p tsconfig.test.json` run as the tests themselves (so it is never
 * stale), with HOME pointed at a private directory and no SSH agent.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { publicKeyLine, startNetconfd, type Netconfd } from '../integration/netconfd.js';

/** Repository root, from build/test/cli/. */
export const REPO = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5 && !existsSync(join(dir, 'package.json')); i++) dir = resolve(dir, '..');
  return dir;
})();

/** The CLI entry point compiled alongside the tests. */
export const CLI = join(REPO, 'build', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Milliseconds before the process is killed (a failed test, not a hang). Default 45 s. */
  timeout?: number;
  cwd?: string;
  /** Run in a new session, without a controlling terminal (so /dev/tty cannot be opened). */
  detached?: boolean;
}

/** An environment with nothing of the user's: HOME, no agent, no NETCONF_* unless given. */
export function cleanEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('NETCONF_') || k === 'SSH_AUTH_SOCK' || k === 'NODE_DEBUG' || k === 'HOME') continue;
    env[k] = v;
  }
  return { ...env, HOME: home, ...extra };
}

/** The environment to reach a test server with password login (host key trust is separate). */
export function serverEnv(server: Netconfd, home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cleanEnv(home, {
    NETCONF_HOST: server.host,
    NETCONF_PORT: String(server.port),
    NETCONF_USER: server.username,
    NETCONF_PASSWORD: server.password,
    ...extra,
  });
}

/** Start the CLI; `result` settles when it exits. */
export function startCli(args: readonly string[], options: CliOptions = {}): { child: ChildProcessWithoutNullStreams; result: Promise<CliResult>; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { env: options.env ?? cleanEnv('/nonexistent'), cwd: options.cwd ?? REPO, detached: options.detached === true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 45_000);
  const result = new Promise<CliResult>((resolveResult, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveResult({ code, signal, stdout, stderr });
    });
  });
  if (options.input !== undefined) child.stdin.end(options.input);
  else child.stdin.end();
  return { child, result, stdout: () => stdout, stderr: () => stderr };
}

/** Run the CLI to its end. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Wait until `probe()` matches, polling. */
export async function waitFor(what: string, probe: () => RegExpMatchArray | null | boolean, ms = 20_000): Promise<RegExpMatchArray | true> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = probe();
    if (m) return m === true ? true : (m as RegExpMatchArray);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A known_hosts file trusting every host key of the server, as `[host]:port type key` lines. */
export async function trustedKnownHosts(server: Netconfd, file: string): Promise<string> {
  const lines = Object.values(server.hostKeys).map((pub) => `[${server.host}]:${server.port} ${publicKeyLine(pub)}`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/** Configuration XML for one interface of ietf-interfaces. */
export function interfaceXml(name: string, extra = ''): string {
  return (
    `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface><name>${name}</name>` +
    `<type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type>${extra}</interface></interfaces>`
  );
}

export const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';

/** What {@link cliSuite} sets up for one test file. */
export interface CliSuite {
  /** The file's work directory (also the CLI's HOME). */
  readonly work: string;
  /** Run `netconf` against the suite's server, trusting its host key. */
  netconf(args: readonly string[], options?: CliOptions): Promise<CliResult>;
  /** Start `netconf` against the suite's server in the background. */
  background(args: readonly string[]): ReturnType<typeof startCli>;
}

/**
 * For one CLI test file: a netconfd test server and a work directory, created before its tests
 * and removed after them, and `netconf` runners that reach that server with its host key trusted.
 */
export function cliSuite(name: string): CliSuite {
  let server: Netconfd | undefined;
  let work = '';
  let env: NodeJS.ProcessEnv = {};
  let knownHosts = '';
  before(async () => {
    server = await startNetconfd(name);
    work = await mkdtemp(join(tmpdir(), `netconf-${name}-`));
    knownHosts = await trustedKnownHosts(server, join(work, 'known_hosts'));
    env = serverEnv(server, work);
  });
  after(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });
  return {
    get work() {
      return work;
    },
    netconf: (args, options = {}) => runCli([...args, '--known-hosts', knownHosts], { env, ...options }),
    background: (args) => startCli([...args, '--known-hosts', knownHosts], { env }),
  };
}
