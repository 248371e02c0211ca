/**
 * `netconf yang convert`: XML ↔ RFC 7951 JSON offline, by the YANG modules of directories; and
 * `netconf yang fetch`: a device's modules into a directory as `name@revision.yang`.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generateTypeScript, jsonToXml, parseXml, xmlToJson, YangDataError, YangError, type JsonResult, type XmlElement, type YangSchema } from '../../index.js';
import { NETCONF_NS, NMDA_NS, NOTIFICATION_NS, YANG_NS } from '../../namespaces.js';
import type { Command } from '../command.js';
import type { Context } from '../context.js';
import { checkXml, readSource } from '../input.js';
import { prettyXml } from '../output.js';
import { directorySchema, featureOption, oneLine, sessionSchema } from '../yang-schema.js';

/** What a document holds, as the codec's `kind`. */
type Kind = 'data' | 'rpc' | 'reply' | 'notification';
const KINDS: readonly Kind[] = ['data', 'rpc', 'reply', 'notification'];
/** RESTCONF's JSON notification wrapper (RFC 8040 §6.4). */
const RESTCONF_NOTIFICATION = 'ietf-restconf:notification';

/** A document to convert: the elements or members, what they are, and what travels around them. */
interface XmlDocument {
  elements: XmlElement[];
  kind: Kind;
  eventTime?: string;
}

/** Whether `module:name` (JSON) or {namespace}name (XML) is a top-level RPC / notification of the schema. */
function topLevel(schema: YangSchema, what: 'rpcs' | 'notifications', module: { name?: string; namespace?: string }, name: string): boolean {
  const m = module.name !== undefined ? schema.modules.get(module.name) : schema.byNamespace.get(module.namespace ?? '');
  return m?.[what].some((n) => n.name === name) ?? false;
}

/**
 * The elements of an XML document and their kind: a data tree, a `<config>` / `<data>` wrapper, a
 * whole `<rpc-reply>` (its `<data>`, or with `--rpc` its output), a `<notification>`, an `<rpc>`
 * (its operation: an RPC or `<action>`), or a top-level RPC or notification element.
 */
function xmlDocument(ctx: Context, schema: YangSchema, elements: XmlElement[], type: Kind | undefined, rpc: string | undefined): XmlDocument {
  const only = elements.length === 1 ? elements[0] : undefined;
  if (only?.namespace === NETCONF_NS && only.local === 'rpc-reply') {
    const output = only.elements.filter((e) => !(e.namespace === NETCONF_NS && (e.local === 'rpc-error' || e.local === 'ok')));
    if (rpc !== undefined || type === 'reply') return { elements: output, kind: 'reply' };
    const data = only.elements.find((e) => e.local === 'data');
    if (data) return { elements: data.elements, kind: type ?? 'data' };
    throw ctx.usage('the <rpc-reply> has no <data>: name the RPC it answers with --rpc MODULE:NAME to convert its output');
  }
  if (only && (only.local === 'config' || only.local === 'data') && [NETCONF_NS, NMDA_NS, ''].includes(only.namespace)) {
    return { elements: only.elements, kind: type ?? 'data' };
  }
  if (only?.namespace === NOTIFICATION_NS && only.local === 'notification') {
    const eventTime = only.childText('eventTime', NOTIFICATION_NS)?.trim();
    const events = only.elements.filter((e) => !(e.local === 'eventTime' && e.namespace === NOTIFICATION_NS));
    return { elements: events, kind: 'notification', ...(eventTime !== undefined ? { eventTime } : {}) };
  }
  if (only?.namespace === NETCONF_NS && only.local === 'rpc') return { elements: only.elements, kind: 'rpc' };
  if (type) return { elements, kind: type };
  if (only && topLevel(schema, 'rpcs', { namespace: only.namespace }, only.local)) return { elements, kind: 'rpc' };
  if (only && topLevel(schema, 'notifications', { namespace: only.namespace }, only.local)) return { elements, kind: 'notification' };
  return { elements, kind: 'data' };
}

/** The kind of a JSON document when not given: an RPC or a notification by its member, else data. */
function jsonKind(schema: YangSchema, json: Record<string, unknown>): Kind {
  const keys = Object.keys(json);
  const split = (k: string): [string, string] => [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)];
  if (keys.length === 1 && keys[0]?.includes(':')) {
    const [module, name] = split(keys[0]);
    if (topLevel(schema, 'rpcs', { name: module }, name)) return 'rpc';
    if (topLevel(schema, 'notifications', { name: module }, name)) return 'notification';
  }
  return 'data';
}

/** XML text of top-level elements, pretty-printed, each standalone. */
function prettyElements(xml: string): string {
  const wrapper = parseXml(`<netconf-cli-output>${xml}</netconf-cli-output>`);
  return wrapper.elements.map((e) => `${prettyXml(e)}\n`).join('');
}

/** Run the conversion; a document the schema refuses: one line naming the data path, exit 1. */
function convertDocument(ctx: Context, schema: YangSchema, input: string, to: 'json' | 'xml' | undefined, type: Kind | undefined, rpc: string | undefined, what: string): number {
  const isJson = input.trimStart().startsWith('{');
  const target = to ?? (isJson ? 'xml' : 'json');
  try {
    if (!isJson) {
      const { elements } = checkXml(ctx, input, what);
      const doc = xmlDocument(ctx, schema, elements, type, rpc);
      if (target === 'xml') {
        // XML to XML: through JSON, which checks and normalizes it.
        const { json } = xmlToJson(schema, doc.elements, { kind: doc.kind, ...(rpc !== undefined ? { rpc } : {}) });
        return convertJson(ctx, schema, doc.eventTime === undefined ? json : { [RESTCONF_NOTIFICATION]: { eventTime: doc.eventTime, ...json } }, doc.kind, rpc);
      }
      const result: JsonResult = xmlToJson(schema, doc.elements, { kind: doc.kind, ...(rpc !== undefined ? { rpc } : {}) });
      const json = doc.eventTime === undefined ? result.json : { [RESTCONF_NOTIFICATION]: { eventTime: doc.eventTime, ...result.json } };
      ctx.out.text(JSON.stringify(json, null, 2));
      return 0;
    }
    let json: unknown;
    try {
      json = JSON.parse(input);
    } catch (err) {
      throw ctx.usage(`${what} is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw ctx.usage(`${what} is not a JSON object (RFC 7951: {"module:node": …})`);
    if (target === 'json') {
      // JSON to JSON: through XML, which checks and normalizes it.
      const kind = type ?? jsonKind(schema, json as Record<string, unknown>);
      const xml = jsonToXml(schema, json as Record<string, unknown>, { kind, ...(rpc !== undefined ? { rpc } : {}) });
      const elements = parseXml(`<netconf-cli-input>${xml}</netconf-cli-input>`).elements;
      ctx.out.text(JSON.stringify(xmlToJson(schema, elements, { kind, ...(rpc !== undefined ? { rpc } : {}) }).json, null, 2));
      return 0;
    }
    return convertJson(ctx, schema, json as Record<string, unknown>, type, rpc);
  } catch (err) {
    if (err instanceof YangDataError) {
      ctx.log.error(`${what} does not match the YANG modules: ${oneLine(err.message)}`);
      return 1;
    }
    throw err;
  }
}

/** JSON → XML on stdout (a RESTCONF notification wrapper becomes `<notification>` with its eventTime). */
function convertJson(ctx: Context, schema: YangSchema, json: Record<string, unknown>, type: Kind | undefined, rpc: string | undefined): number {
  const wrapped = json[RESTCONF_NOTIFICATION];
  if (Object.keys(json).length === 1 && typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped)) {
    const { eventTime, ...event } = wrapped as Record<string, unknown>;
    const xml = jsonToXml(schema, event, { kind: 'notification' });
    const time = typeof eventTime === 'string' ? `<eventTime>${eventTime.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</eventTime>` : '';
    ctx.out.text(prettyElements(`<notification xmlns="${NOTIFICATION_NS}">${time}${xml}</notification>`).trimEnd());
    return 0;
  }
  const kind = type ?? jsonKind(schema, json);
  let xml = jsonToXml(schema, json, { kind, ...(rpc !== undefined ? { rpc } : {}) });
  // An action goes inside <action> (RFC 7950 §7.15.2), as it is sent in an <rpc>.
  if (kind === 'rpc' && jsonKind(schema, json) !== 'rpc') xml = `<action xmlns="${YANG_NS}">${xml}</action>`;
  const text = prettyElements(xml);
  if (text !== '') ctx.out.text(text.trimEnd());
  return 0;
}

async function convert(ctx: Context): Promise<number> {
  const source = ctx.args[1];
  if (source === undefined) throw ctx.usage("yang convert needs a FILE (or - for stdin): 'netconf yang convert --yang-dir DIR --to json FILE'");
  if (ctx.list('yang-dir').length === 0) throw ctx.usage('yang convert needs the YANG modules: --yang-dir DIR (repeatable)');
  const toOption = ctx.string('to');
  if (toOption !== undefined && toOption !== 'json' && toOption !== 'xml') throw ctx.usage(`--to must be json or xml, got '${toOption}'`);
  const typeOption = ctx.string('type');
  if (typeOption !== undefined && !KINDS.includes(typeOption as Kind)) throw ctx.usage(`--type must be one of ${KINDS.join(', ')}, got '${typeOption}'`);
  const rpc = ctx.string('rpc');
  if (rpc !== undefined && !/^[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*$/.test(rpc)) throw ctx.usage(`--rpc must be MODULE:NAME, got '${rpc}'`);
  if (typeOption === 'reply' && rpc === undefined) throw ctx.usage('--type reply needs --rpc MODULE:NAME (the RPC it answers)');
  featureOption(ctx);
  const input = (await readSource(ctx, source, 'the document')).replace(/^\uFEFF/, '');
  if (input.trim() === '') throw ctx.usage(`${source === '-' ? 'the document on stdin' : `the file ${source}`} is empty`);
  const schema = directorySchema(ctx) as YangSchema;
  const what = source === '-' ? 'the document on stdin' : `the document ${source}`;
  return convertDocument(ctx, schema, input, toOption as 'json' | 'xml' | undefined, typeOption as Kind | undefined, rpc, what);
}

async function fetchModules(ctx: Context): Promise<number> {
  const host = ctx.args[1];
  if (host !== undefined) {
    if (ctx.values['host'] !== undefined) throw ctx.usage(`the server is given twice: '${host}' and --host ${String(ctx.values['host'])}`);
    ctx.values['host'] = host;
  }
  const dir = ctx.string('output') ?? '.';
  const cacheDir = ctx.string('yang-cache');
  await mkdir(dir, { recursive: true });
  const m = await ctx.connect();
  const found = await ctx.progress.track(
    'YANG modules',
    m.fetchModules({ signal: ctx.signal, ...(cacheDir !== undefined ? { cacheDir } : {}), onFetch: (name, revision) => ctx.log.debug(`get-schema ${name}${revision ? `@${revision}` : ''}`) }),
    undefined,
    false,
  );
  const written: Array<{ module: string; revision: string | null; file: string }> = [];
  for (const s of found.sources) {
    const file = join(dir, `${s.name}${s.revision ? `@${s.revision}` : ''}.yang`);
    await writeFile(file, s.text());
    written.push({ module: s.name, revision: s.revision ?? null, file });
  }
  for (const w of found.warnings) ctx.log.warn(w);
  if (ctx.out.mode === 'json') ctx.out.json(written);
  else for (const w of written) ctx.out.text(w.file);
  ctx.log.info(`wrote ${written.length} modules to ${dir} (${found.inventory.modules.length} listed by the device's ${found.inventory.source}; ${found.fetched.length} fetched with get-schema, ${found.cached.length} from the cache)`);
  return found.warnings.length > 0 ? 1 : 0;
}

/** `yang types`: TypeScript types of the RFC 7951 JSON of modules, from directories or the device. */
async function types(ctx: Context): Promise<number> {
  const modules = ctx.args.slice(1);
  let schema: YangSchema | undefined;
  if (ctx.flag('from-device')) {
    if (ctx.list('yang-dir').length !== 0) throw ctx.usage('yang types takes the modules from --yang-dir or from the device (--from-device), not both');
    schema = await sessionSchema(ctx, await ctx.connect(), true);
  } else {
    schema = directorySchema(ctx);
    if (schema === undefined) throw ctx.usage("yang types needs the YANG modules: --yang-dir DIR (repeatable), or --from-device --host HOST");
  }
  let text: string;
  try {
    text = generateTypeScript(schema as YangSchema, modules.length !== 0 ? { modules } : {});
  } catch (err) {
    if (err instanceof YangError) {
      ctx.log.error(oneLine(err.message));
      return 1;
    }
    throw err;
  }
  const file = ctx.string('output');
  if (file === undefined) process.stdout.write(text);
  else {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    ctx.log.info(`wrote ${file}`);
  }
  return 0;
}

export const yang: Command = {
  name: 'yang',
  summary: 'YANG: convert XML <-> RFC 7951 JSON offline; fetch a device\'s modules',
  usage: 'convert --yang-dir DIR [--yang-dir DIR]... [--features M:F,...] [--to json|xml] FILE|- | fetch [HOST] [-o DIR] | types (--yang-dir DIR... | --from-device) [-o FILE] [MODULE...]',
  description: `netconf yang convert --yang-dir DIR [--yang-dir DIR…] [--features MODULE:FEATURE,…] [--to json|xml] FILE|-
  Converts a document between XML and RFC 7951 JSON by the YANG modules of the
  directories (every module in them is loaded; no device involved). --features lists
  the enabled features (others are off, as yanglint -F); without it every feature is
  on. The input (FILE, or - for stdin) is XML or JSON (told by its first character);
  --to defaults to the other one. XML input: a data tree (one or more top-level
  elements), a <config> or <data> wrapper, a whole <rpc-reply> (its <data>; with
  --rpc MODULE:NAME its output), a <notification> (printed in RESTCONF's form
  {"ietf-restconf:notification": {"eventTime": …, …}}), an <rpc> or a top-level RPC
  element with its input, an action in <rpc><action xmlns="urn:ietf:params:xml:ns:yang:1">.
  JSON input: RFC 7951 data, an RPC ({"module:rpc": {input}}), a notification
  (RESTCONF's wrapper or the bare event). --type data|rpc|reply|notification says what
  the document is when it cannot be told. A document the modules refuse ends with exit
  status 1 and one line naming the offending node by its data path; modules that do not
  compile are a usage error (status 2).

netconf yang fetch [HOST] [-o DIR]
  Writes the device's YANG modules into DIR (default the current directory) as
  name@revision.yang: those its YANG library (RFC 8525 or RFC 7895) lists, else those of
  its hello, with their submodules and imports, fetched with <get-schema> (RFC 6022) or
  taken from the cache (--yang-cache DIR, default ~/.cache/netconfkit/yang; fetched
  modules are cached). Prints the files written (--json: a list). Exit status 1 when a
  module could not be fetched (the others are written).

netconf yang types --yang-dir DIR [--yang-dir DIR…] [--features …] [-o FILE] [MODULE…]
netconf yang types --from-device --host HOST [-o FILE] [MODULE…]
  Writes TypeScript types for the RFC 7951 JSON of the modules (every implemented
  module, or those named): for each module its data (e.g. IetfInterfaces) and an edit
  type without config false nodes (IetfInterfacesEdit), RPC input/output and
  notifications. To stdout, or to FILE (-o). The modules come from the directories, or,
  with --from-device, from the device (discovered, fetched, cached as for fetch). The
  output compiles under tsc --strict and is the same bytes for the same modules.`,
  options: {
    'yang-dir': { type: 'string', multiple: true, value: 'DIR', help: 'convert: directory of YANG modules, repeatable (every module loaded)' },
    features: { type: 'string', value: 'LIST', help: 'convert: enabled features MODULE:FEATURE,… (others off; default all)' },
    to: { type: 'string', value: 'FORMAT', help: 'convert: json or xml (default: the other one)' },
    type: { type: 'string', value: 'KIND', help: 'convert: data, rpc, reply or notification (default: told from the document)' },
    rpc: { type: 'string', value: 'MODULE:NAME', help: 'convert: the RPC a reply answers (its output is converted)' },
    output: { type: 'string', short: 'o', value: 'DIR|FILE', help: 'fetch: the directory to write the modules into (default .); types: the file (default stdout)' },
    'from-device': { type: 'boolean', help: "types: the device's modules (discovered and cached) instead of --yang-dir" },
    'yang-cache': { type: 'string', value: 'DIR', help: 'fetch: the module cache (default $NETCONFKIT_YANG_CACHE, else ~/.cache/netconfkit/yang)' },
  },
  args: { min: 1, max: 1000 },
  hostArgument: false,
  async run(ctx) {
    const sub = ctx.args[0];
    if (sub === 'types') return types(ctx);
    if (ctx.args.length > 2) throw ctx.usage(`yang ${String(sub)}: too many arguments`);
    if (sub === 'convert') return convert(ctx);
    if (sub === 'fetch') return fetchModules(ctx);
    throw ctx.usage(`unknown yang command '${String(sub)}': convert, fetch or types`);
  },
};
