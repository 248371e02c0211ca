// YANG-typed configuration, end to end. Once (and whenever the device's modules change):
//   netconf yang types --from-device --host router1 -o examples/models.ts ietf-interfaces ietf-ip
// fetches the device's modules (<get-schema>, cached on disk) and writes their RFC 7951 JSON
// types; tsc then checks this script against them. Compile and run:
//   npx tsc --strict --module nodenext --target es2022 examples/typed-config.ts examples/models.ts
//   NETCONF_HOST=router1 NETCONF_USER=admin NETCONF_PASSWORD=… node examples/typed-config.js
import { connect } from 'netconfkit';
import type { IetfInterfaces, IetfInterfacesEdit } from './models.js';

const env = process.env;
const m = await connect({
  host: env.NETCONF_HOST ?? '127.0.0.1',
  port: Number(env.NETCONF_PORT ?? 830),
  username: env.NETCONF_USER,
  password: env.NETCONF_PASSWORD,
  knownHostsFile: env.NETCONF_KNOWN_HOSTS,
});
try {
  await m.loadSchema(); // the device's modules, from the cache when fetched before
  // Checked twice: by tsc against the generated type (a wrong member or `mtu: 'big'` does not
  // compile), and at run time against the schema (YangDataError with the data path).
  const change: IetfInterfacesEdit = {
    'ietf-interfaces:interfaces': {
      interface: [{ name: 'eth9', type: 'iana-if-type:ethernetCsmacd', description: 'typed change', 'ietf-ip:ipv4': { mtu: 9000 } }],
    },
  };
  await m.editConfig({ json: change }, { target: 'running' });
  const config = await m.getConfig<IetfInterfaces>('running', { as: 'json' });
  for (const i of config['ietf-interfaces:interfaces']?.interface ?? []) {
    console.log(`${i.name} (${i.type}): mtu ${i['ietf-ip:ipv4']?.mtu ?? 'default'}`);
  }
} finally {
  await m.close();
}
