import type { XmlLimits } from '../xml/limits.js';
import { parseXml } from '../xml/parse.js';
import type { XmlElement } from '../xml/element.js';
import { NOTIFICATION_NS } from '../namespaces.js';
import type { YangSchema } from '../yang/schema.js';
import { xmlToJson, type JsonResult } from '../yang/xml-to-json.js';


/** One notification received (RFC 5277 / RFC 8639). */
export interface Notification {
  /** `eventTime` as sent (RFC 3339). */
  eventTime: string;
  /** `eventTime` parsed; an invalid date when the server sent nonsense. */
  eventDate: Date;
  /** The event itself: the first child of `<notification>` other than `eventTime`. */
  element: XmlElement | undefined;
  /** The whole `<notification>` element. */
  document: XmlElement;
  /** The raw XML. */
  raw: string;
  /** Notifications dropped just before this one because the buffer was full (normally 0). */
  droppedBefore: number;
  /** The session's YANG schema when the manager has one: what {@link notificationJson} maps with by default. */
  schema?: YangSchema | undefined;
}

/** Options of {@link notificationJson}. */
export interface NotificationJsonOptions {
  /** The schema to map with; default the notification's (the session's). */
  schema?: YangSchema;
  /** Keep what the schema cannot map and list warnings instead of throwing (see `XmlToJsonOptions.lenient`). */
  lenient?: boolean;
}

/**
 * A notification as RFC 7951 JSON in the form of RESTCONF (RFC 8040 §6.4):
 * `{"ietf-restconf:notification": {"eventTime": "…", "module:event": {…}}}`, with the warnings of
 * lenient mode. Throws `YangDataError` when the event does not match the schema (unless lenient),
 * `TypeError` when there is no schema.
 */
export function notificationJson(notification: Notification, options: NotificationJsonOptions = {}): JsonResult {
  const schema = options.schema ?? notification.schema;
  if (!schema) throw new TypeError('notificationJson(): no YANG schema: pass { schema }, or load one with m.loadSchema()');
  const events = notification.document.elements.filter((el) => !(el.local === 'eventTime' && el.namespace === NOTIFICATION_NS));
  const { json, warnings } = xmlToJson(schema, events, { kind: 'notification', lenient: options.lenient === true });
  return { json: { 'ietf-restconf:notification': { eventTime: notification.eventTime, ...json } }, warnings };
}

/**
 * Parse a `<notification>` document.
 * @param limits - limits on the XML (default {@link DEFAULT_XML_LIMITS})
 */
export function parseNotification(raw: string, droppedBefore = 0, limits?: Partial<XmlLimits>): Notification {
  const document = parseXml(raw, limits);
  const eventTime = document.childText('eventTime', NOTIFICATION_NS) ?? '';
  const element = document.elements.find((el) => !(el.local === 'eventTime' && el.namespace === NOTIFICATION_NS));
  return { eventTime, eventDate: new Date(eventTime), element, document, raw, droppedBefore };
}

/**
 * A bounded buffer of received notifications, read with `for await`.
 *
 * Policy when the consumer is slower than the server: the buffer keeps the newest `capacity`
 * notifications; when full, the oldest is dropped, `dropped` counts it, and the next notification
 * handed out says how many were lost just before it (`droppedBefore`). Nothing is lost silently,
 * and a slow consumer cannot make memory grow without bound. Notifications are parsed when
 * handed out, not when received.
 *
 * Iteration ends when the session closes; if it failed, the loop throws the session's error.
 */
export class NotificationQueue implements AsyncIterable<Notification> {
  readonly capacity: number;
  #items: Array<{ raw: string; droppedBefore: number }> = [];
  #head = 0;
  #dropped = 0;
  #droppedSinceLast = 0;
  #ended = false;
  #error: Error | undefined;
  #waiters: Array<() => void> = [];

  readonly #limits: Partial<XmlLimits> | undefined;

  /** The YANG schema given to each notification handed out (the manager sets its own). */
  schema: YangSchema | undefined;

  /**
   * @param capacity - how many unread notifications to keep
   * @param limits - limits on the XML of each notification, parsed when handed out
   */
  constructor(capacity = 10_000, limits?: Partial<XmlLimits>) {
    this.#limits = limits;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`notification buffer capacity must be a positive integer, got ${String(capacity)}`);
    this.capacity = capacity;
  }

  /** Notifications dropped so far because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Notifications waiting to be read. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Add a received notification (raw XML). */
  push(raw: string): void {
    if (this.#ended) return;
    if (this.size >= this.capacity) {
      // The dropped item's own count of losses carries over, with itself, to the item now first
      // in line (or to the one being pushed when none is left), so every loss is reported once.
      const lost = 1 + (this.#items[this.#head]?.droppedBefore ?? 0);
      this.#head++;
      this.#dropped++;
      const first = this.size > 0 ? this.#items[this.#head] : undefined;
      if (first) first.droppedBefore += lost;
      else this.#droppedSinceLast += lost;
    }
    this.#items.push({ raw, droppedBefore: this.#droppedSinceLast });
    this.#droppedSinceLast = 0;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    this.#wake();
  }

  /** No more notifications will come; with an error, readers throw it once the buffer is drained. */
  end(error?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#wake();
  }

  /** Wait for the next notification; `undefined` once the queue has ended and is drained. */
  async next(signal?: AbortSignal): Promise<Notification | undefined> {
    for (;;) {
      if (this.size > 0) {
        const item = this.#items[this.#head++] as { raw: string; droppedBefore: number };
        const n = parseNotification(item.raw, item.droppedBefore, this.#limits);
        if (this.schema) n.schema = this.schema;
        return n;
      }
      if (this.#ended) {
        if (this.#error) throw this.#error;
        return undefined;
      }
      signal?.throwIfAborted();
      await new Promise<void>((resolve) => {
        const onAbort = (): void => resolve();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#waiters.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Notification> {
    for (;;) {
      const n = await this.next();
      if (n === undefined) return;
      yield n;
    }
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
}
