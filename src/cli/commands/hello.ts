import type { Command } from '../command.js';

export const hello: Command = {
  name: 'hello',
  summary: "connect and print the server's session-id, framing and capabilities",
  usage: '',
  description: `Connects, prints what the server said in its <hello> (session-id and capabilities)
and the framing negotiated, and closes. With --json: {"host", "port", "session-id",
"framing", "capabilities": [...]} ("host" as given, e.g. an ssh_config alias; "port"
the port connected to; under 'netconf listen', the device's address and the port
it called from). (--raw is not available: the library does not keep
the server's <hello> as received.)`,
  options: {},
  args: { min: 0, max: 0 },
  async run(ctx) {
    if (ctx.out.mode === 'raw') throw ctx.usage("--raw is not available for hello (the server's <hello> is not kept as received): use the default output or --json");
    const m = await ctx.connect();
    const caps = m.serverCapabilities.toArray();
    if (ctx.out.mode === 'json') {
      const { host, port } = ctx.target;
      ctx.out.json({ host, port, 'session-id': m.sessionId, framing: m.session.framing, capabilities: caps });
      return;
    }
    const lines = [
      `session-id: ${m.sessionId ?? ''}`,
      `framing: ${m.session.framing === 'chunked' ? 'chunked (base:1.1)' : 'end-of-message (base:1.0)'}`,
      `capabilities (${caps.length}):`,
      ...caps.map((c) => `  ${c}`),
    ];
    ctx.out.text(lines.join('\n'));
  },
};
