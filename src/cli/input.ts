/**
 * XML given to the command: from a file or stdin (`-`), or inline (`--filter`), checked to be
 * well-formed before anything is sent; and the filter options shared by get, get-config and
 * subscribe.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { parseXml, type Filter, type XmlElement } from '../index.js';
import type { OptionSpecs } from './command.js';
import type { Context } from './context.js';

/** Read a whole file, or stdin for `-`. */
export async function readSource(ctx: Context, source: string, what: string): Promise<string> {
  if (source === '-') {
    if (ctx.stdin.isTTY) ctx.log.info(`reading ${what} from the terminal: end with Ctrl-D`);
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(source, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw ctx.usage(`cannot read ${what} ${source}: ${why}`);
  }
}

/**
 * Check that `text` is well-formed XML (one or more elements: a fragment is allowed) and return
 * it without byte-order mark and XML declaration. The elements, parsed, come along.
 */
export function checkXml(ctx: Context, text: string, what: string): { text: string; elements: XmlElement[] } {
  const clean = text.replace(/^\uFEFF/, '').replace(/^\s*<\?xml[^>]*\?>/, '').trim();
  if (clean === '') throw ctx.usage(`${what} is empty`);
  let wrapper: XmlElement;
  try {
    wrapper = parseXml(`<netconf-cli-input>${clean}</netconf-cli-input>`);
  } catch (err) {
    throw ctx.usage(`${what} is not well-formed XML: ${(err as Error).message.replace(/^Malformed XML: /, '')}`);
  }
  if (wrapper.text.trim() !== '') throw ctx.usage(`${what} has text outside of any element`);
  const elements = wrapper.elements;
  if (elements.length === 0) throw ctx.usage(`${what} has no XML element`);
  return { text: clean, elements };
}

/** The filter options of get, get-config and subscribe. */
export const FILTER_OPTIONS: OptionSpecs = {
  filter: { type: 'string', value: 'XML', help: 'subtree filter: the XML to match (or a whole <filter> element)' },
  'filter-file': { type: 'string', value: 'FILE', help: 'subtree filter read from FILE (- for stdin)' },
  xpath: { type: 'string', value: 'EXPR', help: 'XPath filter (the server needs :xpath)' },
  ns: { type: 'string', multiple: true, value: 'PREFIX=URI', help: 'namespace of a prefix used in --xpath (repeatable)' },
};

/** Read and check the filter options (before connecting): undefined when none is given. */
export async function readFilter(ctx: Context): Promise<Filter | undefined> {
  const inline = ctx.string('filter');
  const file = ctx.string('filter-file');
  const xpath = ctx.string('xpath');
  const given = [inline !== undefined && '--filter', file !== undefined && '--filter-file', xpath !== undefined && '--xpath'].filter(Boolean);
  if (given.length > 1) throw ctx.usage(`${given.join(' and ')} cannot be used together: give one filter`);
  const ns = ctx.list('ns');
  if (ns.length > 0 && xpath === undefined) throw ctx.usage('--ns applies to --xpath only');
  if (inline !== undefined) return { subtree: checkXml(ctx, inline, 'the --filter value').text };
  if (file !== undefined) return { subtree: checkXml(ctx, await readSource(ctx, file, 'the filter file'), `the filter file ${file}`).text };
  if (xpath === undefined) return undefined;
  if (xpath.trim() === '') throw ctx.usage('--xpath needs an expression');
  const namespaces: Record<string, string> = {};
  for (const item of ns) {
    const eq = item.indexOf('=');
    const prefix = item.slice(0, eq);
    if (eq <= 0 || !/^[A-Za-z_][\w.-]*$/.test(prefix) || eq === item.length - 1) throw ctx.usage(`--ns must be PREFIX=URI, got '${item}'`);
    namespaces[prefix] = item.slice(eq + 1);
  }
  const undeclared = xpathPrefixes(xpath).filter((p) => !(p in namespaces));
  if (undeclared.length > 0) {
    ctx.log.warn(`--xpath uses the prefix${undeclared.length > 1 ? 'es' : ''} ${undeclared.join(', ')} without --ns ${undeclared[0] as string}=URI: the server will likely reject the filter`);
  }
  return { xpath, namespaces };
}


/** The namespace prefixes an XPath expression uses (outside string literals; axes `name::` are not prefixes). */
export function xpathPrefixes(xpath: string): string[] {
  const bare = xpath.replace(/"[^"]*"|'[^']*'/g, '""').replace(/::/g, ' ');
  const out = new Set<string>();
  for (const m of bare.matchAll(/(?<![\w.:-])([A-Za-z_][\w.-]*):(?=[A-Za-z_*])/g)) out.add(m[1] as string);
  return [...out];
}
