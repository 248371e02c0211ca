/**
 * How the simulator tells which configuration nodes are "the same" without a full YANG model:
 * list entries by their key leaves, leaf-list entries by value, everything else by name.
 *
 * In order: keys given in the options (`listKeys`), then what the YANG modules of `yangDir` say
 * (the compiled schema, by the element's position in the tree; else a light reading by name),
 * then a heuristic: an element with child elements is a list entry keyed by its child leaf
 * `name` when it has one; otherwise, when same-named siblings exist (on either side of a
 * comparison), by its first child element if that is a single leaf; otherwise it is a container,
 * matched by name alone. A leaf is a leaf-list entry when same-named siblings exist.
 *
 * So without `listKeys` or YANG, a list keyed by something other than `name` that has a single
 * entry on both sides is taken for a container: merging `<user><id>5</id>…</user>` into a
 * datastore holding only user 1 would change user 1.
 * @module
 */
import type { NodeKind, SchemaRegistry } from './schema.js';
import { childValue, elementsOf, isLeaf, sameTag } from './xml.js';
import type { XmlElement } from '../index.js';

/** Identifies configuration nodes. */
export class ListKeys {
  readonly #explicit: ReadonlyMap<string, readonly string[]>;
  readonly #schema: SchemaRegistry | undefined;
  readonly #resolve: ((node: XmlElement) => NodeKind | undefined) | undefined;

  /**
   * @param explicit - element (`local` or `{namespace}local`) → key leaf names; `[]` marks an
   *   element that is not a list entry
   * @param resolve - what a compiled schema says an element is (by its position in the tree),
   *   trusted before the light reading of `schema`
   */
  constructor(explicit: Readonly<Record<string, readonly string[]>> = {}, schema?: SchemaRegistry, resolve?: (node: XmlElement) => NodeKind | undefined) {
    this.#explicit = new Map(Object.entries(explicit));
    this.#schema = schema;
    this.#resolve = resolve;
  }

  #kind(node: XmlElement): NodeKind | undefined {
    return this.#resolve?.(node) ?? this.#schema?.kind(node.local);
  }

  /**
   * The key leaf names of a list entry, or undefined when `node` is not one.
   * @param otherParents - parents in the other tree of a comparison, whose same-named children
   *   count as siblings of `node` for the heuristic
   */
  keysOf(node: XmlElement, ...otherParents: Array<XmlElement | null | undefined>): readonly string[] | undefined {
    const explicit = this.#explicit.get(`{${node.namespace}}${node.local}`) ?? this.#explicit.get(node.local);
    if (explicit) return explicit.length > 0 ? explicit : undefined;
    const kind = this.#kind(node);
    if (kind) return kind.kind === 'list' && kind.keys.length > 0 ? kind.keys : undefined;
    const children = elementsOf(node);
    if (children.length === 0) return undefined;
    if (children.some((c) => c.local === 'name' && isLeaf(c))) return ['name'];
    const first = children[0] as XmlElement;
    if (!isLeaf(first) || children.filter((c) => sameTag(c, first)).length > 1) return undefined;
    return hasSiblings(node, [node.parent, ...otherParents]) ? [first.local] : undefined;
  }

  /**
   * The key leaf names of `node` when it is known to be a list entry: the options or the schema
   * say so, or it has same-named siblings (the heuristic alone is not trusted for a single
   * element, which may well be a container). Used to add keys to filtered output.
   */
  certainKeysOf(node: XmlElement): readonly string[] | undefined {
    const explicit = this.#explicit.get(`{${node.namespace}}${node.local}`) ?? this.#explicit.get(node.local);
    if (explicit || this.#kind(node)) return this.keysOf(node);
    return hasSiblings(node, [node.parent]) ? this.keysOf(node) : undefined;
  }

  /**
   * True when a leaf is a leaf-list entry: the schema says so, or same-named siblings exist in
   * `siblingsA` or `siblingsB` (the parents on both sides of a comparison).
   */
  isLeafList(node: XmlElement, ...parents: Array<XmlElement | null | undefined>): boolean {
    const kind = this.#kind(node);
    if (kind) return kind.kind === 'leaf-list';
    return hasSiblings(node, parents);
  }

  /**
   * The child of `parent` that `node` (from another tree) designates: same tag, and same keys for
   * a list entry or same value for a leaf-list entry.
   * @param exclude - children already matched, skipped
   */
  findMatch(parent: XmlElement, node: XmlElement, leafList: boolean, exclude?: ReadonlySet<XmlElement>): XmlElement | undefined {
    const candidates: XmlElement[] = [];
    for (const c of parent.children) if (typeof c !== 'string' && sameTag(c, node) && !exclude?.has(c)) candidates.push(c);
    if (candidates.length === 0) return undefined;
    if (isLeaf(node)) {
      if (!leafList) return candidates[0];
      const value = node.text.trim();
      return candidates.find((c) => isLeaf(c) && c.text.trim() === value);
    }
    const keys = this.keysOf(node, parent);
    if (!keys) return candidates[0];
    return candidates.find((c) =>
      keys.every((k) => {
        const wanted = childValue(node, k);
        return wanted === undefined || childValue(c, k) === wanted;
      }),
    );
  }
}

/** True when one of `parents` has more than one child with the tag of `node`. */
function hasSiblings(node: XmlElement, parents: ReadonlyArray<XmlElement | null | undefined>): boolean {
  for (const parent of parents) {
    if (!parent) continue;
    let count = 0;
    for (const c of parent.children) if (typeof c !== 'string' && sameTag(c, node) && ++count > 1) return true;
  }
  return false;
}
