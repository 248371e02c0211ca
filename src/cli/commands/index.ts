/** Every subcommand of `netconf`, in the order of the help. */
import type { Command } from '../command.js';
import { cancelCommit, commit, discardChanges } from './commit.js';
import { editConfig, validate } from './edit.js';
import { fleet } from './fleet.js';
import { hello } from './hello.js';
import { listen } from './listen.js';
import { lock, unlock } from './lock.js';
import { get, getConfig, getData } from './retrieve.js';
import { rpc } from './rpc.js';
import { serve } from './serve.js';
import { getSchema } from './schema.js';
import { killSession } from './session.js';
import { subscribe } from './subscribe.js';
import { worker } from './worker.js';
import { yang } from './yang.js';

export const COMMANDS: readonly Command[] = [
  hello,
  get,
  getConfig,
  getData,
  editConfig,
  commit,
  cancelCommit,
  discardChanges,
  validate,
  lock,
  unlock,
  rpc,
  getSchema,
  subscribe,
  killSession,
  yang,
  listen,
  fleet,
  worker,
  serve,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
