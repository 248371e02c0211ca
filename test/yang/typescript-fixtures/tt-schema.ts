/**
 * A hand-built schema that uses every construct the TypeScript generator maps: each built-in
 * type, identities across modules, choices (nested, mandatory), keyed and keyless lists, ordered-by
 * user, state inside config, an augment from another module, an action, RPCs and notifications,
 * and two names that collide once PascalCased.
 */
import type { YangSchema } from '../../../src/yang/schema.js';
import { compiledModule, identity, node, schemaOf, t } from './schema-builder.js';

/** Modules `tt` (data, RPC, notification), `tt-aug` (augments `tt`), `tt-ids` (identities only, imported). */
export function ttSchema(): YangSchema {
  const proto = identity('tt', 'protocol', [], 'A protocol.');
  const tcp = identity('tt', 'tcp', [proto]);
  const udp = identity('tt', 'udp', [proto]);
  const sctp = identity('tt-ids', 'sctp', [proto]);
  const lonely = identity('tt', 'lonely', [], 'No identity derives from this one.');

  const top = node(
    {
      kind: 'container',
      name: 'top',
      description: 'The top container.\n    Second line with */ in it.',
      children: [
        { kind: 'leaf', name: 'name', type: t.string(), mandatory: true },
        { kind: 'leaf', name: 'i8', type: t.int('int8') },
        { kind: 'leaf', name: 'u32', type: t.int('uint32'), units: 'octets', defaults: ['1500'] },
        { kind: 'leaf', name: 'i64', type: t.int('int64') },
        { kind: 'leaf', name: 'u64', type: t.int('uint64') },
        { kind: 'leaf', name: 'dec', type: t.decimal64(2) },
        { kind: 'leaf', name: 'flag', type: t.boolean() },
        { kind: 'leaf', name: 'blob', type: t.binary() },
        { kind: 'leaf', name: 'nothing', type: t.empty() },
        { kind: 'leaf', name: 'color', type: t.enumeration('red', 'green', "it's blue") },
        { kind: 'leaf', name: 'flags', type: t.bits('a', 'b') },
        { kind: 'leaf', name: 'proto', type: t.identityref(proto) },
        { kind: 'leaf', name: 'never-set', type: t.identityref(lonely) },
        { kind: 'leaf', name: 'iid', type: t.instanceIdentifier() },
        { kind: 'leaf', name: 'u', type: t.union(t.int('int32'), t.enumeration('unbounded'), t.empty()) },
        { kind: 'leaf', name: 'us', type: t.union(t.string(), t.enumeration('x')) },
        { kind: 'leaf', name: 'old', type: t.string(), status: 'deprecated' },
        { kind: 'leaf-list', name: 'tags', type: t.string() },
        { kind: 'leaf-list', name: 'order', type: t.int('uint8'), orderedBy: 'user' },
        { kind: 'leaf', name: 'oper', type: t.enumeration('up', 'down'), config: false, mandatory: true },
        { kind: 'container', name: 'foo-bar', children: [{ kind: 'leaf', name: 'x', type: t.string() }] },
        { kind: 'container', name: 'foo_bar', presence: 'enables foo', children: [] },
        {
          kind: 'choice',
          name: 'transport',
          mandatory: true,
          children: [
            { kind: 'case', name: 'tcp', description: 'Over TCP. More text.', children: [{ kind: 'leaf', name: 'tcp-port', type: t.int('uint16') }] },
            {
              kind: 'case',
              name: 'udp',
              children: [
                { kind: 'leaf', name: 'udp-port', type: t.int('uint16'), mandatory: true },
                {
                  kind: 'choice',
                  name: 'mode',
                  children: [
                    { kind: 'case', name: 'unicast', children: [{ kind: 'leaf', name: 'peer', type: t.string() }] },
                    { kind: 'case', name: 'multicast', children: [{ kind: 'leaf', name: 'group', type: t.string() }] },
                  ],
                },
              ],
            },
          ],
        },
        {
          kind: 'list',
          name: 'entry',
          keys: ['id', 'sub'],
          orderedBy: 'user',
          children: [
            { kind: 'leaf', name: 'id', type: t.int('uint32') },
            { kind: 'leaf', name: 'sub', type: t.string() },
            { kind: 'leaf', name: 'weight', type: t.int('uint8'), mandatory: true },
            { kind: 'leaf', name: 'counter', type: t.int('uint64'), config: false },
            { kind: 'anydata', name: 'blob-data' },
            { kind: 'anyxml', name: 'raw' },
            {
              kind: 'action',
              name: 'reset',
              children: [
                { kind: 'input', name: 'input', children: [{ kind: 'leaf', name: 'delay', type: t.int('uint32'), mandatory: true }] },
                { kind: 'output', name: 'output', children: [{ kind: 'leaf', name: 'done', type: t.empty() }] },
              ],
            },
            { kind: 'notification', name: 'entry-changed', children: [{ kind: 'leaf', name: 'what', type: t.string() }] },
          ],
        },
        {
          kind: 'container',
          name: 'state',
          config: false,
          children: [
            { kind: 'list', name: 'session', keys: [], children: [{ kind: 'leaf', name: 'peer', type: t.string(), mandatory: true }] },
          ],
        },
      ],
    },
    undefined,
    'tt',
  );
  // An augment from tt-aug into /tt:top.
  const extra = node({ kind: 'container', name: 'extra', module: 'tt-aug', children: [{ kind: 'leaf', name: 'level', type: t.int('int16') }] }, top);
  const ref = node({ kind: 'leaf', name: 'name-ref', module: 'tt-aug', type: t.leafref('../name', top.children[0]!) }, top);
  (top.children as typeof top.children & unknown[]).push(extra, ref);

  const ping = node(
    {
      kind: 'rpc',
      name: 'ping',
      description: 'Ping a host.',
      children: [
        { kind: 'input', name: 'input', children: [{ kind: 'leaf', name: 'host', type: t.string(), mandatory: true }, { kind: 'leaf', name: 'proto', type: t.identityref(proto) }] },
        { kind: 'output', name: 'output', children: [{ kind: 'leaf', name: 'rtt', type: t.decimal64(3) }, { kind: 'leaf', name: 'proto', type: t.identityref(proto) }] },
      ],
    },
    undefined,
    'tt',
  );
  const bare = node({ kind: 'rpc', name: 'bare' }, undefined, 'tt');
  const alarm = node({ kind: 'notification', name: 'alarm', children: [{ kind: 'leaf', name: 'severity', type: t.enumeration('minor', 'major'), mandatory: true }] }, undefined, 'tt');
  const stateOnly = node({ kind: 'container', name: 'counters', config: false, children: [{ kind: 'leaf', name: 'n', type: t.int('uint64') }] }, undefined, 'tt-aug');

  return schemaOf(
    compiledModule('tt', { data: [top], rpcs: [ping, bare], notifications: [alarm], identities: [proto, tcp, udp, lonely] }),
    compiledModule('tt-aug', { data: [stateOnly] }),
    compiledModule('tt-ids', { identities: [sctp], implemented: false }),
  );
}
