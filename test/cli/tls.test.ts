/**
 * `netconf --tls --cert FILE --key FILE --ca FILE` as a subprocess: a real get-config against the
 * simulator over TLS, and every refusal (the server's certificate from an unknown CA, for another
 * name, expired; no client certificate; a pin) against scripted Node TLS peers, each with exit
 * status 3 and a message by reason; the options' usage errors (exit 2); never key material in
 * the output. The PKI comes from scripts/test-pki.sh (openssl).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TlsOptions } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { cleanEnv, REPO, runCli, type CliResult } from './cli-helpers.js';

const HELLO = '<?xml version="1.0" encoding="UTF-8"?><hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>7</session-id></hello>]]>]]>';
const CONFIG = '<config><system xmlns="urn:example:system"><hostname>tls-router</hostname></system></config>';

let dir: string;
let sim: Simulator;
const file = (name: string): string => join(dir, name);
const pem = (name: string): string => readFileSync(file(name), 'utf8');
const servers: Server[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netconf-cli-tls-'));
  execFileSync('bash', [join(REPO, 'scripts', 'test-pki.sh'), dir]);
  sim = await startSimulator({ tls: { cert: pem('server.pem'), key: pem('server.key'), ca: pem('ca.pem') }, config: CONFIG });
});

after(async () => {
  await sim?.close();
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A scripted TLS peer: answers with a hello (and nothing else). */
async function peer(options: Partial<TlsOptions> = {}): Promise<number> {
  const server = createServer({ cert: pem('server.pem'), key: pem('server.key'), ca: pem('ca.pem'), requestCert: true, rejectUnauthorized: true, ...options }, (socket) => {
    socket.on('error', () => undefined);
    socket.write(HELLO);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** The client's TLS options: certificate, key, CA. */
const CLIENT = (): string[] => ['--tls', '--cert', file('client.pem'), '--key', file('client.key'), '--ca', file('ca.pem')];

function netconf(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { env: cleanEnv(dir, extra) });
}

/** Exit status 3, one message, no stack trace, no key material. */
function refused(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.doesNotMatch(r.stderr, /PRIVATE KEY|secret/);
}

describe('netconf --tls against the simulator', { concurrency: true }, () => {
  it('get-config over TLS with a client certificate', async () => {
    const r = await netconf(['get-config', '--host', '127.0.0.1', '--port', String(sim.port), ...CLIENT()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<hostname>tls-router<\/hostname>/);
    assert.equal(r.stderr, '');
  });

  it('hello --json by name (localhost: SNI and the DNS SAN); --debug names the certificate, never the key', async () => {
    const r = await netconf(['hello', 'localhost', '--port', String(sim.port), ...CLIENT(), '--json', '--debug']);
    assert.equal(r.code, 0, r.stderr);
    const hello = JSON.parse(r.stdout) as { host: string; port: number; 'session-id': string };
    assert.equal(hello.host, 'localhost');
    assert.equal(hello.port, sim.port);
    assert.match(r.stderr, /over TLS/);
    assert.match(r.stderr, /CN=nctest/);
    assert.doesNotMatch(r.stderr, /PRIVATE KEY/);
  });

  it('an encrypted key: its passphrase from --password-env (wrong: exit 2; missing: exit 2)', async () => {
    const args = ['get-config', '--host', '127.0.0.1', '--port', String(sim.port), '--tls', '--cert', file('client.pem'), '--key', file('client-enc.key'), '--ca', file('ca.pem')];
    const ok = await netconf([...args, '--password-env', 'PASS'], { PASS: 'secret' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /tls-router/);
    const env = await netconf(args, { NETCONF_PASSWORD: 'secret' });
    assert.equal(env.code, 0, env.stderr);
    const wrong = await netconf([...args, '--password-env', 'PASS'], { PASS: 'wrong' });
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(wrong.stderr, /--key \S+client-enc\.key: cannot decrypt it: wrong passphrase/);
    assert.doesNotMatch(wrong.stderr, /wrong\b.*wrong|PRIVATE KEY/s);
    const none = await netconf(args);
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /is encrypted: give its passphrase with --password-env VAR, --ask-password or NETCONF_PASSWORD/);
  });

  it('the pin alone (no --ca): the right fingerprint connects, another is refused', async () => {
    const fingerprint = new X509Certificate(pem('server.pem')).fingerprint256;
    const base = ['get-config', '--host', '127.0.0.1', '--port', String(sim.port), '--tls', '--cert', file('client.pem'), '--key', file('client.key')];
    const ok = await netconf([...base, '--tls-fingerprint', fingerprint]);
    assert.equal(ok.code, 0, ok.stderr);
    const other = new X509Certificate(pem('server-expired.pem')).fingerprint256;
    const r = await netconf([...base, '--tls-fingerprint', other.replaceAll(':', '').toLowerCase()]);
    refused(r, /^netconf: the certificate of 127\.0\.0\.1:\d+ does not match the --tls-fingerprint pin: refusing to connect/);
  });
});

describe('netconf --tls: refusals (exit 3, by reason)', { concurrency: true }, () => {
  it('the server\'s certificate from an unknown CA', async () => {
    const port = await peer();
    const r = await netconf(['hello', '--host', '127.0.0.1', '--port', String(port), '--tls', '--cert', file('client.pem'), '--key', file('client.key'), '--ca', file('other-ca.pem')]);
    refused(r, new RegExp(`^netconf: the certificate of 127\\.0\\.0\\.1:${port} is not signed by a CA we trust: refusing to connect.*\\nGive the CA that issued it with --ca FILE`, 's'));
  });

  it('a certificate for another name; --tls-servername for a name the certificate is not issued for', async () => {
    const port = await peer({ cert: pem('server-wrong-name.pem'), key: pem('server-wrong-name.key') });
    const r = await netconf(['hello', '--host', '127.0.0.1', '--port', String(port), ...CLIENT()]);
    refused(r, /^netconf: the certificate of 127\.0\.0\.1:\d+ is not issued for 127\.0\.0\.1: refusing to connect.*\nConnect with the name the certificate is issued for, or give that name with --tls-servername NAME/s);
    const good = await peer();
    const named = await netconf(['hello', '--host', '127.0.0.1', '--port', String(good), ...CLIENT(), '--tls-servername', 'router9.example']);
    refused(named, /is not issued for router9\.example/);
  });

  it('an expired certificate', async () => {
    const port = await peer({ cert: pem('server-expired.pem'), key: pem('server-expired.key') });
    const r = await netconf(['hello', '--host', '127.0.0.1', '--port', String(port), ...CLIENT()]);
    refused(r, /^netconf: the certificate of 127\.0\.0\.1:\d+ has expired: refusing to connect/);
  });

  it('no client certificate: the server\'s alert "certificate required"', async () => {
    const port = await peer();
    const r = await netconf(['hello', '--host', '127.0.0.1', '--port', String(port), '--tls', '--ca', file('ca.pem')]);
    refused(r, /^netconf: 127\.0\.0\.1:\d+ requires a client certificate \(TLS alert "certificate required"\): give one with --cert FILE --key FILE\.\n$/);
  });

  it('a client certificate from another CA: the server hangs up, still a TLS message', async () => {
    const port = await peer();
    const r = await netconf(['hello', '--host', '127.0.0.1', '--port', String(port), '--tls', '--cert', file('other-client.pem'), '--key', file('other-client.key'), '--ca', file('ca.pem')]);
    refused(r, /^netconf: TLS with 127\.0\.0\.1:\d+ failed: /);
    assert.match(r.stderr, /client certificate/);
  });

  it('nothing listening: connection refused, with the TLS port hint', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createTcpServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await netconf(['hello', '--host', '127.0.0.1', '--port', String(port), ...CLIENT()]);
    refused(r, /^netconf: connection refused by 127\.0\.0\.1:\d+: is a NETCONF-over-TLS server listening on that port\? \(NETCONF over TLS is usually port 6513\)/);
  });

  it('the default port is 6513', async () => {
    const r = await netconf(['hello', '--host', '127.0.0.1', ...CLIENT(), '--timeout', '3']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /127\.0\.0\.1:6513/);
  });
});

describe('netconf --tls: usage errors (exit 2)', { concurrency: true }, () => {
  async function usage(args: string[], pattern: RegExp): Promise<void> {
    const r = await netconf(['get-config', '--host', '127.0.0.1', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /PRIVATE KEY/);
  }

  it('unreadable or unusable files', async () => {
    await usage(['--tls', '--cert', file('nope.pem'), '--key', file('client.key')], /--cert \S+nope\.pem: cannot read it \(ENOENT\)/);
    await usage(['--tls', '--cert', file('client.pem'), '--key', file('nope.key')], /--key \S+nope\.key: cannot read it \(ENOENT\)/);
    await usage([...CLIENT(), '--ca', file('nope-ca.pem')], /--ca \S+nope-ca\.pem: cannot read it \(ENOENT\)/);
    await usage(['--tls', '--cert', file('client.key'), '--key', file('client.key')], /--cert \S+client\.key: no PEM certificate in it/);
    await usage(['--tls', '--cert', file('client.pem'), '--key', file('client.pem')], /--key \S+client\.pem: no PEM private key in it/);
    const unreadable = file('unreadable.key');
    writeFileSync(unreadable, pem('client.key'));
    chmodSync(unreadable, 0);
    if (process.getuid?.() !== 0) await usage(['--tls', '--cert', file('client.pem'), '--key', unreadable], /--key \S+unreadable\.key: cannot read it \(EACCES\)/);
  });

  it('--cert without --key and the other way round; --key twice', async () => {
    await usage(['--tls', '--cert', file('client.pem')], /--cert needs --key FILE/);
    await usage(['--tls', '--key', file('client.key')], /with --tls, --key needs --cert FILE/);
    await usage([...CLIENT(), '--key', file('client.key')], /give it once/);
  });

  it('SSH options with --tls, TLS options without it', async () => {
    for (const [args, option] of [
      [['-J', 'bastion'], '-J/--jump'],
      [['--proxy-command', 'nc %h %p'], '--proxy-command'],
      [['--known-hosts', file('kh')], '--known-hosts'],
      [['--accept-new'], '--accept-new'],
      [['-u', 'admin'], '-u/--user'],
      [['-F', 'none'], '-F/--ssh-config'],
      [['--keepalive', '5'], '--keepalive'],
    ] as const) {
      await usage([...CLIENT(), ...args], new RegExp(`${option.replace(/[/-]/g, (c) => `\\${c}`)} is an SSH option: it cannot be used with --tls`));
    }
    await usage(['--cert', file('client.pem')], /--cert is a TLS option: it needs --tls/);
    await usage(['--ca', file('ca.pem')], /--ca is a TLS option: it needs --tls/);
    await usage(['--tls-fingerprint', 'AB'], /--tls-fingerprint is a TLS option/);
  });

  it('a malformed pin, version or name', async () => {
    await usage([...CLIENT(), '--tls-fingerprint', 'ab:cd'], /--tls-fingerprint must be the SHA-256 fingerprint/);
    await usage([...CLIENT(), '--tls-min-version', '1.1'], /--tls-min-version must be 1\.2 or 1\.3, got '1\.1'/);
    await usage([...CLIENT(), '--tls-servername', 'a b'], /--tls-servername must be a host name/);
  });
});
