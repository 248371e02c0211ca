import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RPCError, type GetSchemaOptions, type Manager, type RPCReply } from '../../index.js';
import type { Command } from '../command.js';
import type { Context } from '../context.js';
import { formatRpcError } from '../errors.js';
import { moduleText } from '../output.js';

/** How many get-schema RPCs `--all` keeps in flight. */
const CONCURRENCY = 4;

/** The file a module is written to: `name@revision.yang` (`name.yang` when the revision is unknown). */
export function schemaFileName(name: string, revision: string | undefined, format = 'yang'): string {
  const ext = format.replace(/^.*:/, '') || 'yang';
  return `${name}${revision ? `@${revision}` : ''}.${ext}`;
}

/** The first `revision` statement of a YANG module (its latest, by convention). */
export function yangRevision(text: string): string | undefined {
  return /\brevision\s+["']?(\d{4}-\d{2}-\d{2})["']?\s*[{;]/.exec(text)?.[1];
}

function checkName(ctx: Context, name: string, what: string): void {
  // Names go into file names: no path separators, no dot-dot.
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw ctx.usage(`${what} '${name}' is not a YANG module name`);
}

interface Fetched {
  reply: RPCReply;
  name: string;
  revision: string | undefined;
  text: string;
}

async function fetch(ctx: Context, m: Manager, name: string, revision: string | undefined, format: string | undefined, track: boolean): Promise<Fetched> {
  const options: GetSchemaOptions = { signal: ctx.signal };
  if (revision !== undefined) options.version = revision;
  if (format !== undefined) options.format = format;
  const call = (): ReturnType<Manager['getSchema']> => m.getSchema(name, options);
  const reply = track ? await ctx.rpc(`get-schema ${name}`, call) : await call();
  if (!track) ctx.reportWarnings(`get-schema ${name}`, reply);
  const text = reply.data?.textContent ?? '';
  return { reply, name, revision: revision ?? m.serverCapabilities.modules().get(name)?.parameters['revision'] ?? yangRevision(text), text: moduleText(text) };
}

export const getSchema: Command = {
  name: 'get-schema',
  summary: 'fetch a YANG module from the server (or every module it lists)',
  usage: 'NAME [--version REVISION] [--format yang] [--output DIR] | --all --output DIR',
  description: `Sends <get-schema> (RFC 6022; the server needs ietf-netconf-monitoring) and prints
the module (--raw: the whole reply; --json: {"module", "revision", "text"}), or with --output DIR writes it to DIR/NAME@REVISION.yang (the revision is
--version, else the one the server advertises, else the module's first revision
statement; NAME.yang when none is known) and prints the file's path.
--all fetches every module the server lists in the module capabilities of its hello
(RFC 6020 style; a server using YANG library 1.1 lists none there) into --output DIR;
a module that fails is reported and the others are still fetched (exit status 1).`,
  options: {
    version: { type: 'string', value: 'REVISION', help: 'revision of the module (YYYY-MM-DD)' },
    format: { type: 'string', value: 'FORMAT', help: 'yang (the server default), yin, xsd …' },
    output: { type: 'string', short: 'o', value: 'DIR', help: 'write the module(s) into DIR instead of printing' },
    all: { type: 'boolean', help: 'every module of the hello (needs --output)' },
  },
  args: { min: 0, max: 1 },
  async run(ctx) {
    const name = ctx.args[0];
    const all = ctx.flag('all');
    const dir = ctx.string('output');
    const version = ctx.string('version');
    const format = ctx.string('format');
    if (all && name !== undefined) throw ctx.usage(`give a module NAME or --all, not both (with --all, name the server with --host: 'netconf get-schema --all --output DIR --host ${name}')`);
    if (!all && name === undefined) throw ctx.usage('get-schema needs a module NAME (or --all --output DIR)');
    if (all && dir === undefined) throw ctx.usage('--all needs --output DIR');
    if (all && version !== undefined) throw ctx.usage('--version applies to one module NAME');
    if (name !== undefined) checkName(ctx, name, 'NAME');
    if (version !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(version)) throw ctx.usage(`--version must be a revision date YYYY-MM-DD, got '${version}'`);
    if (dir !== undefined) await mkdir(dir, { recursive: true });
    const m = await ctx.connect();

    const write = async (f: Fetched): Promise<string> => {
      const file = join(dir as string, schemaFileName(f.name, f.revision, format));
      await writeFile(file, f.text);
      return file;
    };

    if (!all) {
      const fetched = await fetch(ctx, m, name as string, version, format, true);
      if (dir === undefined) {
        if (ctx.out.mode === 'json') ctx.out.json({ module: fetched.name, revision: fetched.revision ?? null, text: fetched.text });
        else if (ctx.out.mode === 'raw') ctx.out.reply(fetched.reply);
        else ctx.out.text(fetched.text);
        return;
      }
      const file = await write(fetched);
      if (ctx.out.mode === 'json') ctx.out.json({ module: fetched.name, revision: fetched.revision ?? null, file });
      else ctx.out.text(file);
      return;
    }

    const modules = [...m.serverCapabilities.modules()].map(([module, cap]) => ({ name: module, revision: cap.parameters['revision'] }));
    if (modules.length === 0) {
      ctx.log.warn('the server lists no modules in its hello (a YANG library 1.1 server lists them in ietf-yang-library instead)');
      return;
    }
    const written: Array<{ module: string; revision: string | null; file: string }> = [];
    let failures = 0;
    let done = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < modules.length && !ctx.signal.aborted) {
        const mod = modules[next++]!;
        try {
          const fetched = await fetch(ctx, m, mod.name, mod.revision, format, false);
          written.push({ module: mod.name, revision: fetched.revision ?? null, file: await write(fetched) });
        } catch (err) {
          if (!(err instanceof RPCError)) throw err;
          failures++;
          ctx.log.error(`get-schema ${mod.name}${mod.revision ? `@${mod.revision}` : ''} failed:\n${err.errors.map(formatRpcError).join('\n')}`);
        }
        ctx.progress.step('get-schema', ++done, modules.length);
      }
    };
    const workers = Promise.all(Array.from({ length: Math.min(CONCURRENCY, modules.length) }, worker));
    await ctx.progress.track(`get-schema of ${modules.length} modules`, workers, undefined, false);
    written.sort((a, b) => a.file.localeCompare(b.file));
    if (ctx.out.mode === 'json') ctx.out.json(written);
    else for (const w of written) ctx.out.text(w.file);
    ctx.log.info(`wrote ${written.length} of ${modules.length} modules to ${dir as string}`);
    return failures > 0 ? 1 : 0;
  },
};
