// The differential test against yanglint over the modules written for the tests
// (test/yang/modules: every statement and built-in type of issue 12), with every feature
// enabled and with a subset (yanglint -F), see oracle-harness.ts.
import { IETF_DIR, oracleSuite, TEST_MODULES_DIR, type ModuleSet } from './oracle-harness.js';

const MODULES = ['oracle-common', 'oracle-types', 'oracle-augment', 'oracle-deviations', 'oracle-legacy'];

const SETS: ModuleSet[] = [
  { name: 'test-modules', dirs: [TEST_MODULES_DIR, IETF_DIR], modules: MODULES, counts: { valid: 500, invalid: 300, invalidJson: 200, operations: 120 } },
  {
    name: 'test-modules-features',
    dirs: [TEST_MODULES_DIR, IETF_DIR],
    modules: MODULES,
    // alpha and gamma, not beta; oracle-common's fancy off: if-feature expressions both ways
    features: new Map([
      ['oracle-types', ['alpha', 'gamma']],
      ['oracle-common', []],
      ['oracle-augment', []],
      ['oracle-deviations', []],
      ['oracle-legacy', []],
    ]),
    counts: { valid: 200, invalid: 100, invalidJson: 80, operations: 40 },
  },
];

oracleSuite(SETS);
