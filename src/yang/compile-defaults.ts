/**
 * Default values checked against their types once the schema is complete (leafref targets
 * known): libyang refuses a module whose leaf default its type refuses (a typedef default
 * outside a narrowed range, an unknown enum …), and so do we. The values checker is the one the
 * codecs use, so a default the schema accepts is one the codecs accept.
 */
import { fail, type CompileState, type MNode } from './compile-context.js';
import type { YangSchema } from './schema.js';
import { leafValueFromXml } from './value.js';

/** Checks every default of every leaf and leaf-list of the final tree. */
export function checkDefaults(state: CompileState, schema: YangSchema, live: ReadonlySet<MNode>): void {
  // YANG prefixes of every module, for defaults written outside the node's own file (refine, deviation).
  const byPrefix = new Map<string, string>();
  for (const m of schema.modules.values()) if (!byPrefix.has(m.prefix)) byPrefix.set(m.prefix, m.namespace);
  for (const node of live) {
    if ((node.kind !== 'leaf' && node.kind !== 'leaf-list') || node.defaults.length === 0 || !node.type) continue;
    const file = state.info.get(node)?.scope.file;
    const namespaceOf = (prefix: string): string | undefined => {
      if (prefix === '') return file?.module.namespace ?? node.namespace;
      return file?.prefixes.get(prefix)?.namespace ?? byPrefix.get(prefix);
    };
    for (const value of node.defaults) {
      try {
        leafValueFromXml(node.type, value, namespaceOf, schema, node.module);
      } catch (err) {
        fail(`invalid default "${value}" of ${node.kind} "${node.name}": ${err instanceof Error ? err.message : String(err)}`, node.loc);
      }
    }
  }
}
