/**
 * From what Node and OpenSSL report to a {@link TLSError} with a reason: certificate verdicts,
 * alerts from the server, resets.
 * @module
 */
import { TLSError, type TLSFailure } from './errors.js';

const VERIFY_REASONS: Readonly<Record<string, TLSFailure>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-ca',
  CERT_UNTRUSTED: 'unknown-ca',
  // the chain ends in a root we do not trust
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-ca',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'name-mismatch',
  CERT_SIGNATURE_FAILURE: 'bad-certificate',
  CERT_REVOKED: 'bad-certificate',
  INVALID_CA: 'unknown-ca',
};

/** The alert in an OpenSSL error code: `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED` → `certificate required`. */
export function alertOf(code: string | undefined): string | undefined {
  const match = code === undefined ? null : /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(.+)$/.exec(code);
  return match?.[1]?.toLowerCase().replaceAll('_', ' ');
}

/**
 * The {@link TLSError} for a failure of the connection to `where`.
 * @param phase - where it happened, for the message
 */
export function tlsFailure(err: Error & { code?: string }, where: string, phase: 'handshake' | 'hello'): TLSError {
  const code = err.code;
  const alert = alertOf(code);
  const options = { cause: err, alert, code };
  const verify = code === undefined ? undefined : VERIFY_REASONS[code];
  if (verify) return new TLSError(`The certificate of ${where} was refused (${verify}): ${err.message}`, verify, options);
  if (alert !== undefined) {
    const reason: TLSFailure =
      alert === 'certificate required' ? 'certificate-required' : alert === 'protocol version' ? 'protocol-version' : alert === 'bad certificate' ? 'bad-certificate' : 'alert';
    const what = reason === 'certificate-required' ? 'wants a client certificate' : `refused the connection`;
    return new TLSError(`${where} ${what}: TLS alert "${alert}" during the ${phase}`, reason, options);
  }
  if (code === 'ERR_SSL_UNSUPPORTED_PROTOCOL' || code === 'ERR_SSL_NO_PROTOCOLS_AVAILABLE' || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return new TLSError(`No TLS version in common with ${where} (TLS 1.2 at least): ${err.message}`, 'protocol-version', options);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new TLSError(
      `${where} reset the connection during the ${phase}${phase === 'hello' ? ' (with TLS 1.3 a server refuses a client certificate only after the handshake: check the certificate and its CA)' : ''}`,
      'connection-reset',
      options,
    );
  }
  return new TLSError(`TLS failure with ${where} during the ${phase}: ${err.message}`, 'handshake', options);
}
