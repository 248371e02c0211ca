// Stream a large reply: running's interfaces, one parsed <interface> at a time as the reply
// arrives, never held whole (a slow loop pauses reading, and SSH slows the server down).
//   NETCONF_HOST=router1 NETCONF_USER=admin NETCONF_PASSWORD=… node examples/stream.mjs
import { connect } from 'netconfkit';

const env = process.env;
const m = await connect({
  host: env.NETCONF_HOST ?? '127.0.0.1',
  port: Number(env.NETCONF_PORT ?? 830),
  username: env.NETCONF_USER,
  password: env.NETCONF_PASSWORD,
  knownHostsFile: env.NETCONF_KNOWN_HOSTS,
});
try {
  const filter = '<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>';
  // depth 3 (the default): rpc-reply (0) / data (1) / interfaces (2) / interface (3)
  const stream = m.getConfigStream('running', { filter, depth: 3 });
  const down = [];
  let count = 0;
  for await (const iface of stream) {
    count++;
    if (iface.childText('enabled') === 'false') down.push(iface.childText('name'));
  }
  console.log(`${count} interfaces in ${stream.bytesReceived} bytes; disabled: ${down.length}`);
  if (down.length) console.log(`first disabled: ${down.slice(0, 5).join(', ')}`);
} finally {
  await m.close();
}
