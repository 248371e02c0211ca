import type { CallOptions, RPCDispatcher } from '../rpc/dispatcher.js';
import { targetXml, type ConfigTarget } from './datastore.js';
import type { RPCReply } from '../rpc/rpc-reply.js';

/** `<lock>` a datastore (RFC 6241 §7.5). A lock held elsewhere fails with RPCError tag `lock-denied`, `info['session-id']` naming the holder. */
export function lock(rpc: RPCDispatcher, target: ConfigTarget, options: CallOptions = {}): Promise<RPCReply> {
  return rpc.request(`<lock><target>${targetXml(target, rpc.session.serverCapabilities, 'lock')}</target></lock>`, options);
}

/** `<unlock>` a datastore (RFC 6241 §7.6). */
export function unlock(rpc: RPCDispatcher, target: ConfigTarget, options: CallOptions = {}): Promise<RPCReply> {
  return rpc.request(`<unlock><target>${targetXml(target, rpc.session.serverCapabilities, 'unlock')}</target></unlock>`, options);
}

/** A held lock: `release()` (or `await using`) unlocks, once, whatever happened meanwhile. */
export interface HeldLock extends AsyncDisposable {
  readonly target: ConfigTarget;
  /** Unlock; later calls do nothing. An unlock that fails (session gone) is not thrown. */
  release(): Promise<void>;
}

/** Lock `target` and return a handle that unlocks it. */
export async function acquireLock(rpc: RPCDispatcher, target: ConfigTarget, options: CallOptions = {}): Promise<HeldLock> {
  await lock(rpc, target, options);
  let released: Promise<void> | undefined;
  const release = (): Promise<void> => {
    released ??= rpc.session.connected
      ? unlock(rpc, target, { timeout: options.timeout ?? rpc.timeout }).then(
          () => undefined,
          () => undefined, // a lock dies with its session: nothing left to undo
        )
      : Promise.resolve();
    return released;
  };
  return { target, release, [Symbol.asyncDispose]: release };
}

/** Run `fn` with `target` locked; unlocks afterwards, whether `fn` succeeds or throws. */
export async function withLock<T>(rpc: RPCDispatcher, target: ConfigTarget, fn: () => Promise<T> | T, options: CallOptions = {}): Promise<T> {
  const held = await acquireLock(rpc, target, options);
  try {
    return await fn();
  } finally {
    await held.release();
  }
}
