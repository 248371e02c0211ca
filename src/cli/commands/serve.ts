import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { generateTestPki, startSimulator, type CertToName, type CertToNameMap, type Simulator, type SimulatorOptions, type TestPki } from '../../simulator/index.js';
import type { Command } from '../command.js';
import type { Context } from '../context.js';

/** Wait until the run is interrupted (SIGINT/SIGTERM). */
function interrupted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

const MAPS: readonly CertToNameMap[] = ['common-name', 'san-dns-name', 'san-ip-address', 'san-rfc822-name', 'san-any'];
const STRATEGIES = ['persistent', 'periodic', 'once'] as const;

/** `HOST:PORT`, `[V6]:PORT`, or a bare host (the port is then the call-home default). */
function parseTarget(ctx: Context, text: string): { host: string; port: number | undefined } {
  let host = text;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracket) {
    host = bracket[1] as string;
    port = bracket[2];
  } else if (isIP(text) !== 6 && text.includes(':')) {
    const at = text.lastIndexOf(':');
    host = text.slice(0, at);
    port = text.slice(at + 1);
  }
  if (!host) throw ctx.usage(`--call-home needs HOST:PORT, got '${text}'`);
  if (port === undefined) return { host, port: undefined };
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65535) throw ctx.usage(`--call-home: the port must be 1 to 65535, got '${port}'`);
  return { host, port: n };
}

/** `--cert-to-name` values: a map name, or `FINGERPRINT=USER`. */
function parseCertToName(ctx: Context, values: string[]): CertToName[] | undefined {
  if (values.length === 0) return undefined;
  return values.map((v) => {
    if ((MAPS as readonly string[]).includes(v)) return { map: v as CertToNameMap };
    const eq = v.lastIndexOf('=');
    if (eq > 0 && eq < v.length - 1) return { fingerprint: v.slice(0, eq), user: v.slice(eq + 1) };
    throw ctx.usage(`--cert-to-name takes ${MAPS.join(', ')} or SHA256-FINGERPRINT=USER, got '${v}'`);
  });
}

function readFile(ctx: Context, option: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw ctx.usage(`--${option} ${file}: ${(err as Error).message}`);
  }
}

export const serve: Command = {
  name: 'serve',
  summary: 'run the built-in device simulator (a NETCONF server over SSH or TLS) until interrupted',
  usage: '',
  description: `Starts the simulator of netconfkit/simulator: a NETCONF server over SSH with
running, candidate and startup datastores, edit-config, filters, locks, confirmed commit,
notifications and get-schema. It listens on --host (default 127.0.0.1)
and --port (default 8830), accepts the user given with --user/--password (default
admin/admin), prints its host key fingerprints and the known_hosts line that trusts it, and
runs until SIGINT or SIGTERM.

--yang-dir DIR: the YANG modules of DIR (name.yang or name@revision.yang, e.g. a vendor's
published modules) are served by get-schema, advertised in the hello (with their features and
deviations) and compiled: every edit is then validated against them (with the error-tag,
error-path and error-app-tag netconfd answers), with-defaults (RFC 6243) and NMDA
get-data / edit-data (RFC 8526) are supported, and the YANG library (RFC 7895 modules-state,
RFC 8525 yang-library) is answered to <get> and advertised (--no-yang-library: not). The
modules of what the simulator implements itself (ietf-netconf, ietf-netconf-monitoring,
ietf-yang-library …) come with it, unless DIR has its own. --module NAME (repeatable)
implements only those modules of DIR, --features MODULE:FEATURE,… enables only those features
(default all); --no-yang-validation only serves the files, as before.

--tls: NETCONF over TLS (RFC 7589) instead, on --port (default 6513), with the server
certificate --cert, its key --key and the CA --ca that client certificates must chain to (a
client certificate is required; TLS 1.2 or later). Without the three files, a throw-away test
PKI is generated (CA, server certificate for localhost/127.0.0.1/::1, client certificate for
CN admin; removed when the simulator stops) and the command prints where, and how a client
connects with it. The NETCONF user is
taken from the client certificate (RFC 7589 cert-to-name, --cert-to-name, default its common
name); with --user, it must be that user.

--call-home HOST:PORT: instead of listening, call the client home (RFC 8071): dial HOST:PORT
(default port 4334, 4335 with --tls; --host is then the local address to call from) and be
the SSH (or TLS) server on that connection. While
the client is not listening the call is tried again every --interval seconds (default 5);
--reconnect persistent (default: call again when the connection ends), periodic (call every
--interval seconds) or once (the command ends with the connection).`,
  options: {
    config: { type: 'string', value: 'FILE', help: 'initial running configuration (a <config> element or its content)' },
    'yang-dir': { type: 'string', value: 'DIR', help: 'YANG modules (name.yang or name@revision.yang): served, advertised, and edits validated against them' },
    module: { type: 'string', multiple: true, value: 'NAME', help: 'with --yang-dir: implement only this module (repeatable; default all of DIR)' },
    features: { type: 'string', value: 'LIST', help: 'with --yang-dir: enabled features as MODULE:FEATURE,… (others off; default all)' },
    'yang-library': { type: 'boolean', help: 'with --yang-dir: answer the YANG library (RFC 7895 modules-state, RFC 8525 yang-library) and advertise it (the default)' },
    'no-yang-library': { type: 'boolean', help: 'with --yang-dir: do not answer the YANG library (clients discover the modules from the hello)' },
    'no-yang-validation': { type: 'boolean', help: 'with --yang-dir: only serve the files (no compilation, no validation)' },
    'host-key': { type: 'string', value: 'FILE', help: 'private host key (OpenSSH/PEM); default: a new ed25519 key each start' },
    'write-known-hosts': { type: 'string', value: 'FILE', help: 'write the known_hosts line trusting this server to FILE' },
    tls: { type: 'boolean', help: 'serve NETCONF over TLS (RFC 7589) instead of SSH' },
    cert: { type: 'string', value: 'FILE', help: "with --tls: the server's certificate (PEM)" },
    key: { type: 'string', value: 'FILE', help: "with --tls: the server's private key (PEM)" },
    ca: { type: 'string', value: 'FILE', help: 'with --tls: the CA certificate(s) client certificates must chain to (PEM)' },
    'cert-to-name': { type: 'string', multiple: true, value: 'RULE', help: 'with --tls: the user of a client certificate (repeatable, first match wins): common-name (default), san-dns-name, san-ip-address, san-rfc822-name, san-any, FINGERPRINT=USER' },
    'call-home': { type: 'string', value: 'HOST:PORT', help: 'call the client home (RFC 8071) instead of listening' },
    reconnect: { type: 'string', value: 'STRATEGY', help: 'with --call-home: persistent (default), periodic or once' },
    interval: { type: 'string', value: 'SECONDS', help: 'with --call-home: seconds between calls while refused, and the period of periodic (default 5)' },
    'max-attempts': { type: 'string', value: 'N', help: 'with --call-home: give up (exit status 3) after N failed calls in a row (default: never)' },
  },
  args: { min: 0, max: 0 },
  hostArgument: false,
  async run(ctx) {
    const useTls = ctx.flag('tls');
    const callHomeText = ctx.string('call-home');
    if (callHomeText !== undefined && ctx.string('port') !== undefined) throw ctx.usage('--port is where to listen: with --call-home, give the port as HOST:PORT');
    const port = Number(ctx.string('port') ?? (useTls ? 6513 : 8830));
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw ctx.usage(`--port must be 0 to 65535, got ${ctx.string('port')}`);
    for (const o of ['cert', 'key', 'ca', 'cert-to-name']) if (!useTls && ctx.list(o).length > 0) throw ctx.usage(`--${o} is for --tls`);
    for (const o of ['host-key', 'write-known-hosts']) if (useTls && ctx.string(o) !== undefined) throw ctx.usage(`--${o} is for SSH, not --tls`);
    for (const o of ['reconnect', 'interval', 'max-attempts']) if (callHomeText === undefined && ctx.string(o) !== undefined) throw ctx.usage(`--${o} is for --call-home`);

    const options: SimulatorOptions = { host: ctx.string('host') ?? '127.0.0.1', port };
    const username = ctx.string('user') ?? (useTls ? undefined : 'admin');
    if (useTls) {
      if (username !== undefined) options.users = [{ username }];
    } else {
      const password = ctx.string('password') ?? (ctx.string('password-env') ? ctx.env[ctx.string('password-env') as string] : undefined) ?? 'admin';
      options.users = [{ username: username as string, password }];
    }
    const config = ctx.string('config');
    if (config) options.config = readFile(ctx, 'config', config);
    const yangDir = ctx.string('yang-dir');
    if (yangDir) options.yangDir = yangDir;
    const modules = ctx.list('module');
    const features = ctx.string('features');
    if (!yangDir && (modules.length > 0 || features !== undefined || ctx.flag('no-yang-validation') || ctx.flag('yang-library') || ctx.flag('no-yang-library'))) throw ctx.usage('--module, --features, --yang-library, --no-yang-library and --no-yang-validation are for --yang-dir');
    if (ctx.flag('yang-library') && ctx.flag('no-yang-library')) throw ctx.usage('--yang-library or --no-yang-library, not both');
    if (ctx.flag('yang-library')) options.yangLibrary = true;
    if (ctx.flag('no-yang-library')) options.yangLibrary = false;
    if (modules.length > 0) options.modules = modules;
    if (features !== undefined) options.features = features;
    if (ctx.flag('no-yang-validation')) options.yangValidation = false;
    const hostKey = ctx.string('host-key');
    if (hostKey) options.hostKey = readFileSync(hostKey);

    let pki: TestPki | undefined;
    let generatePki = false;
    if (useTls) {
      const files = { cert: ctx.string('cert'), key: ctx.string('key'), ca: ctx.string('ca') };
      const given = Object.entries(files).filter(([, v]) => v !== undefined);
      let tls: NonNullable<SimulatorOptions['tls']>;
      if (given.length === 0) {
        generatePki = true; // once every option has been checked
        tls = { cert: '', key: '', ca: '' };
      } else if (given.length < 3) {
        throw ctx.usage(`--tls needs all of --cert, --key and --ca (or none of them, for a generated test PKI); missing ${Object.entries(files)
          .filter(([, v]) => v === undefined)
          .map(([k]) => `--${k}`)
          .join(', ')}`);
      } else {
        tls = { cert: readFile(ctx, 'cert', files.cert as string), key: readFile(ctx, 'key', files.key as string), ca: readFile(ctx, 'ca', files.ca as string) };
      }
      const certToName = parseCertToName(ctx, ctx.list('cert-to-name'));
      if (certToName) tls.certToName = certToName;
      options.tls = tls;
    }
    if (callHomeText !== undefined) {
      const target = parseTarget(ctx, callHomeText);
      const strategy = ctx.string('reconnect') ?? 'persistent';
      if (!(STRATEGIES as readonly string[]).includes(strategy)) throw ctx.usage(`--reconnect must be ${STRATEGIES.join(', ')}, got '${strategy}'`);
      const interval = Number(ctx.string('interval') ?? 5);
      if (!(Number.isFinite(interval) && interval >= 0)) throw ctx.usage(`--interval must be a number of seconds >= 0, got '${ctx.string('interval')}'`);
      const attemptsText = ctx.string('max-attempts');
      const maxAttempts = attemptsText === undefined ? Infinity : Number(attemptsText);
      if (!(maxAttempts === Infinity || (Number.isInteger(maxAttempts) && maxAttempts >= 1))) throw ctx.usage(`--max-attempts must be a whole number >= 1, got '${attemptsText}'`);
      options.callHome = { host: target.host, transport: useTls ? 'tls' : 'ssh', reconnect: { strategy: strategy as (typeof STRATEGIES)[number], interval, maxAttempts } };
      if (target.port !== undefined) options.callHome.port = target.port;
      if (ctx.string('host') !== undefined) options.callHome.localAddress = ctx.string('host') as string;
    }

    let sim: Simulator;
    try {
      if (generatePki && options.tls) {
        pki = await generateTestPki();
        Object.assign(options.tls, { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert });
      }
      sim = await startSimulator(options);
    } catch (err) {
      if (pki) rmSync(pki.dir, { recursive: true, force: true });
      if (err instanceof TypeError) throw ctx.usage(err.message);
      throw err;
    }
    try {
      watch(ctx, sim);
      const stopped = new Promise<'once' | 'max-attempts'>((resolve) => sim.once('call-home-stop', ({ reason }) => resolve(reason)));
      const knownHosts = ctx.string('write-known-hosts');
      if (knownHosts) writeFileSync(knownHosts, `${sim.knownHostsLine}\n`);
      const lines: string[] = [];
      const ch = sim.callHome;
      const over = useTls ? 'TLS' : 'SSH';
      if (ch) lines.push(`netconf simulator calling home ${ch.host}:${ch.port} over ${over} (${options.callHome?.reconnect?.strategy}; every ${options.callHome?.reconnect?.interval} s while refused)`);
      else lines.push(`netconf simulator listening on ${sim.host}:${sim.port} over ${over}${useTls ? '' : ` (user ${username})`}`);
      if (useTls) {
        lines.push(`server certificate SHA-256 ${sim.tlsFingerprint ?? '?'}; client certificates required, user from ${ctx.list('cert-to-name').join(', ') || 'the common name'}${username ? ` (only ${username})` : ''}`);
        if (pki) {
          const clientFiles = `--tls --cert ${pki.client.certFile} --key ${pki.client.keyFile} --ca ${pki.ca.certFile}`;
          lines.push(
            `test PKI generated in ${pki.dir} (removed when the simulator stops): CA ca.crt, server certificate server.crt (CN ${pki.server.commonName}), client certificate client.crt/client.key (CN ${pki.client.commonName})`,
            ch ? `the client uses: ${clientFiles}` : `a client connects with: netconf hello ${sim.host} --port ${sim.port} ${clientFiles}`,
          );
        }
      } else {
        lines.push(`host key ${sim.hostKey.type} ${sim.hostKey.sha256} (MD5:${sim.hostKey.md5})`, `known_hosts line: ${sim.knownHostsLine}`);
      }
      if (yangDir) {
        const modules = sim.capabilities.filter((c) => /[?&]module=/.test(c)).length;
        const library = sim.capabilities.some((c) => c.startsWith('urn:ietf:params:netconf:capability:yang-library:'));
        const validated = options.yangValidation !== false;
        lines.push(`YANG: ${modules} modules advertised (${yangDir} and the simulator's own)${library ? ', listed in the YANG library' : ''}; ${validated ? 'edits validated against them' : 'not compiled, edits not validated'}`);
      }
      lines.push('press Ctrl-C to stop');
      ctx.log.info(lines.join('\n'));
      const end = await Promise.race([interrupted(ctx.signal).then(() => 'interrupted' as const), stopped]);
      if (end === 'max-attempts') return 3;
    } finally {
      await sim.close();
      if (pki) rmSync(pki.dir, { recursive: true, force: true });
    }
  },
};

/** Report refused clients and, when calling home, each call. */
function watch(ctx: Context, sim: Simulator): void {
  sim.on('rejected', (r) => ctx.log.warn(`refused ${r.address}:${r.port}${r.subject ? ` (${r.subject})` : ''}: ${r.reason}`));
  let refusedBefore = false;
  sim.on('call-home-connect', (e) => {
    refusedBefore = false;
    ctx.log.info(`called ${e.host}:${e.port} from ${e.localAddress}:${e.localPort}`);
  });
  sim.on('call-home-error', (e) => {
    if (e.final) ctx.log.warn(`calling ${e.host}:${e.port} failed (${e.error.message}): --max-attempts calls in a row failed, giving up`);
    else if (!refusedBefore) ctx.log.info(`calling ${e.host}:${e.port} failed (${e.error.message}); trying again`);
    refusedBefore = true;
  });
  sim.on('session-end', (s) => {
    if (s.callHome) ctx.log.info(`call-home session ${s.id} (${s.username}) ended`);
  });
}
