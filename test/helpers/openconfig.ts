/**
 * A vendor's published YANG modules for the tests: OpenConfig's interfaces, Ethernet, aggregates
 * and VLANs, with the IETF modules they import (examples/openconfig, see its README).
 */
import { fileURLToPath } from 'node:url';

/** The directory (tests run from build/test/helpers). */
export const OPENCONFIG_DIR = fileURLToPath(new URL('../../../examples/openconfig', import.meta.url));

/**
 * Every module of the directory, each after those it imports: yanglint refuses an identity of a
 * module it first loaded as an import only ("identity found in non-implemented module").
 */
export const OPENCONFIG_MODULES = [
  'openconfig-extensions',
  'openconfig-types',
  'openconfig-yang-types',
  'openconfig-platform-types',
  'openconfig-transport-types',
  'openconfig-vlan-types',
  'ietf-yang-types',
  'ietf-interfaces',
  'iana-if-type',
  'openconfig-interfaces',
  'openconfig-if-ethernet',
  'openconfig-if-aggregate',
  'openconfig-vlan',
];
