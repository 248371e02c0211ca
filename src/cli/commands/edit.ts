import { jsonToXml, YangDataError, type ConfigTarget, type Datastore, type EditConfigOptions, type HeldLock, type Manager, type YangSchema } from '../../index.js';
import type { Command } from '../command.js';
import type { Context } from '../context.js';
import { checkXml, readSource } from '../input.js';
import { directorySchema, oneLine, sessionSchema, YANG_OPTIONS } from '../yang-schema.js';
import { choice, COMMIT_OPTIONS, commitOptions, confirmedCommitHint, datastore } from './shared.js';

/** A JSON document: parsed (a usage error when it is not JSON, or not an object). */
function parseJsonInput(ctx: Context, text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw ctx.usage(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ctx.usage(`${what} is not a JSON object (RFC 7951: {"module:node": …})`);
  return value as Record<string, unknown>;
}

/** RFC 7951 JSON configuration → its XML by the schema; a usage error naming the data path when the schema refuses it. */
function jsonConfigText(ctx: Context, schema: YangSchema, json: Record<string, unknown>, what: string): string {
  try {
    return jsonToXml(schema, json, { kind: 'data' });
  } catch (err) {
    if (err instanceof YangDataError) throw ctx.usage(`${what} does not match the YANG modules: ${oneLine(err.message)}`);
    throw err;
  }
}

/** The edit-config target: `--target`, else candidate when the server has it, else running. */
function editTarget(m: Manager, given: Datastore | undefined): Datastore {
  return given ?? (m.serverCapabilities.has(':candidate') ? 'candidate' : 'running');
}

export const editConfig: Command = {
  name: 'edit-config',
  summary: 'change configuration from an XML file or stdin, optionally locked, validated and committed',
  usage: 'FILE|- [--target running|candidate] [--lock] [--validate] [--commit [--confirmed ...]]',
  description: `Sends <edit-config> with the configuration in FILE (- reads stdin): a <config> element
or its content (one or more elements, with their namespaces; nc:operation attributes
as you like). The XML is checked to be well-formed before anything is sent.

FILE may also be RFC 7951 JSON ({"ietf-interfaces:interfaces": {…}}, operations as
RFC 7952 metadata: "@": {"ietf-netconf:operation": "delete"}): it is converted to XML
by the YANG modules of --yang-dir DIR (repeatable; checked before connecting), else
by the device's own (fetched with <get-schema> and cached, see 'netconf get --help').
A document the modules refuse is an error naming the data path; nothing is sent.

The target is --target, else candidate when the server has :candidate, else running.

A safe change in one session:
  --lock      lock the target first (and running too, when --commit is given) and
              unlock at the end, whatever happens; if a step fails while the candidate
              is locked, its changes are discarded (<discard-changes>) before unlocking
  --validate  <validate> the target after the edit (needs :validate)
  --commit    <commit> afterwards (target candidate only); --confirmed,
              --confirm-timeout, --persist and --persist-id as for 'netconf commit'
Order: lock running, lock candidate, edit-config, validate, commit, unlock, unlock.
Each step is reported on stderr (not with --quiet); the first failing step ends the run
with its error. Without --lock the candidate is shared with other sessions and is left
as it is when a step fails.

Prints the reply to <edit-config> (ok) once every step succeeded.`,
  options: {
    target: { type: 'string', value: 'DATASTORE', help: 'running or candidate (default: candidate when the server has it)' },
    'default-operation': { type: 'string', value: 'OP', help: 'merge, replace or none' },
    'test-option': { type: 'string', value: 'OPT', help: 'test-then-set, set or test-only' },
    'error-option': { type: 'string', value: 'OPT', help: 'stop-on-error, continue-on-error or rollback-on-error' },
    lock: { type: 'boolean', help: 'hold a lock around the whole run (see above)' },
    validate: { type: 'boolean', help: 'validate the target after the edit' },
    commit: { type: 'boolean', help: 'commit the candidate afterwards' },
    ...COMMIT_OPTIONS,
    ...YANG_OPTIONS,
  },
  args: { min: 1, max: 1 },
  async run(ctx) {
    const target = datastore(ctx, 'target', undefined, ['running', 'candidate']);
    const options: EditConfigOptions = { signal: ctx.signal };
    const defaultOperation = choice(ctx, 'default-operation', ['merge', 'replace', 'none'] as const);
    const testOption = choice(ctx, 'test-option', ['test-then-set', 'set', 'test-only'] as const);
    const errorOption = choice(ctx, 'error-option', ['stop-on-error', 'continue-on-error', 'rollback-on-error'] as const);
    if (defaultOperation) options.defaultOperation = defaultOperation;
    if (testOption) options.testOption = testOption;
    if (errorOption) options.errorOption = errorOption;
    const commit = ctx.flag('commit');
    const commitOpts = commitOptions(ctx);
    if (!commit && ['confirmed', 'confirm-timeout', 'persist', 'persist-id'].some((o) => ctx.values[o] !== undefined)) {
      throw ctx.usage('--confirmed, --confirm-timeout, --persist and --persist-id go with --commit');
    }
    if (commit && target === 'running') throw ctx.usage('--commit commits the candidate: it cannot go with --target running');
    const source = ctx.args[0] as string;
    const what = source === '-' ? 'the configuration on stdin' : `the configuration file ${source}`;
    const input = (await readSource(ctx, source, 'the configuration')).replace(/^\uFEFF/, '');
    const json = input.trimStart().startsWith('{') ? parseJsonInput(ctx, input, what) : undefined;
    // JSON with --yang-dir is converted (and refused) before connecting; else with the device's modules.
    const offline = json ? directorySchema(ctx) : undefined;
    let text = json ? (offline ? jsonConfigText(ctx, offline, json, what) : '') : checkXml(ctx, input, what).text;

    const m = await ctx.connect();
    if (json && !offline) text = jsonConfigText(ctx, (await sessionSchema(ctx, m, true)) as YangSchema, json, what);
    const resolved = editTarget(m, target);
    if (commit && resolved !== 'candidate') throw ctx.usage('--commit needs the candidate datastore, which this server does not have (its target is running)');
    options.target = resolved;
    const locks: HeldLock[] = [];
    const lock = async (ds: ConfigTarget & string): Promise<void> => {
      locks.push(await ctx.progress.track(`lock ${ds}`, m.locked(ds, { signal: ctx.signal })));
      ctx.log.info(`locked ${ds}`);
    };
    let edited = false;
    try {
      if (ctx.flag('lock')) {
        if (commit && resolved === 'candidate') await lock('running');
        await lock(resolved);
      }
      edited = true;
      const reply = await ctx.rpc('edit-config', () => m.editConfig(text, options));
      const pending = resolved === 'candidate' && !commit ? " (not committed: run 'netconf commit', or edit with --commit)" : '';
      ctx.log.info(`edit-config of ${resolved}: ok${pending}`);
      if (ctx.flag('validate')) {
        await ctx.rpc('validate', () => m.validate(resolved, { signal: ctx.signal }));
        ctx.log.info(`validate ${resolved}: ok`);
      }
      if (commit) {
        await ctx.rpc('commit', () => m.commit(commitOpts));
        ctx.log.info(commitOpts.confirmed ? confirmedCommitHint(commitOpts) : 'commit: ok');
      }
      ctx.out.reply(reply);
    } catch (err) {
      if (edited && resolved === 'candidate' && locks.length > 0 && m.connected) {
        await m.discardChanges({ timeout: 10 }).then(
          () => ctx.log.info('discarded the changes in candidate'),
          () => ctx.log.warn('could not discard the changes in candidate'),
        );
      }
      throw err;
    } finally {
      for (const held of locks.reverse()) {
        await held.release();
        ctx.log.info(`unlocked ${held.target as string}`);
      }
    }
  },
};

export const validate: Command = {
  name: 'validate',
  summary: 'validate a datastore (default candidate)',
  usage: '[--source running|candidate|startup]',
  description: 'Sends <validate> for the --source datastore (default candidate). Needs :validate.',
  options: {
    source: { type: 'string', value: 'DATASTORE', help: 'candidate (default), running or startup' },
  },
  args: { min: 0, max: 0 },
  async run(ctx) {
    const source = datastore(ctx, 'source', 'candidate') ?? 'candidate';
    const m = await ctx.connect();
    ctx.out.reply(await ctx.rpc('validate', () => m.validate(source, { signal: ctx.signal })));
  },
};
