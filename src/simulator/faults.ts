/**
 * Fault injection: rules that make the simulator misbehave on chosen RPCs, for testing how a
 * client copes.
 *
 * ```ts
 * sim.faults.next({ operation: 'get-config', delay: 2000 });          // next get-config answered 2 s late
 * sim.faults.next({ operation: 'get', drop: { afterBytes: 100 } });   // connection dropped mid-reply
 * sim.faults.always({ sessionId: 3, malformedFraming: 'zero-chunk' }); // every reply on session 3 breaks the framing
 * const rule = sim.faults.always({ operation: 'get', bigReply: 8 << 20 }); … rule.remove();
 * ```
 *
 * A rule has matching fields (`operation`, `sessionId`, `match`), an optional `delay`, at most
 * one *content* fault (`bigReply`, `rpcError`, `rawReply`; the operation is then not carried out)
 * and at most one *delivery* fault (`stall`, `drop`, `malformedFraming`, `noReply`). `messageId`
 * combines with any of them. The first active rule that matches an RPC applies.
 * @module
 */
import type { RpcErrorSpec } from './errors.js';
import type { XmlElement } from '../index.js';

/** What a fault rule can match on. */
export interface FaultRpcInfo {
  /** Session the RPC arrived on. */
  sessionId: number;
  /** Local name of the operation (`get-config`); `hello` for the server's hello. */
  operation: string;
  /** Namespace of the operation element (`''` for the hello). */
  namespace: string;
  /** The RPC's message-id (undefined for the hello or an RPC without one). */
  messageId: string | undefined;
  /** The operation element (undefined for the hello). */
  element: XmlElement | undefined;
}

/** Ways to break base:1.1 chunked framing. */
export type MalformedFraming = 'zero-chunk' | 'bad-header' | 'garbage';

/** A fault to inject. */
export interface FaultSpec {
  /**
   * Operation(s) to act on, by local name (`get`, `edit-config`, `commit` …). `hello` designates
   * the server's hello, sent when a session opens (delay, stall, drop, malformedFraming, noReply
   * and rawReply apply to it). Absent: every RPC (never the hello).
   */
  operation?: string | readonly string[];
  /** Only on this session. */
  sessionId?: number;
  /** A further condition (one that throws counts as not matching). */
  match?: (rpc: FaultRpcInfo) => boolean;

  /** Milliseconds to wait before carrying out the RPC and replying. */
  delay?: number;

  /** Send part of the reply (`afterBytes` bytes of the framed message; default half), then nothing more on this session. */
  stall?: boolean | { afterBytes: number };
  /** Send part of the reply (default half), then drop the connection (TCP closed without SSH disconnect). */
  drop?: boolean | { afterBytes: number };
  /**
   * Break the framing: in base:1.1, the first part of the reply as a valid chunk followed by a
   * `#0` chunk (`zero-chunk`, the default), a chunk header with a non-digit (`bad-header`), or
   * bytes where a chunk header must be (`garbage`). Nothing more is sent on the session. In
   * base:1.0 there is no framing to break: the reply is replaced by non-XML text.
   */
  malformedFraming?: boolean | MalformedFraming;
  /** Carry out the RPC but send no reply. */
  noReply?: boolean;

  /** Reply with this message-id instead of the RPC's. */
  messageId?: string;
  /** Reply with a `<data>` of about this many bytes, generated and streamed in chunks. */
  bigReply?: number;
  /** Reply with this `<rpc-error>` instead of carrying out the RPC. */
  rpcError?: RpcErrorSpec;
  /** Send this text as the whole message instead of the reply (or the hello). */
  rawReply?: string;
}

/** A registered fault rule. */
export class FaultRule {
  /** What the rule does. */
  readonly spec: Readonly<FaultSpec>;
  #remaining: number;
  #hits = 0;
  readonly #onRemove: (rule: FaultRule) => void;

  /** @internal */
  constructor(spec: FaultSpec, times: number, onRemove: (rule: FaultRule) => void) {
    this.spec = Object.freeze({ ...spec });
    this.#remaining = times;
    this.#onRemove = onRemove;
  }

  /** How many times the rule has applied. */
  get hits(): number {
    return this.#hits;
  }

  /** True while the rule can still apply. */
  get active(): boolean {
    return this.#remaining > 0;
  }

  /** Withdraw the rule. */
  remove(): void {
    this.#remaining = 0;
    this.#onRemove(this);
  }

  /** @internal Count one application; true when the rule is then used up. */
  hit(): boolean {
    this.#hits++;
    this.#remaining--;
    return this.#remaining <= 0;
  }
}

function check(spec: FaultSpec): void {
  const delivery = ['stall', 'drop', 'malformedFraming', 'noReply'].filter((k) => spec[k as keyof FaultSpec] !== undefined && spec[k as keyof FaultSpec] !== false);
  if (delivery.length > 1) throw new TypeError(`A fault can have one of stall, drop, malformedFraming, noReply; got ${delivery.join(', ')}`);
  const content = ['bigReply', 'rpcError', 'rawReply'].filter((k) => spec[k as keyof FaultSpec] !== undefined);
  if (content.length > 1) throw new TypeError(`A fault can have one of bigReply, rpcError, rawReply; got ${content.join(', ')}`);
  if (spec.delay !== undefined && !(Number.isFinite(spec.delay) && spec.delay >= 0)) throw new TypeError(`delay must be a number of milliseconds >= 0, got ${String(spec.delay)}`);
  if (spec.bigReply !== undefined && !(Number.isSafeInteger(spec.bigReply) && spec.bigReply > 0)) throw new TypeError(`bigReply must be a positive number of bytes, got ${String(spec.bigReply)}`);
  for (const cut of [spec.stall, spec.drop]) {
    if (typeof cut === 'object' && !(Number.isSafeInteger(cut.afterBytes) && cut.afterBytes >= 0)) throw new TypeError(`afterBytes must be an integer >= 0, got ${String(cut.afterBytes)}`);
  }
  if (typeof spec.malformedFraming === 'string' && !['zero-chunk', 'bad-header', 'garbage'].includes(spec.malformedFraming)) {
    throw new TypeError(`malformedFraming must be zero-chunk, bad-header or garbage, got ${JSON.stringify(spec.malformedFraming)}`);
  }
}

/** The fault rules of a simulator (`sim.faults`). */
export class Faults {
  #rules: FaultRule[] = [];

  /** Apply `spec` to the next matching RPC only. */
  next(spec: FaultSpec): FaultRule {
    return this.add(spec, 1);
  }

  /** Apply `spec` to every matching RPC until the rule is removed. */
  always(spec: FaultSpec): FaultRule {
    return this.add(spec, Infinity);
  }

  /** Apply `spec` to the next `times` matching RPCs. */
  add(spec: FaultSpec, times: number): FaultRule {
    if (!(times > 0)) throw new TypeError(`times must be positive, got ${String(times)}`);
    check(spec);
    const rule = new FaultRule(spec, times, (r) => {
      this.#rules = this.#rules.filter((x) => x !== r);
    });
    this.#rules.push(rule);
    return rule;
  }

  /** Remove every rule. */
  clear(): void {
    for (const r of [...this.#rules]) r.remove();
  }

  /** The rules still active, in the order they are tried. */
  get rules(): readonly FaultRule[] {
    return [...this.#rules];
  }

  /** @internal The fault to apply to this RPC (or hello), counting it; undefined when none. */
  take(info: FaultRpcInfo): Readonly<FaultSpec> | undefined {
    for (const rule of this.#rules) {
      const { spec } = rule;
      if (spec.operation === undefined) {
        if (info.operation === 'hello' && info.element === undefined) continue;
      } else {
        const ops = typeof spec.operation === 'string' ? [spec.operation] : spec.operation;
        if (!ops.includes(info.operation)) continue;
      }
      if (spec.sessionId !== undefined && spec.sessionId !== info.sessionId) continue;
      if (spec.match && !safeMatch(spec.match, info)) continue;
      if (rule.hit()) rule.remove();
      return spec;
    }
    return undefined;
  }
}

/** A `match` predicate that throws does not match. */
function safeMatch(match: (rpc: FaultRpcInfo) => boolean, info: FaultRpcInfo): boolean {
  try {
    return match(info) === true;
  } catch {
    return false;
  }
}

/** Namespace of the data a `bigReply` fault generates. */
export const BULK_NS = 'urn:netconfkit:simulator:bulk';

/**
 * A `<data>` element of about `bytes` bytes, as pieces of about `pieceSize` characters:
 * `<data><bulk xmlns="urn:netconfkit:simulator:bulk"><item><id>1</id><value>xxx…</value></item>…`.
 */
export function* bulkData(bytes: number, pieceSize = 64 * 1024): Generator<string> {
  const open = `<data><bulk xmlns="${BULK_NS}">`;
  const close = '</bulk></data>';
  const filler = 'x'.repeat(100);
  yield open;
  let produced = open.length + close.length;
  let id = 0;
  while (produced < bytes) {
    const items: string[] = [];
    let size = 0;
    while (size < pieceSize && produced + size < bytes) {
      id++;
      const item = `<item><id>${id}</id><value>${filler}</value></item>`;
      items.push(item);
      size += item.length;
    }
    produced += size;
    yield items.join('');
  }
  yield close;
}
