import { readFileSync, writeFileSync } from 'node:fs';
import { startSimulator, type SimulatorOptions } from '../../simulator/index.js';
import type { Command } from '../command.js';

/** Wait until the run is interrupted (SIGINT/SIGTERM). */
function interrupted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export const serve: Command = {
  name: 'serve',
  summary: 'run the built-in device simulator (a NETCONF server over SSH) until interrupted',
  usage: '',
  description: `Starts the simulator of netconfkit/simulator: a NETCONF server over SSH with
running, candidate and startup datastores, edit-config, filters, locks, confirmed commit,
notifications and get-schema (no YANG validation). It listens on --host (default 127.0.0.1)
and --port (default 8830), accepts the user given with --user/--password (default
admin/admin), prints its host key fingerprints and the known_hosts line that trusts it, and
runs until SIGINT or SIGTERM.`,
  options: {
    config: { type: 'string', value: 'FILE', help: 'initial running configuration (a <config> element or its content)' },
    'yang-dir': { type: 'string', value: 'DIR', help: 'YANG files served by get-schema (name.yang or name@revision.yang)' },
    'host-key': { type: 'string', value: 'FILE', help: 'private host key (OpenSSH/PEM); default: a new ed25519 key each start' },
    'write-known-hosts': { type: 'string', value: 'FILE', help: 'write the known_hosts line trusting this server to FILE' },
  },
  args: { min: 0, max: 0 },
  hostArgument: false,
  async run(ctx) {
    const port = Number(ctx.string('port') ?? 8830);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw ctx.usage(`--port must be 0 to 65535, got ${ctx.string('port')}`);
    const username = ctx.string('user') ?? 'admin';
    const password = ctx.string('password') ?? (ctx.string('password-env') ? ctx.env[ctx.string('password-env') as string] : undefined) ?? 'admin';
    const options: SimulatorOptions = { host: ctx.string('host') ?? '127.0.0.1', port, users: [{ username, password }] };
    const config = ctx.string('config');
    if (config) options.config = readFileSync(config, 'utf8');
    const yangDir = ctx.string('yang-dir');
    if (yangDir) options.yangDir = yangDir;
    const hostKey = ctx.string('host-key');
    if (hostKey) options.hostKey = readFileSync(hostKey);
    const sim = await startSimulator(options);
    try {
      const knownHosts = ctx.string('write-known-hosts');
      if (knownHosts) writeFileSync(knownHosts, `${sim.knownHostsLine}\n`);
      ctx.log.info(
        [
          `netconf simulator listening on ${sim.host}:${sim.port} (user ${username})`,
          `host key ${sim.hostKey.type} ${sim.hostKey.sha256} (MD5:${sim.hostKey.md5})`,
          `known_hosts line: ${sim.knownHostsLine}`,
          'press Ctrl-C to stop',
        ].join('\n'),
      );
      await interrupted(ctx.signal);
    } finally {
      await sim.close();
    }
  },
};
