/**
 * RFC 5277 event notifications of the simulator: streams, `<create-subscription>` with subtree or
 * XPath filters, replay from a bounded buffer (`startTime` / `stopTime`, `replayComplete`,
 * `notificationComplete`), and the RFC 6470 `netconf-config-change` event.
 * @module
 */
import type { ConfigChange, DatastoreName } from './datastore.js';
import { rpcErrors } from './errors.js';
import { buildSelection, emptySelection, selectWithAncestors, subtreeSelect } from './filter.js';
import { formatPath, PrefixAllocator } from './paths.js';
import type { SchemaRegistry } from './schema.js';
import { appendChild, elementsOf, escapeText, importElement, makeElement, serializeChildren, textElement } from './xml.js';
import { NC_NOTIFICATIONS_NS, NETMOD_NOTIFICATION_NS, NOTIFICATION_NS } from '../namespaces.js';
import { xpathSelect } from './xpath.js';
import { escapeXml, parseXml, type XmlElement } from '../index.js';

/** The default event stream. */
export const NETCONF_STREAM = 'NETCONF';

/** A filter of a subscription. */
export type EventFilter = { kind: 'subtree'; nodes: readonly XmlElement[] } | { kind: 'xpath'; select: string; namespaces: ReadonlyMap<string, string> };

/** Where a subscription's notifications go (a session). */
export interface NotificationSink {
  readonly id: number;
  deliverNotification(xml: string): void;
}

/** Parameters of a subscription. */
export interface SubscribeParameters {
  stream: string;
  filter?: EventFilter;
  startTime?: Date;
  stopTime?: Date;
}

interface StoredEvent {
  time: Date;
  stream: string;
  /** Normalised `<notification>` root holding the event element(s). */
  root: XmlElement;
}

interface Subscription {
  sink: NotificationSink;
  stream: string;
  filter: EventFilter | undefined;
  stopTime: Date | undefined;
  timer: NodeJS.Timeout | undefined;
  replaying: boolean;
  held: StoredEvent[];
}

/** Streams, subscriptions and the replay buffer. */
export class NotificationHub {
  /** Stream name → description. */
  readonly streams: ReadonlyMap<string, string>;
  readonly #capacity: number;
  #buffer: StoredEvent[] = [];
  readonly #subscriptions = new Map<number, Subscription>();

  constructor(streams: ReadonlyMap<string, string>, replayCapacity: number) {
    this.streams = streams;
    this.#capacity = replayCapacity;
  }

  /** True when the session has an active subscription. */
  isSubscribed(sessionId: number): boolean {
    return this.#subscriptions.has(sessionId);
  }

  /** The oldest event kept for replay, if any. */
  get replayLogCreationTime(): Date | undefined {
    return this.#buffer[0]?.time;
  }

  /**
   * Start a subscription. Returns what to run once the `<ok/>` has been sent (the replay).
   * @throws {@link NetconfServerError} for an unknown stream, bad times, or an existing subscription
   */
  subscribe(sink: NotificationSink, params: SubscribeParameters): () => void {
    if (this.#subscriptions.has(sink.id)) throw rpcErrors.inUse('this session already has an active subscription');
    if (!this.streams.has(params.stream)) throw rpcErrors.invalidValue(`no such event stream: ${params.stream}`, 'stream');
    const now = Date.now();
    const { startTime, stopTime } = params;
    if (stopTime && !startTime) throw rpcErrors.missingElement('startTime', 'stopTime needs startTime');
    if (startTime && startTime.getTime() > now) throw rpcErrors.badElement('startTime', 'startTime is in the future');
    if (startTime && stopTime && stopTime.getTime() < startTime.getTime()) throw rpcErrors.badElement('stopTime', 'stopTime is before startTime');
    const sub: Subscription = { sink, stream: params.stream, filter: params.filter, stopTime, timer: undefined, replaying: startTime !== undefined, held: [] };
    this.#subscriptions.set(sink.id, sub);
    return () => {
      if (this.#subscriptions.get(sink.id) !== sub) return;
      if (startTime) {
        for (const ev of this.#buffer) {
          if (ev.stream !== sub.stream || ev.time < startTime || (stopTime && ev.time > stopTime)) continue;
          this.#deliver(sub, ev);
        }
        sub.replaying = false;
        sink.deliverNotification(notificationXml(new Date(), `<replayComplete xmlns="${NETMOD_NOTIFICATION_NS}"/>`));
        for (const ev of sub.held) if (!stopTime || ev.time <= stopTime) this.#deliver(sub, ev);
        sub.held = [];
      }
      if (stopTime) {
        const wait = stopTime.getTime() - Date.now();
        if (wait <= 0) this.#complete(sub);
        else sub.timer = setTimeout(() => this.#complete(sub), wait);
      }
    };
  }

  /** End a session's subscription (its session closed). */
  unsubscribe(sessionId: number): void {
    const sub = this.#subscriptions.get(sessionId);
    if (!sub) return;
    clearTimeout(sub.timer);
    this.#subscriptions.delete(sessionId);
  }

  /**
   * Publish an event to a stream: kept for replay and sent to every matching subscription.
   * @param content - the event element(s), XML
   * @returns how many sessions it was sent to
   * @throws TypeError for an unknown stream or content that is not XML
   */
  publish(stream: string, content: string | XmlElement, time: Date = new Date()): number {
    if (!this.streams.has(stream)) throw new TypeError(`No such event stream: ${stream}`);
    const root = makeElement('notification', NOTIFICATION_NS, null);
    let source: XmlElement;
    try {
      source = typeof content === 'string' ? parseXml(`<event>${content.replace(/^\s*<\?xml[^>]*\?>/, '')}</event>`) : content;
    } catch (err) {
      throw new TypeError(`Invalid notification content: ${(err as Error).message}`);
    }
    const elements = typeof content === 'string' ? elementsOf(source) : [source];
    if (elements.length === 0) throw new TypeError('A notification needs an event element');
    for (const el of elements) appendChild(root, importElement(el, NOTIFICATION_NS));
    const ev: StoredEvent = { time, stream, root };
    this.#buffer.push(ev);
    if (this.#buffer.length > this.#capacity) this.#buffer.splice(0, this.#buffer.length - this.#capacity);
    let sent = 0;
    for (const sub of [...this.#subscriptions.values()]) {
      if (sub.stream !== stream) continue;
      if (sub.replaying) {
        sub.held.push(ev);
        continue;
      }
      if (sub.stopTime && time > sub.stopTime) continue;
      if (this.#deliver(sub, ev)) sent++;
    }
    return sent;
  }

  /** Clear every timer and subscription. */
  close(): void {
    for (const id of [...this.#subscriptions.keys()]) this.unsubscribe(id);
  }

  #deliver(sub: Subscription, ev: StoredEvent): boolean {
    let root = ev.root;
    if (sub.filter) {
      const selection = emptySelection();
      if (sub.filter.kind === 'subtree') subtreeSelect(root, sub.filter.nodes, selection);
      else for (const node of xpathSelect(root, sub.filter.select, sub.filter.namespaces)) selectWithAncestors(selection, node, root);
      if (selection.selected.size === 0) return false;
      root = buildSelection(root, selection);
    }
    sub.sink.deliverNotification(notificationXml(ev.time, serializeChildren(root, NOTIFICATION_NS)));
    return true;
  }

  #complete(sub: Subscription): void {
    if (this.#subscriptions.get(sub.sink.id) !== sub) return;
    this.unsubscribe(sub.sink.id);
    sub.sink.deliverNotification(notificationXml(new Date(), `<notificationComplete xmlns="${NETMOD_NOTIFICATION_NS}"/>`));
  }
}

/** A whole `<notification>` document. */
export function notificationXml(time: Date, content: string): string {
  return `<notification xmlns="${NOTIFICATION_NS}"><eventTime>${time.toISOString()}</eventTime>${content}</notification>`;
}

/** Who changed the configuration: a session, or the server itself (a confirmed-commit rollback). */
export type ChangedBy = { username: string; sessionId: number; sourceHost: string } | 'server';

/** The RFC 6470 `netconf-config-change` event element. */
export function configChangeEvent(changedBy: ChangedBy, datastore: DatastoreName, changes: readonly ConfigChange[], schema?: SchemaRegistry): string {
  let xml = `<netconf-config-change xmlns="${NC_NOTIFICATIONS_NS}"><changed-by>`;
  if (changedBy === 'server') xml += '<server/>';
  else xml += textElement('username', changedBy.username) + textElement('session-id', changedBy.sessionId) + textElement('source-host', changedBy.sourceHost);
  xml += `</changed-by>${textElement('datastore', datastore)}`;
  for (const change of changes) {
    const prefixes = new PrefixAllocator(schema);
    const path = formatPath(change.target, prefixes);
    let decls = '';
    for (const [prefix, uri] of Object.entries(prefixes.declarations())) decls += ` xmlns:${prefix}="${escapeXml(uri)}"`;
    xml += `<edit><target${decls}>${escapeText(path)}</target>${textElement('operation', change.operation)}</edit>`;
  }
  return `${xml}</netconf-config-change>`;
}
