import type { CallOptions, RPCDispatcher } from '../rpc/dispatcher.js';
import { requireCapability, requireModule } from './capability-check.js';
import { escapeXml } from '../xml/text.js';
import { filterXml, namespaceDeclarations, type Filter } from './filter.js';
import type { RPCReply } from '../rpc/rpc-reply.js';
import { OperationError } from '../rpc/errors.js';
import { textElement, xmlText, type XmlInput } from './xml-fragments.js';
import { NOTIFICATION_NS, SUBSCRIBED_NOTIFICATIONS_NS } from '../namespaces.js';

/** A time for a subscription: a Date, or an RFC 3339 string. */
export type EventTime = Date | string;

function time(value: EventTime, name: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`${name} is an invalid Date`);
    return value.toISOString();
  }
  return value;
}

/** Options of `<create-subscription>` (RFC 5277). */
export interface CreateSubscriptionOptions extends CallOptions {
  /** Event stream; the server's default (`NETCONF`) when absent. */
  stream?: string;
  filter?: Filter;
  /** Replay from this time (the stream must support replay). */
  startTime?: EventTime;
  stopTime?: EventTime;
}

/** `<create-subscription>` (RFC 5277, `:notification`). Notifications then arrive on the session. */
export function createSubscription(rpc: RPCDispatcher, options: CreateSubscriptionOptions = {}): Promise<RPCReply> {
  const caps = rpc.session.serverCapabilities;
  requireCapability(caps, ':notification', 'create-subscription');
  let body = '';
  if (options.stream !== undefined) body += textElement('stream', options.stream);
  if (options.filter !== undefined) body += filterXml(options.filter, caps, 'create-subscription');
  if (options.startTime !== undefined) body += textElement('startTime', time(options.startTime, 'startTime'));
  if (options.stopTime !== undefined) {
    if (options.startTime === undefined) throw new TypeError('create-subscription: stopTime needs startTime');
    body += textElement('stopTime', time(options.stopTime, 'stopTime'));
  }
  return rpc.request(`<create-subscription xmlns="${NOTIFICATION_NS}">${body}</create-subscription>`, options);
}


/** Options of `<establish-subscription>` (RFC 8639). */
export interface EstablishSubscriptionOptions extends CallOptions {
  /** Event stream; default `NETCONF`. */
  stream?: string;
  /** A subtree filter (XML) or `{ xpath }` (prefixes declared in `namespaces`). */
  filter?: XmlInput | { xpath: string; namespaces?: Record<string, string> };
  replayStartTime?: EventTime;
  stopTime?: EventTime;
}

/** What `establishSubscription` gives: the reply and the subscription's id. */
export interface EstablishedSubscription {
  id: string;
  reply: RPCReply;
}

/** `<establish-subscription>` (RFC 8639) where the server implements ietf-subscribed-notifications. */
export async function establishSubscription(rpc: RPCDispatcher, options: EstablishSubscriptionOptions = {}): Promise<EstablishedSubscription> {
  requireModule(rpc.session.serverCapabilities, SUBSCRIBED_NOTIFICATIONS_NS, 'ietf-subscribed-notifications', 'establish-subscription');
  let body = textElement('stream', options.stream ?? 'NETCONF');
  const { filter } = options;
  if (filter !== undefined) {
    if (typeof filter === 'object' && 'xpath' in filter) {
      body += `<stream-xpath-filter${namespaceDeclarations(filter.namespaces)}>${escapeXml(filter.xpath)}</stream-xpath-filter>`;
    } else {
      body += `<stream-subtree-filter>${xmlText(filter)}</stream-subtree-filter>`;
    }
  }
  if (options.replayStartTime !== undefined) body += textElement('replay-start-time', time(options.replayStartTime, 'replayStartTime'));
  if (options.stopTime !== undefined) body += textElement('stop-time', time(options.stopTime, 'stopTime'));
  const reply = await rpc.request(`<establish-subscription xmlns="${SUBSCRIBED_NOTIFICATIONS_NS}">${body}</establish-subscription>`, options);
  const id = reply.document.childText('id', SUBSCRIBED_NOTIFICATIONS_NS);
  if (!id) throw new OperationError('establish-subscription: the reply carries no subscription id');
  return { id, reply };
}

/** `<delete-subscription>` (RFC 8639) of a subscription of this session. */
export function deleteSubscription(rpc: RPCDispatcher, id: string | number, options: CallOptions = {}): Promise<RPCReply> {
  requireModule(rpc.session.serverCapabilities, SUBSCRIBED_NOTIFICATIONS_NS, 'ietf-subscribed-notifications', 'delete-subscription');
  return rpc.request(`<delete-subscription xmlns="${SUBSCRIBED_NOTIFICATIONS_NS}">${textElement('id', id)}</delete-subscription>`, options);
}
