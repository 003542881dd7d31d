/**
 * Facts about a request that only the data plane knows — the host it routed on, the scheme, whether a client
 * certificate was verified — handed to the WAF in the ModSecurity transaction id (`UNIQUE_ID`).
 *
 * Why: ModSecurity sees the raw request (`REQUEST_HEADERS:Host`, the request line), not nginx's TLS state or its
 * normalized `$host`. nginx routes on a host it normalizes (ngx_http_validate_host drops a trailing dot and the
 * port, and the host of an absolute-form request line wins over the Host header), so rules scoped on the raw header
 * could be dodged (`Host: b.example.com.`, `Host: b.example.com:`, `GET https://b.example.com/ …` with another
 * Host). And the mTLS allow-list of ingress-nginx v1.15.1 (`auth-tls-match-cn`) must admit the empty subject of plain
 * HTTP (HTTP-01, redirect), while the controller's Lua HTTPS redirect does not always run (lua_ingress.lua
 * `redirect_to_https`, lines 65-79: `ssl_redirect` only when `certificate_configured_for_current_request()`).
 *
 * How: every Ingress of this library sets the annotation `modsecurity-transaction-id` (ingress-nginx v1.15.1
 * template.go buildModSecurityForLocation, lines 1617-1620: `modsecurity_transaction_id "<value>";` in each location
 * of the Ingress). Its value is an nginx complex value, evaluated per request:
 *
 *     edge_<flags>_${request_id}_${scheme}_${ssl_client_verify}_${host}
 *
 * - `<flags>`: fixed at synth time. `m` = the location requires a verified client certificate (`auth-tls-verify-client:
 *   on`), `o` = client certificate optional (the backend decides), followed by `r` when plain HTTP is redirected.
 * - `${request_id}`: nginx's 32 hex digits (the id in the access log and the backend's `X-Request-ID`).
 * - `${scheme}`: `http` or `https`; `${ssl_client_verify}`: `SUCCESS`, `NONE`, `FAILED:<reason>`, empty on plain HTTP.
 * - `${host}`: nginx's normalized host — the one it chose the server block by (lower-case, no port, no trailing dot).
 *   Last, because on a wildcard server it holds client text; everything before it is nginx's or ours.
 *
 * None of it comes from request headers: a client cannot forge `SUCCESS` or another host. The controller validates
 * the annotation text with `parser.NGINXVariable` = `^[A-Za-z0-9\-\_\$\{\}]*$` after removing spaces
 * (internal/ingress/annotations/modsecurity/main.go line 50, parser/validators.go line 74), hence `_` separators.
 *
 * Locations without this id (cert-manager's HTTP-01 solver Ingress, the controller's default backend) get
 * libmodsecurity's own id: the client-certificate gate leaves them alone (HTTP-01 keeps working) and host scoping
 * falls back to the Host header / request line, normalized as nginx does.
 */

/** What a location tells the WAF through its transaction id. */
export interface LocationFacts {
  /** The location requires a CA-verified client certificate (`auth-tls-verify-client: on`). */
  readonly requireClientCertificate: boolean;
  /** Plain HTTP to the location is redirected to HTTPS (the Ingress's `ssl-redirect`). */
  readonly redirectPlainHttp: boolean;
}

/** Prefix of every transaction id this library sets. */
export const TRANSACTION_ID_PREFIX = 'edge';

/** The `modsecurity-transaction-id` value of a location (an nginx complex value, see the module comment). */
export function transactionIdTemplate(facts: LocationFacts): string {
  const flags = `${facts.requireClientCertificate ? 'm' : 'o'}${facts.redirectPlainHttp ? 'r' : ''}`;
  return `${TRANSACTION_ID_PREFIX}_${flags}_\${request_id}_\${scheme}_\${ssl_client_verify}_\${host}`;
}

/** `\A…\z` anchored (never `^…$`: libmodsecurity compiles `@rx` multiline); RE2 (Coraza) reads them the same. */
const ID_HEAD = `\\A${TRANSACTION_ID_PREFIX}_`;
const REQUEST_ID = '[0-9a-f]{32}';
const VERIFY = '(?:SUCCESS|NONE|FAILED:[^_]*|)';

/** Rule ids of the rules below (in the policy's settings range, see rule-ids.ts). */
export interface TransactionFactRuleIds {
  readonly hostFromHeader: number;
  readonly hostFromRequestLine: number;
  readonly hostFromTransaction: number;
  readonly plainHttpRedirect: number;
  readonly clientCertificateGate: number;
}

/** Transaction variable holding the routed host between slashes (`/api.example.com/`), for host-scoped rules. */
export const ROUTED_HOST_VARIABLE = 'tx.edge_waf_host';

/**
 * Phase-1 rules that run before every custom rule and CRS:
 *
 * 1. the routed host, into {@link ROUTED_HOST_VARIABLE}: from the transaction id when the location carries one,
 *    else from the absolute-form request line, else from the Host header — port, trailing dot and case removed, as
 *    nginx does (ngx_http_validate_host);
 * 2. plain HTTP to a location that requires a client certificate and redirects: 307 to `https://<routed host><uri>`
 *    (307 keeps method and body like the controller's 308; libmodsecurity's `redirect` only sends 301-307). This
 *    runs in nginx's rewrite phase before the controller's Lua redirect (ModSecurity-nginx is a dynamic module,
 *    `load_module` in nginx.tmpl line 29 and `--add-dynamic-module` in images/nginx/rootfs/build.sh, so its
 *    rewrite handler is registered after the static lua-nginx-module's and runs first; and lua-nginx-module documents
 *    rewrite_by_lua as "phase: rewrite tail"), so plain HTTP is redirected in every controller state (checked on the
 *    engine: a phase-1 decision wins over the harness's emulated redirect);
 * 3. any other request to such a location without `https` + `SUCCESS`: 403. With `auth-tls-verify-client: on` nginx
 *    already answers 400 to HTTPS without a valid certificate, so this catches plain HTTP (with the redirect off, or
 *    paths the Lua redirect skips) — whatever the controller's redirect state, and whatever the WAF mode
 *    (`ctl:ruleEngine=On`: the gate blocks in `DetectionOnly` too).
 */
export function renderTransactionFactRules(ids: TransactionFactRuleIds, tag: string): string[] {
  const set = (value: string): string => `setvar:'${ROUTED_HOST_VARIABLE}=/${value}/'`;
  const quiet = ['phase:1', 'pass', 'nolog', 'capture', 't:none'];
  return [
    '# Routed host (nginx $host) and client-certificate state from the transaction id (lib/waf/transaction-facts.ts)',
    `SecRule REQUEST_HEADERS:Host "@rx \\A(.*?)\\.?(?::[0-9]*)?\\z" "id:${ids.hostFromHeader},${[...quiet, 't:lowercase', set('%{TX.1}')].join(',')}"`,
    `SecRule REQUEST_LINE "@rx \\A[A-Za-z]+ [Hh][Tt][Tt][Pp][Ss]?://([^/?#:]*?)\\.?(?::[0-9]*)?[/?# ]" "id:${ids.hostFromRequestLine},${[...quiet, 't:lowercase', set('%{TX.1}')].join(',')}"`,
    `SecRule UNIQUE_ID "@rx ${ID_HEAD}[a-z]+_${REQUEST_ID}_https?_${VERIFY}_(.+)\\z" "id:${ids.hostFromTransaction},${[...quiet, set('%{TX.1}')].join(',')}"`,
    `SecRule UNIQUE_ID "@rx ${ID_HEAD}mr_${REQUEST_ID}_http__(.+)\\z" "id:${ids.plainHttpRedirect},phase:1,capture,t:none,ctl:ruleEngine=On,status:307,redirect:https://%{TX.1}%{REQUEST_URI},nolog,tag:'${tag}/mtls-gate'"`,
    `SecRule UNIQUE_ID "@rx ${ID_HEAD}m" "id:${ids.clientCertificateGate},phase:1,deny,status:403,ctl:ruleEngine=On,log,auditlog,msg:'mTLS location reached without a verified client certificate',logdata:'%{UNIQUE_ID}',tag:'${tag}/mtls-gate',chain"`,
    `  SecRule UNIQUE_ID "!@rx ${ID_HEAD}m[a-z]*_${REQUEST_ID}_https_SUCCESS_" "t:none"`,
  ];
}
