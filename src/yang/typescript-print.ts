/**
 * The printer of generated TypeScript object types: members (with their comments), choices as
 * unions of their cases intersected with the members around them.
 */
import { commentBlock } from './typescript-doc.js';
import { memberKey } from './typescript-names.js';

/** The type of a member: a union of `parts`, or an array of it. */
export interface MemberType {
  readonly parts: readonly string[];
  readonly array: boolean;
}

/** One member of an object type. */
export interface Member {
  /** The JSON member name as written (`mtu`, `ietf-ip:ipv4`, `@mtu`). */
  readonly key: string;
  readonly type: MemberType;
  readonly optional: boolean;
  /** Comment text lines (empty: no comment). */
  readonly doc: readonly string[];
  /** TSDoc tag lines of the comment (`@deprecated …`). */
  readonly tags: readonly string[];
  /**
   * `key` is an index signature's parameter (`annotation: \`@${string}\``), printed in brackets:
   * every member whose name matches has the type.
   */
  readonly index?: boolean;
}

/** One alternative of a choice: the members of one case (and the others' as `never`). */
export interface Variant {
  /** `case NAME`, or a note such as `no case`. */
  readonly label: string;
  readonly shape: Shape;
}

/** A choice: its label (`choice NAME`) and its alternatives. */
export interface ChoiceUnion {
  readonly label: string;
  readonly variants: readonly Variant[];
}

/** An object type: its own members, intersected with one union per choice. */
export interface Shape {
  readonly members: readonly Member[];
  readonly choices: readonly ChoiceUnion[];
}

/** Every member key a shape may hold (its own and all its choices' cases'), first-seen order. */
export function shapeKeys(shape: Shape): string[] {
  const keys = new Set<string>();
  for (const m of shape.members) if (m.index !== true) keys.add(m.key);
  for (const c of shape.choices) for (const v of c.variants) for (const k of shapeKeys(v.shape)) keys.add(k);
  return [...keys];
}

/** Width beyond which a member's union is printed one alternative per line. */
const WIDTH = 110;

function renderMember(m: Member, indent: string): string {
  const head = m.index === true ? `${indent}[${m.key}]:` : `${indent}${memberKey(m.key)}${m.optional ? '?' : ''}:`;
  const single = m.type.parts.join(' | ');
  const text = m.type.array ? (m.type.parts.length > 1 ? `(${single})[]` : `${single}[]`) : single;
  if (m.type.parts.length < 2 || head.length + text.length + 2 <= WIDTH) return `${head} ${text};`;
  const lines = m.type.parts.map((p) => `${indent}    | ${p}`).join('\n');
  return m.type.array ? `${head} (\n${lines}\n${indent}  )[];` : `${head}\n${lines};`;
}

/** An object literal type; one with no members admits only `{}`. */
export function renderObject(members: readonly Member[], indent: string): string {
  if (members.length === 0) return '{ [member: string]: never }';
  const lines = ['{'];
  for (const m of members) lines.push(...commentBlock(m.doc, `${indent}  `, m.tags), renderMember(m, `${indent}  `));
  lines.push(`${indent}}`);
  return lines.join('\n');
}

function renderUnion(choice: ChoiceUnion, indent: string): string {
  const lines = ['('];
  lines.push(`${indent}  // ${choice.label}`);
  for (const v of choice.variants) {
    lines.push(`${indent}  // ${v.label}`);
    lines.push(`${indent}  | ${renderShape(v.shape, `${indent}    `)}`);
  }
  lines.push(`${indent})`);
  return lines.join('\n');
}

/** A shape as a type expression (its first line unindented, the following ones under `indent`). */
export function renderShape(shape: Shape, indent: string): string {
  const parts: string[] = [];
  if (shape.members.length > 0 || shape.choices.length === 0) parts.push(renderObject(shape.members, indent));
  for (const c of shape.choices) parts.push(renderUnion(c, indent));
  return parts.join(' & ');
}

/**
 * An exported declaration of `shape` named `name`: an interface when there is no choice (so
 * editors show the name, and it can be extended), a type alias of the intersection otherwise.
 */
export function renderDeclaration(name: string, shape: Shape, doc: readonly string[], tags: readonly string[] = []): string {
  const comment = commentBlock(doc, '', tags);
  const head = comment.length > 0 ? `${comment.join('\n')}\n` : '';
  if (shape.choices.length === 0) return `${head}export interface ${name} ${renderObject(shape.members, '')}`;
  return `${head}export type ${name} = ${renderShape(shape, '')};`;
}
