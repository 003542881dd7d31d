import { checkHostname, invalid } from '../core/validation';
import { checkPcreRegex } from './pcre';
import { WafPolicy } from './policy';
import { RULE_TAG_PREFIX } from './rule-text';
import { SETTINGS_RULE_IDS } from './rule-ids';
import { checkServedHost } from './scope';
import { ROUTED_HOST_VARIABLE } from './transaction-facts';

/**
 * The same {@link WafPolicy} as SecLang for Coraza v3.7.0 with OWASP CRS 4.25.0 as Tetrate's Built On Envoy
 * `coraza-waf` filter (composer dynamic module) runs them on Envoy Gateway: one filter config per routed host (one
 * HTTPRoute per host), `{ mode, directives }`, the directives joined with newlines by the module
 * (built-on-envoy extensions/composer/waf/coraza/config.go `NewWAFConfigFromBytes`, lines 41-76).
 *
 * What differs from the ingress-nginx rendering, and why (Coraza v3.7.0 sources, internal/seclang/directives.go):
 *
 * - No base `modsecurity.conf`: the module's own `@coraza.conf`/`@crs-setup.conf` are not ours to depend on, so the
 *   settings the controller image's base config makes (body processors 200000/200001, JSON depth and argument limits,
 *   body-error rules 200002/200003/200004/200007, response body limit and partial processing) are rendered here with
 *   the same ids and values ({@link CORAZA_BASE_SETTINGS}).
 * - CRS from the coraza-coreruleset package the module embeds: `Include @crs-setup.conf.example` and
 *   `Include @owasp_crs/*.conf`. The module's root FS merges its embedded directives, coraza-coreruleset and the local
 *   file system (directives_fs.go lines 25-40); the embedded layer answers only its own `@coraza.conf`-style names
 *   and no glob outside them, so both names resolve to coraza-coreruleset there as in tools/coraza-host.
 * - The routed host: Envoy picks the route (and so this filter config) by host, so the host is a fact of the config
 *   and a `SecAction` sets `tx.edge_waf_host` (rule {@link SETTINGS_RULE_IDS}.corazaRoutedHost), where nginx derives
 *   it from the transaction id (transaction-facts.ts rules 10011-10013). The plain-HTTP redirect and the
 *   client-certificate gate (10020/10021) are not rendered: on Envoy Gateway the HTTPS listener enforces client
 *   certificate validation (ClientTrafficPolicy `tls.clientValidation`) before any HTTP filter, and plain HTTP gets the
 *   redirect route only, which carries no WAF filter.
 * - `SecPcreMatchLimit`: Coraza parses and ignores it (`directiveSecPcreMatchLimit` returns nil): Go's `regexp` is
 *   RE2, linear-time without backtracking, so no regex gives up and `TX:MSC_PCRE_LIMITS_EXCEEDED` is never set. The
 *   limit and its rule 10090 are therefore not rendered; `regexMatchLimit`/`onRegexMatchLimit` have nothing to govern
 *   (not an error: every regex decides, which is what the setting protects).
 * - `SecRequestBodyNoFilesLimit`: Coraza parses it but enforces nothing (corazawaf/waf.go line 114, coraza issue
 *   896), so rule {@link SETTINGS_RULE_IDS}.corazaNoFilesLimit answers 413 to a non-multipart body above the limit
 *   (libmodsecurity's behaviour with `SecRequestBodyLimitAction Reject`), by `Content-Length` or by
 *   `REQUEST_BODY_LENGTH` — which Coraza sets for urlencoded and raw bodies only (internal/bodyprocessors/raw.go line
 *   27, urlencoded.go line 32), so a chunked JSON or XML body above the no-files limit (below `SecRequestBodyLimit`)
 *   passes on Coraza. Multipart bodies are bounded by `SecRequestBodyLimit` only.
 * - `SecResponseBodyMimeType` replaces the list in Coraza (`directiveSecResponseBodyMimeType`: `strings.Split`) and
 *   appends in libmodsecurity; the base config's three types are therefore listed with the policy's.
 * - Regexes: Coraza compiles `@rx` with Go's `regexp` after prefixing `(?s)` (the module is built with the tag
 *   `coraza.rule.no_regex_multiline`, built-on-envoy extensions/composer/Makefile.common line 9; without it `(?sm)`,
 *   internal/operators/rx.go `newRX`), and a
 *   pattern it cannot compile fails the whole rule set. Our own regexes are RE2-safe (`\A`, `\z`, no lookaround); the
 *   base config's audit status regex uses a lookahead and gets {@link CORAZA_AUDIT_RELEVANT_STATUS}; user regexes are
 *   checked again with `re2: true` (a ValidationError names the field).
 * - Paths: Coraza's `ProcessURI` fills `REQUEST_FILENAME` from Go's `url.ParseRequestURI(...).Path`, percent-decoded
 *   once (internal/corazawaf/transaction.go lines 834-864), as libmodsecurity does: the path-scoped rules' transforms
 *   (scope.ts `PATH_TRANSFORMS`, no second `t:urlDecode`) mean the same on both engines.
 * - Audit log: the same JSON record settings (`SecAuditLog /dev/stdout`, the Envoy container's log). Coraza sets no
 *   `RESPONSE_STATUS` once a request is interrupted (internal/corazawaf/transaction.go `ProcessResponseHeaders`, lines
 *   1164-1167), so the audit-context rule (10030) names the routed host only on relevant upstream answers (FULL mode);
 *   a WAF block's record names the `:authority` Envoy routed on in `server_id` and `request.uri` (waf.go lines
 *   216-220), and its rule in `messages`.
 */

/** Coraza version of the Built On Envoy composer module (its go.mod). */
export const CORAZA_VERSION = '3.7.0';

/** CRS version of `github.com/corazawaf/coraza-coreruleset/v4` the module embeds. */
export const CORAZA_CRS_VERSION = '4.25.0';

/** The CRS setup file, from coraza-coreruleset's FS (`rules/@crs-setup.conf.example`, served at the FS root). */
export const CORAZA_CRS_SETUP = '@crs-setup.conf.example';

/** The CRS rule files, by glob, from coraza-coreruleset's FS (`@owasp_crs/REQUEST-*.conf`, `RESPONSE-*.conf`). */
export const CORAZA_CRS_RULES_GLOB = '@owasp_crs/*.conf';

/**
 * The audit-relevant statuses (5xx, 4xx except 404) in RE2: the base config's `^(?:5|4(?!04))` uses a lookahead,
 * which Go's `regexp` refuses. Equal on every status 100-599 (test/waf/coraza.test.ts checks all of them).
 */
export const CORAZA_AUDIT_RELEVANT_STATUS = '^(?:5|4(?:[1-9]|0[0-35-9]))';

/**
 * The settings of the controller image's base `modsecurity.conf` (libmodsecurity v3.0.14 modsecurity.conf-recommended)
 * that are not policy props, with the same ids and values, for Coraza (which has no base config of ours). The
 * multipart strict-error rule keeps its meaning with a shorter message (Coraza keeps the MULTIPART_* flags "for
 * compatibility", internal/variables/variables.go lines 686-689).
 */
export const CORAZA_BASE_SETTINGS: readonly string[] = [
  'SecRule REQUEST_HEADERS:Content-Type "@rx ^(?:application(?:/soap\\+|/)|text/)xml" "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"',
  'SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"',
  'SecRequestBodyJsonDepthLimit 512',
  'SecArgumentsLimit 1000',
  'SecRule &ARGS "@ge 1000" "id:200007,phase:2,t:none,log,deny,status:400,msg:\'Failed to fully parse request body due to large argument count\',severity:2"',
  'SecRule REQBODY_ERROR "!@eq 0" "id:200002,phase:2,t:none,log,deny,status:400,msg:\'Failed to parse request body.\',logdata:\'%{reqbody_error_msg}\',severity:2"',
  'SecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:200003,phase:2,t:none,log,deny,status:400,msg:\'Multipart request body failed strict validation\'"',
  'SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" "id:200004,phase:2,t:none,log,deny,msg:\'Multipart parser detected a possible unmatched boundary.\'"',
  'SecResponseBodyLimit 524288',
  'SecResponseBodyLimitAction ProcessPartial',
];

/** The response types the base config inspects (`SecResponseBodyMimeType text/plain text/html text/xml`). */
const BASE_RESPONSE_BODY_MIME_TYPES: readonly string[] = ['text/plain', 'text/html', 'text/xml'];

/** The filter's processing mode (built-on-envoy waf/coraza/config.go `WAFMode`). */
export type CorazaFilterMode = 'FULL' | 'REQUEST_ONLY';

/** The `coraza-waf` filter config: what EnvoyExtensionPolicy `dynamicModule.config` carries. */
export interface CorazaFilterConfig {
  /** `FULL` when the response phases must run (see {@link corazaFilterConfig}), else `REQUEST_ONLY`. */
  readonly mode: CorazaFilterMode;
  /** SecLang lines, joined with newlines by the module. */
  readonly directives: readonly string[];
}

/** Options of {@link renderCorazaDirectives}. */
export interface CorazaDirectivesOptions {
  /** The one host of the HTTPRoute whose filter this is (no wildcard: the WAF must know the host it routed on). */
  readonly routedHost: string;
}

const FIELD = 'waf';

/**
 * The SecLang lines of one host's `coraza-waf` filter: engine, body and audit settings, the base settings, CRS setup,
 * the policy's shared rules (CRS variables, routed host, custom rules, rendered by the same code as for libmodsecurity)
 * and CRS.
 * Throws a ValidationError for what Coraza cannot run (a user regex RE2 refuses, a wildcard or unserved host).
 */
export function renderCorazaDirectives(policy: WafPolicy, options: CorazaDirectivesOptions): string[] {
  const host = checkHostname(`${FIELD}.routedHost`, options.routedHost);
  if (policy.servedHosts.length > 0) checkServedHost(`${FIELD}.routedHost`, host, policy.servedHosts);
  for (const r of policy.userRegexes())
    checkPcreRegex(r.field, r.pattern, { caseInsensitive: r.caseInsensitive, re2: true });
  if (policy.mode === 'Off')
    invalid(
      `${FIELD}.mode`,
      policy.mode,
      'takes the WAF out of the request path, so there is no Coraza filter to render',
      'leave the EnvoyExtensionPolicy out for this deployment, or use "DetectionOnly"',
    );
  const mimeTypes = [...new Set([...BASE_RESPONSE_BODY_MIME_TYPES, ...policy.responseBodyMimeTypes])];
  const routedHost = `SecAction "id:${SETTINGS_RULE_IDS.corazaRoutedHost},phase:1,pass,nolog,t:none,setvar:'${ROUTED_HOST_VARIABLE}=/${host.toLowerCase()}/'"`;
  return [
    `# Rendered from a typed WafPolicy (aks-waf-mtls-edge) for Coraza v${CORAZA_VERSION} + CRS v${CORAZA_CRS_VERSION}, host ${host}: change the policy, not this text.`,
    `SecRuleEngine ${policy.mode}`,
    'SecRequestBodyAccess On',
    `SecRequestBodyLimit ${policy.requestBodyLimitBytes}`,
    `SecRequestBodyNoFilesLimit ${policy.requestBodyNoFilesLimitBytes}`,
    'SecRequestBodyLimitAction Reject',
    `SecResponseBodyAccess ${policy.inspectResponseBodies ? 'On' : 'Off'}`,
    ...(policy.inspectResponseBodies ? [`SecResponseBodyMimeType ${mimeTypes.join(' ')}`] : []),
    'SecAuditEngine RelevantOnly',
    `SecAuditLogRelevantStatus "${CORAZA_AUDIT_RELEVANT_STATUS}"`,
    `SecAuditLogParts ${policy.auditLogParts}`,
    'SecAuditLogFormat JSON',
    'SecAuditLogType Serial',
    'SecAuditLog /dev/stdout',
    ...CORAZA_BASE_SETTINGS,
    `SecRule REQUEST_HEADERS:Content-Type "!@rx ^multipart/form-data" "id:${SETTINGS_RULE_IDS.corazaNoFilesLimit},phase:2,deny,status:413,log,t:none,t:lowercase,msg:'Request body above SecRequestBodyNoFilesLimit',tag:'${RULE_TAG_PREFIX}/body-limit',chain"`,
    `  SecRule REQUEST_BODY_LENGTH|REQUEST_HEADERS:Content-Length "@gt ${policy.requestBodyNoFilesLimitBytes}" "t:none"`,
    `Include ${CORAZA_CRS_SETUP}`,
    ...policy.renderRules({
      routedHostRules: [
        `# Routed host: the host of this filter's HTTPRoute (Envoy chose the route by :authority)`,
        routedHost,
      ],
      auditRelevantStatus: CORAZA_AUDIT_RELEVANT_STATUS,
    }),
    `# OWASP CRS v${CORAZA_CRS_VERSION} (coraza-coreruleset)`,
    `Include ${CORAZA_CRS_RULES_GLOB}`,
  ];
}

/**
 * The `coraza-waf` filter config of one host: {@link renderCorazaDirectives} and the mode. `FULL` runs the response
 * phases 3-4 (waf.go `OnResponseHeaders`/`OnResponseBody` return early in `REQUEST_ONLY`): needed when response bodies
 * are inspected, and also without them unless CRS's phase-3 rules are skipped anyway (`skipsResponseAnalysis`,
 * detection
 * paranoia level 1), since libmodsecurity runs phase 3 in every case.
 */
export function corazaFilterConfig(policy: WafPolicy, host: string): CorazaFilterConfig {
  const mode: CorazaFilterMode =
    policy.inspectResponseBodies || !policy.skipsResponseAnalysis ? 'FULL' : 'REQUEST_ONLY';
  return { mode, directives: renderCorazaDirectives(policy, { routedHost: host }) };
}
