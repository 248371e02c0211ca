import type { GetDataOptions, GetOptions, NmdaDatastore, WithDefaultsMode } from '../../index.js';
import type { Command, OptionSpecs } from '../command.js';
import type { Context } from '../context.js';
import { FILTER_OPTIONS, readFilter } from '../input.js';
import { choice, datastore } from './shared.js';
import { printResult, YANG_JSON_HELP, YANG_OPTIONS } from '../yang-schema.js';

const WITH_DEFAULTS: readonly WithDefaultsMode[] = ['report-all', 'report-all-tagged', 'trim', 'explicit'];

const RETRIEVE_OPTIONS: OptionSpecs = {
  ...FILTER_OPTIONS,
  'with-defaults': { type: 'string', value: 'MODE', help: 'report-all, report-all-tagged, trim or explicit (RFC 6243; the server must support the mode)' },
  ...YANG_OPTIONS,
};

/** The options of get / get-config, read and checked before connecting. */
async function retrievalOptions(ctx: Context): Promise<GetOptions> {
  const options: GetOptions = { signal: ctx.signal };
  const filter = await readFilter(ctx);
  if (filter !== undefined) options.filter = filter;
  const withDefaults = choice(ctx, 'with-defaults', WITH_DEFAULTS);
  if (withDefaults !== undefined) options.withDefaults = withDefaults;
  return options;
}

const FILTER_HELP = `Filters: --filter XML or --filter-file FILE give a subtree filter (the elements
to match, or a whole <filter> element); --xpath EXPR an XPath filter, its prefixes
bound with --ns PREFIX=URI, e.g.
  --xpath /if:interfaces/if:interface --ns if=urn:ietf:params:xml:ns:yang:ietf-interfaces

Prints the content of <data>: each top-level element as standalone XML (feed it back
to edit-config), or JSON with --json, or the whole reply with --raw.

${YANG_JSON_HELP}`;

export const get: Command = {
  name: 'get',
  summary: 'retrieve running configuration and state data',
  usage: '[--filter XML | --filter-file FILE | --xpath EXPR [--ns PREFIX=URI]...]',
  description: `Sends <get>: configuration and state data.\n\n${FILTER_HELP}`,
  options: RETRIEVE_OPTIONS,
  args: { min: 0, max: 0 },
  async run(ctx) {
    const options = await retrievalOptions(ctx);
    const m = await ctx.connect();
    const reply = await ctx.rpc('get', () => m.get(options));
    await printResult(ctx, m, reply);
  },
};

export const getConfig: Command = {
  name: 'get-config',
  summary: 'retrieve a configuration datastore',
  usage: '[--source running|candidate|startup] [--filter XML | --filter-file FILE | --xpath EXPR [--ns PREFIX=URI]...]',
  description: `Sends <get-config> for the --source datastore (default running).\n\n${FILTER_HELP}`,
  options: {
    source: { type: 'string', value: 'DATASTORE', help: 'running (default), candidate or startup' },
    ...RETRIEVE_OPTIONS,
  },
  args: { min: 0, max: 0 },
  async run(ctx) {
    const source = datastore(ctx, 'source', 'running') ?? 'running';
    const options = await retrievalOptions(ctx);
    const m = await ctx.connect();
    const reply = await ctx.rpc('get-config', () => m.getConfig(source, options));
    await printResult(ctx, m, reply);
  },
};

const NMDA_DATASTORES: readonly NmdaDatastore[] = ['operational', 'running', 'candidate', 'startup', 'intended'];

/** An ietf-origin identity as given on the command line: `intended`, `or:learned`, `ietf-origin:system`. */
function origins(ctx: Context, option: string): string[] {
  return ctx.list(option).map((value) => {
    const name = value.replace(/^(or|ietf-origin):/, '');
    if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw ctx.usage(`--${option} takes an ietf-origin identity (intended, system, learned, default, unknown …), got '${value}'`);
    return name;
  });
}

export const getData: Command = {
  name: 'get-data',
  summary: 'retrieve an NMDA datastore (RFC 8526)',
  usage: '[--datastore operational|running|candidate|startup|intended] [--config-only | --state-only] [--origin ID]... [--not-origin ID]... [--max-depth N] [--with-origin] [filters]',
  description: `Sends <get-data> (RFC 8526; the server must implement ietf-netconf-nmda) for the
--datastore (default operational: configuration in use and state, as <get>).
--config-only and --state-only set the config filter; --origin and --not-origin keep
or drop nodes by ietf-origin identity (intended, system, learned, default, unknown;
repeatable); --with-origin reports each node's origin (operational only); --max-depth N
limits the depth of the subtrees returned.

${FILTER_HELP}`,
  options: {
    datastore: { type: 'string', value: 'DATASTORE', help: 'operational (default), running, candidate, startup or intended' },
    'config-only': { type: 'boolean', help: 'configuration only (config-filter true)' },
    'state-only': { type: 'boolean', help: 'state only (config-filter false)' },
    origin: { type: 'string', multiple: true, value: 'ID', help: 'only nodes of this origin (repeatable)' },
    'not-origin': { type: 'string', multiple: true, value: 'ID', help: 'only nodes of other origins (repeatable)' },
    'max-depth': { type: 'string', value: 'N', help: 'depth of the subtrees returned (1 or more)' },
    'with-origin': { type: 'boolean', help: 'report the origin of each node (operational datastore)' },
    ...RETRIEVE_OPTIONS,
  },
  args: { min: 0, max: 0 },
  async run(ctx) {
    const datastore = choice(ctx, 'datastore', NMDA_DATASTORES) ?? 'operational';
    const options: GetDataOptions = await retrievalOptions(ctx);
    if (ctx.flag('config-only') && ctx.flag('state-only')) throw ctx.usage('--config-only and --state-only cannot be used together');
    if (ctx.flag('config-only')) options.configFilter = true;
    if (ctx.flag('state-only')) options.configFilter = false;
    const only = origins(ctx, 'origin');
    const not = origins(ctx, 'not-origin');
    if (only.length > 0 && not.length > 0) throw ctx.usage('--origin and --not-origin cannot be used together (RFC 8526 allows one of them)');
    if (only.length > 0) options.originFilter = only;
    if (not.length > 0) options.negatedOriginFilter = not;
    const depth = ctx.string('max-depth');
    if (depth !== undefined) {
      if (!/^[1-9]\d{0,4}$/.test(depth) || Number(depth) > 65535) throw ctx.usage(`--max-depth must be a whole number from 1 to 65535, got '${depth}'`);
      options.maxDepth = Number(depth);
    }
    if (ctx.flag('with-origin')) {
      if (datastore !== 'operational') throw ctx.usage('--with-origin applies to --datastore operational only (RFC 8526)');
      options.withOrigin = true;
    }
    const m = await ctx.connect();
    const reply = await ctx.rpc('get-data', () => m.getData(datastore, options));
    await printResult(ctx, m, reply);
  },
};
