// NETCONF over TLS (RFC 7589): mutual TLS with the client's certificate and key, the server's
// certificate checked against the CA that signed it and the host name.
//   NETCONF_HOST=router1 NETCONF_TLS_CERT=client.pem NETCONF_TLS_KEY=client.key NETCONF_TLS_CA=ca.pem node examples/tls.mjs
import { readFileSync } from 'node:fs';
import { connect, TLSError } from 'netconfkit';

const env = process.env;
let m;
try {
  m = await connect({
    transport: 'tls',
    host: env.NETCONF_HOST ?? '127.0.0.1',
    port: Number(env.NETCONF_PORT ?? 6513),
    tls: {
      cert: readFileSync(env.NETCONF_TLS_CERT),
      key: readFileSync(env.NETCONF_TLS_KEY),
      ca: readFileSync(env.NETCONF_TLS_CA),
    },
  });
} catch (err) {
  // e.g. reason 'unknown-ca', 'name-mismatch', 'expired', 'certificate-required' (with the alert)
  if (err instanceof TLSError) console.error(`TLS refused (${err.reason}${err.alert ? `, alert "${err.alert}"` : ''}): ${err.message}`);
  else console.error(err.message);
  process.exit(3);
}
try {
  const cert = m.session.peerCertificate;
  console.log(`connected to ${m.session.peer}: session-id ${m.sessionId}, server certificate CN=${cert?.subject?.CN}`);
  const reply = await m.getConfig('running');
  console.log(`running configuration: ${reply.xml.length} characters`);
} finally {
  await m.close();
}
