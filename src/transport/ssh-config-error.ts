/**
 * The error of the ssh_config reader, in a module of its own so that every part of the reader can
 * throw it (the public name is exported by `ssh-config.ts`).
 * @module
 */
import { TransportError } from '../errors.js';

/**
 * An OpenSSH client configuration file that `ssh` itself would refuse: a syntax error, a bad
 * value, an unknown `Match` criterion, an `Include` loop, a file with unsafe permissions, a token
 * that cannot be expanded. The message names the file and the line, as `ssh` does
 * (`/home/me/.ssh/config line 12: Bad port 'x'.`).
 *
 * Also thrown for a host name or user name given to the lookup that `ssh` rejects on its command
 * line (shell metacharacters, a leading `-`).
 */
export class SSHConfigError extends TransportError {}
