// The differential test against yanglint over a vendor's published modules: OpenConfig's
// interfaces, Ethernet, aggregates and VLANs (examples/openconfig, with the IETF modules they
// import), see oracle-harness.ts. OpenConfig has no RPCs or notifications: data documents only.
import { OPENCONFIG_DIR, OPENCONFIG_MODULES } from '../helpers/openconfig.js';
import { oracleSuite } from './oracle-harness.js';

oracleSuite([{ name: 'openconfig', dirs: [OPENCONFIG_DIR], modules: OPENCONFIG_MODULES, counts: { valid: 300, invalid: 200, invalidJson: 120, operations: 60 } }]);
