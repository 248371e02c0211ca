/**
 * `netconfkit/fleet`: one operation across many devices, from one process ({@link runFleet}) or
 * spread over worker processes on many machines through BullMQ on Redis
 * ({@link enqueueFleet}, {@link startFleetWorker}). Devices come from an {@link Inventory}
 * (YAML or JSON) or a list of targets. See the guide, docs/fleet.md.
 *
 * ```ts
 * import { Inventory, runFleet } from 'netconfkit/fleet';
 * const inventory = (await Inventory.load('inventory.yaml')).limit('core,r9*');
 * for await (const r of runFleet(inventory, async (m) => (await m.getConfig('running')).xml)) {
 *   console.log(r.name, r.outcome, r.ok ? r.value.length : r.error?.message);
 * }
 * ```
 *
 * BullMQ (and its Redis client) is loaded only when the queue functions are first called.
 * @packageDocumentation
 * @module netconfkit/fleet
 */
export { runFleet, type FleetProgress, type FleetTargets, type FleetTask, type FleetTaskContext, type RunFleetOptions } from './run-fleet.js';
export { Inventory, INVENTORY_OPTIONS, type InventoryOptions, type InventoryValues } from './inventory.js';
export { selectHosts, globToRegExp } from './limit.js';
export type { FleetDefaults, FleetTarget, FleetTargetInfo } from './target.js';
export { errorJson, errorType, redact, resultFromJson, resultToJson, type FleetErrorJson, type FleetOutcome, type FleetResult, type FleetResultJson } from './result.js';
export { backoffDelay, isTransient, sessionLost, type BackoffOptions } from './retry.js';
export { CHANGE_METHODS, guardChanges, type ChangeGuard, type FleetTaskKind } from './change-guard.js';
export { resolveTarget, type ResolvedTarget } from './connect-target.js';
export { ChangeOutcomeUnknownError, FleetAbortedError, FleetQueueError, FleetTimeoutError, InventoryError, LimitError, RemoteFleetError } from './errors.js';
export { enqueueFleet, type EnqueueFleetOptions, type FleetJobData } from './queue.js';
export { startFleetWorker, type FleetQueueTask, type FleetWorker, type FleetWorkerOptions } from './worker.js';
export { checkRedisUrl, DEFAULT_QUEUE_NAME, type FleetQueueOptions } from './redis-link.js';
