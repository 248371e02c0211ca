/**
 * Knowing whether a task changed a device: the {@link Manager} a task gets is wrapped so that the
 * methods that can change configuration (or do anything the client cannot classify: a raw
 * `rpc()`) mark the attempt as having sent a change before they send. The mark decides whether
 * the task may be retried (never once a change was sent) and, when the session dies, whether the
 * outcome is `unknown`.
 * @module
 */
import type { Manager } from '../index.js';

/**
 * How a task is classified:
 * - `auto` (default): by the Manager methods it calls ({@link CHANGE_METHODS} send a change);
 * - `read`: the caller vouches that the task never changes a device (retried like a read);
 * - `change`: every attempt counts as a change from its start (never retried once started).
 */
export type FleetTaskKind = 'auto' | 'read' | 'change';

/**
 * The Manager methods that send a change, or an RPC the client cannot classify (`rpc`,
 * `rpcStream`). `lock`, `unlock` and `validate` change no configuration and are not listed.
 */
export const CHANGE_METHODS: ReadonlySet<string> = new Set([
  'editConfig',
  'editData',
  'copyConfig',
  'deleteConfig',
  'commit',
  'cancelCommit',
  'discardChanges',
  'killSession',
  'rpc',
  'rpcStream',
]);

/** What the guard reports. */
export interface ChangeGuard {
  /** The manager to hand to the task. */
  readonly manager: Manager;
  /** Whether a change method was called. */
  readonly changeSent: boolean;
}

/**
 * Wrap `manager`: the change methods first await `beforeChange()` (a queue worker records the
 * mark in Redis there, so that a worker killed after sending is known), then mark, then send.
 * `rpcStream`, which returns a stream at once, marks without waiting.
 */
export function guardChanges(manager: Manager, kind: FleetTaskKind, beforeChange?: () => Promise<void>): ChangeGuard {
  let changeSent = kind === 'change';
  if (kind !== 'auto') return { manager, get changeSent() { return changeSent; } };
  const wrapped = new Map<PropertyKey, unknown>();
  const proxy = new Proxy(manager, {
    get(target, prop) {
      // The receiver is the manager itself: its private fields are not reachable through a proxy.
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(prop);
      if (fn) return fn;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof prop === 'string' && CHANGE_METHODS.has(prop)) {
        fn =
          prop === 'rpcStream'
            ? (...args: unknown[]) => {
                changeSent = true;
                void beforeChange?.().catch(() => undefined);
                return method.apply(target, args);
              }
            : async (...args: unknown[]) => {
                await beforeChange?.();
                changeSent = true;
                return method.apply(target, args);
              };
      } else {
        fn = method.bind(target);
      }
      wrapped.set(prop, fn);
      return fn;
    },
  });
  return {
    manager: proxy,
    get changeSent() {
      return changeSent;
    },
  };
}
