/**
 * `connect({ signal })`: aborting a connection attempt ends it at once, whatever step it is in
 * (TCP and SSH handshake, a jump host, a proxy command, TLS handshake, the hello), rejects with
 * ConnectAbortedError (the signal's reason as `cause`) and leaves nothing open: the peer sees its
 * connection closed, a proxy process is gone. After connect() has resolved the signal changes
 * nothing. close() during connect() ends the attempt the same way. Peers: black holes (accept,
 * never answer), a silent TLS server, the simulator.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { connect } from '../../src/manager.js';
import { generateTestPki, type Simulator, type TestPki } from '../../src/simulator/index.js';
import { ConnectAbortedError } from '../../src/transport/errors.js';
import { SSHSession } from '../../src/transport/ssh.js';
import { TLSSession } from '../../src/transport/tls.js';
import { blackHole } from '../helpers/black-hole.js';
import { connectTo, PASSWORD, startSim, USER, waitFor } from '../simulator/helpers.js';

/** Abort `after` ms; the promise must reject with ConnectAbortedError (cause: the reason) well before `timeout`. */
async function abortsQuickly(start: (signal: AbortSignal) => Promise<unknown>, after = 200): Promise<void> {
  const controller = new AbortController();
  const reason = new Error('stop now');
  const t0 = Date.now();
  const timer = setTimeout(() => controller.abort(reason), after);
  try {
    await assert.rejects(start(controller.signal), (err: unknown) => {
      assert.ok(err instanceof ConnectAbortedError, `expected ConnectAbortedError, got ${String(err)}`);
      assert.equal(err.cause, reason);
      return true;
    });
  } finally {
    clearTimeout(timer);
  }
  // the attempts below would take 30 s (their timeout) without the abort
  assert.ok(Date.now() - t0 < after + 3000, `took ${Date.now() - t0} ms`);
}

const SSH = { username: USER, password: PASSWORD, allowAgent: false, lookForKeys: false, hostkeyVerify: false, sshConfig: false, timeout: 30 } as const;

let sim: Simulator;
let work: string;
let pki: TestPki;
before(async () => {
  sim = await startSim();
  work = mkdtempSync(join(tmpdir(), 'connect-abort-'));
  pki = await generateTestPki(join(work, 'pki'));
});
after(async () => {
  await sim.close();
  rmSync(work, { recursive: true, force: true });
});

describe('connect({ signal }) over SSH', () => {
  it('during the TCP/SSH handshake with a server that never answers: rejected at once, the connection closed', async () => {
    const hole = await blackHole();
    try {
      await abortsQuickly((signal) => connect({ ...SSH, host: '127.0.0.1', port: hole.port, signal }));
      assert.equal(hole.accepted, 1);
      await waitFor(() => hole.open() === 0, 5000, 'the connection to close');
    } finally {
      hole.close();
    }
  });

  it('a signal aborted before the call: rejected without connecting', async () => {
    const hole = await blackHole();
    try {
      const controller = new AbortController();
      controller.abort(new Error('too late'));
      await assert.rejects(connect({ ...SSH, host: '127.0.0.1', port: hole.port, signal: controller.signal }), ConnectAbortedError);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(hole.accepted, 0);
    } finally {
      hole.close();
    }
  });

  it('while a jump host does not answer: rejected at once, the jump connection closed', async () => {
    const hole = await blackHole();
    try {
      await abortsQuickly((signal) => connect({ ...SSH, host: '127.0.0.1', port: sim.port, proxyJump: [{ host: '127.0.0.1', port: hole.port, username: 'jump', password: 'x' }], signal }));
      await waitFor(() => hole.open() === 0, 5000, 'the jump connection to close');
    } finally {
      hole.close();
    }
  });

  it('while a proxy command runs (and says nothing): rejected at once, the process ended', async () => {
    const pidFile = join(work, 'proxy.pid');
    await abortsQuickly((signal) => connect({ ...SSH, host: '127.0.0.1', port: sim.port, proxyCommand: `sh -c 'echo $$ > ${pidFile}; exec sleep 30'`, signal }), 400);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(pid > 0);
    await waitFor(
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      5000,
      'the proxy process to end',
    );
  });

  it('while the server holds its hello back: rejected at once, the server sees the session go', async () => {
    sim.faults.next({ operation: 'hello', delay: 20_000 });
    const before = sim.sessions.length;
    await abortsQuickly((signal) => connectTo(sim, { signal }), 500);
    await waitFor(() => sim.sessions.length === before, 5000, 'the simulator to drop the session');
  });

  it('after connect() resolved the signal changes nothing', async () => {
    const controller = new AbortController();
    const m = await connectTo(sim, { signal: controller.signal });
    try {
      controller.abort();
      assert.equal(m.connected, true);
      assert.ok((await m.getConfig('running')).ok);
    } finally {
      await m.close();
    }
  });

  it('close() while connect() is still connecting: connect() fails at once, nothing stays open', async () => {
    const hole = await blackHole();
    try {
      const session = new SSHSession();
      const t0 = Date.now();
      const connecting = session.connect({ ...SSH, host: '127.0.0.1', port: hole.port });
      await waitFor(() => hole.accepted === 1, 5000, 'the connection');
      await session.close();
      await assert.rejects(connecting);
      assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
      await waitFor(() => hole.open() === 0, 5000, 'the connection to close');
      assert.equal(session.connected, false);
    } finally {
      hole.close();
    }
  });

  it('SSHSession.connect directly, the same', async () => {
    const hole = await blackHole();
    try {
      await abortsQuickly((signal) => new SSHSession().connect({ ...SSH, host: '127.0.0.1', port: hole.port, signal }));
    } finally {
      hole.close();
    }
  });
});

describe('connect({ signal }) over TLS', () => {
  const tls = (): { cert: string; key: string; ca: string } => ({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert });

  it('close() during the TLS handshake: connect() fails at once, the connection closed', async () => {
    const hole = await blackHole();
    try {
      const session = new TLSSession();
      const t0 = Date.now();
      const connecting = session.connect({ host: '127.0.0.1', port: hole.port, tls: tls(), timeout: 30 });
      await waitFor(() => hole.accepted === 1, 5000, 'the connection');
      await session.close();
      await assert.rejects(connecting);
      assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
      await waitFor(() => hole.open() === 0, 5000, 'the connection to close');
    } finally {
      hole.close();
    }
  });

  it('during the TLS handshake with a server that never answers: rejected at once, the connection closed', async () => {
    const hole = await blackHole();
    try {
      await abortsQuickly((signal) => connect({ transport: 'tls', host: '127.0.0.1', port: hole.port, tls: tls(), timeout: 30, signal }));
      await waitFor(() => hole.open() === 0, 5000, 'the connection to close');
    } finally {
      hole.close();
    }
  });

  it('after the handshake, waiting for a hello that never comes: rejected at once, the connection closed', async () => {
    let open = 0;
    const server: TlsServer = createTlsServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true }, (socket) => {
      open++;
      socket.on('error', () => undefined);
      socket.on('close', () => open--);
      socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      await abortsQuickly((signal) => new TLSSession().connect({ host: '127.0.0.1', port, tls: tls(), timeout: 30, signal }), 400);
      await waitFor(() => open === 0, 5000, 'the connection to close');
    } finally {
      server.close();
    }
  });
});
