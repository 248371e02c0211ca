// Test automation against a vendor's data model without a device: the simulator loads the
// published YANG modules (here OpenConfig's interfaces, Ethernet, aggregates and VLANs, as
// examples/openconfig has them), advertises and serves them, and refuses every edit they do not
// allow with the <rpc-error> a device sends. Run from the repository: node examples/vendor-yang.mjs
import { connect, RPCError } from 'netconfkit';
import { startSimulator } from 'netconfkit/simulator';

const OC = 'http://openconfig.net/yang/interfaces';
const ETH = 'http://openconfig.net/yang/interfaces/ethernet';
const port = (name, config) => `<interfaces xmlns="${OC}"><interface><name>${name}</name>${config}</interface></interfaces>`;

const sim = await startSimulator({
  users: [{ username: 'admin', password: 'admin' }],
  yangDir: 'examples/openconfig', // every module of the directory, every feature enabled
  // modules: ['openconfig-interfaces', …],  features: 'openconfig-interfaces:…',  to narrow them
  config: port('et-0/0/1', '<config><name>et-0/0/1</name><type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type></config>'),
});
const m = await connect({
  host: '127.0.0.1', port: sim.port, username: 'admin', password: 'admin',
  allowAgent: false, lookForKeys: false, unknownHostCb: (_host, fingerprint) => fingerprint === sim.hostKey.md5,
});
try {
  // What your automation would send: one change the model refuses, one it accepts.
  try {
    await m.editConfig(port('et-0/0/1', '<config><mtu>70000</mtu></config>'), { target: 'running' });
  } catch (err) {
    if (!(err instanceof RPCError)) throw err;
    console.log(`refused: ${err.tag} (${err.appTag}) at ${err.path}`);
  }
  await m.editConfig(port('et-0/0/1', `<config><mtu>9100</mtu></config><ethernet xmlns="${ETH}"><config><port-speed xmlns:oc-eth="${ETH}">oc-eth:SPEED_100GB</port-speed></config></ethernet>`), { target: 'running' });

  // Read it back as the device would report it: RFC 7951 JSON by the modules it serves, defaults included.
  await m.loadSchema({ cacheDir: false });
  const config = await m.getConfig('running', { as: 'json', withDefaults: 'report-all' });
  for (const i of config['openconfig-interfaces:interfaces'].interface) {
    const eth = i['openconfig-if-ethernet:ethernet'].config;
    console.log(`${i.name}: mtu ${i.config.mtu}, ${eth['port-speed']}, auto-negotiate ${eth['auto-negotiate']}, enabled ${i.config.enabled}`);
  }
} finally {
  await m.close();
  await sim.close();
}
