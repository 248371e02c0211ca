/**
 * TypeScript types from YANG: for each implemented module, the RFC 7951 JSON shape of its data
 * tree (config and state), of the edits that may be sent for it (config only, with RFC 7952
 * metadata for the NETCONF `operation` attribute), of its RPCs' and actions' input and output, and
 * of its notifications. The output is one self-contained `.ts` file that compiles under
 * `tsc --strict`, with the same bytes for the same schema.
 */
import { YangError } from './errors.js';
import { descriptionLines, nodeFacts, statusTags } from './typescript-doc.js';
import { TypeNames, pascalCase, quote } from './typescript-names.js';
import { renderDeclaration, shapeKeys, type ChoiceUnion, type Member, type Shape, type Variant } from './typescript-print.js';
import { IdentityTypes, leafTypeParts } from './typescript-types.js';
import type { CompiledModule, SchemaNode, YangSchema } from './schema.js';

/** Options of {@link generateTypeScript}. */
export interface TypeScriptOptions {
  /**
   * The modules to emit types for (by name; each must be implemented in the schema). Default:
   * every implemented module that has data nodes, RPCs or notifications. Nodes other modules
   * augment into these are included either way, with their module-qualified names.
   */
  readonly modules?: readonly string[];
}

/**
 * What a generated type describes, which decides what is in it:
 * - `data`: a datastore's content as the server reports it (config and state); mandatory nodes
 *   required, except state nodes inside config (absent from `<get-config>`);
 * - `edit`: content sent in an edit: config nodes only, only list keys required, RFC 7952
 *   metadata members allowed, identities of the leaf's own module also in their simple form;
 * - `input`: RPC or action input (sent: simple identity form allowed);
 * - `output`: RPC or action output, notification content.
 */
type Mode = 'data' | 'edit' | 'input' | 'output';

/** Where in the tree the members being collected are. */
interface Place {
  readonly mode: Mode;
  /** The name of the type being built, the base of its children's type names. */
  readonly typeName: string;
  /** The module of the data parent (undefined at the top: every member name is qualified). */
  readonly parentModule: string | undefined;
  /** Whether the data parent is config (the top of a datastore counts as config). */
  readonly parentConfig: boolean;
  /** The RFC 7951 path of the data parent (`/ietf-interfaces:interfaces/interface`), '' at the top. */
  readonly path: string;
  /** The list whose entry is being built, for its keys. */
  readonly list: SchemaNode | undefined;
  /** A `when` (on a node, a choice or a case) lies between the data parent and here. */
  readonly conditional: boolean;
}

/** An operation keyed by name or path in a module's operation map. */
interface OperationEntry {
  readonly key: string;
  readonly type: string;
  readonly doc: readonly string[];
  readonly tags: readonly string[];
}

/** The per-module output being assembled. */
interface ModuleOutput {
  readonly module: CompiledModule;
  readonly blocks: string[];
  readonly actions: OperationEntry[];
  readonly notifications: OperationEntry[];
  readonly rpcs: OperationEntry[];
  dataType: string | undefined;
  editType: string | undefined;
  rpcsType: string | undefined;
  notificationsType: string | undefined;
  actionsType: string | undefined;
}

/** The root names of a module's types, reserved before anything nested so they never get a suffix. */
interface RootNames {
  readonly data: string;
  readonly edit: string;
  readonly rpcs: string;
  readonly notifications: string;
  readonly actions: string;
}

const DATA_KINDS: ReadonlySet<string> = new Set(['container', 'list', 'leaf', 'leaf-list', 'anydata', 'anyxml']);

/** The `'ietf-netconf:operation'` values (RFC 6241 §7.2). */
const OPERATIONS = "'merge' | 'replace' | 'create' | 'delete' | 'remove'";

/** One run of {@link generateTypeScript}: the names handed out so far and the declarations. */
class Generator {
  readonly #names = new TypeNames();
  readonly #identities: IdentityTypes;
  /** Names of the metadata helper types, allocated when first used. */
  #annotations: string | undefined;
  #editMeta: string | undefined;
  #orderedListMeta: string | undefined;
  #orderedLeafListMeta: string | undefined;

  constructor(schema: YangSchema) {
    this.#identities = new IdentityTypes(schema, this.#names);
  }

  generate(modules: readonly CompiledModule[]): string {
    const roots = new Map<CompiledModule, RootNames>();
    for (const mod of modules) {
      const base = pascalCase(mod.name);
      roots.set(mod, {
        data: this.#names.allocate(base),
        edit: this.#names.allocate(`${base}Edit`),
        rpcs: this.#names.allocate(`${base}Rpcs`),
        notifications: this.#names.allocate(`${base}Notifications`),
        actions: this.#names.allocate(`${base}Actions`),
      });
    }
    const combined = {
      data: this.#names.allocate('Datastore'),
      edit: this.#names.allocate('DatastoreEdit'),
      rpcs: this.#names.allocate('Rpcs'),
      notifications: this.#names.allocate('Notifications'),
      actions: this.#names.allocate('Actions'),
    };
    const outputs: ModuleOutput[] = [];
    for (const mod of modules) {
      const names = roots.get(mod);
      if (names !== undefined) outputs.push(this.#module(mod, names));
    }

    const sections: string[] = [
      [
        '// Generated by netconfkit from YANG modules. Do not edit: regenerate instead.',
        '// RFC 7951 JSON types of: ' + (modules.length === 0 ? '(no module)' : modules.map((m) => (m.revision === undefined ? m.name : `${m.name}@${m.revision}`)).join(', ')),
      ].join('\n'),
    ];
    for (const out of outputs) {
      sections.push(`// ---- ${out.module.name} ----`);
      sections.push(...out.blocks);
    }
    const identityDecls = this.#identities.declarations();
    if (identityDecls.length > 0) sections.push('// ---- identities ----', ...identityDecls);
    sections.push(...this.#metadataDeclarations());
    sections.push(...this.#combined(outputs, combined));
    return `${sections.join('\n\n')}\n`;
  }

  #module(mod: CompiledModule, names: RootNames): ModuleOutput {
    const out: ModuleOutput = {
      module: mod,
      blocks: [],
      actions: [],
      notifications: [],
      rpcs: [],
      dataType: undefined,
      editType: undefined,
      rpcsType: undefined,
      notificationsType: undefined,
      actionsType: undefined,
    };
    const revision = mod.revision === undefined ? '' : ` (revision ${mod.revision})`;
    const top = (mode: Mode, typeName: string): Place => ({
      mode,
      typeName,
      parentModule: undefined,
      parentConfig: true,
      path: '',
      list: undefined,
      conditional: false,
    });

    if (mod.data.length > 0) {
      const slot = out.blocks.push('') - 1;
      const shape = this.#shape(mod.data, top('data', names.data), out);
      out.blocks[slot] = renderDeclaration(names.data, shape, [
        `The data of YANG module \`${mod.name}\`${revision} in RFC 7951 JSON: config and state, as a`,
        'server reports it (`<get>`, `<get-config>`, `<get-data>`).',
      ]);
      out.dataType = names.data;

      const editSlot = out.blocks.push('') - 1;
      const editShape = this.#shape(mod.data, top('edit', names.edit), out);
      if (editShape.members.length > 0 || editShape.choices.length > 0) {
        out.blocks[editSlot] = renderDeclaration(names.edit, editShape, [
          `An edit of the config of YANG module \`${mod.name}\`${revision} in RFC 7951 JSON (\`<edit-config>\`,`,
          '`<edit-data>`): config nodes only, list keys required, the NETCONF operation as RFC 7952',
          "metadata (`'@': { 'ietf-netconf:operation': 'delete' }`, `'@leaf': …` for a leaf).",
        ]);
        out.editType = names.edit;
      } else {
        out.blocks.splice(editSlot, 1);
      }
    }

    for (const rpc of mod.rpcs) {
      const base = `${pascalCase(mod.name)}_${pascalCase(rpc.name)}`;
      const io = this.#operation(rpc, base, rpc.module, '', out);
      out.rpcs.push({ key: `${rpc.module}:${rpc.name}`, type: io, doc: descriptionLines(rpc.description), tags: statusTags(rpc) });
    }
    // Top-level notifications first, then the nested ones the data walk found.
    const nested = out.notifications.splice(0);
    for (const notification of mod.notifications) {
      const name = this.#names.allocate(`${pascalCase(mod.name)}_${pascalCase(notification.name)}`);
      this.#object(name, notification, { ...top('output', name), parentModule: notification.module }, out, 'output');
      out.notifications.push({
        key: `${notification.module}:${notification.name}`,
        type: name,
        doc: descriptionLines(notification.description),
        tags: statusTags(notification),
      });
    }
    out.notifications.push(...nested);

    const map = (name: string, entries: readonly OperationEntry[], what: string): string | undefined => {
      if (entries.length === 0) return undefined;
      const members: Member[] = entries.map((e) => ({ key: e.key, type: { parts: [e.type], array: false }, optional: false, doc: e.doc, tags: e.tags }));
      out.blocks.push(renderDeclaration(name, { members, choices: [] }, [what]));
      return name;
    };
    out.rpcsType = map(names.rpcs, out.rpcs, `The RPCs of YANG module \`${mod.name}\`, by qualified name: their input and output in RFC 7951 JSON.`);
    out.actionsType = map(names.actions, out.actions, `The actions in the data tree of YANG module \`${mod.name}\`, by schema path: their input and output in RFC 7951 JSON.`);
    out.notificationsType = map(
      names.notifications,
      out.notifications,
      `The notifications of YANG module \`${mod.name}\` (by qualified name; nested ones by schema path): their content in RFC 7951 JSON.`,
    );
    if (out.blocks.length === 0) {
      // Asked for by name, it should not vanish without a word (ietf-ip only augments).
      out.blocks.push(`// ${mod.name} has no top-level data, RPC or notification: what it augments is in the types of the modules it augments.`);
    }
    return out;
  }

  /**
   * Input and output types of an RPC or action, and the `{ input; output }` type naming them.
   * `path` is the data path of an action's parent ('' for an RPC).
   */
  #operation(op: SchemaNode, base: string, module: string, path: string, out: ModuleOutput): string {
    const parts: string[] = [];
    for (const [kind, mode, suffix] of [['input', 'input', 'Input'], ['output', 'output', 'Output']] as const) {
      const name = this.#names.allocate(`${base}_${suffix}`);
      const node = op.children.find((c) => c.kind === kind);
      const place: Place = { mode, typeName: name, parentModule: module, parentConfig: false, path, list: undefined, conditional: false };
      const slot = out.blocks.push('') - 1;
      const shape = node === undefined ? { members: [], choices: [] } : this.#shape(node.children, place, out);
      out.blocks[slot] = renderDeclaration(name, shape, [`The ${kind} of ${op.kind} \`${op.module}:${op.name}\` in RFC 7951 JSON.`]);
      parts.push(`${kind}: ${name}`);
    }
    return `{ ${parts.join('; ')} }`;
  }

  /** Declares the type `name` of a container, list entry or notification `node`, its members built in `mode`. */
  #object(name: string, node: SchemaNode, place: Place, out: ModuleOutput, mode: Mode): void {
    const slot = out.blocks.push('') - 1;
    let shape = this.#shape(node.children, place, out);
    if (mode === 'edit') {
      const meta: Member = {
        key: '@',
        type: { parts: [node.kind === 'list' && node.orderedBy === 'user' ? this.#orderedListMetaName() : this.#editMetaName()], array: false },
        optional: true,
        doc: ['RFC 7952 metadata of this node (the NETCONF operation).'],
        tags: [],
      };
      shape = { members: [meta, ...shape.members], choices: shape.choices };
    } else if (mode === 'data') {
      shape = { members: [this.#reportedMetadata(), ...shape.members], choices: shape.choices };
    }
    const inDatastore = mode === 'data' || mode === 'edit';
    out.blocks[slot] = renderDeclaration(name, shape, [...descriptionLines(node.description), ...spacer(node.description), nodeFacts(node, inDatastore)], statusTags(node));
  }

  /** The members (and choices) of the schema nodes `children`, in schema order. */
  #shape(children: readonly SchemaNode[], place: Place, out: ModuleOutput): Shape {
    const members: Member[] = [];
    const choices: ChoiceUnion[] = [];
    for (const child of children) {
      if (child.kind === 'action' || child.kind === 'notification') {
        if (place.mode === 'data') this.#nested(child, place, out);
      } else if (child.kind === 'choice') {
        const union = this.#choice(child, place, out);
        if (union !== undefined) choices.push(union);
      } else if (child.kind === 'case') {
        // A case outside a choice does not occur in a compiled tree; look through it if it does.
        const inner = this.#shape(child.children, { ...place, conditional: place.conditional || child.when.length > 0 }, out);
        members.push(...inner.members);
        choices.push(...inner.choices);
      } else if (DATA_KINDS.has(child.kind)) {
        if (place.mode === 'edit' && !child.config) continue;
        members.push(...this.#members(child, place, out));
      }
    }
    return { members, choices };
  }

  /**
   * A choice as the union of its cases: each case's members with the other cases' members as
   * `?: never` (so two cases cannot be mixed and no member is unknown to any alternative), plus
   * an alternative with none of them unless the choice is mandatory.
   */
  #choice(choice: SchemaNode, place: Place, out: ModuleOutput): ChoiceUnion | undefined {
    const conditional = place.conditional || choice.when.length > 0;
    const cases: { readonly node: SchemaNode; readonly shape: Shape }[] = [];
    for (const c of choice.children) {
      if (c.kind === 'case') cases.push({ node: c, shape: this.#shape(c.children, { ...place, conditional: conditional || c.when.length > 0 }, out) });
      else cases.push({ node: c, shape: this.#shape([c], { ...place, conditional }, out) });
    }
    const all: string[] = [];
    for (const c of cases) for (const k of shapeKeys(c.shape)) if (!all.includes(k)) all.push(k);
    if (all.length === 0) return undefined;
    const never = (key: string): Member => ({ key, type: { parts: ['never'], array: false }, optional: true, doc: [], tags: [] });
    const mandatory = place.mode !== 'edit' && choice.mandatory && !conditional && !(place.mode === 'data' && !choice.config && place.parentConfig);
    const variants: Variant[] = [];
    for (const c of cases) {
      const own = new Set(shapeKeys(c.shape));
      if (own.size === 0) continue;
      let members = c.shape.members;
      // A mandatory choice needs one of its cases present; a case of a single node is present
      // only with that node, so the node is required in its alternative. (With several nodes,
      // "at least one of them" is left unenforced.)
      if (mandatory && own.size === 1 && c.shape.choices.length === 0) members = members.map((m) => (m.index === true ? m : { ...m, optional: false }));
      variants.push({
        label: `case ${c.node.name}${c.node.description === undefined ? '' : `: ${firstSentence(c.node.description)}`}`,
        shape: { members: [...members, ...all.filter((k) => !own.has(k)).map(never)], choices: c.shape.choices },
      });
    }
    if (!mandatory) variants.push({ label: 'none of the cases', shape: { members: all.map(never), choices: [] } });
    const facts = [choice.mandatory ? 'mandatory' : '', choice.defaults.length > 0 ? `default case ${choice.defaults.join(' ')}` : ''].filter((f) => f !== '');
    return { label: `choice ${choice.name}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`, variants };
  }

  /** The member(s) of one data node: the node itself and, in an edit, its leaf metadata member. */
  #members(node: SchemaNode, place: Place, out: ModuleOutput): Member[] {
    const key = node.module === place.parentModule ? node.name : `${node.module}:${node.name}`;
    const optional = !this.#required(node, place);
    const inDatastore = place.mode === 'data' || place.mode === 'edit';
    const doc = [...descriptionLines(node.description), ...spacer(node.description), nodeFacts(node, inDatastore)];
    const tags = statusTags(node);
    const request = place.mode === 'edit' || place.mode === 'input';
    const members: Member[] = [];
    switch (node.kind) {
      case 'leaf':
      case 'leaf-list': {
        const parts = node.type === undefined ? ['unknown'] : leafTypeParts(node.type, { module: node.module, request, identities: this.#identities });
        const array = node.kind === 'leaf-list';
        members.push({ key, type: { parts, array }, optional, doc, tags });
        if (place.mode === 'edit') {
          const meta = array && node.orderedBy === 'user' ? this.#orderedLeafListMetaName() : this.#editMetaName();
          members.push({
            key: `@${key}`,
            // RFC 7952 §5.2.1: a leaf-list's metadata is an array parallel to its values, null where none.
            type: array ? { parts: [meta, 'null'], array: true } : { parts: [meta], array: false },
            optional: true,
            doc: [`RFC 7952 metadata of \`${key}\` (the NETCONF operation).`],
            tags: [],
          });
        }
        break;
      }
      case 'container':
      case 'list': {
        const name = this.#names.allocate(`${place.typeName}_${pascalCase(node.name)}`);
        const child: Place = {
          mode: place.mode,
          typeName: name,
          parentModule: node.module,
          parentConfig: node.config,
          path: `${place.path}/${key}`,
          list: node.kind === 'list' ? node : undefined,
          conditional: false,
        };
        this.#object(name, node, child, out, place.mode);
        members.push({ key, type: { parts: [name], array: node.kind === 'list' }, optional, doc, tags });
        break;
      }
      case 'anydata':
        members.push({ key, type: { parts: ['{ [member: string]: unknown }'], array: false }, optional, doc, tags });
        break;
      default:
        // anyxml: RFC 7951 §5.5 lets it be any JSON value.
        members.push({ key, type: { parts: ['unknown'], array: false }, optional, doc, tags });
        break;
    }
    return members;
  }

  /**
   * Whether a member must be present: a list key always; in an edit nothing else (a merge may
   * name only what changes); elsewhere a mandatory leaf, anydata or a list/leaf-list with
   * min-elements, unless a `when` may remove it or it is state inside config (absent from a
   * `<get-config>` reply).
   */
  #required(node: SchemaNode, place: Place): boolean {
    if (place.list !== undefined && node.parent === place.list && node.kind === 'leaf' && place.list.keys.includes(node.name)) return true;
    if (place.mode === 'edit') return false;
    if (place.conditional || node.when.length > 0) return false;
    const mandatory = node.kind === 'list' || node.kind === 'leaf-list' ? node.minElements > 0 : node.kind !== 'container' && node.mandatory;
    if (!mandatory) return false;
    return !(place.mode === 'data' && !node.config && place.parentConfig);
  }

  /** An action or a notification inside the data tree: its types, and its entry in the module's map. */
  #nested(node: SchemaNode, place: Place, out: ModuleOutput): void {
    const segment = node.module === place.parentModule ? node.name : `${node.module}:${node.name}`;
    const path = `${place.path}/${segment}`;
    const base = `${place.typeName}_${pascalCase(node.name)}`;
    if (node.kind === 'action') {
      const io = this.#operation(node, base, node.module, path, out);
      out.actions.push({ key: path, type: io, doc: descriptionLines(node.description), tags: statusTags(node) });
    } else {
      const name = this.#names.allocate(base);
      const inner: Place = { mode: 'output', typeName: name, parentModule: node.module, parentConfig: false, path, list: undefined, conditional: false };
      this.#object(name, node, inner, out, 'output');
      out.notifications.push({ key: path, type: name, doc: descriptionLines(node.description), tags: statusTags(node) });
    }
  }

  /**
   * The members of a data object that carry RFC 7952 metadata as a server reports it
   * (with-defaults' `default`, NMDA's `origin`): `'@'` for the object, `'@leaf'` for a leaf (an
   * array parallel to the values for a leaf-list). One index signature over names starting with
   * `@`, so they are accepted without listing a twin of every member (and other unknown
   * members are still refused).
   */
  #reportedMetadata(): Member {
    this.#annotations ??= this.#names.allocate('Annotations');
    return {
      key: 'annotation: `@${string}`',
      index: true,
      type: { parts: [this.#annotations, `(${this.#annotations} | null)[]`], array: false },
      optional: false,
      doc: ['RFC 7952 metadata the server attached (`\'@\'`: of this node; `\'@leaf\'`: of a leaf).'],
      tags: [],
    };
  }

  #editMetaName(): string {
    this.#editMeta ??= this.#names.allocate('EditMetadata');
    return this.#editMeta;
  }

  #orderedListMetaName(): string {
    this.#orderedListMeta ??= this.#names.allocate('OrderedListEditMetadata');
    return this.#orderedListMeta;
  }

  #orderedLeafListMetaName(): string {
    this.#orderedLeafListMeta ??= this.#names.allocate('OrderedLeafListEditMetadata');
    return this.#orderedLeafListMeta;
  }

  /** The metadata helper types that were used. */
  #metadataDeclarations(): string[] {
    const out: string[] = [];
    if (this.#annotations !== undefined) {
      out.push('// ---- reported metadata (RFC 7952) ----');
      out.push(
        [
          '/**',
          ' * RFC 7952 metadata of a node as a server reports it, by qualified annotation name: e.g.',
          " * `'ietf-netconf-with-defaults:default': true` (RFC 6243 report-all-tagged),",
          " * `'ietf-origin:origin': 'ietf-origin:intended'` (NMDA, RFC 8342).",
          ' */',
          `export interface ${this.#annotations} {`,
          '  [annotation: string]: unknown;',
          '}',
        ].join('\n'),
      );
    }
    const operation = [
      '  /** The NETCONF `operation` attribute (RFC 6241 §7.2). */',
      `  'ietf-netconf:operation'?: ${OPERATIONS};`,
    ];
    if (this.#editMeta !== undefined || this.#orderedListMeta !== undefined || this.#orderedLeafListMeta !== undefined) {
      out.push('// ---- edit metadata (RFC 7952) ----');
      out.push(['/** RFC 7952 metadata of a node in an edit. */', `export interface ${this.#editMetaName()} {`, ...operation, '}'].join('\n'));
    }
    const insert = "  /** Where to put the entry (RFC 7950 §7.8.6). */\n  'yang:insert'?: 'first' | 'last' | 'before' | 'after';";
    if (this.#orderedListMeta !== undefined) {
      out.push(
        [
          '/** RFC 7952 metadata of an entry of an `ordered-by user` list in an edit. */',
          `export interface ${this.#orderedListMeta} extends ${this.#editMetaName()} {`,
          insert,
          "  /** The keys of the entry to insert before or after, as predicates (`[name='eth0']`). */",
          "  'yang:key'?: string;",
          '}',
        ].join('\n'),
      );
    }
    if (this.#orderedLeafListMeta !== undefined) {
      out.push(
        [
          '/** RFC 7952 metadata of a value of an `ordered-by user` leaf-list in an edit. */',
          `export interface ${this.#orderedLeafListMeta} extends ${this.#editMetaName()} {`,
          insert,
          '  /** The value to insert before or after. */',
          "  'yang:value'?: string;",
          '}',
        ].join('\n'),
      );
    }
    return out;
  }

  /**
   * The types of all modules together (intersections: member names are qualified, so disjoint).
   * Always declared, so code written against them does not break when a module set has, say, no
   * notification: then the type admits no member.
   */
  #combined(outputs: readonly ModuleOutput[], names: RootNames): string[] {
    const one = (name: string, pick: (o: ModuleOutput) => string | undefined, doc: string): string => {
      const parts = outputs.map(pick).filter((p): p is string => p !== undefined);
      return `/** ${doc} */\nexport type ${name} = ${parts.length === 0 ? '{ [member: string]: never }' : parts.join(' & ')};`;
    };
    return [
      '// ---- all modules ----',
      one(names.data, (o) => o.dataType, 'The data of every module above together (a whole datastore).'),
      one(names.edit, (o) => o.editType, 'An edit of the config of any of the modules above.'),
      one(names.rpcs, (o) => o.rpcsType, 'The RPCs of every module above, by qualified name.'),
      one(names.actions, (o) => o.actionsType, 'The actions of every module above, by schema path.'),
      one(names.notifications, (o) => o.notificationsType, 'The notifications of every module above.'),
    ];
  }
}

/** An empty line between a description and the facts line, when there is a description. */
function spacer(description: string | undefined): string[] {
  return description === undefined ? [] : [''];
}

/** The first sentence of a description, on one line (for the comment of a case). */
function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/\.(\s|$)/);
  return end >= 0 ? flat.slice(0, end + 1) : flat;
}

/**
 * TypeScript types of the RFC 7951 JSON of YANG modules, as the text of one `.ts` file.
 *
 * For each module: `Name` (the module's data tree, config and state: what `<get>`,
 * `<get-config>` and `<get-data>` return, e.g. `IetfInterfaces`), `NameEdit` (what an edit may
 * send: config nodes only, with RFC 7952 `'@'` metadata for the NETCONF operation), and when it
 * has them `NameRpcs`, `NameActions`, `NameNotifications` (input/output/content by name).
 * `Datastore`, `DatastoreEdit`, `Rpcs`, `Actions` and `Notifications` combine every module
 * (always declared; with no member when no module has any).
 * Containers are interfaces, lists arrays of entry types with their keys required, leaves typed
 * as RFC 7951 writes them (int64/uint64/decimal64 as strings, enumerations and identities as
 * string-literal unions, `empty` as `[null]`), choices unions of their cases. The file compiles
 * under `tsc --strict` and is the same, byte for byte, for the same schema.
 *
 * @param schema - The compiled modules (see `compileYang`).
 * @param options - Which modules to emit.
 * @returns The TypeScript source.
 * @throws {@link YangError} when a module asked for is not in the schema or not implemented.
 */
export function generateTypeScript(schema: YangSchema, options: TypeScriptOptions = {}): string {
  let modules: CompiledModule[];
  if (options.modules === undefined) {
    modules = [...schema.modules.values()].filter((m) => m.implemented && (m.data.length > 0 || m.rpcs.length > 0 || m.notifications.length > 0));
  } else {
    const wanted = new Set(options.modules);
    for (const name of wanted) {
      const mod = schema.modules.get(name);
      if (mod === undefined) throw new YangError(`module ${quote(name)} is not in the schema`, undefined, { missingModule: name });
      if (!mod.implemented) throw new YangError(`module ${quote(name)} is only imported, not implemented: it has no data nodes`);
    }
    // Schema order, not argument order: the same modules give the same file.
    modules = [...schema.modules.values()].filter((m) => wanted.has(m.name));
  }
  return new Generator(schema).generate(modules);
}
