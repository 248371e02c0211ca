import type { CallOptions, RPCDispatcher } from '../rpc/dispatcher.js';
import type { RPCReply } from '../rpc/rpc-reply.js';
import { textElement } from './xml-fragments.js';

/** `<close-session>` (RFC 6241 §7.8): the server replies, then closes the session. */
export function closeSession(rpc: RPCDispatcher, options: CallOptions = {}): Promise<RPCReply> {
  return rpc.request('<close-session/>', options);
}

/** `<kill-session>` of another session (RFC 6241 §7.9). */
export function killSession(rpc: RPCDispatcher, sessionId: string | number, options: CallOptions = {}): Promise<RPCReply> {
  const id = String(sessionId);
  if (!/^[1-9][0-9]{0,9}$/.test(id) || Number(id) > 4294967295) return Promise.reject(new TypeError(`kill-session: invalid session-id ${JSON.stringify(id)}`));
  return rpc.request(`<kill-session>${textElement('session-id', id)}</kill-session>`, options);
}
