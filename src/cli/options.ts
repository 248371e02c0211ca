/**
 * The options every command takes (connection, output) and the help texts.
 * @module
 */
import type { Command, OptionSpec, OptionSpecs } from './command.js';

export const CONNECTION_OPTIONS: OptionSpecs = {
  host: { type: 'string', value: 'HOST', help: 'server name, address or ssh_config Host alias (or a HOST argument; default $NETCONF_HOST)' },
  port: { type: 'string', value: 'PORT', help: "port (default ssh_config's Port, else $NETCONF_PORT, else 830; with --tls 6513)" },
  user: { type: 'string', short: 'u', value: 'USER', help: "user name (default ssh_config's User, else $NETCONF_USER, else your login name)" },
  password: { type: 'string', short: 'p', value: 'PASSWORD', help: 'password (other users can see it in ps: prefer the next two)' },
  'password-env': { type: 'string', value: 'VAR', help: 'read the password from environment variable VAR' },
  'ask-password': { type: 'boolean', help: 'prompt for the password on the terminal (not echoed)' },
  key: { type: 'string', multiple: true, value: 'FILE', help: 'private key file, repeatable (the password is its passphrase); also offered to jump hosts; with --tls: the key of --cert (PEM, once)' },
  'identities-only': { type: 'boolean', help: 'offer only the --key files and ssh_config IdentityFile keys: no agent, no ~/.ssh/id_*' },
  'known-hosts': { type: 'string', multiple: true, value: 'FILE', help: "known_hosts file trusted besides ~/.ssh/known_hosts (or ssh_config's UserKnownHostsFile), repeatable; a missing file counts as empty" },
  'accept-new': { type: 'boolean', help: 'accept an unknown host key, adding it to the first --known-hosts file (else ~/.ssh/known_hosts); never a changed key' },
  'insecure-accept-any-host-key': { type: 'boolean', help: 'do not verify the host key at all (a warning is printed)' },
  'ssh-config': { type: 'string', short: 'F', value: 'FILE', help: 'OpenSSH client config file (default ~/.ssh/config when it exists; none: no file)' },
  jump: { type: 'string', short: 'J', value: 'HOPS', help: 'connect through jump hosts, as ssh -J: [USER@]HOST[:PORT],... (none: ignore ssh_config ProxyJump)' },
  'proxy-command': { type: 'string', value: 'CMD', help: "connect through CMD's stdin/stdout, as ssh's ProxyCommand (%h %p %r; none: ignore ssh_config's)" },
  keepalive: { type: 'string', value: 'SECONDS', help: "send an SSH keepalive every SECONDS; the session ends when ServerAliveCountMax (default 3) in a row go unanswered (default ssh_config's ServerAliveInterval; 0: none)" },
  'allow-strict-host-key-checking-no': { type: 'boolean', help: 'honour StrictHostKeyChecking no in the ssh_config file (else it is an error)' },
  timeout: { type: 'string', value: 'SECONDS', help: "limit for connecting and for each reply (default 30; ssh_config's ConnectTimeout for connecting)" },
  framing: { type: 'string', value: 'MODE', help: 'auto (default), eom (advertise base:1.0 only) or chunked (base:1.1 only)' },
  tls: { type: 'boolean', help: 'NETCONF over TLS (RFC 7589) instead of SSH: port 6513 unless --port; no SSH option then' },
  cert: { type: 'string', value: 'FILE', help: 'with --tls: the client certificate (PEM), with --key FILE its private key' },
  ca: { type: 'string', multiple: true, value: 'FILE', help: "with --tls: CA certificate(s) (PEM) the server's certificate must chain to, repeatable (default Node's CA list)" },
  'tls-servername': { type: 'string', value: 'NAME', help: "with --tls: the name the server's certificate must be issued for (default the host)" },
  'tls-fingerprint': { type: 'string', value: 'SHA256', help: "with --tls: pin the server's certificate by its SHA-256 fingerprint (hex; without --ca the pin alone decides)" },
  'tls-min-version': { type: 'string', value: 'VERSION', help: 'with --tls: lowest TLS version, 1.2 (default) or 1.3' },
};

export const OUTPUT_OPTIONS: OptionSpecs = {
  raw: { type: 'boolean', help: 'print replies exactly as received' },
  json: { type: 'boolean', help: "print results as JSON (the mapping: 'netconf help json')" },
  progress: { type: 'boolean', help: 'always report transfer size and rate on stderr' },
  'no-progress': { type: 'boolean', help: 'never show progress (default: on a terminal, for RPCs over 0.3 s)' },
  quiet: { type: 'boolean', short: 'q', help: 'no informational messages on stderr' },
  debug: { type: 'boolean', help: 'trace the connection (each jump host, ssh_config keywords used) and the session on stderr; stack traces with errors' },
  help: { type: 'boolean', short: 'h', help: 'show help' },
};

/** Only without a command (`get-schema --version` is the module revision). */
export const VERSION_OPTION: OptionSpecs = {
  version: { type: 'boolean', short: 'V', help: 'print the version' },
};

/** The global options that take a value: to find the command word among the arguments. */
export function valueOptions(): { long: Set<string>; short: Set<string> } {
  const long = new Set<string>();
  const short = new Set<string>();
  for (const [name, spec] of Object.entries({ ...CONNECTION_OPTIONS, ...OUTPUT_OPTIONS })) {
    if (spec.type !== 'string') continue;
    long.add(name);
    if (spec.short) short.add(spec.short);
  }
  return { long, short };
}

function flagText(name: string, spec: OptionSpec): string {
  return `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
}

function optionLines(options: OptionSpecs): string[] {
  const rows = Object.entries(options).map(([name, spec]: [string, OptionSpec]) => [flagText(name, spec), spec.help] as const);
  const width = Math.min(34, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  return rows.map(([flag, help]) => (flag.length + 2 > width ? `  ${flag}\n  ${' '.repeat(width)}${help}` : `  ${flag.padEnd(width)}${help}`));
}

export const EXIT_STATUS_HELP = `Exit status:
  0    success (warnings from the server are printed on stderr)
  1    the server answered with an rpc-error (printed on stderr with all its fields)
  2    usage error: bad option or argument, unreadable or malformed input (or
       ssh_config file)
  3    connection error: refused, unreachable, timed out, SSH failure, authentication
       failed, host key unknown / changed / revoked (of the server or a jump host),
       a jump host or the proxy command failed, TLS failure (the server's certificate
       refused, ours refused or missing, TLS alert), failed hello, session ended
       (keepalive unanswered ...); listen: no device called home in time
  4    the server lacks a capability the command needs (nothing was sent)
  5    no reply within --timeout
  70   internal error
  130  interrupted (Ctrl-C, SIGTERM)`;

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 3;
  return `netconf - a NETCONF (RFC 6241) client over SSH or TLS

Usage: netconf <command> [HOST] [arguments] [options]
       netconf <command> --help
       netconf help json         (the XML to JSON mapping of --json)
       netconf --version

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Connection options (every command):
${optionLines(CONNECTION_OPTIONS).join('\n')}

Output options (every command):
${optionLines({ ...OUTPUT_OPTIONS, ...VERSION_OPTION }).join('\n')}

${HOST_ARGUMENT_HELP}

OpenSSH client config: HOST may be a Host alias of ~/.ssh/config (or of -F FILE), whose
HostName, Port, User, IdentityFile, IdentitiesOnly, ProxyJump, ProxyCommand,
UserKnownHostsFile, StrictHostKeyChecking, HostKeyAlias, ConnectTimeout and
ServerAliveInterval/CountMax apply; options given on the command line beat the file.
Password: -p, --password-env VAR, --ask-password (at most one), else $NETCONF_PASSWORD;
keys are tried first (--key files, ssh_config IdentityFile, SSH agent, ~/.ssh/id_*), then
the password. Jump hosts get the keys and the agent, never the password.
Host keys: unknown keys are refused unless --accept-new; a changed key is always refused;
jump hosts are checked the same way.
TLS (--tls --cert FILE --key FILE --ca FILE): the server's certificate must chain to a
--ca certificate and be issued for the host (or --tls-servername), or match the
--tls-fingerprint pin; the passphrase of an encrypted --key comes from -p,
--password-env, --ask-password or NETCONF_PASSWORD. SSH options are refused with --tls.
Call home (RFC 8071): 'netconf listen --call-home ssh|tls COMMAND' waits for devices
to connect and runs COMMAND on each.

Output: the result of the RPC (the content of <data>, else of <rpc-reply>) as
indented XML carrying its namespace declarations; a bare <ok/> prints "ok".

Environment: NETCONF_HOST, NETCONF_PORT, NETCONF_USER (defaults, after the ssh_config
file's Port and User), NETCONF_PASSWORD.

${EXIT_STATUS_HELP}
`;
}

/** How the server can be named without --host: the rule, for the help texts. */
export const HOST_ARGUMENT_HELP = `The server: --host HOST, or HOST as the first argument after the command, which
is taken as the server only when the command is given one argument more than it
takes: 'netconf get-config router1', 'netconf edit-config router1 change.xml',
'netconf get-schema router1 ietf-interfaces' (but 'netconf get-schema ietf-interfaces'
names a module). HOST is a host name, an address or an ssh_config Host alias: no
USER@ nor :PORT (use -u and --port). Else $NETCONF_HOST.`;

/** The usage line of a command: `[HOST]` first when the command connects. */
export function usageLine(command: Command): string {
  const host = command.hostArgument === false ? '' : ' [HOST]';
  return `Usage: netconf ${command.name}${host}${command.usage ? ` ${command.usage}` : ''} [options]`;
}

export function commandHelp(command: Command): string {
  const usage = usageLine(command);
  const own = Object.keys(command.options).length > 0 ? `\nOptions:\n${optionLines(command.options).join('\n')}\n` : '';
  return `${usage}

${command.description}
${own}
${command.hostArgument === false ? '' : `${HOST_ARGUMENT_HELP}\n\n`}Connection and output options (--host, --port, -u, -p, --key, --known-hosts, --accept-new,
-F/--ssh-config, -J/--jump, --proxy-command, --keepalive, --timeout, --framing, --raw,
--json, --quiet, --debug ...; --tls --cert --key --ca for TLS): see 'netconf --help'.
`;
}
