/**
 * TSDoc comments for generated TypeScript, from YANG `description` texts and the facts about a
 * node an editor's hover should show (type, units, default, config false, status).
 */
import type { SchemaNode, YangType } from './schema.js';

/**
 * The lines of a YANG description, ready for a comment: trailing blanks and the indentation
 * common to the lines after the first removed (YANG keeps the indentation of continuation lines
 * of single-quoted strings), leading and trailing empty lines dropped.
 */
export function descriptionLines(text: string | undefined): string[] {
  if (text === undefined) return [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  let common = Infinity;
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    common = Math.min(common, indent);
  }
  const out = lines.map((l, i) => (i > 0 && common !== Infinity ? l.slice(common) : l.trimStart()));
  while (out.length > 0 && out[0] === '') out.shift();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * A comment block: `lines` inside `/** … *\/`, each prefixed by `indent`. `*\/` in the text is
 * broken up so it cannot end the comment, and a line starting with `@` is escaped so TSDoc does
 * not take prose for a tag. Tag lines are passed in `tags` (not escaped).
 */
export function commentBlock(lines: readonly string[], indent: string, tags: readonly string[] = []): string[] {
  const body = lines.map((l) => {
    const safe = l.replace(/\*\//g, '*\\/');
    return /^\s*@/.test(safe) ? safe.replace('@', '\\@') : safe;
  });
  if (tags.length > 0) {
    if (body.length > 0) body.push('');
    body.push(...tags.map((t) => t.replace(/\*\//g, '*\\/')));
  }
  if (body.length === 0) return [];
  if (body.length === 1) return [`${indent}/** ${body[0]} */`];
  return [`${indent}/**`, ...body.map((l) => (l === '' ? `${indent} *` : `${indent} * ${l}`)), `${indent} */`];
}

/** How a type is named in the comment: its typedef when it has one, else the built-in type. */
function typeLabel(type: YangType): string {
  if (type.typedef !== undefined) return type.typedef;
  if (type.kind === 'leafref') return `leafref (${type.path})`;
  if (type.kind === 'union') return `union of ${type.types.map(typeLabel).join(', ')}`;
  if (type.kind === 'identityref') return `identityref (base ${type.bases.map((b) => `${b.module}:${b.name}`).join(', ')})`;
  if (type.kind === 'decimal64') return `decimal64 (fraction-digits ${type.fractionDigits})`;
  return type.kind;
}

/**
 * The one-line summary of what a data node is in YANG (`YANG leaf \`mtu\`, type \`uint16\`, units
 * octets …`); `inDatastore` says whether `config false` means something (not inside an RPC,
 * action or notification).
 */
export function nodeFacts(node: SchemaNode, inDatastore: boolean): string {
  const facts: string[] = [];
  let what = `YANG ${node.kind} \`${node.name}\``;
  if (node.module !== (node.parent?.module ?? '')) what += ` (module \`${node.module}\`)`;
  facts.push(what);
  if (node.type !== undefined) facts.push(`type \`${typeLabel(node.type)}\``);
  if (node.kind === 'list' && node.keys.length > 0) facts.push(`key \`${node.keys.join(' ')}\``);
  if (node.presence !== undefined) facts.push('presence container');
  if ((node.kind === 'list' || node.kind === 'leaf-list') && node.orderedBy === 'user') facts.push('ordered-by user');
  if (node.units !== undefined) facts.push(`units ${node.units}`);
  if (node.defaults.length > 0) facts.push(`default \`${node.defaults.join('`, `')}\``);
  if (node.mandatory) facts.push('mandatory');
  if (node.minElements > 0) facts.push(`min-elements ${node.minElements}`);
  if (node.maxElements !== Infinity && (node.kind === 'list' || node.kind === 'leaf-list')) facts.push(`max-elements ${node.maxElements}`);
  if (inDatastore && !node.config) facts.push('state data (config false)');
  return `${facts.join(', ')}.`;
}

/** The `@deprecated` tag of a node whose status is not current, none otherwise. */
export function statusTags(node: SchemaNode): string[] {
  return node.status === 'current' ? [] : [`@deprecated status ${node.status} in the YANG module.`];
}
