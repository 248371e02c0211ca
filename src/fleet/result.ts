/**
 * One device's result in a fleet run, and its JSON form (what the CLI prints and a queue
 * worker sends back).
 * @module
 */
import { RemoteFleetError } from './errors.js';

/**
 * How a device's task ended:
 * - `ok`: it succeeded;
 * - `failed`: it failed, and if it was a change, the device is known to be unchanged or to
 *   have answered (an `<rpc-error>` …);
 * - `unknown`: a change was sent and the session (or the worker) died before the reply: the
 *   device may or may not have applied it. Never retried automatically.
 */
export type FleetOutcome = 'ok' | 'failed' | 'unknown';

/** One device's result. */
export interface FleetResult<T = unknown> {
  /** The device's name. */
  name: string;
  /** Whether the task succeeded (`outcome === 'ok'`). */
  ok: boolean;
  /** See {@link FleetOutcome}. */
  outcome: FleetOutcome;
  /** The task's value, when it succeeded. */
  value?: T;
  /** Why it failed: the library's typed error (`SSHError`, `RPCError`, {@link FleetTimeoutError} …). */
  error?: Error;
  /** Whether the task sent a configuration change (an edit, commit, copy, delete, raw RPC …). */
  changeSent: boolean;
  /** When the first attempt started (ISO 8601). */
  startedAt: string;
  /** Milliseconds from the first attempt's start to the end, retries and their delays included. */
  durationMs: number;
  /** Attempts made (1 without retries). */
  attempts: number;
  /** With a queue: the worker that produced the result. */
  worker?: string;
}

/** An error as `{ type, message }`: its class name and message (what travels as JSON). */
export interface FleetErrorJson {
  /** The class name of the error (`SSHError`, `SessionCloseError`, `FleetTimeoutError` …). */
  type: string;
  message: string;
}

/** A {@link FleetResult} as JSON: `error` as `{ type, message }`. */
export interface FleetResultJson<T = unknown> {
  name: string;
  ok: boolean;
  outcome: FleetOutcome;
  result?: T;
  error?: FleetErrorJson;
  changeSent: boolean;
  startedAt: string;
  durationMs: number;
  attempts: number;
  worker?: string;
}

/** The class name of an error (a {@link RemoteFleetError} keeps the one of the worker). */
export function errorType(error: Error): string {
  if (error instanceof RemoteFleetError) return error.type;
  return error.name && error.name !== 'Error' ? error.name : error.constructor.name;
}

/** Replace every occurrence of a secret in `text` by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}

/** `{ type, message }` of an error, secrets removed. */
export function errorJson(error: Error, secrets: readonly string[] = []): FleetErrorJson {
  return { type: errorType(error), message: redact(error.message, secrets) };
}

/** The JSON form of a result (`value` as `result`, the error as `{ type, message }`). */
export function resultToJson<T>(result: FleetResult<T>, secrets: readonly string[] = []): FleetResultJson<T> {
  // Members in reading order: who, how it ended, what came of it, then the bookkeeping.
  const json: FleetResultJson<T> = { name: result.name, ok: result.ok, outcome: result.outcome } as FleetResultJson<T>;
  if (result.ok) json.result = result.value as T;
  if (result.error) json.error = errorJson(result.error, secrets);
  json.changeSent = result.changeSent;
  json.startedAt = result.startedAt;
  json.durationMs = result.durationMs;
  json.attempts = result.attempts;
  if (result.worker !== undefined) json.worker = result.worker;
  return json;
}

/** A result back from its JSON form; the error becomes a {@link RemoteFleetError} with its type. */
export function resultFromJson<T>(json: FleetResultJson<T>): FleetResult<T> {
  const result: FleetResult<T> = { name: json.name, ok: json.ok, outcome: json.outcome, changeSent: json.changeSent, startedAt: json.startedAt, durationMs: json.durationMs, attempts: json.attempts };
  if (json.ok) result.value = json.result as T;
  if (json.error) result.error = new RemoteFleetError(json.error.type, json.error.message);
  if (json.worker !== undefined) result.worker = json.worker;
  return result;
}
