/**
 * ProxyProcess: a command run with /bin/sh -c whose stdin/stdout are one stream; its exit status
 * and stderr tail when it ends; stop() ends it and what it started.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ProxyCommandError } from '../../src/transport/errors.js';
import { expandProxyTokens, ProxyProcess } from '../../src/transport/proxy-command.js';

/** Running: exists and is not a zombie waiting for its (re)parent to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('expandProxyTokens', () => {
  it('expands %h %p %r %n %% and leaves unknown tokens', () => {
    const out = expandProxyTokens('ssh -W %h:%p -l %r gw # %n 100%% %x', { host: '10.0.0.1', port: 830, user: 'admin', alias: 'r1' });
    assert.equal(out, 'ssh -W 10.0.0.1:830 -l admin gw # r1 100% %x');
  });
});

describe('ProxyProcess', () => {
  it('carries bytes both ways through the command', async () => {
    const proxy = new ProxyProcess('cat');
    const chunks: Buffer[] = [];
    proxy.stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    proxy.stream.write('hello through a proxy');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(Buffer.concat(chunks).toString(), 'hello through a proxy');
    assert.equal(proxy.exited, false);
    assert.equal(await proxy.failure(10), undefined, 'still running: no failure');
    await proxy.stop();
    assert.equal(proxy.exited, true);
  });

  it('reports the exit status and the tail of stderr of a command that ends', async () => {
    const proxy = new ProxyProcess('echo first line >&2; echo "cannot reach bastion" >&2; exit 7');
    const failure = await proxy.failure(5000);
    assert.ok(failure instanceof ProxyCommandError);
    assert.equal(failure.exitCode, 7);
    assert.equal(failure.signal, null);
    assert.match(failure.stderr, /first line\ncannot reach bastion/);
    assert.match(failure.message, /exited with status 7: cannot reach bastion/);
    await proxy.stop();
  });

  it('keeps at most 2 KB of stderr', async () => {
    const proxy = new ProxyProcess('head -c 100000 /dev/zero | tr "\\0" x >&2; echo; echo END >&2; exit 3');
    const failure = await proxy.failure(5000);
    assert.ok(failure);
    assert.ok(failure.stderr.length <= 2048, `${failure.stderr.length} chars kept`);
    assert.match(failure.stderr, /END$/);
  });

  it('stop() ends the shell and the processes it started', async () => {
    const proxy = new ProxyProcess('sleep 30 & wait');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const children = await childrenOf(proxy.pid as number);
    assert.ok(children.length >= 1, 'the shell started sleep');
    await proxy.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const child of children) assert.equal(alive(child), false, `pid ${child} left running`);
    assert.equal(alive(proxy.pid as number), false);
  });
});

async function childrenOf(pid: number): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}
