import type { GetOptions, WithDefaultsMode } from '../../index.js';
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
