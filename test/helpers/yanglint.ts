// The oracle of the YANG tests: libyang's `yanglint` (Debian's libyang2-tools, 2.1.30 here),
// converting instance data XML ↔ RFC 7951 JSON and validating it.
//
// Thousands of documents per test run: one process per document costs ~5 ms of start-up and
// module loading each, and yanglint's command line stops at the first document it refuses. Its
// interactive mode does not: it reads commands from stdin (no terminal needed), so one process
// loads the modules once (`searchpath`, `add -F …`) and then runs one `data … -o OUT IN` per
// document, going on after a refused one. 2000 documents take ~0.4 s that way. Which document
// a refusal belongs to is read from stderr: libyang's messages come first, then
// `YANGLINT[E]: Failed to parse input data file "IN".` naming the file.
//
// A missing yanglint is an error (the tests fail), never a skip: the comparison is the point.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The yanglint binary (override with YANGLINT=/path/to/yanglint). */
export const YANGLINT = process.env.YANGLINT ?? 'yanglint';

/** The modules yanglint loads for a batch of documents. */
export interface YanglintSchema {
  /** Directories searched for imports and includes (yanglint `searchpath`). */
  readonly searchDirs: readonly string[];
  /** Module files to load (and implement). */
  readonly files: readonly string[];
  /**
   * Enabled features per module (yanglint `-F module:f1,f2`; an empty list: none). Undefined:
   * yanglint's default, every feature of every IMPLEMENTED module (imported-only ones get none).
   */
  readonly features?: ReadonlyMap<string, readonly string[]>;
}

/**
 * What the document is (yanglint `-t`). `get` parses without validating (libyang's
 * LYD_PARSE_ONLY: no mandatory / must / when / leafref-instance / unique / duplicate checks,
 * state data allowed) but still checks every value against its type and every element against
 * the schema: what the codec checks, so it is what the differential tests use.
 */
export type YanglintDataType = 'data' | 'config' | 'get' | 'getconfig' | 'edit' | 'rpc' | 'notif' | 'reply';

/** One document to convert. */
export interface YanglintJob {
  /** The document's text (XML: the top-level elements; JSON: one object). */
  readonly input: string;
  readonly from: 'xml' | 'json';
  readonly to: 'xml' | 'json';
  /** Default `get`. */
  readonly type?: YanglintDataType;
}

/** What yanglint made of a document. */
export interface YanglintOutcome {
  /** Whether yanglint accepted the document. */
  readonly ok: boolean;
  /** The converted document (empty when refused, or for an empty data tree). */
  readonly output: string;
  /** libyang's messages about the document (why it was refused). */
  readonly message: string;
}

let checkedVersion: string | undefined;

/** yanglint's version line; throws (with how to install it) when it is not there. */
export function yanglintVersion(): string {
  if (checkedVersion !== undefined) return checkedVersion;
  const r = spawnSync(YANGLINT, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`yanglint is required by the YANG oracle tests and was not found or failed (${YANGLINT}: ${r.error?.message ?? `exit ${r.status}`}); install Debian's libyang2-tools (apt-get install libyang2-tools)`);
  }
  checkedVersion = r.stdout.trim();
  return checkedVersion;
}

/** The `-F` arguments for a feature map (yanglint wants one per module). */
export function featureArgs(features: ReadonlyMap<string, readonly string[]> | undefined): string[] {
  if (!features) return [];
  const out: string[] = [];
  for (const [module, list] of [...features].sort(([a], [b]) => a.localeCompare(b))) out.push('-F', `${module}:${list.join(',')}`);
  return out;
}

/**
 * Convert many documents with as few yanglint processes as possible: the jobs are split into
 * `concurrency` interactive sessions running side by side, the outcomes returned in job order.
 */
export async function runYanglint(schema: YanglintSchema, jobs: readonly YanglintJob[], concurrency = 2): Promise<YanglintOutcome[]> {
  yanglintVersion();
  if (jobs.length === 0) return [];
  // the documents go through files: /dev/shm (memory) when there is one, writing thousands of
  // small files to a disk-backed /tmp took most of the time
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'netconfkit-yanglint-'));
  try {
    const per = Math.ceil(jobs.length / Math.max(1, concurrency));
    const chunks: Array<Promise<YanglintOutcome[]>> = [];
    for (let start = 0; start < jobs.length; start += per) chunks.push(session(schema, jobs, start, Math.min(jobs.length, start + per), dir));
    // every session finished before the directory goes (a failed one must not cut the others short)
    const settled = await Promise.allSettled(chunks);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.flatMap((r) => (r as PromiseFulfilledResult<YanglintOutcome[]>).value);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One interactive yanglint process for jobs[start..end). */
async function session(schema: YanglintSchema, jobs: readonly YanglintJob[], start: number, end: number, dir: string): Promise<YanglintOutcome[]> {
  const quote = (s: string): string => {
    // The interactive command line splits on blanks; our temporary paths have none.
    if (/\s/.test(s)) throw new Error(`yanglint interactive mode: path with whitespace: ${s}`);
    return s;
  };
  const lines: string[] = [];
  if (schema.searchDirs.length > 0) lines.push(`searchpath ${schema.searchDirs.map(quote).join(' ')}`);
  // errors only: a warning would be taken for the next refused document's message
  lines.push('verb error');
  lines.push(['add', ...featureArgs(schema.features), ...schema.files.map(quote)].join(' '));
  const inputs = new Map<string, number>();
  for (let i = start; i < end; i++) {
    const job = jobs[i]!;
    // yanglint refuses an empty file ("Empty input file"); an empty data tree is valid data
    if (job.input.trim() === '') continue;
    const input = join(dir, `in-${i}.${job.from}`);
    const output = join(dir, `out-${i}.${job.to}`);
    writeFileSync(input, job.input);
    inputs.set(input, i);
    lines.push(`data -t ${job.type ?? 'get'} -F ${job.from} -f ${job.to} -o ${quote(output)} ${quote(input)}`);
  }
  lines.push('quit');
  // Interactive mode keeps its history in $HOME/.yanglint: give it a throw-away home.
  const home = join(dir, `home-${start}`);
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(YANGLINT, [], { cwd: dir, env: { ...process.env, HOME: home }, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stderr: err }));
    child.stdin.end(`${lines.join('\n')}\n`);
  });
  const messages = new Map<number, string>();
  let pending: string[] = [];
  for (const line of stderr.split('\n')) {
    const failed = /^YANGLINT\[E\]: Failed to parse input data file "(.*)"\.$/.exec(line);
    if (failed) {
      const i = inputs.get(failed[1]!);
      if (i === undefined) throw new Error(`yanglint: a failure for an unknown file: ${line}\n${stderr}`);
      messages.set(i, pending.join('\n'));
      pending = [];
    } else if (line.startsWith('YANGLINT[E]')) {
      // anything else failing (loading the modules) makes every outcome meaningless
      throw new Error(`yanglint failed: ${line}\n${stderr.slice(0, 4000)}`);
    } else if (line.startsWith('libyang[')) {
      pending.push(line);
    }
  }
  if (code !== 0) throw new Error(`yanglint exited with ${code}\n${stderr.slice(0, 4000)}`);
  const out: YanglintOutcome[] = [];
  for (let i = start; i < end; i++) {
    const file = join(dir, `out-${i}.${jobs[i]!.to}`);
    const message = messages.get(i);
    if (jobs[i]!.input.trim() === '') {
      out.push({ ok: true, output: '', message: '' });
      continue;
    }
    if (message !== undefined) out.push({ ok: false, output: '', message: message || 'refused' });
    else out.push({ ok: true, output: existsSync(file) ? readFileSync(file, 'utf8') : '', message: '' });
  }
  return out;
}

/**
 * yanglint's command line once (for a single document or the benchmark): `-p` per search
 * directory, the features, then `args`. Returns the exit status and both streams.
 */
export function yanglintCommand(schema: YanglintSchema, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  yanglintVersion();
  const r = spawnSync(YANGLINT, [...schema.searchDirs.flatMap((d) => ['-p', d]), ...featureArgs(schema.features), ...schema.files, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
