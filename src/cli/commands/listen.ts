/**
 * `netconf listen --call-home ssh|tls COMMAND [ARGS...]`: wait for devices to call home (RFC 8071)
 * and run COMMAND on the session of each, as if it had connected to it.
 * @module
 */
import { CALL_HOME_SSH_PORT, CALL_HOME_TLS_PORT, knownHostsLine, listenCallHome, SSHUnknownHostError, type CallHomeListener, type CallHomeManager, type CallHomeOptions } from '../../index.js';
import type { Command } from '../command.js';
import { connectionSettings, DEFAULT_TIMEOUT, parsePort, parseSeconds, sshOptions, tlsOptions, warnUnverified } from '../connection.js';
import type { Context } from '../context.js';
import { describeError, ExitCode, InterruptedError, UsageError, type ErrorContext } from '../errors.js';
import { knownHostsName } from '../host-keys.js';
import { given, refuseSSHOptions, refuseTLSOptions } from '../tls.js';

/** Options that name or reach a server: meaningless when the devices call in. */
const OUTGOING_ONLY: Readonly<Record<string, string>> = {
  host: '--host',
  jump: '-J/--jump',
  'proxy-command': '--proxy-command',
  'ssh-config': '-F/--ssh-config',
  'allow-strict-host-key-checking-no': '--allow-strict-host-key-checking-no',
};

/** How the listener is set up, from the options. */
interface ListenPlan {
  transport: 'ssh' | 'tls';
  address: string | undefined;
  port: number;
  /** Devices to serve; 0: until interrupted. */
  count: number;
  /** Seconds to wait for them; undefined: no limit. */
  wait: number | undefined;
  /** `--device ADDRESS=NAME`: the name a device calling from ADDRESS is known by. */
  names: Map<string, string>;
}

function plan(ctx: Context): ListenPlan {
  const transport = ctx.string('call-home');
  if (transport === undefined) throw ctx.usage('listen needs --call-home ssh or --call-home tls');
  if (transport !== 'ssh' && transport !== 'tls') throw ctx.usage(`--call-home must be ssh or tls, got '${transport}'`);
  if (ctx.flag('tls') && transport !== 'tls') throw ctx.usage('--tls contradicts --call-home ssh');
  for (const [name, option] of Object.entries(OUTGOING_ONLY)) {
    if (given(ctx.values[name])) {
      throw ctx.usage(`${option} cannot be used with listen: the devices call in${name === 'host' ? ' (--listen-address sets the address to listen on)' : ''}`);
    }
  }
  if (transport === 'tls') refuseSSHOptions(ctx.values, '--call-home tls', ctx.command);
  else refuseTLSOptions(ctx.values, '--call-home tls', ctx.command);
  const portText = ctx.string('port');
  const port = portText === undefined ? (transport === 'tls' ? CALL_HOME_TLS_PORT : CALL_HOME_SSH_PORT) : portText === '0' ? 0 : parsePort(portText, '--port', ctx.command);
  const countText = ctx.string('count') ?? '1';
  const count = Number(countText);
  if (!/^[0-9]+$/.test(countText) || !Number.isSafeInteger(count)) throw ctx.usage(`--count must be a number of devices (0: until interrupted), got '${countText}'`);
  const waitText = ctx.string('wait');
  const wait = waitText === undefined ? undefined : parseSeconds(waitText, '--wait', ctx.command);
  const address = ctx.string('listen-address');
  if (address !== undefined && (address === '' || /[\s/]/.test(address))) throw ctx.usage(`--listen-address must be an address or a host name, got '${address}'`);
  const names = new Map<string, string>();
  for (const item of ctx.list('device')) {
    const eq = item.indexOf('=');
    const from = item.slice(0, eq).replace(/^\[(.*)\]$/, '$1');
    const name = item.slice(eq + 1);
    if (eq <= 0 || name === '' || /[\s,]/.test(item)) throw ctx.usage(`--device must be ADDRESS=NAME (the address a device calls from, the name it is known by), got '${item}'`);
    if (names.has(from)) throw ctx.usage(`--device: ${from} is given twice`);
    names.set(from, name);
  }
  return { transport, address, port, count, wait, names };
}

/** Who called: the header line of a device. */
function header(m: CallHomeManager, transport: 'ssh' | 'tls'): string {
  const d = m.callHome;
  const name = d.deviceName !== d.address ? ` as ${d.deviceName}` : '';
  const identity = transport === 'ssh' ? `host key ${d.fingerprint ?? '?'}` : `certificate ${d.subject ?? '?'}`;
  return `device ${d.address} (port ${d.port}) called home over ${transport === 'ssh' ? 'SSH' : 'TLS'}${name}: ${identity}, session-id ${m.sessionId ?? '?'}`;
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<'interrupted'> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve('interrupted');
    else signal.addEventListener('abort', () => resolve('interrupted'), { once: true });
  });
}

export const listen: Command = {
  name: 'listen',
  summary: 'wait for devices to call home (RFC 8071) and run a command on each',
  usage: '--call-home ssh|tls [--port N] [--count N] [--wait SECONDS] COMMAND [ARGS...]',
  description: `Listens for NETCONF devices calling home (RFC 8071): on port 4334 (--call-home ssh)
or 4335 (--call-home tls) unless --port, on every address unless --listen-address.
Over each connection a device opens, netconf plays the SSH (or TLS) client, exactly as
strict as for an outgoing connection, then runs COMMAND (hello, get-config, get,
edit-config FILE ...: any command that connects, with its arguments and options) on
that session and closes it. Devices are served one at a time, in the order they called.

Before each device's output a line on stderr (also with --quiet) says which device it
was: its address and source port, and the SHA256 fingerprint of its host key (SSH) or
the subject of its certificate (TLS). A device that fails a check (unknown or changed
host key, certificate refused, authentication, hello) is reported on stderr with the
reason and dropped, and listening goes on.

SSH: the device's host key is looked up in known_hosts under its address, as a plain
'ADDRESS type key' line (the source port means nothing), or under NAME for a device
given as --device ADDRESS=NAME (repeatable; NAME as an outgoing connection would use
it): --known-hosts FILE,
--accept-new (records an unknown key as such a line), --insecure-accept-any-host-key;
-u, -p, --password-env, --ask-password, --key as for connecting.
TLS: --cert FILE --key FILE (ours), --ca FILE (the devices' certificates must chain to
it and be issued for the address they call from, or the NAME of --device ADDRESS=NAME,
or --tls-servername NAME, or match --tls-fingerprint).

Ends after --count devices (default 1; 0: until Ctrl-C). The exit status is the first
non-zero status of COMMAND on a device (0 when it succeeded on every one); 3 when
--wait SECONDS passed before --count devices called (or the port cannot be listened
on); a usage error of COMMAND stops at once (2).
  netconf listen --call-home ssh --known-hosts devices_known_hosts -u admin --password-env PW get-config
  netconf listen --call-home tls --cert me.pem --key me.key --ca ca.pem --count 0 hello`,
  options: {
    'call-home': { type: 'string', value: 'ssh|tls', help: 'the transport the devices call home with (required)' },
    count: { type: 'string', value: 'N', help: 'end after N devices (default 1; 0: until Ctrl-C)' },
    wait: { type: 'string', value: 'SECONDS', help: 'give up (exit status 3) when the devices have not called within SECONDS (default: no limit)' },
    'listen-address': { type: 'string', value: 'ADDRESS', help: 'address to listen on (default every address); --port: the port (default 4334 ssh, 4335 tls; 0: any)' },
    device: { type: 'string', multiple: true, value: 'ADDRESS=NAME', help: 'a device calling from ADDRESS is checked as NAME (known_hosts entry, certificate name; repeatable)' },
  },
  args: { min: 0, max: 0 },
  hostArgument: false,
  subcommand: true,
  async run(ctx) {
    const sub = ctx.subcommand;
    if (!sub) throw ctx.usage('listen needs a COMMAND to run on each device');
    const p = plan(ctx);
    // The connection options as for an outgoing connection, without a server.
    const settings = connectionSettings(
      {
        host: 'call-home',
        user: ctx.string('user'),
        key: ctx.list('key'),
        'known-hosts': ctx.list('known-hosts'),
        'accept-new': ctx.flag('accept-new'),
        'insecure-accept-any-host-key': ctx.flag('insecure-accept-any-host-key'),
        timeout: ctx.string('timeout'),
        framing: ctx.string('framing'),
        ...(p.transport === 'ssh' ? { 'ssh-config': 'none' } : {}),
        keepalive: ctx.string('keepalive'),
        'identities-only': ctx.flag('identities-only'),
        tls: p.transport === 'tls',
        cert: ctx.string('cert'),
        ca: ctx.list('ca'),
        'tls-servername': ctx.string('tls-servername'),
        'tls-fingerprint': ctx.string('tls-fingerprint'),
        'tls-min-version': ctx.string('tls-min-version'),
      },
      ctx.env,
      ctx.command,
    );
    Object.assign(ctx.errorContext, { timeout: settings.timeout ?? DEFAULT_TIMEOUT, transport: p.transport });
    const secret = await ctx.secret(settings, `password for the devices calling home${settings.username ? ` (user ${settings.username})` : ''}: `);
    if (ctx.signal.aborted) throw new InterruptedError('interrupted');

    /** What the message about a rejected device needs (SSH: the known_hosts line …). */
    const base: ErrorContext = { command: ctx.command, debug: ctx.errorContext.debug, transport: p.transport };
    let options: CallHomeOptions;
    if (p.transport === 'ssh') {
      warnUnverified(settings, 'the devices calling home', ctx.log);
      const ssh = sshOptions(settings, secret, ctx.log, base);
      options = { ...ssh.options, transport: 'ssh', port: p.port };
    } else {
      options = { ...tlsOptions(settings, secret, ctx.log, ctx.command), transport: 'tls', port: p.port };
    }
    if (p.address !== undefined) options.host = p.address;
    if (p.names.size > 0) options.deviceName = (address) => p.names.get(address) ?? address;

    let listener: CallHomeListener;
    try {
      listener = await listenCallHome(options);
    } catch (err) {
      if (err instanceof TypeError) throw err;
      const code = (err as Error).cause instanceof Error ? ((err as Error).cause as NodeJS.ErrnoException).code : undefined;
      const hint = code === 'EADDRINUSE' ? ': the port is in use (--port N listens on another)' : code === 'EACCES' ? ': not allowed (a port below 1024 needs privileges)' : code === 'EADDRNOTAVAIL' ? ': no such local address' : '';
      ctx.log.error(`cannot listen on ${p.address ?? 'every address'} port ${p.port}${hint} (${code ?? (err as Error).message})`);
      return ExitCode.CONNECTION;
    }

    listener.on('rejected', ({ address, port, error }) => {
      const name = p.names.get(address) ?? address;
      const errorContext: ErrorContext = { ...base, device: `device ${address}${name === address ? '' : ` (${name})`} (called from port ${port})`, host: name, port };
      if (error instanceof SSHUnknownHostError && error.hostKey) {
        errorContext.knownHostsLine = knownHostsLine(name, 22, error.hostKey);
        errorContext.knownHostsName = knownHostsName(name, 22);
      }
      const d = describeError(error, errorContext);
      ctx.log.warn(`rejected a device: ${d.message}`);
    });

    const where = `${listener.address}:${listener.port}`;
    ctx.log.info(`listening on ${where} for ${p.count === 1 ? 'a device' : p.count === 0 ? 'devices' : `${p.count} devices`} calling home over ${p.transport === 'ssh' ? 'SSH' : 'TLS'}${p.wait === undefined ? '' : ` (for ${p.wait} s)`}`);

    const iterator = listener[Symbol.asyncIterator]();
    let status: number = ExitCode.OK;
    let served = 0;
    let timer: NodeJS.Timeout | undefined;
    const stop = Promise.race([
      aborted(ctx.signal),
      ...(p.wait === undefined ? [] : [new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), (p.wait as number) * 1000)))]),
    ]);
    try {
      while (p.count === 0 || served < p.count) {
        const next = await Promise.race([iterator.next(), stop]);
        if (next === 'interrupted') {
          if (p.count === 0) break;
          throw new InterruptedError('interrupted');
        }
        if (next === 'timeout') {
          if (p.count === 0 && served > 0) {
            ctx.log.info(`${p.wait ?? 0} s passed: ${served} device${served === 1 ? '' : 's'} served`);
            break;
          }
          const got = p.count > 1 && served > 0 ? ` (${served} of ${p.count} did)` : '';
          ctx.log.error(`no${served > 0 ? ' more' : ''} device called home on ${where} within ${p.wait ?? 0} s${got}`);
          return status === ExitCode.OK ? ExitCode.CONNECTION : status;
        }
        if (next.done) break;
        const m = next.value;
        served++;
        ctx.log.notice(header(m, p.transport));
        const device = ctx.withManager(sub, m, m.callHome);
        let code: number;
        try {
          code = (await sub.run(device)) ?? ExitCode.OK;
        } catch (err) {
          if (err instanceof UsageError) throw err;
          code = device.fail(err);
        } finally {
          await device.close().catch((err: unknown) => ctx.log.debug(`closing: ${String(err)}`));
        }
        if (status === ExitCode.OK) status = code;
        if (code === ExitCode.INTERRUPTED) break;
      }
      return status;
    } finally {
      clearTimeout(timer);
      await listener.close();
    }
  },
};
