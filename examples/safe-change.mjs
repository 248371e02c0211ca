// A configuration change done safely: lock the candidate, edit it, validate it, commit with a
// confirmed commit (the device rolls back by itself unless the change is confirmed in time),
// check the result, confirm, unlock. Any failure discards the change and releases the lock.
//   NETCONF_HOST=router1 NETCONF_USER=admin NETCONF_PASSWORD=… node examples/safe-change.mjs
import { connect, RPCError } from 'netconfkit';

const env = process.env;
const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const name = env.NETCONF_IFNAME ?? 'eth9';
const change = `
  <interfaces xmlns="${IF_NS}">
    <interface>
      <name>${name}</name>
      <description>uplink to core, changed by netconfkit</description>
      <type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type>
      <enabled>true</enabled>
    </interface>
  </interfaces>`;

const m = await connect({
  host: env.NETCONF_HOST ?? '127.0.0.1',
  port: Number(env.NETCONF_PORT ?? 830),
  username: env.NETCONF_USER,
  password: env.NETCONF_PASSWORD,
  knownHostsFile: env.NETCONF_KNOWN_HOSTS, // besides ~/.ssh/known_hosts; unknown keys are refused
});
try {
  const lock = await m.locked('candidate'); // lock-denied (RPCError) if someone else holds it
  try {
    await m.discardChanges(); // start from what is running
    await m.editConfig(change, { target: 'candidate', defaultOperation: 'merge' });
    await m.validate('candidate');
    await m.commit({ confirmed: true, timeout: 60 }); // rolled back in 60 s unless confirmed
    const running = await m.getConfig('running', { filter: `<interfaces xmlns="${IF_NS}"><interface><name>${name}</name></interface></interfaces>` });
    const description = running.data?.find('interfaces/interface/description')?.text;
    if (!description?.includes('netconfkit')) throw new Error(`change not visible in running (description: ${description})`);
    await m.commit(); // confirm
    console.log(`committed and confirmed: ${name} — ${description}`);
  } catch (err) {
    await m.discardChanges().catch(() => undefined);
    throw err;
  } finally {
    await lock.release();
  }
} catch (err) {
  if (err instanceof RPCError) console.error(`${err.tag} (${err.type}) at ${err.path ?? '-'}: ${err.message}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await m.close();
}
