/**
 * The expansions OpenSSH applies to some ssh_config values (ssh_config(5), "TOKENS" and
 * "ENVIRONMENT VARIABLES"): `%x` tokens, `${VAR}` environment variables, a leading `~`.
 * The errors are {@link SSHConfigError}s without a location; the caller adds the file and line.
 * @module
 */
import { readFileSync } from 'node:fs';
import { SSHConfigError } from './ssh-config-error.js';

/** Token letter (`h`, `p` …) to its value. `%%` is always a `%`. */
export type TokenValues = Readonly<Record<string, string>>;

/**
 * Expand `%x` tokens (OpenSSH `percent_expand`), and `${VAR}` from `env` too when `env` is given
 * (`percent_dollar_expand`), in one pass: what a variable brings is not expanded again.
 * @throws - {@link SSHConfigError} for an unknown token, a lone `%` at the end, a `${` without
 *   its `}`, an empty or unset variable.
 */
export function expandTokens(text: string, tokens: TokenValues, env?: NodeJS.ProcessEnv): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (env && c === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end === -1) throw new SSHConfigError(`environment variable '${text.slice(i + 2)}' missing closing '}'`);
      const name = text.slice(i + 2, end);
      if (name === '') throw new SSHConfigError('zero-length environment variable');
      const value = env[name];
      if (value === undefined) throw new SSHConfigError(`env var \${${name}} has no value`);
      out += value;
      i = end;
    } else if (c === '%') {
      const t = text[++i];
      if (t === undefined) throw new SSHConfigError(`invalid format in "${text}": '%' at the end`);
      if (t === '%') {
        out += '%';
        continue;
      }
      const value = Object.hasOwn(tokens, t) ? tokens[t] : undefined;
      if (value === undefined) throw new SSHConfigError(`unknown key %${t} in "${text}"`);
      out += value;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Check what OpenSSH checks of an `IdentityAgent` value as it reads it: every `${VAR}` closed and
 * set, a legacy `$VAR` a valid variable name.
 * @throws - {@link SSHConfigError} when it is not so.
 */
export function checkAgentPath(value: string, env: NodeJS.ProcessEnv): void {
  // percent tokens are expanded later; only the variables are checked here
  expandTokens(value.replace(/%/g, '%%'), {}, env);
  if (value.startsWith('$') && value[1] !== '{' && !/^[A-Za-z0-9_]+$/.test(value.slice(1))) {
    throw new SSHConfigError(`Invalid environment name ${value}.`);
  }
}

/** A user's home directory from /etc/passwd, for `~user`; undefined when unknown. */
function passwdHome(user: string): string | undefined {
  let text: string;
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === user && fields.length >= 7) return fields[5];
  }
  return undefined;
}

/**
 * Expand a leading `~` (`~`, `~/path`, `~user/path`) as OpenSSH's `tilde_expand` does: `~` is
 * `home` (or `localUser`'s), another user's home comes from /etc/passwd. Anything else is
 * returned unchanged.
 * @throws - {@link SSHConfigError} for an unknown user.
 */
export function expandTilde(path: string, home: string, localUser: string): string {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/');
  const user = slash === -1 ? path.slice(1) : path.slice(1, slash);
  let rest = slash === -1 ? '' : path.slice(slash + 1).replace(/^\/+/, '');
  let dir = home;
  if (user !== '' && user !== localUser) {
    const found = passwdHome(user);
    if (found === undefined) throw new SSHConfigError(`No such user ${user} (in "${path}")`);
    dir = found;
  }
  if (dir === '' || !dir.endsWith('/')) rest = `/${rest}`;
  return dir + rest;
}
