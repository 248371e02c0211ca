import type { Command } from '../command.js';
import { checkXml, readSource } from '../input.js';
import { NETCONF_NS } from '../../namespaces.js';

export const rpc: Command = {
  name: 'rpc',
  summary: 'send any RPC operation element from a file or stdin',
  usage: 'FILE|-',
  description: `Sends the operation element in FILE (- reads stdin) inside an <rpc>: e.g.
<get-schema xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><identifier>toaster</identifier></get-schema>
or a vendor RPC or YANG action. A whole <rpc> element is accepted too: its one
operation is sent (message-id and namespace are the client's).`,
  options: {},
  args: { min: 1, max: 1 },
  async run(ctx) {
    const source = ctx.args[0] as string;
    const what = source === '-' ? 'the RPC on stdin' : `the RPC file ${source}`;
    const { elements } = checkXml(ctx, await readSource(ctx, source, 'the RPC'), what);
    if (elements.length !== 1) throw ctx.usage(`${what} must hold one operation element, it has ${elements.length}`);
    let operation = elements[0]!;
    if (operation.local === 'rpc' && operation.namespace === NETCONF_NS) {
      const inner = operation.elements;
      if (inner.length !== 1) throw ctx.usage(`the <rpc> in ${what} must hold one operation element, it has ${inner.length}`);
      operation = inner[0]!;
    }
    const text = operation.toString();
    const m = await ctx.connect();
    ctx.out.reply(await ctx.rpc(operation.local, () => m.rpc(text, { signal: ctx.signal })));
  },
};
