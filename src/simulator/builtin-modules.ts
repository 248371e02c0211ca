/**
 * The YANG modules of what the simulator implements itself: NETCONF (RFC 6241), its monitoring
 * (RFC 6022) and notifications (RFC 6470), with-defaults (RFC 6243), NMDA (RFC 8342, RFC 8526),
 * the YANG library (RFC 8525), and the modules they import. They ship in the package's `yang/`
 * directory. A simulator serves them with `<get-schema>` and lists them in
 * `/netconf-state/schemas` whatever `yangDir` holds, so that every module its hello or YANG
 * library names can be fetched; a schema-aware one compiles them with the modules of `yangDir`,
 * so that its hello, YANG library and replies describe one consistent schema. A module of the
 * same name in `yangDir` replaces the built-in one.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeModule, type SchemaModule } from './schema.js';

/**
 * When a built-in module is implemented:
 * - `base`: always (the hello of every simulator advertises it);
 * - `schema-aware`: with compiled modules (with-defaults, NMDA and the `ietf-netconf` module itself
 *   are advertised only then);
 * - `yang-library`: with compiled modules and the YANG library answered;
 * - `import`: never, it is only imported.
 */
export type BuiltinRole = 'base' | 'schema-aware' | 'yang-library' | 'import';

/** One module of the package's `yang/` directory. */
interface BuiltinModule {
  readonly name: string;
  readonly revision: string;
  readonly role: BuiltinRole;
}

const BUILTIN_MODULES: readonly BuiltinModule[] = [
  { name: 'ietf-netconf-monitoring', revision: '2010-10-04', role: 'base' },
  { name: 'ietf-netconf-notifications', revision: '2012-02-06', role: 'base' },
  { name: 'ietf-netconf', revision: '2011-06-01', role: 'schema-aware' },
  { name: 'ietf-netconf-with-defaults', revision: '2011-06-01', role: 'schema-aware' },
  { name: 'ietf-netconf-nmda', revision: '2019-01-07', role: 'schema-aware' },
  { name: 'ietf-datastores', revision: '2018-02-14', role: 'schema-aware' },
  { name: 'ietf-origin', revision: '2018-02-14', role: 'schema-aware' },
  { name: 'ietf-yang-library', revision: '2019-01-04', role: 'yang-library' },
  { name: 'ietf-yang-metadata', revision: '2016-08-05', role: 'import' },
  { name: 'ietf-inet-types', revision: '2013-07-15', role: 'import' },
  { name: 'ietf-yang-types', revision: '2013-07-15', role: 'import' },
];

const CAP = 'urn:ietf:params:netconf:capability:';

/** The `ietf-netconf` features and the capability each stands for (RFC 6241 §10: `url` is never offered). */
const NETCONF_FEATURES: ReadonlyArray<readonly [string, string]> = [
  ['writable-running', `${CAP}writable-running:1.0`],
  ['candidate', `${CAP}candidate:1.0`],
  ['confirmed-commit', `${CAP}confirmed-commit:1.1`],
  ['rollback-on-error', `${CAP}rollback-on-error:1.0`],
  ['validate', `${CAP}validate:1.1`],
  ['startup', `${CAP}startup:1.0`],
  ['xpath', `${CAP}xpath:1.0`],
];

let directory: string | undefined;

/** The package's `yang/` directory (found above this file: dist/simulator/ or build/src/simulator/). */
export function builtinYangDirectory(): string {
  if (directory !== undefined) return directory;
  const probe = `${BUILTIN_MODULES[0]?.name}@${BUILTIN_MODULES[0]?.revision}.yang`;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'yang', probe))) return (directory = join(dir, 'yang'));
    dir = dirname(dir);
  }
  throw new Error(`netconfkit: the simulator's YANG modules (yang/${probe}) are missing from the package`);
}

let modules: readonly SchemaModule[] | undefined;

/**
 * The built-in modules, read from the package once per process, except those named in
 * `replaced` (a `yangDir` has them).
 */
export function builtinSchemaModules(replaced: ReadonlySet<string>): SchemaModule[] {
  if (modules === undefined) {
    const dir = builtinYangDirectory();
    modules = BUILTIN_MODULES.map((b) => Object.freeze({ ...describeModule(readFileSync(join(dir, `${b.name}@${b.revision}.yang`), 'utf8'), b.name, b.revision), builtin: b.role }));
  }
  return modules.filter((m) => !replaced.has(m.name));
}

/**
 * The names of the built-in modules a schema-aware simulator implements, with or without the
 * YANG library (whether the package's copy or the `yangDir` one is used). Without compiled
 * modules, only the `base` ones are implemented.
 */
export function builtinImplemented(yangLibrary: boolean): string[] {
  return BUILTIN_MODULES.filter((b) => b.role === 'base' || b.role === 'schema-aware' || (b.role === 'yang-library' && yangLibrary)).map((b) => b.name);
}

/**
 * The features of the built-in modules, as the simulator supports them: `ietf-netconf`'s those
 * whose capability is advertised (`advertised` tells), every feature of `ietf-netconf-nmda`.
 */
export function builtinFeatures(advertised: (capability: string) => boolean): Map<string, string[]> {
  return new Map([
    ['ietf-netconf', NETCONF_FEATURES.filter(([, cap]) => advertised(cap)).map(([feature]) => feature)],
    ['ietf-netconf-nmda', ['*']],
  ]);
}
