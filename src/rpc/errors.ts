import { NCClientError } from '../errors.js';

/** An operation could not be carried out (ncclient's `OperationError`). */
export class OperationError extends NCClientError {}

/**
 * The server lacks a capability the operation needs; raised before anything is sent.
 * `capability` names it (`:candidate`, `:xpath`, a module URI …).
 */
export class MissingCapabilityError extends OperationError {
  readonly capability: string;
  constructor(capability: string, what: string) {
    super(`${what} needs the server capability ${capability}, which it does not advertise`);
    this.capability = capability;
  }
}

/** No reply arrived within the RPC's timeout (ncclient's `TimeoutExpiredError`). */
export class TimeoutExpiredError extends OperationError {}

/** The RPC was aborted through its `AbortSignal` before a reply arrived. */
export class RPCAbortedError extends OperationError {}
