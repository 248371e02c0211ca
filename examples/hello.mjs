// Connect to a NETCONF server over SSH, print what its hello says, fetch the running
// configuration, close. Run against the bundled test server with `npm start`, or against your
// own device:
//   NETCONF_HOST=router1 NETCONF_USER=admin NETCONF_PASSWORD=… node examples/hello.mjs
import { SSHSession } from 'netconfkit';

const env = process.env;
const session = new SSHSession();
// Host keys come from known_hosts: ~/.ssh/known_hosts, or the file named here.
session.loadKnownHosts(env.NETCONF_KNOWN_HOSTS);

await session.connect({
  host: env.NETCONF_HOST ?? '127.0.0.1',
  port: Number(env.NETCONF_PORT ?? 830),
  username: env.NETCONF_USER,
  password: env.NETCONF_PASSWORD,
});
console.log(`connected to ${session.peer}: session-id ${session.id}, ${session.framing} framing`);
console.log(`server capabilities (${session.serverCapabilities.size}):`);
for (const cap of [...session.serverCapabilities].slice(0, 12)) console.log(`  ${cap}`);
console.log(`  … candidate: ${session.serverCapabilities.has(':candidate')}, yang modules: ${session.serverCapabilities.modules().size}`);

// The transport layer hands every received message to listeners; the RPC layer builds on this.
const reply = await new Promise((resolve, reject) => {
  session.addListener({
    callback: (root, raw) => resolve({ root, raw }),
    errback: reject,
  });
  session.send('<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source></get-config></rpc>');
});
console.log(`reply root: ${reply.root[0]} message-id=${reply.root[1]['message-id']}, ${reply.raw.length} characters:`);
console.log(reply.raw.length > 600 ? `${reply.raw.slice(0, 600)}…` : reply.raw);

await session.close();
console.log('closed');
