// Keep a session to a device and get it back when it is lost (the device rebooted, a cable was
// pulled and the keepalives went unanswered): `m.closed` settles when the session ends, with
// the error for a lost connection and undefined for a close of ours. There is no hidden
// automatic reconnect, on purpose: locks and uncommitted candidate changes belong to a session
// and die with it, so the application takes them again itself.
//   NETCONF_HOST=router1 NETCONF_USER=admin NETCONF_PASSWORD=… node examples/reconnect.mjs
import { connect } from 'netconfkit';

const env = process.env;
const options = {
  host: env.NETCONF_HOST ?? '127.0.0.1', // or an alias of ~/.ssh/config
  port: env.NETCONF_PORT ? Number(env.NETCONF_PORT) : undefined,
  username: env.NETCONF_USER,
  password: env.NETCONF_PASSWORD,
  knownHostsFile: env.NETCONF_KNOWN_HOSTS,
  keepalive: 5, // a device that stops answering is noticed within (3 + 1) × 5 s
};
const maxSessions = Number(env.MAX_SESSIONS ?? Infinity);

let m;
let stopping = false;
process.once('SIGINT', () => {
  stopping = true;
  void m?.close(); // m.closed then resolves to undefined: the loop ends
});

for (let sessions = 0, delay = 1; sessions < maxSessions && !stopping; ) {
  try {
    m = await connect(options);
  } catch (err) {
    console.error(`connect failed: ${err.message}; next attempt in ${delay} s`);
    await new Promise((resolve) => setTimeout(resolve, delay * 1000));
    delay = Math.min(delay * 2, 60);
    continue;
  }
  sessions++;
  delay = 1;
  await m.lock('candidate'); // what the lost session held, taken again
  console.log(`session ${m.sessionId}: holding the candidate lock`);

  const why = await m.closed;
  if (!why) break; // closed on purpose
  console.log(`session ${m.sessionId} lost: ${why.message}`);
}
console.log('done');
