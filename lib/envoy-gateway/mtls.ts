import type { HeaderValue } from './names';
import { invalid } from '../core/validation';
import type { ClientAuthIntent, ClientCertificateHeadersIntent } from '../intent/edge-intent';
import { subjectAllowListCel } from './cel';

/**
 * The one place where the intent's mutual TLS becomes Envoy Gateway configuration:
 * - {@link clientValidation}: ClientTrafficPolicy `tls.clientValidation` — Envoy requires a client certificate
 *   signed by the CA (mode RequireAndVerify is the default of Envoy Gateway v1.9.0, api/v1alpha1/tls_types.go
 *   `ClientValidationContext.Mode`); no certificate or another CA fails the TLS handshake.
 * - {@link forwardClientCert}: ClientTrafficPolicy `headers.xForwardedClientCert` — SanitizeSet: a client-sent
 *   `x-forwarded-client-cert` is dropped and replaced by Envoy's own (Hash = SHA-256 of the certificate, Subject).
 * - {@link backendCertificateHeaders}: the HTTPRoute `requestHeaderModifier` that gives the backend the headers of
 *   the ingress-nginx contract, from Envoy command operators. Envoy Gateway copies header values verbatim into the
 *   route's `request_headers_to_add` (internal/xds/translator/route.go `buildXdsAddedHeaders`, lines 695-733: no
 *   escaping of `%`), where Envoy evaluates `%...%` operators; `set` overwrites (OVERWRITE_IF_EXISTS_OR_ADD), so a
 *   copy the client sent never reaches the backend, and `remove` drops those that are not set.
 * - {@link allowListCel}: the SecurityPolicy CEL rule admitting exactly the allowed common names (cel.ts).
 */

/**
 * ClientTrafficPolicy `spec.tls` for the intent's client CA (a Secret with key `ca.crt` in the Gateway namespace)
 * and, when it holds one, its revocation list (key `ca.crl` of the same Secret: `clientValidation.crl`, api/v1alpha1
 * tls_types.go `CrlContext`, the whole chain checked).
 */
export function clientValidation(caSecretName: string, withCrl: boolean): Record<string, unknown> {
  const ref = { kind: 'Secret', group: '', name: caSecretName };
  return { clientValidation: { caCertificateRefs: [ref], ...(withCrl ? { crl: { refs: [ref] } } : {}) } };
}

/** ClientTrafficPolicy `spec.headers`: sanitize and set `x-forwarded-client-cert`. */
export function forwardClientCert(): Record<string, unknown> {
  return { xForwardedClientCert: { mode: 'SanitizeSet', certDetailsToAdd: ['Subject'] } };
}

/**
 * Envoy command operator per fingerprint algorithm (lower-case hex, no colons, as nginx's `$ssl_client_fingerprint`).
 */
const FINGERPRINT_OPERATORS: Readonly<Record<ClientCertificateHeadersIntent['fingerprintAlgorithm'], string>> = {
  sha1: '%DOWNSTREAM_PEER_FINGERPRINT_1%',
  sha256: '%DOWNSTREAM_PEER_FINGERPRINT_256%',
};

/** Headers ingress-nginx v1.15.1 sends the backend with mTLS (nginx.tmpl `proxy_set_header ssl-client-*`). */
export const SUBJECT_HEADER = 'ssl-client-subject-dn';
/** Issuer DN header (ingress-nginx's `ssl-client-issuer-dn`). */
export const ISSUER_HEADER = 'ssl-client-issuer-dn';
/** Verification result header (ingress-nginx's `ssl-client-verify`; only verified clients get through here). */
export const VERIFY_HEADER = 'ssl-client-verify';
/** URL-encoded client certificate PEM (ingress-nginx's `ssl-client-cert`, Envoy's `%DOWNSTREAM_PEER_CERT%`). */
export const CERT_HEADER = 'ssl-client-cert';

/** An HTTPRoute `RequestHeaderModifier` filter value. */
export interface HeaderModifier {
  /** Headers set (overwriting any client copy). */
  readonly set: readonly HeaderValue[];
  /** Headers removed. */
  readonly remove: readonly string[];
}

/** The backend contract as an HTTPRoute request header modifier (see the module comment). */
export function backendCertificateHeaders(field: string, headers: ClientCertificateHeadersIntent): HeaderModifier {
  const operator = FINGERPRINT_OPERATORS[headers.fingerprintAlgorithm];
  if (!operator)
    invalid(
      `${field}.fingerprintAlgorithm`,
      headers.fingerprintAlgorithm,
      'has no Envoy command operator',
      'use "sha1" or "sha256"',
    );
  const name = headers.fingerprintHeader.toLowerCase();
  const reserved = [SUBJECT_HEADER, ISSUER_HEADER, VERIFY_HEADER, CERT_HEADER, 'x-forwarded-client-cert'];
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || reserved.includes(name)) {
    invalid(
      `${field}.fingerprintHeader`,
      headers.fingerprintHeader,
      'is not a header name Envoy Gateway can set for the fingerprint',
      `use an HTTP token other than ${reserved.join(', ')}, e.g. "ssl-client-fingerprint"`,
    );
  }
  const set = [
    { name, value: operator },
    { name: VERIFY_HEADER, value: 'SUCCESS' },
    { name: SUBJECT_HEADER, value: '%DOWNSTREAM_PEER_SUBJECT%' },
    { name: ISSUER_HEADER, value: '%DOWNSTREAM_PEER_ISSUER%' },
    ...(headers.passCertificate ? [{ name: CERT_HEADER, value: '%DOWNSTREAM_PEER_CERT%' }] : []),
  ];
  return { set, remove: headers.passCertificate ? [] : [CERT_HEADER] };
}

/** The SecurityPolicy CEL expression for the intent's allow-list. */
export function allowListCel(field: string, clientAuth: ClientAuthIntent): string {
  return subjectAllowListCel(`${field}.allowedCommonNames`, clientAuth.allowedCommonNames);
}
