import type { CallOptions, RPCDispatcher } from '../rpc/dispatcher.js';
import { requireCapability } from './capability-check.js';
import type { RPCReply } from '../rpc/rpc-reply.js';
import { textElement } from './xml-fragments.js';

/**
 * Options of `<commit>`. Here `timeout` is the *confirm-timeout* of a confirmed commit (RFC 6241
 * §8.4), so the time to wait for the reply is {@link rpcTimeout}.
 */
export interface CommitOptions {
  /** A confirmed commit (`:confirmed-commit`): rolled back unless confirmed in time. */
  confirmed?: boolean;
  /** Confirm-timeout in seconds (server default 600). */
  timeout?: number;
  /** Make the confirmed commit survive the session; confirm or cancel it later with this id (`:confirmed-commit:1.1`). */
  persist?: string;
  /** Confirm (or extend) a persistent confirmed commit made with `persist`. */
  persistId?: string;
  /** Seconds to wait for the reply (the `timeout` of every other call). */
  rpcTimeout?: number;
  signal?: AbortSignal;
}

/** `<commit>` the candidate (RFC 6241 §8.3, §8.4). */
export function commit(rpc: RPCDispatcher, options: CommitOptions = {}): Promise<RPCReply> {
  const caps = rpc.session.serverCapabilities;
  requireCapability(caps, ':candidate', 'commit');
  let body = '';
  if (options.confirmed) {
    requireCapability(caps, ':confirmed-commit', 'confirmed commit');
    body += '<confirmed/>';
    if (options.timeout !== undefined) {
      if (!Number.isInteger(options.timeout) || options.timeout <= 0) throw new TypeError(`commit: confirm timeout must be a positive whole number of seconds, got ${String(options.timeout)}`);
      body += textElement('confirm-timeout', options.timeout);
    }
    if (options.persist !== undefined) {
      requireCapability(caps, ':confirmed-commit:1.1', 'confirmed commit with persist');
      body += textElement('persist', options.persist);
    }
  } else if (options.timeout !== undefined || options.persist !== undefined) {
    throw new TypeError('commit: timeout and persist apply to a confirmed commit only (set confirmed: true)');
  }
  if (options.persistId !== undefined) {
    requireCapability(caps, ':confirmed-commit:1.1', 'commit with persist-id');
    body += textElement('persist-id', options.persistId);
  }
  return rpc.request(`<commit>${body}</commit>`, callOptions(options));
}

/** `<cancel-commit>` a pending confirmed commit (`:confirmed-commit:1.1`). */
export function cancelCommit(rpc: RPCDispatcher, persistId?: string, options: CallOptions = {}): Promise<RPCReply> {
  requireCapability(rpc.session.serverCapabilities, ':confirmed-commit:1.1', 'cancel-commit');
  const body = persistId === undefined ? '' : textElement('persist-id', persistId);
  return rpc.request(`<cancel-commit>${body}</cancel-commit>`, options);
}

/** `<discard-changes>`: reset the candidate to running (RFC 6241 §8.3.4.2). */
export function discardChanges(rpc: RPCDispatcher, options: CallOptions = {}): Promise<RPCReply> {
  requireCapability(rpc.session.serverCapabilities, ':candidate', 'discard-changes');
  return rpc.request('<discard-changes/>', options);
}

function callOptions(options: CommitOptions): CallOptions {
  const out: CallOptions = {};
  if (options.rpcTimeout !== undefined) out.timeout = options.rpcTimeout;
  if (options.signal !== undefined) out.signal = options.signal;
  return out;
}
