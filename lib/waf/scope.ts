import { checkHostname, invalid } from '../core/validation';
import { escapeRegex } from './text';
import { ROUTED_HOST_VARIABLE } from './transaction-facts';

/**
 * Host and path scoping of rules.
 *
 * Hosts: a rule scoped to a host matches the host nginx routed the request on (the transaction variable
 * {@link ROUTED_HOST_VARIABLE}, filled by the rules of transaction-facts.ts from nginx's `$host`), never the raw
 * `Host` header: `Host: b.example.com.`, `Host: b.example.com:` and an absolute-form request line all reach host b in
 * nginx, and must get b's rules. A rule scoped to a host the edge does not serve would never match — almost always a
 * typo that leaves the intended host unprotected (or an exclusion silently unused) — so it is rejected at synth time.
 *
 * Paths: matched on `REQUEST_FILENAME` (the path without the query) after the transformations of
 * {@link PATH_TRANSFORMS}, with `\A` … `\z` anchors (see {@link pathScopeRegex}).
 */
export function checkServedHost(field: string, host: string, servedHosts: readonly string[]): string {
  checkHostname(field, host);
  const served = servedHosts.some(
    (h) =>
      h === host || (h.startsWith('*.') && host.endsWith(h.slice(1)) && !host.slice(0, -h.length + 1).includes('.')),
  );
  if (!served) {
    invalid(
      field,
      host,
      `is not a host this edge serves (${servedHosts.length ? servedHosts.join(', ') : 'no hosts given'})`,
      'use one of the served hosts, or add the host to the edge (WafPolicyProps.servedHosts) first',
    );
  }
  return host;
}

/** The variable host-scoped rules test, in SecRule syntax (`TX:edge_waf_host`). */
export const ROUTED_HOST_TARGET = `TX:${ROUTED_HOST_VARIABLE.slice('tx.'.length)}`;

/**
 * The operator matching the routed host against hosts (`@pm /a.example.com/ /b.example.com/`): the slashes make the
 * match exact (no suffix or prefix of another host matches; nginx refuses `/` in a host). `@pm` (Aho-Corasick)
 * stays fast and small for thousands of hosts, where one regex alternation would hit PCRE's compiled-pattern limit.
 */
export function routedHostOperator(hosts: readonly string[]): string {
  return `@pm ${[...new Set(hosts.map((h) => `/${h.toLowerCase()}/`))].join(' ')}`;
}

/**
 * Transformations applied to the path before matching, chosen to see the path the proxy routes on: nginx (and Envoy)
 * decode `%XX` once and resolve `.`/`..` segments before choosing a route (ngx_http_parse_complex_uri; Envoy's
 * normalize_path). `REQUEST_FILENAME` is already decoded once by both engines (libmodsecurity's `processURI`, Coraza's
 * `ProcessURI` through Go's url.Parse), so only `t:normalizePath` is applied: a second `t:urlDecode` read the
 * double-encoded `/%2561pi/x` as `/api/x` while nginx routes it on `/%61pi/x` — outside the allow-list, let through
 * (measured on the engine: rows double-encoded-letter and exclusion-double-encoded of
 * test/engine/harness/adversarial/path-scope.ts). IIS `%uXXXX` is decoded by neither. No `t:lowercase`: location
 * matching is case-sensitive.
 */
export const PATH_TRANSFORMS: readonly string[] = ['t:none', 't:normalizePath'];

/**
 * The path-prefix regex of a scope, with Kubernetes `Prefix` semantics (`/api` covers `/api` and `/api/x`, not
 * `/apix`). Anchored with `\A` and `\z`: libmodsecurity 3 compiles `@rx` with PCRE multiline, where `^` and `$` also
 * match at line breaks — so a decoded `%0a` would move `/admin%0a/api` into `/api`'s scope. `\A` and `\z` mean
 * start and end of the whole subject in PCRE and in Go's RE2 (Coraza) alike, with or without multiline.
 */
export function pathScopeRegex(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (trimmed === '/') return '\\A/';
  return `\\A${escapeRegex(trimmed)}(?:/|\\z)`;
}
