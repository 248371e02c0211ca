import type { Command } from '../command.js';
import { COMMIT_OPTIONS, commitOptions, confirmedCommitHint, PERSIST_ID_OPTION } from './shared.js';

export const commit: Command = {
  name: 'commit',
  summary: 'commit the candidate to running (optionally confirmed)',
  usage: '[--confirmed --persist ID [--confirm-timeout SECONDS]] [--persist-id ID]',
  description: `Sends <commit> (needs :candidate). A confirmed commit (--confirmed, needs
:confirmed-commit) is rolled back unless confirmed by another commit in time. As each
netconf run is a session of its own and a confirmed commit without persist is rolled
back when its session ends, --confirmed needs --persist ID: confirm it later with
'netconf commit --persist-id ID' (or cancel it with 'netconf cancel-commit
--persist-id ID'). 'netconf edit-config FILE --commit' edits and commits in one session.`,
  options: COMMIT_OPTIONS,
  args: { min: 0, max: 0 },
  async run(ctx) {
    const options = commitOptions(ctx);
    const m = await ctx.connect();
    ctx.out.reply(await ctx.rpc('commit', () => m.commit(options)));
    if (options.confirmed) ctx.log.info(confirmedCommitHint(options));
  },
};

export const cancelCommit: Command = {
  name: 'cancel-commit',
  summary: 'cancel a pending confirmed commit',
  usage: '[--persist-id ID]',
  description: 'Sends <cancel-commit> (needs :confirmed-commit:1.1); --persist-id names a persistent confirmed commit.',
  options: { 'persist-id': { ...PERSIST_ID_OPTION['persist-id']!, help: 'the persistent confirmed commit to cancel' } },
  args: { min: 0, max: 0 },
  async run(ctx) {
    const id = ctx.string('persist-id');
    const m = await ctx.connect();
    ctx.out.reply(await ctx.rpc('cancel-commit', () => m.cancelCommit(id, { signal: ctx.signal })));
  },
};

export const discardChanges: Command = {
  name: 'discard-changes',
  summary: 'reset the candidate to the running configuration',
  usage: '',
  description: 'Sends <discard-changes> (needs :candidate).',
  options: {},
  args: { min: 0, max: 0 },
  async run(ctx) {
    const m = await ctx.connect();
    ctx.out.reply(await ctx.rpc('discard-changes', () => m.discardChanges({ signal: ctx.signal })));
  },
};
