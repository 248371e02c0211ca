/**
 * Which YANG modules a device implements, with their revisions, enabled features, deviations and
 * submodules — read from, in order of preference:
 *
 * 1. the YANG library 1.1 (RFC 8525, `/yang-library`), when the hello has
 *    `urn:ietf:params:netconf:capability:yang-library:1.1`;
 * 2. the YANG library 1.0 (RFC 7895, `/modules-state`), when the hello has
 *    `urn:ietf:params:netconf:capability:yang-library:1.0` (or advertises the ietf-yang-library module);
 * 3. the module capabilities of the hello (RFC 6020 §5.6.4: `?module=…&revision=…&features=…&deviations=…`).
 *
 * The parsing functions work on the XML alone (no session) so that they can be tested offline.
 * @module
 */
import type { Capabilities } from '../transport/capabilities.js';
import type { XmlElement } from '../xml/element.js';

/** The namespace of ietf-yang-library (both revisions). */
export const YANG_LIBRARY_NS = 'urn:ietf:params:xml:ns:yang:ietf-yang-library';
/** The hello capability of the YANG library 1.0 (RFC 7950 §5.6.4). */
export const YANG_LIBRARY_1_0 = 'urn:ietf:params:netconf:capability:yang-library:1.0';
/** The hello capability of the YANG library 1.1 (RFC 8526 §2). */
export const YANG_LIBRARY_1_1 = 'urn:ietf:params:netconf:capability:yang-library:1.1';

/** A submodule of a module, as the device lists it. */
export interface SubmoduleEntry {
  readonly name: string;
  readonly revision: string | undefined;
}

/** One module of a device. */
export interface ModuleEntry {
  readonly name: string;
  /** `undefined` when the device gives none (a module without revision statement). */
  readonly revision: string | undefined;
  readonly namespace: string | undefined;
  /** `implement`: its data nodes exist on the device; `import`: only its types, groupings, identities are used. */
  readonly conformance: 'implement' | 'import';
  /** The features the device supports (enabled). */
  readonly features: readonly string[];
  /** The modules holding deviations of this one. */
  readonly deviations: readonly string[];
  readonly submodules: readonly SubmoduleEntry[];
}

/** Where the list of modules came from. */
export type InventorySource = 'yang-library' | 'modules-state' | 'hello';

/** The modules of a device. */
export interface ModuleInventory {
  readonly source: InventorySource;
  readonly modules: readonly ModuleEntry[];
}

/** Which form of the YANG library to ask for, from the hello (undefined: none, use the hello itself). */
export function yangLibraryForm(caps: Capabilities): 'yang-library' | 'modules-state' | undefined {
  if (caps.has(YANG_LIBRARY_1_1)) return 'yang-library';
  if (caps.has(YANG_LIBRARY_1_0)) return 'modules-state';
  for (const cap of caps.values()) if (cap.parameters['module'] === 'ietf-yang-library') return 'modules-state';
  return undefined;
}

/** The subtree filter that asks for one form of the library. */
export function yangLibraryFilter(form: 'yang-library' | 'modules-state'): string {
  return `<${form} xmlns="${YANG_LIBRARY_NS}"/>`;
}

function texts(el: XmlElement, local: string): string[] {
  return el.elements.filter((c) => c.local === local && c.namespace === YANG_LIBRARY_NS).map((c) => c.textContent.trim());
}

function text(el: XmlElement, local: string): string | undefined {
  const value = el.childText(local, YANG_LIBRARY_NS)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function submodules(el: XmlElement): SubmoduleEntry[] {
  return el.elements.filter((c) => c.local === 'submodule' && c.namespace === YANG_LIBRARY_NS).map((s) => ({ name: text(s, 'name') ?? '', revision: text(s, 'revision') })).filter((s) => s.name !== '');
}

/**
 * The modules of an RFC 7895 `<modules-state>` element: every `module` with its revision (an empty
 * revision means none), namespace, conformance-type, features, deviations (by name) and submodules.
 */
export function parseModulesState(modulesState: XmlElement): ModuleEntry[] {
  const out: ModuleEntry[] = [];
  for (const m of modulesState.elements) {
    if (m.local !== 'module' || m.namespace !== YANG_LIBRARY_NS) continue;
    const name = text(m, 'name');
    if (!name) continue;
    const deviations = m.elements.filter((c) => c.local === 'deviation' && c.namespace === YANG_LIBRARY_NS).map((d) => text(d, 'name') ?? '').filter((d) => d !== '');
    out.push({
      name,
      revision: text(m, 'revision'),
      namespace: text(m, 'namespace'),
      conformance: text(m, 'conformance-type') === 'import' ? 'import' : 'implement',
      features: texts(m, 'feature'),
      deviations,
      submodules: submodules(m),
    });
  }
  return out;
}

/**
 * The modules of an RFC 8525 `<yang-library>` element: the union of its module sets (`module`:
 * implemented, `import-only-module`: imported). A module listed in several sets (NMDA datastores
 * with different schemas) is taken once, implemented if any set implements it, with the union of
 * its features.
 */
export function parseYangLibrary(yangLibrary: XmlElement): ModuleEntry[] {
  const byKey = new Map<string, ModuleEntry>();
  for (const set of yangLibrary.elements) {
    if (set.local !== 'module-set' || set.namespace !== YANG_LIBRARY_NS) continue;
    for (const m of set.elements) {
      if ((m.local !== 'module' && m.local !== 'import-only-module') || m.namespace !== YANG_LIBRARY_NS) continue;
      const name = text(m, 'name');
      if (!name) continue;
      const entry: ModuleEntry = {
        name,
        revision: text(m, 'revision'),
        namespace: text(m, 'namespace'),
        conformance: m.local === 'module' ? 'implement' : 'import',
        features: texts(m, 'feature'),
        deviations: texts(m, 'deviation'),
        submodules: submodules(m),
      };
      const key = `${name}@${entry.revision ?? ''}`;
      const known = byKey.get(key);
      if (!known) byKey.set(key, entry);
      else {
        byKey.set(key, {
          ...known,
          conformance: known.conformance === 'implement' || entry.conformance === 'implement' ? 'implement' : 'import',
          features: [...new Set([...known.features, ...entry.features])],
          deviations: [...new Set([...known.deviations, ...entry.deviations])],
        });
      }
    }
  }
  return [...byKey.values()];
}

/**
 * The modules advertised in the hello (`?module=` capabilities, RFC 6020 style): all taken as
 * implemented (the hello does not say otherwise), with `features=` and `deviations=` split at commas.
 */
export function modulesFromCapabilities(caps: Capabilities): ModuleEntry[] {
  const out: ModuleEntry[] = [];
  for (const cap of caps.values()) {
    const p = cap.parameters;
    const name = p['module'];
    if (!name) continue;
    const list = (v: string | undefined): string[] => (v ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : []);
    out.push({
      name,
      revision: p['revision'] || undefined,
      namespace: cap.base,
      conformance: 'implement',
      features: list(p['features']),
      deviations: list(p['deviations']),
      submodules: [],
    });
  }
  return out;
}

/**
 * The enabled features per module, for `CompileOptions.features`: every module of the inventory
 * with exactly the features the device lists (none listed: none enabled).
 */
export function inventoryFeatures(inventory: ModuleInventory): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of inventory.modules) out.set(m.name, [...new Set([...(out.get(m.name) ?? []), ...m.features])]);
  return out;
}
