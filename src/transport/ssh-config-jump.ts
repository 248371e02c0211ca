/**
 * OpenSSH's jump-host specifications (`ssh -J`, `ProxyJump`): a comma-separated list of
 * `[user@]host[:port]` or `ssh://[user@]host[:port]`, read the way OpenSSH's `parse_jump`,
 * `parse_user_host_port` and `parse_ssh_uri` read them.
 * @module
 */
import { readFileSync } from 'node:fs';
import { SSHConfigError } from './ssh-config-error.js';

/** One jump host of a specification. */
interface JumpHop {
  host: string;
  port: number | undefined;
  user: string | undefined;
}

let services: Map<string, number> | undefined;

/** TCP service names of /etc/services (OpenSSH's `getservbyname`), read once. */
function serviceMap(): Map<string, number> {
  if (services) return services;
  services = new Map();
  let text = '';
  try {
    text = readFileSync('/etc/services', 'utf8');
  } catch {
    // no services database: numeric ports only
  }
  for (const line of text.split('\n')) {
    const words = (line.split('#')[0] ?? '').trim().split(/\s+/);
    const [name, portProto, ...aliases] = words;
    const m = /^(\d+)\/tcp$/.exec(portProto ?? '');
    if (!name || !m) continue;
    for (const n of [name, ...aliases]) if (!services.has(n)) services.set(n, Number(m[1]));
  }
  return services;
}

/**
 * A port as OpenSSH's `a2port` reads it: a decimal number from 0 to 65535 (leading white space
 * and `+` allowed) or a TCP service name; -1 when it is neither. The caller rejects 0.
 */
export function parsePort(text: string): number {
  if (/^[ \t\n\v\f\r]*[+-]?\d+$/.test(text)) {
    const n = Number(text.trim());
    return n >= 0 && n <= 65535 ? n : -1;
  }
  return serviceMap().get(text) ?? -1;
}

/** Split `host[:rest]`, `[v6]:rest` or `host/rest` (OpenSSH `hpdelim2`). */
function hpdelim(text: string): { host: string; rest: string | undefined; delim: string | undefined } | undefined {
  let i: number;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return undefined;
    i = close + 1;
  } else {
    const m = /[:/]/.exec(text);
    i = m ? m.index : text.length;
  }
  if (i === text.length) return { host: text, rest: undefined, delim: undefined };
  const c = text[i];
  if (c !== ':' && c !== '/') return undefined;
  return { host: text.slice(0, i), rest: text.slice(i + 1), delim: c };
}

/** `[addr]` without its brackets (OpenSSH `cleanhostname`). */
function cleanHostname(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** OpenSSH `urldecode`: `+` is a space, `%XX` a byte; undefined for a bad escape. */
function urlDecode(text: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '+') bytes.push(0x20);
    else if (c === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** OpenSSH `valid_domain`: letters, digits, `.`, `-`, `_`, starting with a letter or digit. */
function validDomain(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) return undefined;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** `ssh://[user[;params]@]host[:port][/]` (OpenSSH `parse_ssh_uri`: no path allowed). */
function parseSshUri(text: string): JumpHop | undefined {
  let rest = text;
  let user: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    let info = rest.slice(0, at);
    const semi = info.indexOf(';');
    if (semi !== -1) info = info.slice(0, semi);
    if (info === '') return undefined;
    user = urlDecode(info);
    if (user === undefined) return undefined;
    rest = rest.slice(at + 1);
  }
  const hp = hpdelim(rest);
  if (!hp || hp.host === '') return undefined;
  const host = validDomain(cleanHostname(hp.host));
  if (host === undefined) return undefined;
  let port: number | undefined;
  let path = hp.rest ?? '';
  if (path !== '' && hp.delim === ':') {
    const slash = path.indexOf('/');
    port = parsePort(slash === -1 ? path : path.slice(0, slash));
    if (port <= 0) return undefined;
    path = slash === -1 ? '' : path.slice(slash + 1);
  }
  if (path !== '') return undefined;
  return { host, port, user };
}

/** `[user@]host[:port]`, `[user@][v6addr][:port]` (OpenSSH `parse_user_host_port`). */
function parseUserHostPort(text: string): JumpHop | undefined {
  let rest = text;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at !== -1) {
    if (at === 0) return undefined;
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  const hp = hpdelim(rest);
  if (!hp || hp.delim === '/' || hp.host === '') return undefined;
  let port: number | undefined;
  if (hp.rest !== undefined && hp.rest !== '') {
    port = parsePort(hp.rest);
    if (port <= 0) return undefined;
  }
  return { host: cleanHostname(hp.host), port, user };
}

/**
 * The part of a `ProxyJump` value OpenSSH 9.2 reads: up to a `#`, and (its `rtrim` cuts at any
 * white space) up to the first white space.
 */
export function jumpSpecText(spec: string): string {
  const text = spec.replace(/^[ \t\n\v\f\r]+/, '');
  const end = text.search(/[#\s]/);
  return end === -1 ? text : text.slice(0, end);
}

/**
 * Parse an OpenSSH `-J` / `ProxyJump` value: comma-separated `[user@]host[:port]` (also
 * `ssh://[user@]host[:port]` URIs, and `[v6addr]:port`), the first jump host first. `'none'`
 * (any case) gives `[]`. As OpenSSH 9.2 reads it, a `#` starts a comment and nothing after white
 * space counts; a port may be a service name (`ssh`).
 * @throws - {@link SSHConfigError} when a hop is malformed (empty, a bad port, a path in a URI …).
 */
export function parseJumpSpec(spec: string): { host: string; port: number | undefined; user: string | undefined }[] {
  const text = jumpSpecText(spec);
  if (text.toLowerCase() === 'none') return [];
  return text.split(',').map((hop) => {
    const parsed = hop.startsWith('ssh://') ? parseSshUri(hop.slice('ssh://'.length)) : parseUserHostPort(hop);
    if (!parsed) throw new SSHConfigError(`Invalid ProxyJump "${spec}": cannot parse "${hop}"`);
    return parsed;
  });
}
