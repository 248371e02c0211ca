/**
 * Data paths of instance data, as errors name the offending node:
 * `/ietf-interfaces:interfaces/interface[name='eth0']/mtu`. The RFC 7951 / RFC 8040 form (the one
 * libyang prints in its messages): each step is a node name, module-qualified at the top and
 * wherever the module changes from the step before; a list entry carries its keys as predicates
 * (`[k1='a'][k2='1']`), a leaf-list entry its value (`[.='x']`).
 */

/** One step of a data path. */
export interface DataPathStep {
  /** The module of the node (qualifies the step where it differs from the previous step's). */
  readonly module: string;
  readonly name: string;
  /** For a list entry: its key leaves (name, value as text), in key order; those not known yet are left out. */
  readonly keys?: ReadonlyArray<readonly [name: string, value: string]>;
  /** For a leaf-list entry: its value as text (`[.='value']`). */
  readonly value?: string;
}

/**
 * A predicate value in quotes: single quotes unless the value holds one, then double quotes.
 * (A value with both kinds of quote cannot be written in XPath 1.0; single quotes are kept and
 * the path is for reading, not for evaluating.)
 */
export function quotePathValue(value: string): string {
  return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value}'`;
}

/** Render steps as a data path (`/` for none). */
export function formatDataPath(steps: readonly DataPathStep[]): string {
  if (steps.length === 0) return '/';
  let out = '';
  let module: string | undefined;
  for (const step of steps) {
    out += step.module === module ? `/${step.name}` : `/${step.module}:${step.name}`;
    module = step.module;
    if (step.keys) for (const [name, value] of step.keys) out += `[${name}=${quotePathValue(value)}]`;
    if (step.value !== undefined) out += `[.=${quotePathValue(step.value)}]`;
  }
  return out;
}

/**
 * Text of a JSON leaf value for a path predicate: a string as it is, `[null]` (empty) as `''`,
 * a number or boolean as JSON writes it.
 */
export function pathValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}
