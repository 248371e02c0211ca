/**
 * Subtree filtering (RFC 6241 §6) over a normalised data tree, and the selection builder shared
 * with the XPath filter.
 *
 * Supported: namespace-aware matching (a filter node without a namespace, or in the NETCONF base
 * namespace, matches any namespace), containment nodes, selection nodes, content-match nodes (all
 * of a sibling set must match; alone they select the whole parent, with other siblings only
 * themselves plus what those select), several filter nodes matching the same data node (their
 * results are merged), and the empty filter selecting nothing. Not supported: attribute-match
 * expressions (filter attributes are ignored).
 * @module
 */
import { appendChild, cloneElement, elementsOf, isLeaf, shallowCopy } from './xml.js';
import { NETCONF_NS } from '../namespaces.js';
import type { XmlElement } from '../index.js';

/** Data nodes chosen by a filter: `selected` are copied whole, `included` are ancestors kept for them. */
export interface Selection {
  readonly selected: Set<XmlElement>;
  readonly included: Set<XmlElement>;
}

/** A new, empty selection. */
export function emptySelection(): Selection {
  return { selected: new Set(), included: new Set() };
}

/** Mark `node` selected and its ancestors (below `root`) included. */
export function selectWithAncestors(selection: Selection, node: XmlElement, root: XmlElement): void {
  selection.selected.add(node);
  for (let p = node.parent; p && p !== root; p = p.parent) selection.included.add(p);
}

/**
 * Copy of `root` holding only what `selection` chose, in document order: selected nodes whole,
 * included nodes with the chosen part of their children.
 */
export function buildSelection(root: XmlElement, selection: Selection): XmlElement {
  const copy = (node: XmlElement): XmlElement => {
    if (selection.selected.has(node)) return cloneElement(node);
    const out = shallowCopy(node);
    for (const c of elementsOf(node)) {
      if (selection.selected.has(c) || selection.included.has(c)) appendChild(out, copy(c));
    }
    return out;
  };
  const out = shallowCopy(root);
  for (const c of elementsOf(root)) {
    if (selection.selected.has(c) || selection.included.has(c)) appendChild(out, copy(c));
  }
  return out;
}

function matches(filterNode: XmlElement, data: XmlElement): boolean {
  if (filterNode.local !== data.local) return false;
  return filterNode.namespace === '' || filterNode.namespace === NETCONF_NS || filterNode.namespace === data.namespace;
}

function isContentMatch(f: XmlElement): boolean {
  return isLeaf(f) && f.text.trim() !== '';
}

/**
 * Apply filter node `f` to data node `d`. Marks what it selects; returns false when `d` is not
 * selected at all (a content match failed, or nothing below it was chosen).
 */
function applyFilterNode(f: XmlElement, d: XmlElement, selection: Selection): boolean {
  const fChildren = elementsOf(f);
  if (fChildren.length === 0) {
    if (isContentMatch(f) && d.textContent.trim() !== f.text.trim()) return false;
    selection.selected.add(d);
    return true;
  }
  const contentMatches = fChildren.filter(isContentMatch);
  const others = fChildren.filter((c) => !isContentMatch(c));
  const dChildren = elementsOf(d);
  const matchedContent: XmlElement[] = [];
  for (const cm of contentMatches) {
    const value = cm.text.trim();
    const hits = dChildren.filter((c) => matches(cm, c) && isLeaf(c) && c.text.trim() === value);
    if (hits.length === 0) return false;
    matchedContent.push(...hits);
  }
  if (others.length === 0) {
    selection.selected.add(d);
    return true;
  }
  const trial = emptySelection();
  let anything = matchedContent.length > 0;
  for (const c of matchedContent) trial.selected.add(c);
  for (const dc of dChildren) {
    for (const o of others) {
      if (!matches(o, dc)) continue;
      if (applyFilterNode(o, dc, trial)) anything = true;
    }
  }
  if (!anything) return false;
  for (const n of trial.selected) selection.selected.add(n);
  for (const n of trial.included) selection.included.add(n);
  selection.included.add(d);
  return true;
}

/**
 * Mark in `selection` what a subtree filter chooses among the children of `root`.
 * @param filterNodes - the children of the `<filter>` element
 */
export function subtreeSelect(root: XmlElement, filterNodes: readonly XmlElement[], selection: Selection = emptySelection()): Selection {
  for (const d of elementsOf(root)) {
    for (const f of filterNodes) if (matches(f, d)) applyFilterNode(f, d, selection);
  }
  return selection;
}

/** A copy of `root` reduced to what a subtree filter chooses. */
export function subtreeFilter(root: XmlElement, filterNodes: readonly XmlElement[]): XmlElement {
  return buildSelection(root, subtreeSelect(root, filterNodes));
}
