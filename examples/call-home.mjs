// NETCONF Call Home (RFC 8071): wait for devices to connect to us (port 4334 for SSH), check each
// one's host key in known_hosts under its address exactly as for an outgoing connection, and
// fetch its running configuration. Devices that fail the checks are dropped and reported.
//   NETCONF_USER=admin NETCONF_PASSWORD=… CALL_HOME_PORT=4334 node examples/call-home.mjs
import { listenCallHome } from 'netconfkit';

const env = process.env;
const devices = Number(env.CALL_HOME_DEVICES ?? Infinity);
const listener = await listenCallHome({
  transport: 'ssh',
  host: env.CALL_HOME_ADDRESS, // default: every address
  port: Number(env.CALL_HOME_PORT ?? 4334),
  username: env.NETCONF_USER,
  password: env.NETCONF_PASSWORD,
  knownHostsFile: env.NETCONF_KNOWN_HOSTS, // besides ~/.ssh/known_hosts: a line `ADDRESS type key` per device
});
listener.on('rejected', ({ address, error }) => console.error(`dropped ${address}: ${error.message}`));
console.log(`listening on port ${listener.port}`);

let seen = 0;
for await (const m of listener) {
  const { address, fingerprint } = m.callHome;
  const reply = await m.getConfig('running');
  console.log(`${address} (${fingerprint}) called home: session-id ${m.sessionId}, running configuration ${reply.xml.length} characters`);
  await m.close();
  if (++seen >= devices) break; // ends the loop and closes the listener
}
