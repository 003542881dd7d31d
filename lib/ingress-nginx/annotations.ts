/**
 * The ingress-nginx Ingress annotations this library emits, one declaration each, with the validation ingress-nginx
 * controller-v1.15.1 applies (internal/ingress/annotations/authtls/main.go, rewrite/main.go and
 * parser/validators.go at tag controller-v1.15.1). The controller drops the whole Ingress on a value that fails its
 * validator; we fail `npm run synth` instead. Where the controller is lax and a value would be silently replaced by a
 * default (e.g. an unknown verify mode becomes "on"), we are strict.
 *
 * Nothing here is above risk level High (the controller's default `annotations-risk-level`): no snippet annotations.
 */
import { invalid } from '../core/validation';
import { ANNOTATION_PREFIX, declare, RiskLevel, SettingDeclaration } from './declaration';

/** `parser.BasicCharsRegex` of v1.15.1: alphanumerics and `-._~/:`. */
const BASIC_CHARS = /^[/\-._~a-zA-Z0-9:]*$/;
/** `parser.MaliciousRegex`: CR or LF would break out of the generated nginx directive. */
const MALICIOUS = /[\r\n]/;

/** Client verification modes of `auth-tls-verify-client` (nginx `ssl_verify_client`). */
export type VerifyClientMode = 'on' | 'off' | 'optional' | 'optional_no_ca';
const VERIFY_CLIENT_MODES: readonly VerifyClientMode[] = ['on', 'off', 'optional', 'optional_no_ca'];

/** Smallest and largest `auth-tls-verify-depth` we accept (nginx `ssl_verify_depth`). */
export const VERIFY_DEPTH_MIN = 1;
export const VERIFY_DEPTH_MAX = 10;

function renderBoolean(field: string, value: boolean): string {
  if (typeof value !== 'boolean') invalid(field, value, 'is not a boolean', 'use true or false');
  return String(value);
}

/** `auth-tls-secret`: `<namespace>/<name>` of the Secret holding `ca.crt` (and optionally `ca.crl`). Risk Medium. */
export const AUTH_TLS_SECRET = declare<{ readonly namespace: string; readonly name: string }>({
  name: 'auth-tls-secret',
  doc: 'Secret (namespace/name, same namespace as the Ingress) whose `ca.crt` holds the CA certificates client certificates must chain to; `ca.crl` optional.',
  risk: 'Medium',
  render: (field, { namespace, name }) => {
    const value = `${namespace}/${name}`;
    if (!namespace || !name || !BASIC_CHARS.test(value) || value.split('/').length !== 2) {
      invalid(
        field,
        value,
        'is not a valid "namespace/name" secret reference',
        'reference the CA secret as "<namespace>/<name>" using Kubernetes names',
      );
    }
    return value;
  },
});

/** `auth-tls-verify-client`: on | off | optional | optional_no_ca. Risk Medium. */
export const AUTH_TLS_VERIFY_CLIENT = declare<VerifyClientMode>({
  name: 'auth-tls-verify-client',
  doc: 'Client certificate verification: "on" (required), "optional", "optional_no_ca" (requested, not verified against the CA) or "off".',
  risk: 'Medium',
  render: (field, value) => {
    // The controller's regex is ^(on|off|optional|optional_no_ca)$ and silently falls back to "on" otherwise.
    if (!VERIFY_CLIENT_MODES.includes(value))
      invalid(field, value, 'is not a client verification mode', `use one of ${VERIFY_CLIENT_MODES.join(', ')}`);
    return value;
  },
});

/** `auth-tls-verify-depth`: maximum certificate chain length between the client certificate and the CA. Risk Low. */
export const AUTH_TLS_VERIFY_DEPTH = declare<number>({
  name: 'auth-tls-verify-depth',
  doc: 'Maximum depth of the client certificate chain (nginx ssl_verify_depth); 1 = issued directly by a CA in auth-tls-secret.',
  risk: 'Low',
  render: (field, value) => {
    // The controller only requires strconv.Atoi to succeed and turns 0 into 1; we keep values meaningful.
    if (!Number.isInteger(value) || value < VERIFY_DEPTH_MIN || value > VERIFY_DEPTH_MAX) {
      invalid(
        field,
        value,
        `is not an integer between ${VERIFY_DEPTH_MIN} and ${VERIFY_DEPTH_MAX}`,
        `use 1 when clients are issued directly by the CA, more only for intermediate CAs (at most ${VERIFY_DEPTH_MAX})`,
      );
    }
    return String(value);
  },
});

/** `auth-tls-pass-certificate-to-upstream`: adds header `ssl-client-cert` (URL-escaped PEM). Risk Low. */
export const AUTH_TLS_PASS_CERTIFICATE_TO_UPSTREAM = declare<boolean>({
  name: 'auth-tls-pass-certificate-to-upstream',
  doc: 'Pass the client certificate (URL-escaped PEM) to the backend in header ssl-client-cert.',
  risk: 'Low',
  render: renderBoolean,
});

/**
 * `auth-tls-match-cn`: a regex the controller matches (unanchored, case-sensitive, PCRE in nginx) against
 * `$ssl_client_s_dn` at server level; a mismatch returns 403. v1.15.1 requires the value to start with `CN=` and the
 * rest to compile as a Go (RE2) regex. Risk High.
 */
export const AUTH_TLS_MATCH_CN = declare<string>({
  name: 'auth-tls-match-cn',
  doc: 'Regex (must start with "CN=") matched against the client subject DN ($ssl_client_s_dn, RFC 2253); a mismatch returns 403.',
  risk: 'High',
  render: (field, value) => {
    if (typeof value !== 'string' || !value.startsWith('CN=')) {
      invalid(
        field,
        value,
        'does not start with "CN="',
        'ingress-nginx v1.15.1 rejects the Ingress otherwise; start the pattern with "CN="',
      );
    }
    if (MALICIOUS.test(value)) invalid(field, value, 'contains a line break', 'remove CR/LF characters');
    const rest = value.slice(3);
    // Constructs RE2 (the controller's validator) does not support, although PCRE (nginx) and JavaScript do.
    if (/\(\?<?[=!]|\\[1-9]|\(\?P?<[A-Za-z]/.test(rest)) {
      invalid(
        field,
        value,
        'uses look-around, back-references or named groups, which the controller (Go RE2) rejects',
        'use plain groups, alternation and anchors only',
      );
    }
    try {
      new RegExp(rest);
    } catch (err) {
      invalid(
        field,
        value,
        `is not a valid regex (${(err as Error).message})`,
        'escape regex metacharacters in client names',
      );
    }
    return value;
  },
});

/** `ssl-redirect`: redirect HTTP to HTTPS (308) when the server has TLS. Risk Low. */
export const SSL_REDIRECT = declare<boolean>({
  name: 'ssl-redirect',
  doc: 'Redirect plain HTTP to HTTPS (status 308) for this Ingress; ACME HTTP-01 challenge paths are exempt (no-tls-redirect-locations).',
  risk: 'Low',
  render: renderBoolean,
});

/**
 * `force-ssl-redirect`: redirect to HTTPS even when the Ingress has no TLS section (TLS terminated elsewhere). Risk
 * Medium.
 */
export const FORCE_SSL_REDIRECT = declare<boolean>({
  name: 'force-ssl-redirect',
  doc: 'Redirect to HTTPS even when the Ingress has no TLS section (TLS terminated in front of the controller).',
  risk: 'Medium',
  render: renderBoolean,
});

/**
 * `modsecurity-transaction-id`: the ModSecurity transaction id of each request in this Ingress's locations (nginx
 * `modsecurity_transaction_id "<value>";`, template.go buildModSecurityForLocation lines 1617-1620 at
 * controller-v1.15.1). The value is an nginx complex value; every Ingress of this library sets the one of
 * waf/transaction-facts.ts, which hands nginx's routed host, scheme and client-certificate state to the WAF and keeps
 * `$request_id` for the audit log. ingress-nginx v1.15.1 has no ConfigMap key for it. The controller validates it
 * with `parser.NGINXVariable` = `^[A-Za-z0-9\-\_\$\{\}]*$` after removing spaces
 * (internal/ingress/annotations/modsecurity/main.go line 50, parser/validators.go line 74); we reject spaces too.
 * Risk High.
 */
export const MODSECURITY_TRANSACTION_ID = declare<string>({
  name: 'modsecurity-transaction-id',
  doc: 'ModSecurity transaction id of each request (an nginx variable such as $request_id), shown in the audit log.',
  risk: 'High',
  render: (field, value) => {
    if (typeof value !== 'string' || !/^[A-Za-z0-9\-_${}]*$/.test(value)) {
      invalid(
        field,
        value,
        'has characters the controller rejects in modsecurity-transaction-id',
        'use an nginx variable such as "$request_id" (letters, digits, "-", "_", "$", "{", "}")',
      );
    }
    return value;
  },
});

/** Every Ingress annotation declaration of this module, by name. */
export const INGRESS_ANNOTATIONS: ReadonlyMap<string, SettingDeclaration<never>> = new Map(
  [
    AUTH_TLS_SECRET,
    AUTH_TLS_VERIFY_CLIENT,
    AUTH_TLS_VERIFY_DEPTH,
    AUTH_TLS_PASS_CERTIFICATE_TO_UPSTREAM,
    AUTH_TLS_MATCH_CN,
    SSL_REDIRECT,
    FORCE_SSL_REDIRECT,
    MODSECURITY_TRANSACTION_ID,
  ].map((d) => [d.name, d as unknown as SettingDeclaration<never>]),
);

const RISK_ORDER: readonly RiskLevel[] = ['Low', 'Medium', 'High', 'Critical'];

/** The controller's default `annotations-risk-level`; we never emit anything above it. */
export const MAX_ANNOTATION_RISK: RiskLevel = 'High';

/**
 * Renders one annotation: validates `value` with the declaration (reporting `field`), refuses anything above
 * {@link MAX_ANNOTATION_RISK}, and returns the full annotation key and its value.
 */
export function renderAnnotation<T>(declaration: SettingDeclaration<T>, field: string, value: T): [string, string] {
  const risk = declaration.risk ?? 'Low';
  if (RISK_ORDER.indexOf(risk) > RISK_ORDER.indexOf(MAX_ANNOTATION_RISK)) {
    invalid(
      field,
      declaration.name,
      `has risk level ${risk}, above the controller default ${MAX_ANNOTATION_RISK}`,
      'express the need with a lower-risk annotation or a controller setting',
    );
  }
  return [`${ANNOTATION_PREFIX}${declaration.name}`, declaration.render(field, value)];
}
