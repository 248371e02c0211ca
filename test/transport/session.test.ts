/**
 * The session layer against a scripted fake peer, for the fault cases a real server will not
 * produce on demand. Behaviour with a real server is in test/integration/.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE_1_0, BASE_1_1 } from '../../src/transport/capabilities.js';
import { HelloError, NetconfFramingError, SessionCloseError } from '../../src/transport/errors.js';
import { MalformedMessageError, TransportError } from '../../src/errors.js';
import type { RootElement } from '../../src/xml/root-element.js';
import type { SessionListener } from '../../src/transport/session.js';
import { StreamSession } from '../../src/transport/stream.js';
import { FakePeer, NS, openSession, serverHello } from '../helpers/fake-peer.js';

/** A listener that records what it is given. */
class Recorder implements SessionListener {
  readonly messages: Array<[RootElement, string]> = [];
  readonly errors: Error[] = [];
  #waiters: Array<() => void> = [];
  callback(root: RootElement, raw: string): void {
    this.messages.push([root, raw]);
    this.#wake();
  }
  errback(error: Error): void {
    this.errors.push(error);
    this.#wake();
  }
  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
  async until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}

describe('Session hello exchange', () => {
  it('negotiates base:1.1, records session-id and capabilities, sends an end-of-message framed hello', async () => {
    const { session, peer } = await openSession([BASE_1_0, BASE_1_1, 'urn:ietf:params:netconf:capability:candidate:1.0']);
    assert.equal(session.connected, true);
    assert.equal(session.id, '7');
    assert.equal(session.framing, 'chunked');
    assert.ok(session.serverCapabilities.has(':candidate'));
    const [hello] = await peer.messages(1);
    assert.match(hello ?? '', /<capability>urn:ietf:params:netconf:base:1\.1<\/capability>/);
    assert.doesNotMatch(hello ?? '', /session-id/);
    session.send('<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>');
    const [, rpc] = await peer.messages(2);
    assert.match(rpc ?? '', /<get\/>/);
    await session.close();
  });

  it('stays in end-of-message framing with a base:1.0 server', async () => {
    const { session, peer } = await openSession([BASE_1_0]);
    assert.equal(session.framing, 'eom');
    session.send('<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>');
    await peer.messages(2);
    await session.close();
  });

  it('uses base:1.0 when the client offers only base:1.0', async () => {
    const peer = new FakePeer();
    const session = new StreamSession([BASE_1_0]);
    const connecting = session.connect(peer.clientStream);
    peer.send(serverHello([BASE_1_0, BASE_1_1]), 'eom');
    await connecting;
    assert.equal(session.framing, 'eom');
    await session.close();
  });

  const badHellos: Array<[string, string, RegExp]> = [
    ['without session-id', serverHello([BASE_1_0], null), /no session-id/],
    ['with session-id 0', serverHello([BASE_1_0], '0'), /invalid session-id/],
    ['with a non-numeric session-id', serverHello([BASE_1_0], 'abc'), /invalid session-id/],
    ['without a base capability', serverHello(['urn:ietf:params:netconf:capability:candidate:1.0']), /No common base/],
    ['that is not a hello', `<rpc-reply xmlns="${NS}"><ok/></rpc-reply>`, /expected <hello>/],
    ['that is not XML', '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>', /Malformed hello/],
  ];
  for (const [what, hello, message] of badHellos) {
    it(`rejects a hello ${what} and closes`, async () => {
      const peer = new FakePeer();
      const session = new StreamSession();
      const connecting = session.connect(peer.clientStream, 'fake');
      peer.send(hello, 'eom');
      await assert.rejects(connecting, (err: unknown) => err instanceof HelloError && message.test(err.message));
      assert.equal(session.connected, false);
      assert.equal(peer.clientStream.destroyed, true);
    });
  }

  it('times out when no hello comes', async () => {
    const peer = new FakePeer();
    const session = new StreamSession();
    await assert.rejects(session.connect(peer.clientStream, 'fake', { helloTimeout: 0.1 }), /No hello from fake within 0.1 s/);
    assert.equal(peer.clientStream.destroyed, true);
  });

  it('rejects with SessionCloseError when the peer closes during the hello', async () => {
    const peer = new FakePeer();
    const session = new StreamSession();
    const connecting = session.connect(peer.clientStream, 'fake');
    peer.sendRaw('<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capa');
    peer.toClient.end();
    await assert.rejects(connecting, SessionCloseError);
  });

  it('refuses to send before the hello exchange and after close', async () => {
    const session = new StreamSession();
    assert.throws(() => session.send('<rpc/>'), TransportError);
    const { session: open } = await openSession();
    await open.close();
    assert.throws(() => open.send('<rpc/>'), /Not connected/);
    await open.close(); // idempotent
  });
});

describe('Session dispatch', () => {
  it('gives every listener the root tuple and the raw document', async () => {
    const { session, peer } = await openSession();
    const a = new Recorder();
    const b = new Recorder();
    session.addListener(a);
    session.addListener(b);
    session.addListener(a); // once only
    const reply = `<nc:rpc-reply xmlns:nc="${NS}" nc:message-id="5" xmlns:x="urn:x" x:y="z" plain="p"><nc:ok/></nc:rpc-reply>`;
    peer.send(reply, 'chunked');
    await a.until(() => a.messages.length === 1);
    await b.until(() => b.messages.length === 1);
    assert.deepEqual(a.messages[0], [[`{${NS}}rpc-reply`, { [`{${NS}}message-id`]: '5', '{urn:x}y': 'z', plain: 'p' }], reply]);
    assert.equal(a.messages.length, 1);
    await session.close();
  });

  it('keeps going when a listener throws: the others still hear, the thrower gets its error', async () => {
    const { session, peer } = await openSession();
    class Thrower extends Recorder {
      override callback(root: RootElement, raw: string): void {
        super.callback(root, raw);
        throw new Error('listener bug');
      }
    }
    const thrower = new Thrower();
    const other = new Recorder();
    session.addListener(thrower);
    session.addListener(other);
    peer.send(`<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2026-01-01T00:00:00Z</eventTime></notification>`, 'chunked');
    peer.send(`<rpc-reply xmlns="${NS}" message-id="1"><ok/></rpc-reply>`, 'chunked');
    await other.until(() => other.messages.length === 2);
    await thrower.until(() => thrower.errors.length === 2);
    assert.equal(thrower.messages.length, 2);
    assert.match(thrower.errors[0]?.message ?? '', /listener bug/);
    assert.equal(session.connected, true);
    assert.equal(session.getListenerInstance(Thrower), thrower);
    session.removeListener(thrower);
    session.removeListener(new Recorder()); // never registered: ignored
    assert.equal(session.getListenerInstance(Thrower), undefined);
    await session.close();
  });

  it('reports a message without a root element and stays connected', async () => {
    const { session, peer } = await openSession();
    const rec = new Recorder();
    session.addListener(rec);
    peer.send('just text', 'chunked');
    await rec.until(() => rec.errors.length === 1);
    assert.ok(rec.errors[0] instanceof MalformedMessageError);
    assert.equal(session.connected, true);
    await session.close();
  });
});

describe('Session faults', () => {
  it('a peer that closes mid-message gives SessionCloseError with the partial bytes, and connected false', async () => {
    const { session, peer } = await openSession();
    const rec = new Recorder();
    session.addListener(rec);
    peer.sendRaw('\n#100\n<rpc-reply message-id="9"');
    peer.end();
    await rec.until(() => rec.errors.length > 0);
    const err = rec.errors[0];
    assert.ok(err instanceof SessionCloseError);
    assert.equal(err.inBuf, '<rpc-reply message-id="9"');
    assert.equal(session.connected, false);
  });

  it('malformed chunk framing gives NetconfFramingError and closes the session', async () => {
    const { session, peer } = await openSession();
    const rec = new Recorder();
    session.addListener(rec);
    peer.sendRaw('\n#0\n');
    await rec.until(() => rec.errors.length > 0);
    assert.ok(rec.errors[0] instanceof NetconfFramingError);
    assert.equal(session.connected, false);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(peer.clientStream.destroyed, true);
    assert.equal(rec.errors.length, 1, 'one error, no SessionCloseError after it');
  });

  it('an oversized message gives NetconfFramingError as soon as the chunk header announces it', async () => {
    const { session, peer } = await openSession([BASE_1_0, BASE_1_1], { maxMessageSize: 4096 });
    const rec = new Recorder();
    session.addListener(rec);
    peer.sendRaw('\n#5000\n');
    await rec.until(() => rec.errors.length > 0);
    assert.match(rec.errors[0]?.message ?? '', /maximum size of 4096/);
    assert.equal(session.connected, false);
  });

  it('decodes a multi-byte character split across two chunks', async () => {
    const { session, peer } = await openSession();
    const rec = new Recorder();
    session.addListener(rec);
    const euro = Buffer.from('€');
    const head = Buffer.concat([Buffer.from(`<rpc-reply xmlns="${NS}"><data>`), euro.subarray(0, 1)]);
    const tail = Buffer.concat([euro.subarray(1), Buffer.from('</data></rpc-reply>')]);
    peer.sendRaw(Buffer.concat([Buffer.from(`\n#${head.length}\n`), head, Buffer.from(`\n#${tail.length}\n`), tail, Buffer.from('\n##\n')]));
    await rec.until(() => rec.messages.length === 1);
    assert.match(rec.messages[0]?.[1] ?? '', /<data>€<\/data>/);
    await session.close();
  });
});
