/**
 * Streaming delivery: a MessageRouter claims messages by their root element, and the claimed
 * message goes piece by piece to a MessageSink instead of being buffered.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionCloseError } from '../../src/transport/errors.js';
import type { RootElement } from '../../src/xml/root-element.js';
import type { MessageSink } from '../../src/transport/message-sink.js';
import { NS, openSession, settle } from '../helpers/fake-peer.js';

class Consumer implements MessageSink {
  readonly pieces: Buffer[] = [];
  ended = false;
  failure: Error | undefined;
  data(piece: Buffer): void {
    this.pieces.push(Buffer.from(piece));
  }
  end(): void {
    this.ended = true;
  }
  error(error: Error): void {
    this.failure = error;
  }
  get text(): string {
    return Buffer.concat(this.pieces).toString('utf8');
  }
}

function bigReply(id: string, entries: number): string {
  let body = '';
  for (let i = 0; i < entries; i++) body += `<interface><name>ge-0/0/${i}</name><description>é ${i}</description></interface>`;
  return `<rpc-reply message-id="${id}" xmlns="${NS}"><data><interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces">${body}</interfaces></data></rpc-reply>`;
}

describe('Session message routing', () => {
  for (const mode of ['chunked', 'eom'] as const) {
    it(`streams a claimed message to its consumer, others to the listeners (${mode})`, async () => {
      const { session, peer } = await openSession(mode === 'eom' ? ['urn:ietf:params:netconf:base:1.0'] : undefined);
      const consumer = new Consumer();
      const offered: RootElement[] = [];
      session.setMessageRouter((root) => {
        offered.push(root);
        return root[1]['message-id'] === '5' ? consumer : undefined;
      });
      const heard: string[] = [];
      session.addListener({ callback: (root) => heard.push(root[1]['message-id'] ?? '?'), errback: () => undefined });
      const big = bigReply('5', 3000);
      // deliver it in small pieces, with a normal reply before and after
      peer.send(`<rpc-reply message-id="4" xmlns="${NS}"><ok/></rpc-reply>`, mode);
      const framed: Buffer[] = [];
      const { encodeMessage } = await import('../../src/transport/framing.js');
      for (const piece of encodeMessage(Buffer.from(big), mode)) framed.push(piece);
      const wire = Buffer.concat(framed);
      for (let at = 0; at < wire.length; at += 777) peer.sendRaw(wire.subarray(at, at + 777));
      peer.send(`<rpc-reply message-id="6" xmlns="${NS}"><ok/></rpc-reply>`, mode);
      while (heard.length < 2 || !consumer.ended) await settle();
      assert.deepEqual(heard, ['4', '6'], 'the claimed message is not given to listeners');
      assert.equal(consumer.text, big);
      assert.ok(consumer.pieces.length > 10, 'delivered in pieces as they arrived');
      assert.deepEqual(offered.map((r) => r[1]['message-id']), ['4', '5', '6']);
      await session.close();
    });
  }

  it('tells the consumer when the session fails mid-message', async () => {
    const { session, peer } = await openSession();
    const consumer = new Consumer();
    session.setMessageRouter(() => consumer);
    peer.sendRaw(`\n#100000\n<rpc-reply message-id="1" xmlns="${NS}"><data>`);
    await settle();
    assert.ok(consumer.pieces.length > 0);
    peer.end();
    while (!consumer.failure) await settle();
    assert.ok(consumer.failure instanceof SessionCloseError);
    assert.equal(consumer.ended, false);
  });

  it('tells the consumer when the session is closed locally mid-message', async () => {
    const { session, peer } = await openSession();
    const consumer = new Consumer();
    session.setMessageRouter(() => consumer);
    peer.sendRaw(`\n#100000\n<rpc-reply message-id="1" xmlns="${NS}"><data>`);
    await settle();
    await session.close();
    assert.ok(consumer.failure instanceof SessionCloseError);
  });

  it('gives the bytes to a listener with messageCallback without decoding them', async () => {
    const { session, peer } = await openSession();
    let decodedBefore: boolean | undefined;
    let size = 0;
    session.addListener({
      callback: () => assert.fail('callback must not be used when messageCallback exists'),
      messageCallback: (_root, message) => {
        decodedBefore = message.decoded;
        size = message.size;
      },
      errback: () => undefined,
    });
    peer.send(bigReply('9', 100), 'chunked');
    while (!size) await settle();
    assert.equal(decodedBefore, false);
    assert.equal(size, Buffer.byteLength(bigReply('9', 100)));
    await session.close();
  });
});
