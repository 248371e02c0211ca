import type { Capabilities } from '../transport/capabilities.js';
import { MissingCapabilityError } from '../rpc/errors.js';

/** Throw {@link MissingCapabilityError} unless the server advertises `capability`. */
export function requireCapability(caps: Capabilities, capability: string, what: string): void {
  if (!caps.has(capability)) throw new MissingCapabilityError(capability, what);
}

/**
 * Throw unless the server implements the YANG module (namespace `ns`, name `module`): advertised
 * in the hello (RFC 6020 style), or not knowable from the hello because the server uses YANG
 * library 1.1 (RFC 8526), in which case the server is given the benefit of the doubt.
 */
export function requireModule(caps: Capabilities, ns: string, module: string, what: string): void {
  if (caps.has(ns) || caps.modules().has(module) || caps.has('urn:ietf:params:netconf:capability:yang-library:1.1')) return;
  throw new MissingCapabilityError(`${ns}?module=${module}`, what);
}
