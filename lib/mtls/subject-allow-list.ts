/**
 * Renders an allow-list of client common names into the regex ingress-nginx v1.15.1 reads from `auth-tls-match-cn`.
 *
 * How the controller applies it (rootfs/etc/nginx/template/nginx.tmpl, server block):
 *
 *     if ( $ssl_client_s_dn !~ "<value>" ) { return 403 "client certificate unauthorized"; }
 *
 * - `$ssl_client_s_dn` is the subject in RFC 2253 form as OpenSSL prints it: most specific RDN first, e.g.
 *   `CN=hospital-a,O=Example`; `,+"\<>;` inside values are backslash-escaped, `=` is not.
 * - The match is an unanchored, case-sensitive PCRE search; the controller's validator requires the value to start
 *   with `CN=` and the remainder to compile as Go RE2 (so no look-behind), hence the pattern cannot assert what
 *   precedes `CN=`.
 * - The check sits at server level, so it also runs on plain HTTP (port 80), where `$ssl_client_s_dn` is empty.
 *
 * The rendered pattern is `CN=(?:<cn1>|<cn2>)(?:,|$)`: each name is escaped for RFC 2253 and then for regex
 * metacharacters, and must be followed by the end of the RDN, so `CN=hospital-a-evil`, `CN=evil,OU=hospital-a` and
 * `CN=hospital-a\,x` do not match. Residual limit (documented in docs/mtls.md): a certificate whose *other* RDN value
 * ends in `CN=hospital-a` (e.g. `O=xCN=hospital-a`) would match; only a CA the Ingress already trusts can issue one.
 *
 * With `allowEmptySubject`, `|^$` is appended so an empty DN passes: that lets plain-HTTP requests reach the HTTPS
 * redirect and the ACME HTTP-01 challenge on the same host (ingress-nginx issue #10185; its fix #11062 was reverted
 * in #11082 and is not in v1.15.1). It is only sound when `auth-tls-verify-client` is `on`: then every HTTPS request
 * carries a CA-verified certificate, and an empty DN can only come from plain HTTP (or a subject-less certificate
 * issued by the trusted CA).
 */
import { invalid } from '../core/validation';

/** Characters RFC 2253 (and OpenSSL's RFC 2253 printer) escape with a backslash inside an attribute value. */
const RFC2253_SPECIAL = /[,+"\\<>;]/g;
/** Regex metacharacters shared by PCRE (nginx), RE2 (controller validator) and JavaScript (our tests). */
const REGEX_META = /[\\^$.|?*+()[\]{}]/g;

/** Escapes a value as it appears in an RFC 2253 distinguished name (`$ssl_client_s_dn`). */
export function escapeRfc2253Value(value: string): string {
  let escaped = value.replace(RFC2253_SPECIAL, (c) => `\\${c}`);
  if (escaped.startsWith('#') || escaped.startsWith(' ')) escaped = `\\${escaped}`;
  if (escaped.endsWith(' ') && escaped.length > 1) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

/** Escapes every regex metacharacter so the text matches itself literally. */
export function escapeRegex(text: string): string {
  return text.replace(REGEX_META, (c) => `\\${c}`);
}

/**
 * Checks that a client common name can be matched exactly: printable ASCII only (OpenSSL prints other bytes as
 * `\XX` escapes), 1 to 64 characters (the X.509 upper bound for CN).
 */
export function checkCommonName(field: string, commonName: string): string {
  if (typeof commonName !== 'string' || commonName.length === 0 || commonName.length > 64) {
    invalid(field, commonName, 'is not a certificate common name', 'use 1 to 64 characters, e.g. "hospital-a"');
  }
  if (!/^[\x20-\x7e]+$/.test(commonName)) {
    invalid(
      field,
      commonName,
      'contains characters outside printable ASCII',
      'use letters, digits and punctuation only (non-ASCII names are printed as escapes in $ssl_client_s_dn and cannot be matched reliably)',
    );
  }
  return commonName;
}

/** Options of {@link subjectAllowListPattern}. */
export interface SubjectAllowListOptions {
  /**
   * Let an empty subject DN pass (appends `|^$`), so that plain-HTTP requests reach the HTTPS redirect and ACME
   * HTTP-01 challenges. Only sound with `auth-tls-verify-client: on`.
   * @default false
   */
  readonly allowEmptySubject?: boolean;
}

/** The `auth-tls-match-cn` value admitting exactly the given common names (see the module comment). */
export function subjectAllowListPattern(commonNames: readonly string[], options: SubjectAllowListOptions = {}): string {
  if (commonNames.length === 0)
    invalid(
      'allowedClients',
      commonNames,
      'is empty',
      'list at least one client, or leave the allow-list out to admit every certificate the CA issued',
    );
  const alternatives = commonNames.map((cn) => escapeRegex(escapeRfc2253Value(cn)));
  return `CN=(?:${alternatives.join('|')})(?:,|$)${options.allowEmptySubject ? '|^$' : ''}`;
}
