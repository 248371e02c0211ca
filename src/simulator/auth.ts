/**
 * SSH user authentication of the simulator: passwords (`password` and `keyboard-interactive`)
 * and public keys (checked against the user's authorized keys, signatures verified as in ssh2's
 * server example). Secrets are compared in constant time.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import ssh2, { type AuthContext, type ParsedKey } from 'ssh2';
import type { SimulatorUser } from './users.js';

const { utils } = ssh2;

const METHODS: Array<'publickey' | 'password' | 'keyboard-interactive'> = ['publickey', 'password', 'keyboard-interactive'];
const KEY_TYPE = /(?:^|\s)((?:ssh-|ecdsa-|sk-)\S+\s+\S+.*)$/;

/** Parse authorized keys into ssh2 keys. @throws TypeError for a line that is not a public key */
export function parseAuthorizedKeys(keys: SimulatorUser['authorizedKeys'], username: string): ParsedKey[] {
  if (keys === undefined) return [];
  const entries = typeof keys === 'string' || Buffer.isBuffer(keys) ? [keys] : keys;
  const out: ParsedKey[] = [];
  for (const entry of entries) {
    for (const raw of entry.toString().split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      let parsed = utils.parseKey(line);
      if (parsed instanceof Error) {
        const m = KEY_TYPE.exec(line); // options before the key type
        if (m?.[1]) parsed = utils.parseKey(m[1]);
      }
      if (parsed instanceof Error) throw new TypeError(`User ${username}: cannot parse authorized key ${JSON.stringify(line.slice(0, 40))}: ${parsed.message}`);
      const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
      if (key.isPrivateKey()) throw new TypeError(`User ${username}: authorizedKeys must hold public keys, not a private key`);
      out.push(key);
    }
  }
  return out;
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  // Compare equal-length buffers only, without leaking the length through timing.
  const same = a.length === b.length;
  return timingSafeEqual(a, same ? b : a) && same;
}

interface Account {
  username: Buffer;
  password: Buffer | undefined;
  keys: ParsedKey[];
}

/** Decides SSH authentication requests. */
export class Authenticator {
  readonly #accounts: Account[];

  /** @throws TypeError for an unparseable authorized key or a user without any credential */
  constructor(users: readonly SimulatorUser[]) {
    this.#accounts = users.map((u) => {
      if (typeof u.username !== 'string' || !u.username) throw new TypeError('Every simulator user needs a username');
      const keys = parseAuthorizedKeys(u.authorizedKeys, u.username);
      if (u.password === undefined && keys.length === 0) throw new TypeError(`User ${u.username} has neither a password nor authorized keys`);
      return { username: Buffer.from(u.username), password: u.password === undefined ? undefined : Buffer.from(u.password), keys };
    });
  }

  #account(username: string): Account | undefined {
    const name = Buffer.from(username);
    let found: Account | undefined;
    for (const a of this.#accounts) if (safeEqual(name, a.username) && !found) found = a;
    return found;
  }

  /**
   * Answer one authentication request.
   * @param onAccept - called with the user name when the request is accepted
   */
  handle(ctx: AuthContext, onAccept: (username: string) => void): void {
    const account = this.#account(ctx.username);
    const reject = (): void => ctx.reject(METHODS);
    const accept = (): void => {
      onAccept(ctx.username);
      ctx.accept();
    };
    switch (ctx.method) {
      case 'password': {
        if (account?.password && safeEqual(Buffer.from(ctx.password), account.password)) accept();
        else reject();
        return;
      }
      case 'keyboard-interactive': {
        if (!account?.password) {
          reject();
          return;
        }
        const password = account.password;
        ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
          if (answers.length === 1 && safeEqual(Buffer.from(answers[0] ?? ''), password)) accept();
          else reject();
        });
        return;
      }
      case 'publickey': {
        const key = account?.keys.find((k) => safeEqual(ctx.key.data, k.getPublicSSH()));
        if (!key) {
          reject();
          return;
        }
        // Without a signature the client only asks whether the key would do.
        if (ctx.signature === undefined || ctx.blob === undefined) {
          ctx.accept();
          return;
        }
        if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) accept();
        else reject();
        return;
      }
      default:
        reject();
    }
  }
}
