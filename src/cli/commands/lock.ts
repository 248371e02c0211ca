import type { Command } from '../command.js';
import { datastore } from './shared.js';
import { nextEvent } from './wait.js';

export const lock: Command = {
  name: 'lock',
  summary: 'lock a datastore (released when the session ends; --hold keeps it)',
  usage: '[--target running|candidate|startup] [--hold]',
  description: `Sends <lock> for the --target datastore (default running). A lock belongs to its
session and each netconf run is a session of its own, so the lock is released when
this command ends: alone, 'lock' tells whether the lock can be taken. With --hold
the session stays open, holding the lock, until Ctrl-C / SIGTERM (then it unlocks
and closes cleanly) or until the server ends the session (exit status 3).
To lock around a change, use 'netconf edit-config FILE --lock [--validate] [--commit]'.`,
  options: {
    target: { type: 'string', value: 'DATASTORE', help: 'running (default), candidate or startup' },
    hold: { type: 'boolean', help: 'keep the lock until interrupted' },
  },
  args: { min: 0, max: 0 },
  async run(ctx) {
    const target = datastore(ctx, 'target', 'running') ?? 'running';
    const m = await ctx.connect();
    const reply = await ctx.rpc('lock', () => m.lock(target, { signal: ctx.signal }));
    ctx.out.reply(reply);
    if (!ctx.flag('hold')) {
      ctx.log.info(`locked ${target}; the lock is released as this session ends (--hold keeps it)`);
      return;
    }
    ctx.log.info(`holding the lock on ${target} (session-id ${m.sessionId ?? '?'}); Ctrl-C to release it`);
    for (;;) {
      const event = await nextEvent(m, ctx.signal);
      if (event === 'interrupted' || event === 'ended') break;
    }
    if (m.connected) {
      await m.unlock(target, { timeout: 10 });
      ctx.log.info(`unlocked ${target}`);
    }
  },
};

export const unlock: Command = {
  name: 'unlock',
  summary: 'unlock a datastore locked by this session',
  usage: '[--target running|candidate|startup]',
  description: `Sends <unlock> for the --target datastore (default running). Only the session holding
a lock can release it: a lock held by another session can be ended with
'netconf kill-session ID' (the lock-denied error names the holder's session-id).`,
  options: {
    target: { type: 'string', value: 'DATASTORE', help: 'running (default), candidate or startup' },
  },
  args: { min: 0, max: 0 },
  async run(ctx) {
    const target = datastore(ctx, 'target', 'running') ?? 'running';
    const m = await ctx.connect();
    ctx.out.reply(await ctx.rpc('unlock', () => m.unlock(target, { signal: ctx.signal })));
  },
};
