import { invalid } from '../core/validation';
import { checkCommonName, escapeRegex, escapeRfc2253Value } from '../mtls/subject-allow-list';

/**
 * The client allow-list as a CEL expression for an Envoy Gateway v1.9 SecurityPolicy authorization rule: the one
 * place where "which client certificates are admitted" becomes CEL.
 *
 * What the expression reads: Envoy's attribute `connection.subject_peer_certificate`, the peer certificate's subject
 * as Envoy prints it: `getRFC2253NameFromCertificate` (Envoy source/common/tls/utility.cc, formerly
 * source/extensions/transport_sockets/tls/utility.cc) prints it with BoringSSL's `X509_NAME_print_ex(...,
 * XN_FLAG_RFC2253)`, the flag set OpenSSL's `-nameopt RFC2253` also selects (the tests print real test certificates
 * that way): RFC 2253, most specific RDN first (for certificates cert-manager issues that is
 * the CN: Go writes the CN last in the certificate), `,+"\<>;` inside values backslash-escaped, multi-valued RDNs
 * joined with `+`.
 *
 * The expression is true only when
 *   1. the subject starts with `CN=<one of the names>` followed by `,` or the end (no look-alike such as
 *      `CN=hospital-a-evil`, no multi-valued first RDN `CN=hospital-a+OU=x`, no `OU=CN=hospital-a`: anchored at `^`,
 *      which the ingress-nginx validator cannot express), and
 *   2. no other RDN is a CN: no unescaped separator (`,` or `+` preceded by an even number of backslashes) is
 *      followed by `CN=` — so a certificate with two CNs is rejected whichever order they have.
 *
 * Patterns are RE2 (CEL `matches`, Envoy's cel-cpp and cel-go both use RE2 syntax); they are written as CEL raw
 * strings (`r'...'`), so a `'` in a name is written `\x27` in the regex.
 */
export const PEER_SUBJECT_ATTRIBUTE = 'connection.subject_peer_certificate';

/** RE2 pattern: an RDN separator that is not escaped, followed by a second CN. */
const SECOND_CN = String.raw`[^\\](?:\\\\)*[,+]CN=`;

/** The CEL expression admitting exactly the given common names (see the module comment). */
export function subjectAllowListCel(field: string, commonNames: readonly string[]): string {
  if (commonNames.length === 0) invalid(field, commonNames, 'is empty', 'list at least one client common name');
  const names = commonNames.map((cn, i) =>
    toRe2Literal(escapeRegex(escapeRfc2253Value(checkCommonName(`${field}[${i}]`, cn)))),
  );
  const first = `^CN=(?:${names.join('|')})(?:,|$)`;
  return `${PEER_SUBJECT_ATTRIBUTE}.matches(r'${first}') && !${PEER_SUBJECT_ATTRIBUTE}.matches(r'${SECOND_CN}')`;
}

/** Makes an escaped regex safe inside a CEL raw single-quoted string: `'` cannot appear there, RE2 reads `\x27`. */
function toRe2Literal(pattern: string): string {
  return pattern.replace(/'/g, String.raw`\x27`);
}
