/**
 * The errors of fleet runs: each device's failure is one of these or the library's own error
 * (refused connection, host key, rpc-error …), carried in its {@link FleetResult}.
 * @module
 */
import { NCClientError } from '../errors.js';

/** The device did not finish within the run's per-device `timeout` (connecting and the task). */
export class FleetTimeoutError extends NCClientError {
  /** The per-device limit, in seconds. */
  readonly seconds: number;
  constructor(seconds: number) {
    super(`the device did not finish within ${seconds} s`);
    this.seconds = seconds;
  }
}

/** The run was stopped (its `signal` aborted) before or while the device was worked on. */
export class FleetAbortedError extends NCClientError {
  constructor(message = 'the fleet run was stopped') {
    super(message);
  }
}

/**
 * A change was sent and the session (or the worker running it) died before its outcome was
 * known: the device may or may not have applied it. Never retried automatically.
 */
export class ChangeOutcomeUnknownError extends NCClientError {}

/** An inventory file that cannot be read or used: its path and what is wrong. */
export class InventoryError extends NCClientError {}

/** A `--limit` expression or a selection that names nothing. */
export class LimitError extends NCClientError {}

/**
 * Redis could not be reached, or went away and did not come back: the queued run cannot go on.
 * Raised instead of waiting forever.
 */
export class FleetQueueError extends NCClientError {}

/**
 * An error that happened on another machine (a queue worker): its class name survives in
 * {@link RemoteFleetError.type}, its message in `message`.
 */
export class RemoteFleetError extends NCClientError {
  /** The name of the error class on the worker (`SSHError`, `RPCError` …). */
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}
