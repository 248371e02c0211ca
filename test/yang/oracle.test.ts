// The differential test against yanglint over the IETF modules netconfd ships
// (/usr/share/yuma/modules/ietf): generated documents, XML → JSON → XML, compared with libyang.
// The method and what is excluded: oracle-harness.ts.
import { describe, it } from 'node:test';
import { yanglintVersion } from '../helpers/yanglint.js';
import { IETF_DIR, oracleSuite, type ModuleSet } from './oracle-harness.js';

const SETS: ModuleSet[] = [
  { name: 'interfaces', dirs: [IETF_DIR], modules: ['ietf-interfaces', 'ietf-ip', 'iana-if-type'], counts: { valid: 300 } },
  { name: 'system', dirs: [IETF_DIR], modules: ['ietf-system', 'iana-crypt-hash', 'ietf-netconf-acm'] },
  { name: 'routing', dirs: [IETF_DIR], modules: ['ietf-interfaces', 'ietf-ip', 'iana-if-type', 'ietf-routing', 'ietf-ipv4-unicast-routing', 'ietf-ipv6-unicast-routing'], counts: { valid: 300 } },
  { name: 'netconf-acm', dirs: [IETF_DIR], modules: ['ietf-netconf-acm'] },
  { name: 'yang-library', dirs: [IETF_DIR], modules: ['ietf-yang-library'] },
  { name: 'hardware', dirs: [IETF_DIR], modules: ['iana-hardware', 'ietf-hardware', 'ietf-hardware-state'] },
  { name: 'alarms', dirs: [IETF_DIR], modules: ['ietf-alarms', 'ietf-alarms-x733'] },
  { name: 'netconf', dirs: [IETF_DIR], modules: ['ietf-netconf', 'ietf-netconf-with-defaults', 'ietf-netconf-monitoring', 'ietf-netconf-notifications', 'ietf-netconf-partial-lock', 'ietf-datastores', 'ietf-origin', 'ietf-netconf-nmda'] },
  { name: 'network', dirs: [IETF_DIR], modules: ['ietf-network', 'ietf-network-topology', 'ietf-network-state', 'ietf-network-topology-state'] },
  { name: 'misc', dirs: [IETF_DIR], modules: ['ietf-geo-location', 'ietf-yang-smiv2', 'ietf-yang-metadata', 'ietf-inet-types', 'ietf-yang-types'], counts: { valid: 100, invalid: 60, invalidJson: 40, operations: 4 } },
];

describe('yanglint', () => {
  it('is installed (the oracle tests never skip)', () => {
    yanglintVersion();
  });
});

oracleSuite(SETS);
