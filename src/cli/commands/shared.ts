/**
 * Option helpers shared by several commands: datastores, commit options.
 * @module
 */
import type { CommitOptions, Datastore } from '../../index.js';
import type { OptionSpecs } from '../command.js';
import type { Context } from '../context.js';
import { parseSeconds } from '../connection.js';

const DATASTORES: readonly Datastore[] = ['running', 'candidate', 'startup'];

/** A datastore option's value, checked (`allowed` narrows the choice). */
export function datastore(ctx: Context, option: string, fallback: Datastore | undefined, allowed: readonly Datastore[] = DATASTORES): Datastore | undefined {
  const value = ctx.string(option);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw ctx.usage(`--${option} must be ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')}, got '${value}'`);
  return value as Datastore;
}

/** One of a fixed set of words, or undefined. */
export function choice<T extends string>(ctx: Context, option: string, allowed: readonly T[]): T | undefined {
  const value = ctx.string(option);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw ctx.usage(`--${option} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

/** `--persist-id ID`: of commit and cancel-commit. */
export const PERSIST_ID_OPTION: OptionSpecs = {
  'persist-id': { type: 'string', value: 'ID', help: 'confirm (or extend, with --confirmed) the persistent confirmed commit ID' },
};

/** The options of a (confirmed) commit. */
export const COMMIT_OPTIONS: OptionSpecs = {
  confirmed: { type: 'boolean', help: 'confirmed commit: rolled back unless confirmed in time (needs :confirmed-commit)' },
  'confirm-timeout': { type: 'string', value: 'SECONDS', help: 'with --confirmed: seconds before the rollback (server default 600)' },
  persist: { type: 'string', value: 'ID', help: 'with --confirmed: make it survive this session; confirm or cancel it later with --persist-id ID' },
  ...PERSIST_ID_OPTION,
};

/** What to say after a confirmed commit. */
export function confirmedCommitHint(options: CommitOptions): string {
  const id = options.persist ?? options.persistId ?? 'ID';
  return `confirmed commit: ok; confirm it with 'netconf commit --persist-id ${id}' within ${options.timeout ?? 600} s (or 'netconf cancel-commit --persist-id ${id}'), or it is rolled back`;
}

/** Read the commit options, checked. */
export function commitOptions(ctx: Context): CommitOptions {
  const options: CommitOptions = { signal: ctx.signal };
  const confirmed = ctx.flag('confirmed');
  const timeout = ctx.string('confirm-timeout');
  const persist = ctx.string('persist');
  const persistId = ctx.string('persist-id');
  if (!confirmed && timeout !== undefined) throw ctx.usage('--confirm-timeout needs --confirmed');
  if (!confirmed && persist !== undefined) throw ctx.usage('--persist needs --confirmed');
  if (confirmed && persist === undefined && persistId === undefined) {
    // RFC 6241 §8.4: a confirmed commit without persist is rolled back when its session ends,
    // and the session of a netconf run ends with the command.
    throw ctx.usage('--confirmed needs --persist ID (or --persist-id ID to extend one): a confirmed commit without persist is rolled back when its session ends, that is when this command ends');
  }
  if (confirmed) options.confirmed = true;
  if (timeout !== undefined) {
    const seconds = parseSeconds(timeout, '--confirm-timeout', ctx.command);
    if (!Number.isInteger(seconds)) throw ctx.usage(`--confirm-timeout must be a whole number of seconds, got '${timeout}'`);
    options.timeout = seconds;
  }
  if (persist !== undefined) options.persist = persist;
  if (persistId !== undefined) options.persistId = persistId;
  return options;
}
