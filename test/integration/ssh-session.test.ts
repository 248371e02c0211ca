/**
 * SSHSession against a real NETCONF server: netconfd behind OpenSSH's sshd on loopback,
 * started by scripts/netconfd.sh.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NCClientError } from '../../src/errors.js';
import { AuthenticationError, SSHError, SSHUnknownHostError } from '../../src/transport/errors.js';
import { TransportError } from '../../src/errors.js';
import type { RootElement } from '../../src/xml/root-element.js';
import type { SessionListener } from '../../src/transport/session.js';
import { SSHSession, sshNativeCryptoAvailable } from '../../src/transport/ssh.js';
import type { SSHConnectOptions } from '../../src/transport/ssh-options.js';
import { freePort, publicKeyLine, run, sshKeygenFingerprint, startNetconfd, type Netconfd } from './netconfd.js';

const NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const GET_CONFIG = `<rpc message-id="101" xmlns="${NS}"><get-config><source><running/></source></get-config></rpc>`;

let server: Netconfd;
let work: string;

before(async () => {
  server = await startNetconfd('ssh');
  work = await mkdtemp(join(tmpdir(), 'netconf-ssh-test-'));
});

after(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Options for a password login that accepts the host key (tests of other things). */
function passwordLogin(extra: Partial<SSHConnectOptions> = {}): SSHConnectOptions {
  return {
    host: server.host,
    port: server.port,
    username: server.username,
    password: server.password,
    allowAgent: false,
    lookForKeys: false,
    unknownHostCb: () => true,
    timeout: 20,
    ...extra,
  };
}

/** A listener that resolves with the first message or error. */
class Collector implements SessionListener {
  readonly messages: Array<{ root: RootElement; raw: string }> = [];
  readonly errors: Error[] = [];
  #wake: (() => void) | undefined;
  callback(root: RootElement, raw: string): void {
    this.messages.push({ root, raw });
    this.#wake?.();
  }
  errback(error: Error): void {
    this.errors.push(error);
    this.#wake?.();
  }
  async next(count: number, seconds = 10): Promise<void> {
    const deadline = Date.now() + seconds * 1000;
    while (this.messages.length + this.errors.length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} events`);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  }
}

async function knownHostsFile(name: string, content: string): Promise<string> {
  const file = join(work, name);
  await writeFile(file, content);
  return file;
}

describe('SSHSession against netconfd', () => {
  it('uses ssh2 with its native crypto binding built', () => {
    assert.equal(sshNativeCryptoAvailable(), true, 'ssh2 native crypto binding missing: AES-GCM would run ~2.4x slower (reinstall without --ignore-scripts)');
  });

  it('logs in with a password and reads the server hello', async () => {
    const session = new SSHSession();
    await session.connect(passwordLogin());
    try {
      assert.equal(session.connected, true);
      assert.match(session.id ?? '', /^[1-9][0-9]*$/);
      assert.equal(session.framing, 'chunked');
      assert.ok(session.serverCapabilities.has(':base:1.1'));
      assert.ok(session.serverCapabilities.has('urn:ietf:params:netconf:capability:candidate:1.0'));
      assert.ok(session.serverCapabilities.has(':with-defaults'));
      assert.equal(session.serverCapabilities.get(':with-defaults')?.parameters['basic-mode'], 'explicit');
      assert.ok(session.serverCapabilities.modules().has('ietf-interfaces'));
      assert.ok(session.clientCapabilities.has(':base:1.0'));
      assert.ok(session.transport, 'the ssh2 client is exposed');
      assert.match(server.sshdLog(), /Accepted password for nctest/);
    } finally {
      await session.close();
    }
    assert.equal(session.connected, false);
  });

  for (const type of ['ed25519', 'ecdsa', 'rsa'] as const) {
    it(`logs in with an unencrypted ${type} key and no password`, async () => {
      const before = (server.sshdLog().match(/Accepted publickey/g) ?? []).length;
      const session = new SSHSession();
      await session.connect(passwordLogin({ password: undefined, keyFilename: server.clientKeys[type] }));
      assert.equal(session.connected, true);
      await session.close();
      const afterCount = (server.sshdLog().match(/Accepted publickey/g) ?? []).length;
      assert.equal(afterCount, before + 1);
    });
  }

  it('logs in with an encrypted key whose passphrase is the password, key first', async () => {
    const beforeKey = (server.sshdLog().match(/Accepted publickey/g) ?? []).length;
    const session = new SSHSession();
    await session.connect(passwordLogin({ keyFilename: [server.clientKeys.ed25519Encrypted] }));
    await session.close();
    assert.equal((server.sshdLog().match(/Accepted publickey/g) ?? []).length, beforeKey + 1, 'the key, not the password, was accepted');
  });

  it('refuses a wrong password with AuthenticationError that does not contain it', async () => {
    const session = new SSHSession();
    const wrong = 'Wr0ng-Secret-Passw0rd';
    await assert.rejects(session.connect(passwordLogin({ password: wrong })), (err: unknown) => {
      assert.ok(err instanceof AuthenticationError);
      assert.ok(err instanceof TransportError);
      assert.ok(err instanceof NCClientError);
      assert.equal(err.name, 'AuthenticationError');
      assert.match(err.message, /nctest@127\.0\.0\.1/);
      assert.doesNotMatch(err.message + String(err.stack), new RegExp(wrong));
      return true;
    });
    assert.equal(session.connected, false);
  });

  it('gives a clear error for an encrypted key with the wrong passphrase', async () => {
    const session = new SSHSession();
    await assert.rejects(
      session.connect(passwordLogin({ password: 'not-the-passphrase', keyFilename: server.clientKeys.ed25519Encrypted })),
      (err: unknown) => err instanceof SSHError && /Cannot load private key .*client_ed25519_enc/.test(err.message) && !err.message.includes('not-the-passphrase'),
    );
  });

  it('refuses connection to a closed port with SSHError', async () => {
    const port = await freePort();
    await assert.rejects(new SSHSession().connect(passwordLogin({ port })), (err: unknown) => err instanceof SSHError && /ECONNREFUSED/.test(err.message));
  });
});

describe('SSHSession host key verification against sshd', () => {
  it('rejects an unknown host key by default, with the fingerprints ssh-keygen prints', async () => {
    const md5 = await sshKeygenFingerprint(server.hostKeys.ed25519, 'md5');
    const sha256 = await sshKeygenFingerprint(server.hostKeys.ed25519, 'sha256');
    const session = new SSHSession();
    session.loadKnownHosts(await knownHostsFile('empty', ''));
    const { unknownHostCb: _accept, ...options } = passwordLogin();
    await assert.rejects(session.connect(options), (err: unknown) => {
      assert.ok(err instanceof SSHUnknownHostError, String(err));
      assert.equal(err.name, 'SSHUnknownHostError');
      assert.equal(err.host, '127.0.0.1');
      assert.equal(err.fingerprint, md5);
      assert.equal(err.reason, 'unknown');
      assert.equal(err.hostKey?.type, 'ssh-ed25519');
      assert.equal(err.hostKey?.sha256, sha256);
      assert.ok(err.message.includes(sha256), err.message);
      assert.ok(err instanceof SSHError);
      return true;
    });
    assert.equal(session.connected, false);
  });

  it('gives the callback the MD5 and SHA256 fingerprints and the key, and follows its answer', async () => {
    const md5 = await sshKeygenFingerprint(server.hostKeys.ed25519, 'md5');
    const sha256 = await sshKeygenFingerprint(server.hostKeys.ed25519, 'sha256');
    const seen: unknown[] = [];
    const session = new SSHSession();
    session.loadKnownHosts(await knownHostsFile('empty2', ''));
    await session.connect(
      passwordLogin({
        unknownHostCb: (host, fingerprint, key) => {
          seen.push(host, fingerprint, key.type, key.sha256, key.key.toString('base64'));
          return true;
        },
      }),
    );
    await session.close();
    assert.deepEqual(seen, ['127.0.0.1', md5, 'ssh-ed25519', sha256, publicKeyLine(server.hostKeys.ed25519).split(' ')[1]]);
  });

  it('treats an async callback resolving to false as a refusal (the ssh2 Promise trap)', async () => {
    const session = new SSHSession();
    session.loadKnownHosts(await knownHostsFile('empty3', ''));
    await assert.rejects(session.connect(passwordLogin({ unknownHostCb: async () => false })), SSHUnknownHostError);
    const accepted = new SSHSession();
    accepted.loadKnownHosts(await knownHostsFile('empty4', ''));
    await accepted.connect(passwordLogin({ unknownHostCb: async () => true }));
    assert.equal(accepted.connected, true);
    await accepted.close();
  });

  it('accepts a host listed in known_hosts as [host]:port, plain or hashed, or in a list', async () => {
    const key = publicKeyLine(server.hostKeys.ed25519);
    const plain = await knownHostsFile('plain', `# test\n[127.0.0.1]:${server.port} ${key}\n`);
    const list = await knownHostsFile('list', `router1,[localhost]:${server.port},[127.0.0.1]:${server.port} ${key} comment\n`);
    const hashed = await knownHostsFile('hashed', `[127.0.0.1]:${server.port} ${key}\n`);
    await run('ssh-keygen', ['-H', '-f', hashed]);
    for (const file of [plain, list, hashed]) {
      const session = new SSHSession();
      session.loadKnownHosts(file);
      const { unknownHostCb: _accept, ...options } = passwordLogin();
      await session.connect(options); // default callback refuses: only known_hosts can accept
      assert.equal(session.connected, true, file);
      await session.close();
    }
  });

  it('does not take a plain host entry (port 22) for the server\'s port', async () => {
    const file = await knownHostsFile('port22', `127.0.0.1 ${publicKeyLine(server.hostKeys.ed25519)}\n`);
    const session = new SSHSession();
    session.loadKnownHosts(file);
    const { unknownHostCb: _accept, ...options } = passwordLogin();
    await assert.rejects(session.connect(options), (err: unknown) => err instanceof SSHUnknownHostError && err.reason === 'unknown');
  });

  it('refuses a changed host key even when the callback would accept', async () => {
    const other = publicKeyLine(server.clientKeys.ed25519 + '.pub'); // some other ed25519 key
    const file = await knownHostsFile('changed', `[127.0.0.1]:${server.port} ${other}\n`);
    let asked = false;
    const session = new SSHSession();
    session.loadKnownHosts(file);
    await assert.rejects(
      session.connect(passwordLogin({ unknownHostCb: () => (asked = true) })),
      (err: unknown) => err instanceof SSHUnknownHostError && err.reason === 'changed' && /CHANGED/.test(err.message) && err.hostKey?.type === 'ssh-ed25519' && err.message.includes(err.hostKey.sha256),
    );
    assert.equal(asked, false);
  });

  it('refuses a @revoked host key even when the callback would accept', async () => {
    const key = publicKeyLine(server.hostKeys.ed25519);
    const file = await knownHostsFile('revoked', `@revoked * ${key}\n[127.0.0.1]:${server.port} ${key}\n`);
    const session = new SSHSession();
    session.loadKnownHosts(file);
    await assert.rejects(session.connect(passwordLogin()), (err: unknown) => err instanceof SSHUnknownHostError && err.reason === 'revoked');
  });

  it('skips verification with hostkeyVerify: false', async () => {
    const session = new SSHSession();
    const { unknownHostCb: _accept, ...options } = passwordLogin();
    await session.connect({ ...options, hostkeyVerify: false });
    assert.equal(session.connected, true);
    await session.close();
  });
});

describe('SSHSession messages against netconfd', () => {
  it('hands listeners the rpc-reply root tuple and raw XML for an RPC sent with send()', async () => {
    const session = new SSHSession();
    await session.connect(passwordLogin());
    const listener = new Collector();
    session.addListener(listener);
    session.send(GET_CONFIG);
    await listener.next(1);
    await session.close();
    assert.deepEqual(listener.errors, []);
    const [reply] = listener.messages;
    assert.equal(reply?.root[0], `{${NS}}rpc-reply`);
    assert.equal(reply?.root[1]['message-id'], '101');
    assert.match(reply?.raw ?? '', /<data[\s>/]/);
    assert.equal(session.getListenerInstance(Collector), listener);
  });

  it('runs two sessions at once, each with its own id and replies', async () => {
    const a = new SSHSession();
    const b = new SSHSession();
    await Promise.all([a.connect(passwordLogin()), b.connect(passwordLogin())]);
    assert.notEqual(a.id, b.id);
    const la = new Collector();
    const lb = new Collector();
    a.addListener(la);
    b.addListener(lb);
    a.send(GET_CONFIG.replace('101', '1'));
    b.send(GET_CONFIG.replace('101', '2'));
    await Promise.all([la.next(1), lb.next(1)]);
    assert.equal(la.messages[0]?.root[1]['message-id'], '1');
    assert.equal(lb.messages[0]?.root[1]['message-id'], '2');
    await Promise.all([a.close(), b.close()]);
  });

  it('reports the server closing the session as SessionCloseError', async () => {
    const session = new SSHSession();
    await session.connect(passwordLogin());
    const listener = new Collector();
    session.addListener(listener);
    session.send(`<rpc message-id="7" xmlns="${NS}"><close-session/></rpc>`);
    await listener.next(2);
    assert.equal(listener.messages[0]?.root[1]['message-id'], '7');
    assert.equal(listener.errors[0]?.name, 'SessionCloseError');
    assert.equal(session.connected, false);
    await session.close();
  });

  it('lets a script that connects, talks and closes exit on its own', async () => {
    const index = new URL('../../src/index.js', import.meta.url).href;
    const script = `
      import { SSHSession } from ${JSON.stringify(index)};
      const s = new SSHSession();
      await s.connect(${JSON.stringify({ ...passwordLogin(), unknownHostCb: undefined, hostkeyVerify: false })});
      await new Promise((resolve) => { s.addListener({ callback: resolve, errback: resolve }); s.send(${JSON.stringify(GET_CONFIG)}); });
      await s.close();
      console.log('closed', s.connected);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running after 15 s: something keeps the event loop alive');
      }, 15_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c ?? -1);
      });
    });
    assert.equal(code, 0, out);
    assert.match(out, /closed false/);
  });
});
