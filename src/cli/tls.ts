/**
 * NETCONF over TLS (RFC 7589) on the command line: `--tls` with `--cert FILE --key FILE --ca FILE`
 * (`--tls-servername`, `--tls-fingerprint`, `--tls-min-version`). The files are read and parsed
 * here, before anything is sent: an unreadable or unusable file is a usage error (exit 2).
 *
 * The passphrase of an encrypted `--key` comes from the password options (`-p`,
 * `--password-env VAR`, `--ask-password`, `NETCONF_PASSWORD`), as for an SSH key. It is asked for
 * (with `--ask-password`) only when the key is encrypted; it is never printed.
 *
 * With `--tls` the options of SSH alone (`-u`, `-J`, `--proxy-command`, `-F`, `--known-hosts`,
 * `--accept-new`, `--insecure-accept-any-host-key`, `--keepalive`, `--identities-only`,
 * `--allow-strict-host-key-checking-no`, more than one `--key`) are usage errors, and the TLS
 * options without `--tls` (or `listen --call-home tls`) too.
 * @module
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSCredentials } from '../index.js';
import { UsageError } from './errors.js';

/** The option values this module reads. */
export interface TLSValues {
  tls?: boolean | undefined;
  cert?: string | undefined;
  key?: string[] | undefined;
  ca?: string[] | undefined;
  'tls-servername'?: string | undefined;
  'tls-fingerprint'?: string | undefined;
  'tls-min-version'?: string | undefined;
}

/** The TLS settings, validated; the PEM contents read. */
export interface TLSSettings {
  /** `--cert FILE` and its content. */
  certFile: string | undefined;
  cert: Buffer | undefined;
  /** `--key FILE` and its content (never printed). */
  keyFile: string | undefined;
  key: Buffer | undefined;
  /** Whether the key is encrypted (a passphrase is needed). */
  keyEncrypted: boolean;
  /** `--ca FILE`s and their contents; none: Node's (Mozilla's) CA list. */
  caFiles: string[];
  ca: Buffer[];
  servername: string | undefined;
  /** The pin, as given. */
  fingerprint: string | undefined;
  minVersion: 'TLSv1.2' | 'TLSv1.3' | undefined;
  /** The subject of the client certificate (for --debug). */
  certSubject: string | undefined;
}

/** Options that mean nothing over TLS (SSH alone): `name → how the message names it`. */
export const SSH_ONLY_OPTIONS: Readonly<Record<string, string>> = {
  user: '-u/--user',
  jump: '-J/--jump',
  'proxy-command': '--proxy-command',
  'ssh-config': '-F/--ssh-config',
  'known-hosts': '--known-hosts',
  'accept-new': '--accept-new',
  'insecure-accept-any-host-key': '--insecure-accept-any-host-key',
  keepalive: '--keepalive',
  'identities-only': '--identities-only',
  'allow-strict-host-key-checking-no': '--allow-strict-host-key-checking-no',
};

/** Options of TLS alone (besides `--key`, which is the SSH key file without `--tls`). */
export const TLS_ONLY_OPTIONS: Readonly<Record<string, string>> = {
  cert: '--cert',
  ca: '--ca',
  'tls-servername': '--tls-servername',
  'tls-fingerprint': '--tls-fingerprint',
  'tls-min-version': '--tls-min-version',
};

/** Whether an option value was given (a flag set, a string, a non-empty list). */
export function given(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== false;
}

/** Refuse the SSH-only options given with TLS (`why`: `--tls`, `--call-home tls`). */
export function refuseSSHOptions(values: Readonly<Record<string, unknown>>, why: string, command: string): void {
  for (const [name, option] of Object.entries(SSH_ONLY_OPTIONS)) {
    if (given(values[name])) throw new UsageError(`${option} is an SSH option: it cannot be used with ${why} (over TLS the server maps the client certificate to the user)`, command);
  }
}

/** Refuse the TLS options given without TLS (`hint`: what enables TLS). */
export function refuseTLSOptions(values: Readonly<Record<string, unknown>>, hint: string, command: string): void {
  for (const [name, option] of Object.entries(TLS_ONLY_OPTIONS)) {
    if (given(values[name])) throw new UsageError(`${option} is a TLS option: it needs ${hint}`, command);
  }
}

function readPem(file: string, option: string, command: string): Buffer {
  if (file === '') throw new UsageError(`${option} needs a file name`, command);
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`${option} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, command);
  }
}

/** The certificates of a PEM file (at least one), or a usage error. */
function certificates(pem: Buffer, file: string, option: string, command: string): X509Certificate[] {
  const blocks = pem.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new UsageError(`${option} ${file}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)`, command);
  try {
    return blocks.map((block) => new X509Certificate(block));
  } catch (err) {
    throw new UsageError(`${option} ${file}: not a valid certificate (${(err as Error).message})`, command);
  }
}

const FINGERPRINT = /^(?:sha-?256:)?((?:[0-9a-f]{2}:?){31}[0-9a-f]{2})$/i;

/** A SHA-256 fingerprint as the library takes it (hex, colons optional), or a usage error. */
export function checkFingerprint(text: string, command: string): string {
  const match = FINGERPRINT.exec(text.trim());
  if (!match?.[1] || match[1].replace(/:/g, '').length !== 64) {
    throw new UsageError(`--tls-fingerprint must be the SHA-256 fingerprint of the server's certificate, 64 hex digits with or without colons (as 'openssl x509 -noout -fingerprint -sha256' prints it), got '${text}'`, command);
  }
  return match[1];
}

/**
 * Validate the TLS options and read their files (`hint`: what enables TLS, for the messages).
 * The key is checked to be a private key (encrypted or not); the certificates to be certificates.
 */
export function tlsSettings(values: TLSValues, command: string): TLSSettings {
  const keys = values.key ?? [];
  if (keys.length > 1) throw new UsageError('with --tls, --key is the private key of the client certificate: give it once', command);
  const certFile = values.cert;
  const keyFile = keys[0];
  if (certFile !== undefined && keyFile === undefined) throw new UsageError('--cert needs --key FILE (the private key of the client certificate)', command);
  if (keyFile !== undefined && certFile === undefined) throw new UsageError('with --tls, --key needs --cert FILE (the client certificate)', command);
  let cert: Buffer | undefined;
  let certSubject: string | undefined;
  if (certFile !== undefined) {
    cert = readPem(certFile, '--cert', command);
    certSubject = certificates(cert, certFile, '--cert', command)[0]?.subject.replace(/\n/g, ', ');
  }
  let key: Buffer | undefined;
  let keyEncrypted = false;
  if (keyFile !== undefined) {
    key = readPem(keyFile, '--key', command);
    const text = key.toString('utf8');
    if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) throw new UsageError(`--key ${keyFile}: no PEM private key in it`, command);
    keyEncrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /Proc-Type:\s*4,ENCRYPTED/.test(text);
    if (!keyEncrypted) checkKey(key, undefined, keyFile, command);
  }
  const caFiles = values.ca ?? [];
  const ca = caFiles.map((file) => {
    const pem = readPem(file, '--ca', command);
    certificates(pem, file, '--ca', command);
    return pem;
  });
  const servername = values['tls-servername'];
  if (servername !== undefined && (servername === '' || /[\s/]/.test(servername))) throw new UsageError(`--tls-servername must be a host name or an address, got '${servername}'`, command);
  const pin = values['tls-fingerprint'];
  const fingerprint = pin === undefined ? undefined : checkFingerprint(pin, command);
  const version = values['tls-min-version'];
  let minVersion: TLSSettings['minVersion'];
  if (version !== undefined) {
    const v = version.replace(/^TLSv?/i, '');
    if (v !== '1.2' && v !== '1.3') throw new UsageError(`--tls-min-version must be 1.2 or 1.3, got '${version}'`, command);
    minVersion = v === '1.2' ? 'TLSv1.2' : 'TLSv1.3';
  }
  return { certFile, cert, keyFile, key, keyEncrypted, caFiles, ca, servername, fingerprint, minVersion, certSubject };
}

/** Check that the key decodes (with its passphrase): a usage error naming the file otherwise, never its content. */
export function checkKey(key: Buffer, passphrase: string | undefined, file: string, command: string): void {
  try {
    createPrivateKey(passphrase === undefined ? { key } : { key, passphrase });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (passphrase === undefined && code === 'ERR_MISSING_PASSPHRASE') {
      throw new UsageError(`--key ${file} is encrypted: give its passphrase with --password-env VAR, --ask-password or NETCONF_PASSWORD`, command);
    }
    if (passphrase !== undefined && (code === 'ERR_OSSL_BAD_DECRYPT' || /bad decrypt|decrypt/i.test((err as Error).message))) {
      throw new UsageError(`--key ${file}: cannot decrypt it: wrong passphrase`, command);
    }
    throw new UsageError(`--key ${file}: not a usable private key${passphrase === undefined ? '' : ' (a wrong passphrase?)'}${code ? ` (${code})` : ''}`, command);
  }
}

/** The library's credentials from the settings and the passphrase (used only for an encrypted key). */
export function tlsCredentials(settings: TLSSettings, passphrase: string | undefined, command: string): TLSCredentials {
  const credentials: TLSCredentials = {};
  if (settings.cert !== undefined) credentials.cert = settings.cert;
  if (settings.key !== undefined) {
    if (settings.keyEncrypted) {
      if (passphrase === undefined) throw new UsageError(`--key ${settings.keyFile ?? ''} is encrypted: give its passphrase with --password-env VAR, --ask-password or NETCONF_PASSWORD`, command);
      checkKey(settings.key, passphrase, settings.keyFile ?? '', command);
      credentials.passphrase = passphrase;
    }
    credentials.key = settings.key;
  }
  if (settings.ca.length > 0) credentials.ca = settings.ca;
  if (settings.servername !== undefined) credentials.servername = settings.servername;
  if (settings.fingerprint !== undefined) credentials.fingerprint = settings.fingerprint;
  if (settings.minVersion !== undefined) credentials.minVersion = settings.minVersion;
  return credentials;
}

