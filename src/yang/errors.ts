import { NCClientError } from '../errors.js';
import type { SourceLocation } from './statement.js';

/**
 * A YANG module that cannot be read or compiled: a syntax error, an unresolved import, include,
 * prefix, typedef, grouping, identity or augment target, an invalid restriction. The message starts
 * with `file:line:column`.
 */
export class YangError extends NCClientError {
  /** Where the problem is, when it is in a source text. */
  readonly loc: SourceLocation | undefined;
  /** A module another one needs and that no source provides (import, include, belongs-to). */
  readonly missingModule: string | undefined;

  constructor(message: string, loc?: SourceLocation, options: { missingModule?: string; cause?: unknown } = {}) {
    super(loc ? `${loc.file}:${loc.line}:${loc.column}: ${message}` : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'YangError';
    this.loc = loc;
    this.missingModule = options.missingModule;
  }
}

/**
 * Instance data that its schema refuses (in either direction: XML → JSON or JSON → XML): a value
 * its type refuses, an unknown member or element, a missing list key, a duplicate entry. `path` is
 * the RFC 7951-style data path of the offending node
 * (`/ietf-interfaces:interfaces/interface[name='eth0']/mtu`).
 */
export class YangDataError extends NCClientError {
  /** The data path of the offending node. */
  readonly path: string;

  constructor(message: string, path: string) {
    super(`${path}: ${message}`);
    this.name = 'YangDataError';
    this.path = path;
  }
}
