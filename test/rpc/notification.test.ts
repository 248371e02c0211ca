/** parseNotification and NotificationQueue: order, the bounded drop-oldest policy, ending. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionCloseError } from '../../src/transport/errors.js';
import { MalformedMessageError } from '../../src/errors.js';
import { NotificationQueue, parseNotification, type Notification } from '../../src/rpc/notification.js';
import { NOTIFICATION_NS } from '../../src/namespaces.js';
import { notificationXml, settle } from '../helpers/fake-peer.js';

const n = (i: number): string => notificationXml(`2024-05-01T10:00:${String(i % 60).padStart(2, '0')}Z`, `<event xmlns="urn:e"><seq>${i}</seq></event>`);
const seq = (x: Notification): number => Number(x.element?.childText('seq'));

async function drain(queue: NotificationQueue): Promise<Notification[]> {
  const out: Notification[] = [];
  for await (const x of queue) out.push(x);
  return out;
}

describe('parseNotification', () => {
  it('reads eventTime, its Date, the event element, the document and the raw XML', () => {
    const raw = notificationXml('2024-05-01T10:00:00.123+02:00', '<netconf-config-change xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"><datastore>running</datastore></netconf-config-change>');
    const parsed = parseNotification(raw);
    assert.equal(parsed.eventTime, '2024-05-01T10:00:00.123+02:00');
    assert.equal(parsed.eventDate.toISOString(), '2024-05-01T08:00:00.123Z');
    assert.equal(parsed.element?.tag, '{urn:ietf:params:xml:ns:yang:ietf-netconf-notifications}netconf-config-change');
    assert.equal(parsed.element?.childText('datastore'), 'running');
    assert.equal(parsed.document.tag, `{${NOTIFICATION_NS}}notification`);
    assert.equal(parsed.raw, raw);
    assert.equal(parsed.droppedBefore, 0);
  });

  it('the event is the first child other than eventTime, wherever eventTime stands', () => {
    const raw = `<notification xmlns="${NOTIFICATION_NS}"><event xmlns="urn:e"/><eventTime>2024-01-01T00:00:00Z</eventTime></notification>`;
    assert.equal(parseNotification(raw).element?.local, 'event');
    // An element named eventTime in another namespace is an event like any other.
    const other = `<notification xmlns="${NOTIFICATION_NS}"><eventTime>2024-01-01T00:00:00Z</eventTime><eventTime xmlns="urn:e">x</eventTime></notification>`;
    assert.equal(parseNotification(other).element?.namespace, 'urn:e');
  });

  it('an invalid or missing eventTime gives an invalid Date, no event gives undefined', () => {
    const bad = parseNotification(`<notification xmlns="${NOTIFICATION_NS}"><eventTime>yesterday</eventTime></notification>`);
    assert.equal(bad.eventTime, 'yesterday');
    assert.ok(Number.isNaN(bad.eventDate.getTime()));
    assert.equal(bad.element, undefined);
    const none = parseNotification(`<notification xmlns="${NOTIFICATION_NS}"/>`);
    assert.equal(none.eventTime, '');
    assert.ok(Number.isNaN(none.eventDate.getTime()));
  });

  it('malformed XML throws MalformedMessageError', () => {
    assert.throws(() => parseNotification('<notification'), MalformedMessageError);
  });
});

describe('NotificationQueue', () => {
  it('hands notifications out in order, and a reader waits for the next one', async () => {
    const queue = new NotificationQueue();
    queue.push(n(1));
    queue.push(n(2));
    assert.equal(queue.size, 2);
    assert.equal(seq((await queue.next()) as Notification), 1);
    assert.equal(seq((await queue.next()) as Notification), 2);
    const waiting = queue.next();
    await settle();
    queue.push(n(3));
    assert.equal(seq((await waiting) as Notification), 3);
    assert.equal(queue.size, 0);
    assert.equal(queue.dropped, 0);
  });

  it('several readers waiting each get a different notification', async () => {
    const queue = new NotificationQueue();
    const a = queue.next();
    const b = queue.next();
    queue.push(n(1));
    queue.push(n(2));
    const got = [(await a) as Notification, (await b) as Notification].map(seq).sort();
    assert.deepEqual(got, [1, 2]);
  });

  it('end() ends iteration once the buffer is drained', async () => {
    const queue = new NotificationQueue();
    const reading = drain(queue);
    queue.push(n(1));
    await settle();
    queue.push(n(2));
    queue.end();
    queue.push(n(3)); // after the end: ignored
    assert.deepEqual((await reading).map(seq), [1, 2]);
    assert.equal(await queue.next(), undefined);
  });

  it('end(error) makes readers throw it after draining what was buffered', async () => {
    const queue = new NotificationQueue();
    queue.push(n(1));
    const error = new SessionCloseError('', undefined, 'server died');
    queue.end(error);
    queue.end(new Error('second end is ignored'));
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const x of queue) seen.push(seq(x));
      })(),
      (err: unknown) => err === error,
    );
    assert.deepEqual(seen, [1]);
    await assert.rejects(queue.next(), (err: unknown) => err === error);
  });

  it('end() wakes a waiting reader', async () => {
    const queue = new NotificationQueue();
    const waiting = queue.next();
    await settle();
    queue.end();
    assert.equal(await waiting, undefined);
  });

  it('drops the oldest when full: dropped counts them, the next handed out says how many were lost before it', async () => {
    const queue = new NotificationQueue(3);
    for (let i = 1; i <= 5; i++) queue.push(n(i)); // 1 and 2 dropped
    assert.equal(queue.size, 3);
    assert.equal(queue.dropped, 2);
    queue.end();
    const got = await drain(queue);
    assert.deepEqual(
      got.map((x) => [seq(x), x.droppedBefore]),
      [
        [3, 2],
        [4, 0],
        [5, 0],
      ],
    );
  });

  it('reports losses where they happened when reading and receiving interleave', async () => {
    const queue = new NotificationQueue(2);
    queue.push(n(1));
    queue.push(n(2));
    assert.equal(seq((await queue.next()) as Notification), 1);
    queue.push(n(3));
    queue.push(n(4)); // drops 2
    queue.push(n(5)); // drops 3
    assert.equal(queue.dropped, 2);
    queue.end();
    assert.deepEqual(
      (await drain(queue)).map((x) => [seq(x), x.droppedBefore]),
      [
        [4, 2],
        [5, 0],
      ],
    );
  });

  it('capacity 1 keeps only the newest, which carries every loss', async () => {
    const queue = new NotificationQueue(1);
    for (let i = 1; i <= 4; i++) queue.push(n(i));
    queue.end();
    assert.deepEqual(
      (await drain(queue)).map((x) => [seq(x), x.droppedBefore]),
      [[4, 3]],
    );
    assert.equal(queue.dropped, 3);
  });

  it('stays bounded and exact over many notifications (buffer compaction)', async () => {
    const queue = new NotificationQueue(100);
    const seen: Notification[] = [];
    for (let i = 1; i <= 5000; i++) {
      queue.push(n(i));
      if (i % 7 === 0) seen.push((await queue.next()) as Notification);
      assert.ok(queue.size <= 100);
    }
    queue.end();
    seen.push(...(await drain(queue)));
    const lost = seen.reduce((sum, x) => sum + x.droppedBefore, 0);
    assert.equal(lost, queue.dropped);
    assert.equal(seen.length + queue.dropped, 5000);
    // Every gap in the sequence is announced by exactly the droppedBefore of the one after it.
    let previous = 0;
    for (const x of seen) {
      assert.equal(seq(x) - previous - 1, x.droppedBefore, `before ${seq(x)}`);
      previous = seq(x);
    }
    assert.equal(previous, 5000);
  });

  it('refuses a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) assert.throws(() => new NotificationQueue(capacity), RangeError);
    assert.equal(new NotificationQueue().capacity, 10_000);
  });

  it('next(signal) rejects when the signal aborts while waiting, and the queue goes on', async () => {
    const queue = new NotificationQueue();
    const controller = new AbortController();
    const waiting = queue.next(controller.signal);
    await settle();
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    queue.push(n(1));
    assert.equal(seq((await queue.next()) as Notification), 1);
    await assert.rejects(queue.next(AbortSignal.abort()), { name: 'AbortError' });
  });

  it('a malformed notification throws from next() when handed out; the ones after it are still read', async () => {
    const queue = new NotificationQueue();
    queue.push(`<notification xmlns="${NOTIFICATION_NS}"><eventTime>`);
    queue.push(n(2));
    await assert.rejects(queue.next(), MalformedMessageError);
    assert.equal(seq((await queue.next()) as Notification), 2);
  });
});
