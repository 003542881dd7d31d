import type { FilterRequest } from './coraza-host';

/**
 * What Envoy Gateway v1.9.0's Envoy does to a request before the coraza-waf filter sees it, for the request shapes of
 * the adversarial tables. Envoy itself cannot run here (no Envoy build on these machines), so this is a model, each
 * step citing the source it follows; shapes whose handling depends on Envoy code we did not read are reported as not
 * modelled rather than guessed. EG sources: /work/cache/go/mod/github.com/envoyproxy/gateway@v1.9.0 (cited below as
 * `eg:`); the Gateway is the one lib/envoy-gateway renders (one HTTPS listener per host, a plain-HTTP listener with
 * the 301 redirect route).
 */

/** A request as an attacker writes it (the adversarial tables' RowRequest, placeholders resolved). */
export interface RawRequest {
  readonly scheme: 'http' | 'https';
  readonly method: string;
  /** Request target: origin form (`/x`) or absolute form (`https://host/x`). */
  readonly target: string;
  /** Host header value, verbatim; null = no Host line. */
  readonly host: string | null;
  /** TLS server name; null = none. */
  readonly sni: string | null;
  readonly protocol: 'HTTP/1.1' | 'HTTP/1.0';
  /** Extra header lines, verbatim (`name: value`). */
  readonly headerLines: readonly string[];
  readonly clientIp: string;
  readonly body?: Buffer;
}

/** Where Envoy sends the request. */
export type EnvoyVerdict =
  /** Through the WAF filter of the route of `host`, then (unless the filter interrupts) to the backend at `backendPath`. */
  | { readonly kind: 'filter'; readonly host: string; readonly request: FilterRequest; readonly backendPath: string }
  /** Envoy answers (or resets) before any HTTP filter. */
  | {
      readonly kind: 'envoy';
      readonly status: number | 'reset' | 'redirect';
      readonly reason: string;
      readonly location?: string;
    }
  /** A shape this model does not decide (the handling lives in Envoy code we cannot run or did not read). */
  | { readonly kind: 'not-modelled'; readonly reason: string };

/** The edge's hosts: the HTTPS listeners (hostname = host) and their routes. */
export interface GatewayModel {
  readonly hosts: readonly string[];
  /**
   * ClientTrafficPolicy `headers.host.stripTrailingHostDot` of the HTTPS listeners: Envoy removes a trailing dot from
   * the host before routing (and the filter sees the host without it).
   * @default false (EG v1.9.0's default, api/v1alpha1/hostsettings_types.go lines 11-20)
   */
  readonly stripTrailingHostDot?: boolean;
  /**
   * Status of the plain-HTTP RequestRedirect route.
   * @default 301 (Envoy's RedirectAction default when the HTTPRoute names no statusCode)
   */
  readonly httpsRedirectStatus?: number;
}

const envoy = (status: number | 'reset' | 'redirect', reason: string, location?: string): EnvoyVerdict => ({
  kind: 'envoy',
  status,
  reason,
  location,
});

/** Chromium's path canonicalization as Envoy's `normalize_path` runs it (see {@link canonicalPath}). */
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * Envoy's `normalize_path` (on in every EG listener: eg: internal/xds/translator/listener.go line 397
 * `NormalizePath: true`) = `PathUtil::canonicalPath` → Envoy's snapshot of Chromium's `CanonicalizePath`
 * (envoy source/common/chromium_url/url_canon_path.cc, `DoPartialPath` and `kPathCharLookup`): `%XX` of an unreserved
 * character is decoded, other escapes are kept (invalid ones too, permissively), `%2e` counts as a dot, `\` becomes
 * `/`, `.` and `..` segments are resolved, and an escaped NUL (`%00`) or a raw NUL fails the request. Returns
 * undefined on failure. Only the path part (before `?`) is canonicalized.
 */
export function canonicalPath(path: string): string | undefined {
  const out: string[] = [];
  let ok = true;
  const segments: string[] = [];
  // First decode and classify characters, then resolve dot segments on the slash-separated result.
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\u0000') {
      ok = false;
      current += '%00';
      continue;
    }
    if (c === '\\' || c === '/') {
      segments.push(current);
      current = '';
      continue;
    }
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(path.slice(i + 1, i + 3))) {
      const code = parseInt(path.slice(i + 1, i + 3), 16);
      const ch = String.fromCharCode(code);
      if (UNRESERVED.test(ch)) current += ch;
      else {
        if (code === 0) ok = false;
        current += path.slice(i, i + 3);
      }
      i += 2;
      continue;
    }
    current += c;
  }
  segments.push(current);
  // segments[0] is what precedes the first slash (empty for origin-form paths).
  for (const s of segments.slice(1)) {
    if (s === '.') continue;
    if (s === '..') {
      out.pop();
      continue;
    }
    out.push(s);
  }
  const last = segments[segments.length - 1];
  const trailing = segments.length > 1 && (last === '.' || last === '..') ? '/' : '';
  const result = `/${out.join('/')}${trailing && out.length > 0 ? trailing : ''}`;
  return ok ? result : undefined;
}

/**
 * From the raw request to what the filter sees, step by step. Envoy's HTTP/1 parser is Balsa (envoy
 * source/common/http/http1/balsa_parser.cc).
 */
export function throughEnvoy(raw: RawRequest, gateway: GatewayModel): EnvoyVerdict {
  // Plain HTTP: the port-80 listener carries only the redirect route (301 to https, lib/envoy-gateway/http-routes.ts)
  // and cert-manager's solver route: no WAF filter.
  const absolute = /^([A-Za-z]+):\/\/([^/?#]*)([^#]*)/.exec(raw.target);
  if (raw.scheme === 'http') {
    const host = (absolute ? absolute[2] : (raw.host ?? '')).trim();
    const status = gateway.httpsRedirectStatus ?? 301;
    return envoy(
      status,
      `plain HTTP: the HTTPRoute on the HTTP listener redirects to https (RequestRedirect ${status}); the WAF filter is on the HTTPS routes only`,
      `https://${host}${absolute ? absolute[3] : raw.target}`,
    );
  }
  // TLS: one filter chain per HTTPS listener, matched on SNI = the listener's hostname (eg:
  // internal/xds/translator/listener.go `addServerNamesMatch`, line 619); no default chain → the handshake fails.
  const sni = raw.sni?.toLowerCase();
  const listenerHost = gateway.hosts.find((h) => h === sni);
  if (!listenerHost)
    return envoy('reset', `TLS: no filter chain for SNI ${JSON.stringify(raw.sni)} (one chain per listener hostname)`);
  // HTTP/1.0: Envoy refuses it unless accept_http_10 is set, which EG sets only for ClientTrafficPolicy `http1.http10`
  // (eg: listener.go `http1ProtocolOptions`, lines 61-86); ours does not set it. Envoy answers 426 Upgrade Required.
  if (raw.protocol === 'HTTP/1.0')
    return envoy(426, 'HTTP/1.0 is refused (EG enables accept_http_10 only with ClientTrafficPolicy http1.http10)');
  // Header lines (Balsa: invalid characters are errors, `set_invalid_chars_level(kError)`).
  const headers: [string, string][] = [];
  for (const line of raw.headerLines) {
    if (/^[ \t]/.test(line))
      return {
        kind: 'not-modelled',
        reason: "obsolete line folding: Balsa's continuation-line policy is not modelled",
      };
    const colon = line.indexOf(':');
    if (colon <= 0) return envoy(400, 'header line without a name and colon');
    const name = line.slice(0, colon);
    if (/[ \t]/.test(name))
      return { kind: 'not-modelled', reason: "whitespace in a header name: Balsa's handling is not modelled" };
    // eslint-disable-next-line no-control-regex
    if (/[\u0000\r\n]/.test(line)) return envoy(400, 'NUL or bare CR in a header (Balsa invalid_chars_level kError)');
    // Headers with underscores: EG's default HeadersWithUnderscoresAction is REJECT_REQUEST (eg: listener.go
    // `buildHeadersWithUnderscoresAction`, lines 1296-1309) → 400.
    if (name.includes('_'))
      return envoy(
        400,
        `header name ${JSON.stringify(name)} has an underscore: EG's default headersWithUnderscoresAction RejectRequest`,
      );
    // Names are case-insensitive and Envoy holds them lower-case; optional whitespace around values is removed.
    headers.push([name.toLowerCase(), line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')]);
  }
  const hostLines = headers.filter(([n]) => n === 'host').length + (raw.host === null ? 0 : 1);
  if (hostLines > 1)
    return {
      kind: 'not-modelled',
      reason: 'two Host lines: whether Envoy joins or refuses them is decided in its HTTP/1 codec, not modelled',
    };
  const hostHeader = raw.host === null ? undefined : raw.host.replace(/^[ \t]+|[ \t]+$/g, '');
  // Absolute form: the URL's authority becomes :authority (Envoy's HTTP/1 codec, ServerConnectionImpl::handlePath).
  const given = absolute ? absolute[2] : hostHeader;
  // strip_trailing_host_dot (when the ClientTrafficPolicy sets it) rewrites the host before routing and filters.
  const authority =
    gateway.stripTrailingHostDot && given !== undefined ? given.replace(/\.(?=(:[0-9]*)?$)/, '') : given;
  if (authority === undefined || authority === '') return envoy(400, 'HTTP/1.1 request without a host');
  // Route: the listener's route configuration holds one virtual host per route hostname (eg: translator.go lines
  // 585-600, `Domains: []string{httpRoute.Hostname}`), matched case-insensitively with the port ignored
  // (`IgnorePortInHostMatching: true`, translator.go line 507). A trailing dot is kept unless the ClientTrafficPolicy
  // sets `headers.host.stripTrailingHostDot` (see GatewayModel.stripTrailingHostDot; our renderer sets it).
  const matchHost = authority.toLowerCase().replace(/:[0-9]*$/, '');
  if (matchHost !== listenerHost)
    return envoy(
      404,
      `no route for :authority ${JSON.stringify(authority)} on the listener of ${listenerHost} (route_not_found)`,
    );
  // Path: normalized, slashes merged (EG default MergeSlashes true), escaped slashes unescaped and redirected (EG
  // default UnescapeAndRedirect) — eg: internal/gatewayapi/listener.go lines 355-356.
  const pathAndQuery = absolute ? absolute[3] || '/' : raw.target.replace(/#.*$/, '');
  const q = pathAndQuery.indexOf('?');
  const rawPath = q >= 0 ? pathAndQuery.slice(0, q) : pathAndQuery;
  const query = q >= 0 ? pathAndQuery.slice(q) : '';
  const canonical = canonicalPath(rawPath);
  if (canonical === undefined)
    return envoy(400, `path ${JSON.stringify(rawPath)} fails normalize_path (escaped or raw NUL)`);
  const merged = canonical.replace(/\/{2,}/g, '/');
  if (/%2f|%5c/i.test(merged)) {
    const unescaped = merged.replace(/%2f/gi, '/').replace(/%5c/gi, '\\');
    return envoy(
      'redirect',
      "escaped slash in the path: EG's default escapedSlashesAction UnescapeAndRedirect answers a redirect before the filters",
      unescaped + query,
    );
  }
  const path = merged + query;
  // Headers the connection manager sets before the filters: x-request-id, x-forwarded-proto, x-forwarded-for
  // (use_remote_address), content-length for a body.
  const added: [string, string][] = [
    ['x-forwarded-proto', 'https'],
    ['x-request-id', 'coraza-harness-request-id'],
    ['x-forwarded-for', raw.clientIp],
  ];
  const kept = headers.filter(
    ([n]) => n !== 'host' && n !== 'x-forwarded-proto' && n !== 'x-request-id' && n !== 'x-forwarded-for',
  );
  const body = raw.body ?? Buffer.alloc(0);
  const contentLength: [string, string][] =
    body.length > 0 && !kept.some(([n]) => n === 'content-length') ? [['content-length', String(body.length)]] : [];
  return {
    kind: 'filter',
    host: listenerHost,
    backendPath: merged,
    request: {
      id: '',
      method: raw.method,
      path,
      authority,
      scheme: 'https',
      protocol: 'HTTP/1.1',
      headers: [...kept, ...contentLength, ...added],
      body,
      sourceIp: raw.clientIp,
    },
  };
}
