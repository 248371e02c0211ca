/**
 * When a failed attempt on a device is tried again, and after how long.
 *
 * The rule (see docs/fleet.md): an attempt that failed while *connecting* sent nothing, so it may
 * always be tried again when the failure can pass (refused, reset, timed out; not a host key or
 * authentication failure, which would fail the same way). An attempt that failed in the *task*
 * is tried again only when nothing in it changed the device (a read-only task) and the session
 * died under it; a task that sent a change is never retried: its outcome is `unknown` when the
 * session died after sending, `failed` when the device answered.
 * @module
 */
import {
  AuthenticationError,
  HelloError,
  MalformedMessageError,
  NetconfFramingError,
  RPCError,
  SessionCloseError,
  SSHConfigError,
  SSHUnknownHostError,
  TimeoutExpiredError,
  TLSError,
  TransportError,
  MissingCapabilityError,
} from '../index.js';
import { FleetAbortedError, FleetTimeoutError } from './errors.js';

/** Delays between attempts: exponential, with jitter, capped. Seconds. */
export interface BackoffOptions {
  /** Delay before the second attempt; default 0.5. */
  initial?: number;
  /** Multiplier per further attempt; default 2. */
  factor?: number;
  /** Longest delay; default 30. */
  max?: number;
  /** Random spread, as a fraction of the delay (0: none); default 0.2, so that a fleet does not retry in lockstep. */
  jitter?: number;
}

/** Seconds to wait after failed attempt number `attempt` (1-based). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initial ?? 0.5;
  const factor = options.factor ?? 2;
  const max = options.max ?? 30;
  const jitter = options.jitter ?? 0.2;
  const base = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  return Math.max(0, base * (1 + jitter * (2 * random() - 1)));
}

/**
 * Whether an error ends a session or a connection attempt in a way that may pass on a new try:
 * the connection refused, reset or timed out, the session closed. Not: host keys,
 * authentication, TLS certificates, a bad hello or framing (the device would do it again), an
 * rpc-error (the device answered), a missing capability, the run being stopped.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof FleetAbortedError) return false;
  if (error instanceof FleetTimeoutError || error instanceof TimeoutExpiredError) return true;
  if (error instanceof RPCError || error instanceof MissingCapabilityError) return false;
  if (error instanceof AuthenticationError || error instanceof SSHUnknownHostError || error instanceof SSHConfigError || error instanceof TLSError) return false;
  if (error instanceof HelloError || error instanceof NetconfFramingError || error instanceof MalformedMessageError) return false;
  if (error instanceof SessionCloseError) return true;
  return error instanceof TransportError;
}

/**
 * Whether an error means the session died (or no reply came) after something was sent, so that
 * the device's state after a change is unknown: the session closed, framing broke, no reply in
 * time, the run stopped. An `<rpc-error>` or a missing capability is an answer: not unknown.
 */
export function sessionLost(error: unknown): boolean {
  if (error instanceof RPCError || error instanceof MissingCapabilityError) return false;
  return error instanceof TransportError || error instanceof TimeoutExpiredError || error instanceof FleetTimeoutError || error instanceof FleetAbortedError;
}
