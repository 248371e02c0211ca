/**
 * The server dying under an open session: its own netconfd instance, killed mid-session.
 */
import * as assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { SessionCloseError } from '../../src/transport/errors.js';
import type { SessionListener } from '../../src/transport/session.js';
import { SSHSession } from '../../src/transport/ssh.js';
import { startNetconfd, type Netconfd } from './netconfd.js';

let server: Netconfd;
before(async () => {
  server = await startNetconfd('death');
});
after(async () => {
  await server?.stop();
});

it('reports SessionCloseError through errback, and connected false, when the server is killed mid-session', async () => {
  const sessions = [new SSHSession(), new SSHSession()];
  const errors: Error[][] = [[], []];
  await Promise.all(
    sessions.map((s) =>
      s.connect({ host: server.host, port: server.port, username: server.username, password: server.password, hostkeyVerify: false, allowAgent: false, lookForKeys: false }),
    ),
  );
  const closed = sessions.map(
    (s, i) =>
      new Promise<void>((resolve) => {
        const listener: SessionListener = {
          callback: () => undefined,
          errback: (err) => {
            errors[i]?.push(err);
            resolve();
          },
        };
        s.addListener(listener);
      }),
  );
  // a large request in flight when the server dies
  sessions[0]?.send('<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>');
  process.kill(server.pids.netconfd, 'SIGKILL');
  await Promise.race([Promise.all(closed), new Promise((_, reject) => setTimeout(() => reject(new Error('no errback within 15 s')), 15_000))]);
  for (const [i, s] of sessions.entries()) {
    assert.equal(s.connected, false);
    assert.ok(errors[i]?.[0] instanceof SessionCloseError, String(errors[i]?.[0]));
    assert.throws(() => s.send('<rpc/>'), /Not connected/);
    await s.close();
  }
});
