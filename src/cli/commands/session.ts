import type { Command } from '../command.js';

export const killSession: Command = {
  name: 'kill-session',
  summary: 'end another NETCONF session (releasing its locks)',
  usage: 'SESSION-ID',
  description: 'Sends <kill-session> for SESSION-ID (a positive integer, not this session).',
  options: {},
  args: { min: 1, max: 1 },
  async run(ctx) {
    const id = ctx.args[0] as string;
    if (!/^[1-9][0-9]*$/.test(id)) throw ctx.usage(`SESSION-ID must be a positive integer, got '${id}'`);
    const m = await ctx.connect();
    ctx.out.reply(await ctx.rpc('kill-session', () => m.killSession(id, { signal: ctx.signal })));
  },
};
