/**
 * The pieces of the `netconf` command that need no server: the pretty printer, the XML → JSON
 * mapping, error messages, argument parsing, known_hosts lines, progress.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appendKnownHost, AuthenticationError, knownHostsLine, MissingCapabilityError, parseXml, ProxyCommandError, RPCReply, SSHError, SSHUnknownHostError, TimeoutExpiredError, type HostKeyInfo } from '../../src/index.js';
import { connectionSettings } from '../../src/cli/connection.js';
import { describeError, ExitCode, formatRpcError, UsageError } from '../../src/cli/errors.js';
import { acceptNewTarget, fileListing } from '../../src/cli/host-keys.js';
import { xpathPrefixes } from '../../src/cli/input.js';
import { locateCommand, parseCommandLine } from '../../src/cli/main.js';
import { jsonText, MAX_INDENT_LEVELS } from '../../src/cli/json-text.js';
import { contentToJson, moduleText, Output, prettyXml, xmlToJson, type JsonValue } from '../../src/cli/output.js';
import { formatBytes, Progress } from '../../src/cli/progress.js';

const BASE = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IANA = 'urn:ietf:params:xml:ns:yang:iana-if-type';

function reply(body: string, extraDecls = ''): RPCReply {
  return new RPCReply(`<?xml version="1.0" encoding="UTF-8"?>\n<rpc-reply message-id="101" xmlns="${BASE}"${extraDecls}>\n  ${body}\n</rpc-reply>`, '101');
}

const DATA = `<data>
    <interfaces xmlns="${IF}">
      <interface>
        <name>eth0</name>
        <type xmlns:ianaift="${IANA}">ianaift:ethernetCsmacd</type>
        <enabled>true</enabled>
      </interface>
      <interface>
        <name>lo</name>
        <description> two  spaces </description>
      </interface>
    </interfaces>
    <nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm">
    </nacm>
  </data>`;

function capture(mode: 'pretty' | 'raw' | 'json'): { out: Output; text: () => string } {
  let text = '';
  return { out: new Output(mode, (t) => (text += t)), text: () => text };
}

describe('pretty printer', () => {
  it('prints the content of <data>, each element standalone with its namespace declarations', () => {
    const { out, text } = capture('pretty');
    out.reply(reply(DATA));
    assert.equal(
      text(),
      `<interfaces xmlns="${IF}">
  <interface>
    <name>eth0</name>
    <type xmlns:ianaift="${IANA}">ianaift:ethernetCsmacd</type>
    <enabled>true</enabled>
  </interface>
  <interface>
    <name>lo</name>
    <description> two  spaces </description>
  </interface>
</interfaces>
<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"/>
`,
    );
  });

  it('carries inherited prefixed declarations the subtree uses, and only those', () => {
    const doc = parseXml(`<a xmlns="urn:a" xmlns:x="urn:x" xmlns:unused="urn:u"><b><c x:attr="1">x:value</c></b></a>`);
    const b = doc.elements[0]!;
    assert.equal(prettyXml(b), `<b xmlns="urn:a" xmlns:x="urn:x">\n  <c x:attr="1">x:value</c>\n</b>`);
  });

  it('keeps mixed content verbatim and escapes text and attributes', () => {
    const doc = parseXml(`<p xmlns="urn:p" q="a&quot;b&#10;c">Hello <b>big</b> &lt;world&gt; &amp; more</p>`);
    assert.equal(prettyXml(doc), `<p xmlns="urn:p" q="a&quot;b&#10;c">Hello <b>big</b> &lt;world&gt; &amp; more</p>`);
  });

  it('prints a bare <ok/> reply as "ok" and a text-only result as its text', () => {
    const ok = capture('pretty');
    ok.out.reply(reply('<ok/>'));
    assert.equal(ok.text(), 'ok\n');
    const schema = capture('pretty');
    schema.out.reply(reply(`<data xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring">\nmodule m {\n  prefix m;\n}\n</data>`));
    assert.equal(schema.text(), 'module m {\n  prefix m;\n}\n');
  });

  it('--raw prints the reply exactly as received (plus a final newline)', () => {
    const { out, text } = capture('raw');
    const r = reply(DATA);
    out.reply(r);
    assert.equal(text(), `${r.xml}\n`);
  });
});

describe('XML to JSON mapping', () => {
  it('maps the content of <data>: local names, @xmlns on namespace change, arrays, strings, prefixes', () => {
    const { out, text } = capture('json');
    out.reply(reply(DATA));
    assert.deepEqual(JSON.parse(text()), {
      interfaces: {
        '@xmlns': IF,
        interface: [
          { name: 'eth0', type: { '@xmlns:ianaift': IANA, '#text': 'ianaift:ethernetCsmacd' }, enabled: 'true' },
          { name: 'lo', description: ' two  spaces ' },
        ],
      },
      nacm: { '@xmlns': 'urn:ietf:params:xml:ns:yang:ietf-netconf-acm' },
    });
  });

  it('maps attributes, mixed content, empty elements and leaving a namespace', () => {
    const doc = parseXml(`<a xmlns="urn:a" xmlns:nc="${BASE}" id="7"><b nc:operation="delete"/><c>x<d/>y</c><e></e><f xmlns="">plain</f></a>`);
    assert.deepEqual(JSON.parse(JSON.stringify(xmlToJson(doc))), {
      a: {
        '@xmlns': 'urn:a',
        '@xmlns:nc': BASE,
        '@id': '7',
        b: { '@nc:operation': 'delete' },
        c: { '#text': 'xy', d: '' },
        e: '',
        f: { '@xmlns': '', '#text': 'plain' },
      },
    });
  });

  it('keeps repeated siblings in different namespaces apart by their @xmlns, and names like __proto__ as data', () => {
    const doc = parseXml(`<r xmlns="urn:r"><x>1</x><x xmlns="urn:other">2</x><x>3</x><__proto__>p</__proto__></r>`);
    const json = JSON.parse(JSON.stringify(xmlToJson(doc))) as { r: Record<string, unknown> };
    assert.deepEqual(json.r['x'], ['1', { '@xmlns': 'urn:other', '#text': '2' }, '3']);
    assert.equal(Object.getOwnPropertyDescriptor(json.r, '__proto__')?.value, 'p');
  });

  it('maps an empty result to {}, an ok reply to {"ok": ""}, a text result to a string', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(contentToJson(parseXml(`<data xmlns="${BASE}">\n  </data>`)))), {});
    assert.deepEqual(JSON.parse(JSON.stringify(contentToJson(parseXml(`<rpc-reply xmlns="${BASE}"><ok/></rpc-reply>`)))), { ok: '' });
    assert.equal(contentToJson(parseXml(`<data xmlns="urn:m">module m {}</data>`)), 'module m {}');
  });

  it('prints a notification as one line of JSON', () => {
    const { out, text } = capture('json');
    const raw = `<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-01-01T00:00:00Z</eventTime><e xmlns="urn:e"><v>1</v></e></notification>`;
    out.notification({ raw, document: parseXml(raw), eventTime: '', eventDate: new Date(0), element: undefined, droppedBefore: 0 });
    assert.equal(text().split('\n').length, 2);
    assert.deepEqual(JSON.parse(text()), {
      notification: { '@xmlns': 'urn:ietf:params:xml:ns:netconf:notification:1.0', eventTime: '2024-01-01T00:00:00Z', e: { '@xmlns': 'urn:e', v: '1' } },
    });
  });

  it('moduleText drops leading blank lines and ends with one newline', () => {
    assert.equal(moduleText('\n\nmodule x {\n}\n\n'), 'module x {\n}\n');
  });
});

describe('trees of any depth', () => {
  const depth = 120_000;
  const doc = parseXml(`<a xmlns="urn:a" xmlns:p="urn:p">${'<b p:k="v">'.repeat(depth)}p:leaf${'</b>'.repeat(depth)}</a>`, { maxDepth: depth + 1 });
  const notification = parseXml(
    `<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-01-01T00:00:00Z</eventTime>${'<e>'.repeat(depth)}1${'</e>'.repeat(depth)}</notification>`,
    { maxDepth: depth + 1 },
  );

  it('the JSON text of the mapping is what JSON.stringify writes', () => {
    for (const xml of [DATA, `<a xmlns="urn:a" id="7"><b/><c>x<d/>y</c><c>"q" \\ é 😀</c><e></e></a>`, '<x/>', '<x>t</x>']) {
      const value = xmlToJson(parseXml(xml));
      assert.equal(jsonText(value, '  '), JSON.stringify(value, null, 2));
      assert.equal(jsonText(value, ''), JSON.stringify(value));
    }
    const values: JsonValue[] = ['s', [], {}, ['a', ['b', {}], { k: [] }]];
    for (const value of values) assert.equal(jsonText(value, '  '), JSON.stringify(value, null, 2));
  });

  it(`JSON mapping and --json output at ${depth} levels (JSON.stringify overflows the stack there)`, () => {
    let value = xmlToJson(doc)['a'];
    for (let d = 0; d < depth; d++) value = (value as Record<string, JsonValue>)['b'];
    assert.deepEqual({ ...(value as Record<string, JsonValue>) }, { '@p:k': 'v', '#text': 'p:leaf' });
    const json = capture('json');
    json.out.notification({ raw: '', document: notification, eventTime: '', eventDate: new Date(0), element: undefined, droppedBefore: 0 });
    assert.equal(json.text().split('\n').length, 2, 'one line');
    let e = (JSON.parse(json.text()) as { notification: Record<string, unknown> }).notification['e'];
    for (let d = 1; d < depth; d++) e = (e as Record<string, unknown>)['e'];
    assert.equal(e, '1');
    const indented = capture('json');
    indented.out.errorReply('', () => doc);
    const lines = indented.text().split('\n');
    assert.ok(lines.length > depth, 'indented');
    assert.ok(lines.every((line) => /^ */.exec(line)![0].length <= 2 * MAX_INDENT_LEVELS), 'indentation stops growing');
  });

  it(`pretty printing at ${depth} levels, indentation capped`, () => {
    const lines = prettyXml(doc).split('\n');
    assert.equal(lines.length, 2 * depth + 1);
    assert.equal(lines[0], '<a xmlns="urn:a" xmlns:p="urn:p">');
    assert.equal(lines[depth], `${'  '.repeat(MAX_INDENT_LEVELS)}<b p:k="v">p:leaf</b>`);
    assert.equal(lines[2 * depth], '</a>');
    // Mixed content deep down is written as it is.
    const mixed = parseXml(`<m>x${'<b>'.repeat(depth)}y${'</b>'.repeat(depth)}</m>`, { maxDepth: depth + 1 });
    assert.equal(prettyXml(mixed), mixed.toString());
  });
});

describe('error messages', () => {
  const errorReply = reply(
    `<rpc-error><error-type>protocol</error-type><error-tag>invalid-value</error-tag><error-severity>error</error-severity>` +
      `<error-app-tag>data-invalid</error-app-tag><error-path>/nc:rpc/if:interfaces</error-path><error-message xml:lang="en">invalid value</error-message>` +
      `<error-info><bad-value xmlns="urn:x">bogus</bad-value><error-number xmlns="urn:x">258</error-number></error-info></rpc-error>`,
  );

  it('prints every field of an rpc-error', () => {
    const text = formatRpcError(errorReply.errors[0]!);
    for (const line of ['severity: error', 'type:     protocol', 'tag:      invalid-value', 'app-tag:  data-invalid', 'path:     /nc:rpc/if:interfaces', 'message:  invalid value', 'bad-value: bogus', 'error-number: 258']) {
      assert.ok(text.includes(line), `${line} in\n${text}`);
    }
  });

  it('maps errors to exit statuses, stack traces only with --debug', () => {
    const usage = describeError(new UsageError('bad', 'get'), { command: 'get', debug: false });
    assert.equal(usage.code, ExitCode.USAGE);
    assert.match(usage.message, /netconf get --help/);
    const key: HostKeyInfo = { type: 'ssh-ed25519', md5: 'aa:bb', sha256: 'SHA256:xyz', key: Buffer.from('k') };
    const ctx = { command: 'hello', host: 'h', port: 830, hostKey: key, knownHostsLine: '[h]:830 ssh-ed25519 aw==', knownHostsFile: '/k', debug: false };
    const unknown = describeError(new SSHUnknownHostError('h', 'aa:bb', 'unknown'), ctx);
    assert.equal(unknown.code, ExitCode.CONNECTION);
    assert.match(unknown.message, /SHA256:xyz/);
    assert.match(unknown.message, /MD5:aa:bb/);
    assert.match(unknown.message, /--accept-new/);
    assert.match(unknown.message, /\[h\]:830 ssh-ed25519 aw==/);
    assert.doesNotMatch(unknown.message, /at .*\.js/);
    const changed = describeError(new SSHUnknownHostError('h', 'aa:bb', 'changed'), ctx);
    assert.match(changed.message, /CHANGED/);
    assert.match(changed.message, /ssh-keygen -R '\[h\]:830' -f \/k/);
    const capability = describeError(new MissingCapabilityError(':with-defaults', 'get-config with with-defaults'), { command: 'get-config', debug: false });
    assert.deepEqual(capability, { code: ExitCode.CAPABILITY, message: 'get-config with with-defaults needs the server capability :with-defaults: the server does not advertise it (nothing was sent)' });
    const timeout = describeError(new TimeoutExpiredError('no reply'), { command: 'get', host: 'h', port: 830, timeout: 7, debug: false });
    assert.deepEqual(timeout, { code: ExitCode.TIMEOUT, message: 'get: no reply from h:830 within 7 s (use --timeout SECONDS to wait longer)' });
    const debug = describeError(new Error('boom'), { command: 'get', debug: true });
    assert.equal(debug.code, ExitCode.INTERNAL);
    assert.match(debug.message, /--debug: Error: boom\n\s+at /);
  });

  it('names an ssh_config alias with its address, and a jump host by its position', () => {
    const ctx = { command: 'get', host: '10.0.0.1', port: 2830, alias: 'router1', timeout: 7, debug: false };
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:2830'), { code: 'ECONNREFUSED', level: 'client-socket' });
    assert.equal(describeError(new SSHError('Could not connect to 10.0.0.1:2830: connect ECONNREFUSED', { cause: refused }), ctx).message, 'connection refused by router1 (10.0.0.1:2830): is a NETCONF server listening on that port? (NETCONF over SSH is usually port 830)');
    const hop = { index: 1, host: 'core-gw', port: 22 };
    const hopRefused = describeError(new SSHError('jump host 2 (me@core-gw:22): Could not connect to core-gw:22: connect ECONNREFUSED', { cause: refused, hop }), ctx);
    assert.deepEqual(hopRefused, { code: ExitCode.CONNECTION, message: 'connection refused by jump host 2 (core-gw:22): is its SSH server listening on that port?' });
    const timeout = Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' });
    assert.match(describeError(new SSHError('x', { cause: timeout, hop }), ctx).message, /^timed out after 7 s connecting to jump host 2 \(core-gw:22\)/);
    const auth = describeError(new AuthenticationError('jump host 2 (me@core-gw:22): Authentication failed for me@core-gw:22 (tried: agent)', { hop }), ctx);
    assert.equal(auth.code, ExitCode.CONNECTION);
    assert.match(auth.message, /^jump host 2 \(me@core-gw:22\): authentication failed for me@core-gw:22 \(tried: agent\)\nCheck the jump host's user/);
    assert.match(auth.message, /the password is not offered to jump hosts/);
    const key: HostKeyInfo = { type: 'ssh-ed25519', md5: 'aa:bb', sha256: 'SHA256:xyz', key: Buffer.from('k') };
    const unknown = describeError(new SSHUnknownHostError('core-gw', 'aa:bb', 'unknown', undefined, key, { hop, port: 22 }), { ...ctx, knownHostsLine: 'core-gw ssh-ed25519 aw==' });
    assert.match(unknown.message, /^the host key of jump host 2 \(core-gw:22\) is not known: refusing to connect\.\n {2}ssh-ed25519 key fingerprint is SHA256:xyz\n/);
    const changed = describeError(new SSHUnknownHostError('core-gw', 'aa:bb', 'changed', undefined, key, { hop, port: 22 }), { ...ctx, knownHostsName: 'core-gw', knownHostsFile: '/kh' });
    assert.match(changed.message, /^WARNING: the host key of jump host 2 \(core-gw:22\) has CHANGED/);
    assert.match(changed.message, /ssh-keygen -R 'core-gw' -f \/kh/);
    const acceptFailed = describeError(
      new SSHUnknownHostError('10.0.0.1', 'aa:bb', 'unknown', 'Unknown host key for 10.0.0.1:2830 (ssh-ed25519 SHA256:xyz): StrictHostKeyChecking accept-new could not write /ro/known_hosts: EACCES: permission denied', key),
      { ...ctx, acceptNew: true },
    );
    assert.match(acceptFailed.message, /^could not accept the host key of router1 \(10\.0\.0\.1:2830\): cannot write \/ro\/known_hosts: EACCES: permission denied\n/);
    const proxy = describeError(new ProxyCommandError('Proxy command "nc %h %p" exited with status 1: nc: no route', 1, null, 'warming up\nnc: no route\n'), ctx);
    assert.deepEqual(proxy, {
      code: ExitCode.CONNECTION,
      message: 'the proxy command "nc %h %p" exited with status 1 before the SSH connection to router1 (10.0.0.1:2830) was made\nits standard error ended with:\n  warming up\n  nc: no route',
    });
  });
});

describe('arguments', () => {
  it('finds the command word after global options and their values', () => {
    assert.equal(locateCommand(['--host', 'h', '-u', 'me', '--debug', 'get-config', '--source', 'x']), 5);
    assert.equal(locateCommand(['--host=h', '-qu', 'me', 'hello']), 3);
    assert.equal(locateCommand(['-uroot', 'hello']), 1);
    assert.equal(locateCommand(['--debug']), -1);
  });

  it('parses a command with its own and global options; get-schema --version is the revision', () => {
    const p = parseCommandLine(['get-schema', 'toaster', '--version', '2009-11-20', '--host', 'h', '--json']);
    assert.equal(p.kind, 'run');
    if (p.kind !== 'run') return;
    assert.equal(p.invocation.command.name, 'get-schema');
    assert.deepEqual(p.invocation.args, ['toaster']);
    assert.equal(p.invocation.values['version'], '2009-11-20');
    assert.equal(p.invocation.values['json'], true);
    assert.deepEqual(parseCommandLine(['--version']), { kind: 'version' });
  });

  it('takes a leading HOST argument only when the command is given one argument more than it takes', () => {
    const run = (argv: string[]): { host: unknown; args: string[] } => {
      const p = parseCommandLine(argv);
      assert.equal(p.kind, 'run');
      return p.kind === 'run' ? { host: p.invocation.values['host'], args: p.invocation.args } : { host: undefined, args: [] };
    };
    assert.deepEqual(run(['get-config', 'router1', '--source', 'candidate']), { host: 'router1', args: [] });
    assert.deepEqual(run(['-J', 'bastion', 'hello', 'router1']), { host: 'router1', args: [] });
    assert.deepEqual(run(['edit-config', 'router1', 'change.xml']), { host: 'router1', args: ['change.xml'] });
    assert.deepEqual(run(['edit-config', 'change.xml', '--host', 'h']), { host: 'h', args: ['change.xml'] });
    assert.deepEqual(run(['get-schema', 'ietf-interfaces']), { host: undefined, args: ['ietf-interfaces'] });
    assert.deepEqual(run(['get-schema', 'router1', 'ietf-interfaces']), { host: 'router1', args: ['ietf-interfaces'] });
    assert.deepEqual(run(['kill-session', 'router1', '42']), { host: 'router1', args: ['42'] });
    assert.deepEqual(run(['hello', '2001:db8::1']), { host: '2001:db8::1', args: [] });
    assert.deepEqual(run(['hello', '10.0.0.1']), { host: '10.0.0.1', args: [] });
  });

  it('turns every mistake into a UsageError', () => {
    for (const argv of [[], ['nope'], ['get', '--nope'], ['get', '--host'], ['edit-config'], ['kill-session', '1', '2', '3'], ['get', '--raw', '--json'], ['hello', '--version'], ['hello', 'a', 'b'], ['serve', 'x'], ['get', 'me@r1'], ['get', 'r1:830'], ['get', 'r1', '--host', 'r2']]) {
      assert.throws(() => parseCommandLine(argv), UsageError, JSON.stringify(argv));
    }
  });

  it('finds the namespace prefixes of an XPath expression', () => {
    assert.deepEqual(xpathPrefixes('/if:interfaces/if:interface[if:name="a:b"]/child::x:y'), ['if', 'x']);
  });
});

describe('connection settings', () => {
  let dir = '';
  const settings = (values: Record<string, string | boolean | string[]>, env: NodeJS.ProcessEnv = {}) => connectionSettings(values, { HOME: dir, ...env }, 'hello');

  it('the port and the user: command line, then the ssh_config entry, then NETCONF_PORT / NETCONF_USER, then the library', async () => {
    dir = await mkdtemp(join(tmpdir(), 'netconf-cli-settings-'));
    try {
      const file = join(dir, 'ssh_config');
      await writeFile(file, 'Host router1\n  HostName 10.1.1.1\n  Port 2830\n  User ops\n  UserKnownHostsFile /etc/netconf/known_hosts\n\nHost bare\n  HostName 10.2.2.2\n');
      const env = { NETCONF_PORT: '8830', NETCONF_USER: 'envuser' };
      const alias = settings({ host: 'router1', 'ssh-config': file }, env);
      assert.equal(alias.port, undefined, 'left to the file');
      assert.equal(alias.username, undefined, 'left to the file');
      assert.deepEqual(alias.target, { hostName: '10.1.1.1', port: 2830, user: 'ops' });
      assert.equal(acceptNewTarget([], alias.config), '/etc/netconf/known_hosts');
      assert.equal(acceptNewTarget(['/mine'], alias.config), '/mine');
      const given = settings({ host: 'router1', 'ssh-config': file, port: '22', user: 'me' }, env);
      assert.equal(given.port, 22);
      assert.equal(given.username, 'me');
      assert.deepEqual(given.target, { hostName: '10.1.1.1', port: 22, user: 'me' });
      const bare = settings({ host: 'bare', 'ssh-config': file }, env);
      assert.equal(bare.port, 8830, 'the file has no Port: NETCONF_PORT');
      assert.equal(bare.username, 'envuser');
      assert.deepEqual(bare.target, { hostName: '10.2.2.2', port: 8830, user: 'envuser' });
      const nothing = settings({ host: 'router1', 'ssh-config': 'none' });
      assert.equal(nothing.sshConfig, false);
      assert.equal(nothing.port, undefined, 'the library defaults to 830');
      assert.deepEqual(nothing.target, { hostName: 'router1', port: 830, user: undefined });
      assert.throws(() => settings({ host: 'bare', 'ssh-config': file }, { NETCONF_PORT: 'x' }), /NETCONF_PORT must be a TCP port number/);
      const options = settings({ host: 'h', jump: 'me@b1:2222,b2', keepalive: '15', 'identities-only': true, 'allow-strict-host-key-checking-no': true, 'ssh-config': 'none' });
      assert.equal(options.jump, 'me@b1:2222,b2');
      assert.equal(options.keepalive, 15);
      assert.equal(options.identitiesOnly, true);
      assert.equal(options.allowStrictHostKeyCheckingNo, true);
      assert.equal(settings({ host: 'h', keepalive: '0', 'ssh-config': 'none' }).keepalive, 0);
      assert.equal(settings({ host: 'h', jump: '[::1]:2222,none-such', 'ssh-config': 'none' }).jump, '[::1]:2222,none-such');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('known_hosts and progress', () => {
  it('finds the file listing a host (for ssh-keygen -R)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netconf-cli-kh-'));
    try {
      const a = join(dir, 'a');
      const b = join(dir, 'b');
      await writeFile(a, '[other]:830 ssh-ed25519 AAAA\n');
      await writeFile(b, '# comment\nfoo,[Router1]:830 ssh-ed25519 AAAA\n');
      assert.equal(fileListing('router1', 830, [join(dir, 'missing'), a, b]), b);
      assert.equal(fileListing('router1', 22, [a, b]), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes OpenSSH lines: [host]:port, plain host for port 22, on a new line', async () => {
    const key: HostKeyInfo = { type: 'ssh-ed25519', md5: '', sha256: '', key: Buffer.from('key-bytes') };
    assert.equal(knownHostsLine('10.0.0.1', 830, key), `[10.0.0.1]:830 ssh-ed25519 ${Buffer.from('key-bytes').toString('base64')}`);
    assert.equal(knownHostsLine('router', 22, key), `router ssh-ed25519 ${Buffer.from('key-bytes').toString('base64')}`);
    const dir = await mkdtemp(join(tmpdir(), 'netconf-cli-kh-'));
    try {
      const file = join(dir, 'sub', 'known_hosts');
      appendKnownHost(file, 'one');
      await writeFile(file, 'one\ntwo');
      appendKnownHost(file, 'three');
      assert.equal(await readFile(file, 'utf8'), 'one\ntwo\nthree\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('formats sizes and reports a summary when asked (--progress), nothing when off', async () => {
    assert.equal(formatBytes(12), '12 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(5 * 1024 * 1024), '5.0 MiB');
    let written = '';
    const on = new Progress({ isTTY: false, write: (t: string) => (written += t) }, 'on');
    let bytes = 0;
    on.setCounter(() => bytes);
    const work = new Promise<string>((resolve) => setTimeout(() => ((bytes = 2048), resolve('r')), 20));
    assert.equal(await on.track('get', work, () => 1000), 'r');
    assert.match(written, /^get: 2\.0 KiB received in \d+\.\d s \(.*\/s\), reply 1000 B\n$/);
    written = '';
    await new Progress({ isTTY: true, write: (t: string) => (written += t) }, 'off').track('get', Promise.resolve(1));
    await new Progress({ isTTY: false, write: (t: string) => (written += t) }, 'auto').track('get', Promise.resolve(1));
    assert.equal(written, '');
  });
});
