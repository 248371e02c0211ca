/**
 * YANG schemas for the commands that print or read RFC 7951 JSON (`get`, `get-config`,
 * `subscribe` with `--json`; `edit-config` with a JSON file; `yang convert`): the options
 * (`--yang-dir`, `--features`, `--yang-cache`, `--no-yang`), compiling the directories or
 * discovering the device's modules (cached), and printing replies and notifications as RFC 7951
 * JSON with the warnings of lenient mode on stderr.
 * @module
 */
import {
  loadDirectorySchema,
  NOTIFICATION_NS,
  parseFeatureSpec,
  xmlToJson,
  YangError,
  type Manager,
  type Notification,
  type RPCReply,
  type YangSchema,
} from '../index.js';
import type { OptionSpecs } from './command.js';
import type { Context } from './context.js';

/** The options of the commands that can use YANG schemas. */
export const YANG_OPTIONS: OptionSpecs = {
  'yang-dir': { type: 'string', multiple: true, value: 'DIR', help: 'YANG modules (*.yang) to use instead of the device\'s, repeatable: every module in them is loaded' },
  features: { type: 'string', value: 'LIST', help: 'enabled features as MODULE:FEATURE,… (others off; default: the device\'s, with --yang-dir every feature)' },
  'yang-cache': { type: 'string', value: 'DIR', help: 'cache of the device\'s modules (default $NETCONFKIT_YANG_CACHE, else ~/.cache/netconfkit/yang)' },
  'no-yang': { type: 'boolean', help: 'with --json: the schema-less mapping (netconf help json), do not ask the device for its modules' },
};

/** Help text shared by the commands with {@link YANG_OPTIONS}. */
export const YANG_JSON_HELP = `With --json, data is printed as RFC 7951 JSON (module-qualified names, numbers,
booleans, [null] for empty …) by the YANG modules: from --yang-dir DIR (repeatable),
else the device's own (listed by its YANG library or hello, fetched with <get-schema>
once and cached by name@revision in --yang-cache DIR, default ~/.cache/netconfkit/yang).
Data the modules do not describe is kept as it is, with a warning on stderr. When no
schema can be had (the device serves none, or --no-yang), the schema-less mapping of
'netconf help json' is printed and stderr says so.`;

/** `--features` parsed (undefined when not given); a usage error when malformed. */
export function featureOption(ctx: Context): Map<string, string[]> | undefined {
  const spec = ctx.string('features');
  if (spec === undefined) return undefined;
  try {
    return parseFeatureSpec(spec);
  } catch (err) {
    throw ctx.usage(`--features: ${(err as Error).message}`);
  }
}

/** The one-line text of an error (YANG errors can carry a multi-line explanation). */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, '; ');
}

/** The schema of `--yang-dir` (every module of the directories), or undefined when none is given. */
export function directorySchema(ctx: Context): YangSchema | undefined {
  const dirs = ctx.list('yang-dir');
  if (dirs.length === 0) return undefined;
  const features = featureOption(ctx);
  try {
    return loadDirectorySchema(dirs, features);
  } catch (err) {
    if (err instanceof YangError) throw ctx.usage(`the YANG modules of --yang-dir do not compile: ${oneLine(err.message)}`);
    throw err;
  }
}

/**
 * The schema for a command's JSON: `--yang-dir`'s, else the device's (discovered, cached), else
 * undefined with a note on stderr (`--no-yang`, or the device's schemas cannot be had).
 * `required`: a usage error instead of undefined (JSON input needs a schema).
 */
export async function sessionSchema(ctx: Context, m: Manager, required = false): Promise<YangSchema | undefined> {
  const fromDirs = directorySchema(ctx);
  if (fromDirs) {
    m.schema = fromDirs;
    return fromDirs;
  }
  if (ctx.flag('no-yang')) {
    if (required) throw ctx.usage('JSON input needs the YANG modules: --no-yang cannot be used here');
    return undefined;
  }
  const cacheDir = ctx.string('yang-cache');
  const features = featureOption(ctx);
  try {
    const schema = await ctx.progress.track(
      'YANG modules',
      m.loadSchema({
        signal: ctx.signal,
        ...(cacheDir !== undefined ? { cacheDir } : {}),
        ...(features ? { features } : {}),
        onFetch: (name, revision) => ctx.log.debug(`get-schema ${name}${revision ? `@${revision}` : ''}`),
      }),
      undefined,
      false,
    );
    const found = m.schemaDiscovery;
    if (found) {
      for (const w of found.warnings) ctx.log.warn(w);
      ctx.log.info(`YANG: ${found.inventory.modules.length} modules listed by the device (${found.inventory.source}); ${found.fetched.length} fetched with get-schema, ${found.cached.length} from the cache`);
    }
    return schema;
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    const why = oneLine((err as Error).message);
    if (required) throw ctx.usage(`JSON input needs the device's YANG modules, which could not be loaded (${why}); give them with --yang-dir DIR`);
    ctx.log.warn(`the device's YANG modules could not be loaded (${why}): printing the schema-less JSON mapping ('netconf help json'); --yang-dir DIR gives the modules`);
    return undefined;
  }
}

/**
 * Print a reply's data as RFC 7951 JSON (lenient: warnings on stderr). When no module defines
 * any of the data's namespaces (a device whose modules do not describe its data), the schema has
 * nothing to say: the reply is printed with the schema-less mapping, which keeps every namespace
 * (with a note on stderr).
 */
export function printJsonReply(ctx: Context, reply: RPCReply, schema: YangSchema): void {
  const namespaces = new Set((reply.data?.elements ?? []).map((el) => el.namespace));
  const foreign = [...namespaces].filter((ns) => !schema.byNamespace.has(ns));
  if (foreign.length > 0 && foreign.length === namespaces.size) {
    ctx.log.warn(`no YANG module defines the namespace ${foreign.map((ns) => ns || '(none)').join(', ')} of the data: printing the schema-less JSON mapping ('netconf help json'); --yang-dir DIR gives the modules`);
    return ctx.out.reply(reply);
  }
  const { json, warnings } = reply.jsonResult({ schema, lenient: true });
  for (const w of warnings) ctx.log.warn(`the reply does not match the YANG modules: ${w}`);
  ctx.out.json(json);
}

/** Print a notification as one line of RFC 7951 JSON (RESTCONF's form; lenient). */
export function printJsonNotification(ctx: Context, n: Notification, schema: YangSchema): void {
  const events = n.document.elements.filter((el) => !(el.local === 'eventTime' && el.namespace === NOTIFICATION_NS));
  const { json, warnings } = xmlToJson(schema, events, { kind: 'notification', lenient: true });
  for (const w of warnings) ctx.log.warn(`the notification does not match the YANG modules: ${w}`);
  ctx.out.json({ 'ietf-restconf:notification': { eventTime: n.eventTime, ...json } }, true);
}

/**
 * Print an RPC's result: RFC 7951 JSON when `--json` and a schema can be had, otherwise as the
 * output mode says (with a note on stderr when --json falls back to the schema-less mapping).
 */
export async function printResult(ctx: Context, m: Manager, reply: RPCReply): Promise<void> {
  if (ctx.out.mode !== 'json') return ctx.out.reply(reply);
  const schema = await sessionSchema(ctx, m);
  if (schema) return printJsonReply(ctx, reply, schema);
  ctx.out.reply(reply);
}
