/**
 * `netconf` as a subprocess against netconfd: subscribe (notifications from another process's
 * commit, clean end on SIGINT / SIGTERM), kill-session, a lock held by another session.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliSuite, interfaceXml, waitFor } from './cli-helpers.js';

const suite = cliSuite('cli-notify');
const netconf = suite.netconf;
const background = suite.background;

const SUBSCRIBED = /subscribed to stream NETCONF \(session-id (\d+)\)/;
const CONFIG_CHANGE = 'urn:ietf:params:xml:ns:yang:ietf-netconf-notifications';

describe('netconf against netconfd: notifications and sessions', () => {
  it('subscribe prints the netconf-config-change of a commit made by another process, and ends cleanly on SIGINT', async () => {
    const xml = background(['subscribe']);
    const json = background(['subscribe', '--json', '--no-yang']);
    try {
      await waitFor('both subscriptions', () => SUBSCRIBED.test(xml.stderr()) && SUBSCRIBED.test(json.stderr()), 30_000).catch((err: Error) => {
        throw new Error(`${err.message}\nstderr of subscribe: ${xml.stderr()}\nstderr of subscribe --json: ${json.stderr()}`);
      });
      const edit = await netconf(['edit-config', '-', '--commit', '--quiet'], { input: interfaceXml('eth7') });
      assert.equal(edit.code, 0, edit.stderr);
      await waitFor('the config-change notification', () => xml.stdout().includes('</netconf-config-change>') && json.stdout().includes('netconf-config-change'), 20_000);
      xml.child.kill('SIGINT');
      json.child.kill('SIGTERM');
      const [x, j] = await Promise.all([xml.result, json.result]);
      assert.equal(x.code, 0, x.stderr);
      assert.match(x.stderr, /subscription ended\n$/);
      assert.match(x.stdout, /^<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1\.0">\n {2}<eventTime>[^<]+<\/eventTime>\n/);
      assert.ok(x.stdout.includes(`\n  <netconf-config-change xmlns="${CONFIG_CHANGE}">\n    <changed-by>\n`), x.stdout);
      // The prefix of the target's value keeps its declaration.
      assert.match(x.stdout, /\n {6}<target xmlns:if="urn:ietf:params:xml:ns:yang:ietf-interfaces">\/if:interfaces[^<]*<\/target>\n/);
      assert.equal(j.code, 0, j.stderr);
      const events = j.stdout.trim().split('\n').map((line) => JSON.parse(line) as { notification: Record<string, { '@xmlns'?: string; edit?: { operation: string } }> });
      const change = events.find((e) => e.notification['netconf-config-change'])?.notification['netconf-config-change'];
      assert.equal(change?.['@xmlns'], CONFIG_CHANGE);
      assert.equal(change?.edit?.operation, 'create');
    } finally {
      xml.child.kill('SIGKILL');
      json.child.kill('SIGKILL');
    }
  });

  it('kill-session ends another session (holding a lock that another run is denied): its netconf exits with 3', async () => {
    const holder = background(['lock', '--target', 'running', '--hold']);
    try {
      const id = (await waitFor('the lock', () => /holding the lock on running \(session-id (\d+)\)/.exec(holder.stderr()), 30_000)) as RegExpMatchArray;
      assert.equal(holder.stdout(), 'ok\n');
      const denied = await netconf(['lock']);
      assert.equal(denied.code, 1);
      assert.match(denied.stderr, /tag: +lock-denied/);
      assert.match(denied.stderr, new RegExp(`session-id: ${id[1]}\\b`));
      const kill = await netconf(['kill-session', id[1] as string]);
      assert.equal(kill.code, 0, `${kill.stderr}\nthe holder said: ${holder.stderr()}`);
      assert.equal(kill.stdout, 'ok\n');
      const end = await holder.result;
      assert.equal(end.code, 3, end.stderr);
      assert.match(end.stderr, /the session with .* ended/);
    } finally {
      holder.child.kill('SIGKILL');
    }
  });
});
