// Lock the candidate, edit, validate, commit confirmed (the device rolls back by itself unless
// confirmed in 60 s), check running, confirm. On failure: cancel, discard; always unlock.
//   NETCONF_HOST=router1 NETCONF_USER=admin NETCONF_PASSWORD=… node examples/safe-change.mjs
import { connect, RPCError } from 'netconfkit';

const env = process.env;
const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const name = env.NETCONF_IFNAME ?? 'eth9';
const change = `<interfaces xmlns="${IF}"><interface><name>${name}</name>
  <description>uplink to core, changed by netconfkit</description>
  <type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type>
  <enabled>true</enabled></interface></interfaces>`;

const m = await connect({
  host: env.NETCONF_HOST ?? '127.0.0.1',
  port: Number(env.NETCONF_PORT ?? 830),
  username: env.NETCONF_USER,
  password: env.NETCONF_PASSWORD,
  knownHostsFile: env.NETCONF_KNOWN_HOSTS, // besides ~/.ssh/known_hosts; unknown host keys are refused
});
try {
  // Someone else holding the lock: RPCError lock-denied, err.info['session-id'] names the holder.
  await m.withLock('candidate', async () => {
    let confirming = false;
    try {
      await m.discardChanges(); // start from what is running
      await m.editConfig(change, { target: 'candidate' });
      await m.validate('candidate');
      await m.commit({ confirmed: true, timeout: 60 }); // rolled back in 60 s unless confirmed
      confirming = true;
      const running = await m.getConfig('running', { filter: `<interfaces xmlns="${IF}"><interface><name>${name}</name></interface></interfaces>` });
      const description = running.data?.find('interfaces/interface/description')?.text;
      if (!description?.includes('netconfkit')) throw new Error(`change not visible in running: ${description}`);
      await m.commit(); // confirm
      console.log(`committed and confirmed: ${name} — ${description}`);
    } catch (err) {
      if (confirming) await m.cancelCommit().catch(() => undefined); // roll back now, not in 60 s
      await m.discardChanges().catch(() => undefined);
      throw err;
    }
  });
} catch (err) {
  if (err instanceof RPCError) console.error(`${err.tag} (${err.type}) at ${err.path ?? '-'}: ${err.message}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await m.close();
}
