// Ceiling: OpenSSH's own client. `ssh -s netconf` (a separate process: its decryption runs on the
// other core) is fed the hello and RPCs on stdin by this small script, which only counts the
// bytes and end markers coming out of its stdout (lib/bare.mjs).
//
//   node bench/ceiling-openssh.mjs --workload large|small [--cipher aes128-gcm@openssh.com] [...]
// The cipher is pinned to what ssh2 (so this client) negotiates, for a like-for-like ceiling;
// `--cipher default` leaves OpenSSH's own preference (chacha20-poly1305). Prints one
// `RESULT {json}` line with the cipher ssh reports (-v).
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { BARE_OPTIONS, BareNetconf, bareLarge, bareSmall } from './lib/bare.mjs';
import { emitResult, readPeer, runMain } from './lib/common.mjs';

const { values: opt } = parseArgs({
  options: {
    ...BARE_OPTIONS,
    cipher: { type: 'string', default: 'aes128-gcm@openssh.com' },
  },
});
const peer = readPeer(opt.peer);

runMain(async () => {
  const args = [
    '-v', // for the "kex: server->client cipher" line
    '-T',
    '-p', String(peer.port),
    '-i', peer.keyFile,
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'GlobalKnownHostsFile=/dev/null',
    ...(opt.cipher === 'default' ? [] : ['-c', opt.cipher]),
    '-s', `${peer.username}@${peer.host}`, 'netconf',
  ];
  const ssh = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  ssh.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => ssh.on('close', resolve));
  const bare = new BareNetconf(ssh.stdin, ssh.stdout);
  let result;
  try {
    await bare.hello();
    if (opt.workload === 'large') result = await bareLarge(bare, Number(opt.calls));
    else if (opt.workload === 'small') result = await bareSmall(bare, Number(opt.sequential), Number(opt.pipelined), Number(opt.window));
    else throw new Error(`unknown workload ${opt.workload}`);
    await bare.closeSession();
  } catch (err) {
    ssh.kill();
    throw new Error(`${err.message}; ssh said: ${stderr.split('\n').filter((l) => !l.startsWith('debug')).join(' ').slice(0, 500)}`);
  }
  ssh.stdin.end();
  await exited;
  const cipher = /kex: server->client cipher: (\S+)/.exec(stderr)?.[1];
  const version = /^(OpenSSH_\S+)/m.exec(stderr)?.[1];
  emitResult({ client: 'openssh', workload: opt.workload, ...result, framing: bare.chunked ? 'chunked' : 'eom', cipher, version });
});
