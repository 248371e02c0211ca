/**
 * The data-definition pass: container, list, leaf, leaf-list, choice/case (with the shorthand
 * case), anydata/anyxml, rpc/action with input/output, notification, and `uses` (delegated to
 * compile-groupings.ts) → mutable schema nodes. Nodes whose if-feature is false are not created.
 */
import { childScope, fail, newNode, type CompileState, type MNode, type ModuleCtx, type Scope } from './compile-context.js';
import { ifFeaturesTrue } from './compile-features.js';
import { expandUses } from './compile-groupings.js';
import type { TypeResolver } from './compile-types.js';
import { subArgument, substatement, substatements } from './parser.js';
import type { SchemaNodeKind } from './schema.js';
import type { Statement } from './statement.js';

/** Where a data definition is being compiled. */
export interface TreeCtx {
  /** The lexical scope (typedefs, groupings, prefixes of the file the text is in). */
  readonly scope: Scope;
  /** The module whose namespace the new nodes are in (augmenting module, uses site's module). */
  readonly module: ModuleCtx;
  /** Groupings being expanded around this point (to refuse a grouping that uses itself). */
  readonly groupings: readonly Statement[];
  /** Statement nesting including expanded groupings, bounded to keep the stack safe. */
  readonly depth: number;
}

/** Deepest nesting of schema nodes (through groupings) accepted. */
const MAX_DEPTH = 400;

/** Statements that become schema nodes. */
const NODE_KINDS = new Set<string>(['container', 'list', 'leaf', 'leaf-list', 'choice', 'case', 'anydata', 'anyxml', 'rpc', 'action', 'notification', 'input', 'output']);

/** Builds schema nodes from statements. */
export class TreeBuilder {
  constructor(
    readonly state: CompileState,
    readonly types: TypeResolver,
  ) {}

  /**
   * Compiles the data-definition substatements of `stmt` (and `uses`) as children of `parent`,
   * appending them to `out`. Under a choice, a non-case node is wrapped in its shorthand case.
   */
  children(stmt: Statement, parent: MNode | undefined, ctx: TreeCtx, out: MNode[]): void {
    for (const s of stmt.substatements) this.definition(s, parent, ctx, out);
  }

  /** Compiles one statement if it defines nodes (others are ignored here). */
  definition(s: Statement, parent: MNode | undefined, ctx: TreeCtx, out: MNode[]): void {
    if (s.keyword === 'uses') {
      expandUses(this, s, parent, ctx, out);
      return;
    }
    if (!NODE_KINDS.has(s.keyword)) return;
    if (s.keyword === 'input' || s.keyword === 'output') return; // made by the rpc/action itself
    if (s.keyword === 'case' && parent?.kind !== 'choice') fail('"case" outside a choice', s);
    if (s.keyword === 'rpc' && parent) fail('"rpc" is only allowed at the top of a module; use "action"', s);
    const enabled = ifFeaturesTrue(s, ctx.scope.file);
    let top: MNode;
    if (parent?.kind === 'choice' && s.keyword !== 'case') {
      // The shorthand case (RFC 7950 §7.9.2): an implicit case named after the node.
      // The node's if-feature stays on the node: libyang keeps the (then empty) case.
      top = newNode('case', s.argument!, ctx.module, parent, s.loc);
      this.state.info.set(top, { config: undefined, scope: ctx.scope, ownDefault: false });
      const inner = this.node(s, top, ctx);
      if (!enabled) this.disable(inner);
      top.children.push(inner);
    } else {
      top = this.node(s, parent, ctx);
      if (!enabled) this.disable(top);
    }
    out.push(top);
  }

  /** Marks a node as removed by an if-feature (see {@link NodeInfo.disabled}). */
  disable(node: MNode): void {
    this.state.info.get(node)!.disabled = true;
  }

  /** Compiles one node statement (its if-feature already checked). */
  node(s: Statement, parent: MNode | undefined, ctx: TreeCtx): MNode {
    if (ctx.depth > MAX_DEPTH) fail(`schema nested deeper than ${MAX_DEPTH} levels`, s);
    const kind = s.keyword as SchemaNodeKind;
    const scope = childScope(ctx.scope, s);
    const file = scope.file;
    const node = newNode(kind, s.argument ?? kind, ctx.module, parent, s.loc);
    const config = boolArg(substatement(s, 'config'));
    this.state.info.set(node, { config, scope, ownDefault: false });
    this.common(s, node, scope);

    switch (kind) {
      case 'container':
        node.presence = subArgument(s, 'presence');
        break;
      case 'leaf':
      case 'leaf-list':
        this.leaf(s, node, scope);
        break;
      case 'list': {
        const key = subArgument(s, 'key');
        node.keys = key === undefined ? [] : key.trim().split(/\s+/).map((k) => k.slice(k.indexOf(':') + 1));
        node.unique = substatements(s, 'unique').map((u) => u.argument!.trim().split(/\s+/));
        this.elements(s, node);
        break;
      }
      case 'choice': {
        node.mandatory = boolArg(substatement(s, 'mandatory')) ?? false;
        const dflt = subArgument(s, 'default');
        if (dflt !== undefined) node.defaults = [dflt];
        break;
      }
      case 'anydata':
      case 'anyxml':
        node.mandatory = boolArg(substatement(s, 'mandatory')) ?? false;
        break;
      default:
        break;
    }

    const inner: TreeCtx = { scope, module: ctx.module, groupings: ctx.groupings, depth: ctx.depth + 1 };
    if (kind === 'rpc' || kind === 'action') {
      // Input and output always exist, so that augments can target them and codecs find them.
      for (const io of ['input', 'output'] as const) {
        const ioStmt = substatement(s, io);
        const ioNode = newNode(io, io, ctx.module, node, ioStmt?.loc ?? s.loc);
        const ioScope = ioStmt ? childScope(scope, ioStmt) : scope;
        this.state.info.set(ioNode, { config: undefined, scope: ioScope, ownDefault: false });
        if (ioStmt) {
          this.common(ioStmt, ioNode, ioScope);
          this.children(ioStmt, ioNode, { ...inner, scope: ioScope }, ioNode.children);
        }
        node.children.push(ioNode);
      }
    } else if (kind === 'choice') {
      this.children(s, node, inner, node.children);
      const dflt = node.defaults[0];
      if (dflt !== undefined && !node.children.some((c) => c.name === dflt)) fail(`default case "${dflt}" not found in choice "${node.name}"`, substatement(s, 'default'));
    } else if (kind !== 'leaf' && kind !== 'leaf-list' && kind !== 'anydata' && kind !== 'anyxml') {
      this.children(s, node, inner, node.children);
    }
    return node;
  }

  /** description, status, when, must, extensions: shared by every node kind. */
  common(s: Statement, node: MNode, scope: Scope): void {
    for (const sub of s.substatements) {
      switch (sub.keyword) {
        case 'description':
          node.description = sub.argument;
          break;
        case 'status':
          if (sub.argument !== 'current' && sub.argument !== 'deprecated' && sub.argument !== 'obsolete') fail(`invalid status "${sub.argument}"`, sub);
          node.status = sub.argument;
          break;
        case 'when':
          node.when.push(sub.argument!);
          break;
        case 'must':
          node.must.push(sub.argument!);
          break;
        default:
          if (sub.keyword.includes(':')) {
            checkExtension(sub, scope);
            node.extensions.push(sub);
          }
      }
    }
  }

  /** Type, default(s), units, mandatory, min/max-elements, ordered-by of a leaf or leaf-list. */
  private leaf(s: Statement, node: MNode, scope: Scope): void {
    const typeStmt = substatement(s, 'type');
    if (!typeStmt) fail(`${s.keyword} "${s.argument}" has no type`, s);
    const t = this.types.nodeType(typeStmt, scope, node);
    node.type = t.type;
    node.units = subArgument(s, 'units') ?? t.units;
    const defaults = substatements(s, 'default').map((d) => d.argument!);
    if (s.keyword === 'leaf') {
      if (defaults.length > 1) fail('a leaf has at most one default', substatements(s, 'default')[1]!);
      node.mandatory = boolArg(substatement(s, 'mandatory')) ?? false;
      if (node.mandatory && defaults.length > 0) fail(`leaf "${node.name}" is mandatory and has a default`, s);
    } else {
      if (defaults.length > 0 && !scope.file.yang11) fail('leaf-list defaults need YANG 1.1', substatement(s, 'default'));
      this.elements(s, node);
    }
    this.state.info.get(node)!.ownDefault = defaults.length > 0;
    if (defaults.length > 0) node.defaults = defaults;
    else if (t.default !== undefined && !node.mandatory && node.minElements === 0) node.defaults = [t.default];
  }

  /** min-elements, max-elements, ordered-by of a list or leaf-list. */
  private elements(s: Statement, node: MNode): void {
    const min = substatement(s, 'min-elements');
    if (min) node.minElements = count(min);
    const max = substatement(s, 'max-elements');
    if (max) node.maxElements = max.argument === 'unbounded' ? Infinity : count(max);
    if (node.minElements > node.maxElements) fail('min-elements is greater than max-elements', min);
    const ordered = substatement(s, 'ordered-by');
    if (ordered) {
      if (ordered.argument !== 'user' && ordered.argument !== 'system') fail(`invalid ordered-by "${ordered.argument}"`, ordered);
      node.orderedBy = ordered.argument;
    }
  }
}

/** The value of a `true`/`false` statement (config, mandatory …), undefined when absent. */
export function boolArg(s: Statement | undefined): boolean | undefined {
  if (!s) return undefined;
  if (s.argument !== 'true' && s.argument !== 'false') fail(`invalid ${s.keyword} "${s.argument}": expected true or false`, s);
  return s.argument === 'true';
}

/** A non-negative integer argument (min-elements, max-elements). */
export function count(s: Statement): number {
  if (!/^\d+$/.test(s.argument!)) fail(`invalid ${s.keyword} "${s.argument}"`, s);
  return Number(s.argument);
}

/**
 * An extension statement must name an imported module's extension: the prefix is resolved and
 * the extension looked up (its content is not interpreted).
 */
export function checkExtension(s: Statement, scope: Scope): void {
  const colon = s.keyword.indexOf(':');
  const prefix = s.keyword.slice(0, colon);
  const module = scope.file.prefixes.get(prefix);
  if (!module) fail(`extension "${s.keyword}": prefix "${prefix}" is not the prefix of an imported module`, s);
  if (!module.extensionDefs.has(s.keyword.slice(colon + 1))) fail(`extension "${s.keyword}" is not defined in module "${module.name}"`, s);
}
