import { join } from 'node:path';
import type { EdgeModel, LocationModel, ServerModel } from './edge-model';
import { LocalMount, mapImagePaths, ModSecurityTree } from './modsecurity-tree';

/** Run-time inputs of the rendered configuration: where things are on this machine. */
export interface NginxRuntime {
  /** nginx prefix (`-p`), holds temp folders and the pid file. */
  readonly prefix: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  /** The loopback echo upstream every Service backend is mapped to. */
  readonly upstream: { readonly host: string; readonly port: number };
  readonly tree: ModSecurityTree;
  /** Temporary folders standing in for the ConfigMaps mounted into the controller (e.g. the WAF policy file). @default none */
  readonly mounts?: readonly LocalMount[];
  /** Server certificate + key (PEM files) for each host, and the default server's. */
  readonly serverCertificates: ReadonlyMap<string, { readonly cert: string; readonly key: string }>;
  readonly defaultCertificate: { readonly cert: string; readonly key: string };
  /** The run-time client CA file that stands in for each server's `auth-tls-secret` ca.crt. */
  readonly clientCaFile: string;
  /** Request header the harness uses to emulate the client's source address (see realip below). */
  readonly clientIpHeader: string;
  /** Run workers as root (only when nginx runs as root: keeps temp files and /dev/stdout accessible). */
  readonly runWorkersAsRoot: boolean;
  /** The controller state the Lua HTTPS redirect decides in (see {@link RedirectState}). @default 'certificate-configured' */
  readonly redirectState?: RedirectState;
  /**
   * Token of a cert-manager HTTP-01 solver Ingress to model on every TLS host (as during issuance): cert-manager creates
   * an Ingress with path `/.well-known/acme-challenge/<token>` and no annotation of ours, which ingress-nginx merges
   * into the host's server block. @default no solver
   */
  readonly acmeSolverToken?: string;
}

/**
 * The controller states in which lua_ingress.lua `redirect_to_https` (v1.15.1, lines 65-79) decides differently:
 *
 * - `certificate-configured`: `certificate_configured_for_current_request()` is true (the host's certificate, or the
 *   fake one for a missing secret, is in Lua's certificate cache): `ssl_redirect` redirects plain HTTP;
 * - `certificate-not-configured`: the check is false — between the controller's backend and certificate updates
 *   (first sync), when posting certificates to Lua failed, or when the host dropped out of Lua's certificate cache:
 *   only `force_ssl_redirect` redirects.
 *
 * In both, locations under `no-tls-redirect-locations` (default `/.well-known/acme-challenge`, template.go
 * buildForceNoSSLRedirect → `force_no_ssl_redirect`) are never redirected. `httpsRedirect: false` is not a state but
 * a dist (annotation `ssl-redirect: "false"`), rendered from a dist synthesized that way.
 */
export type RedirectState = 'certificate-configured' | 'certificate-not-configured';

/** The controller's default `no-tls-redirect-locations` (ingress-nginx v1.15.1 config defaults). */
export const NO_TLS_REDIRECT_LOCATIONS = ['/.well-known/acme-challenge'] as const;

/** Harness-only request header naming the Ingress location that proxied a request (`<namespace>/<ingress>`). */
export const ROUTE_HEADER = 'x-harness-route';
/** Harness-only request header carrying nginx's normalized path (`$uri`, what it chose the location by). */
export const ROUTED_URI_HEADER = 'x-harness-uri';
/** The route of the modelled cert-manager HTTP-01 solver. */
export const ACME_SOLVER_ROUTE = 'acme-http01-solver';

/** Which upstream nginx.tmpl lines (ingress-nginx controller-v1.15.1) each rendered part mirrors. */
export const TEMPLATE_LINES = {
  loadModule: '28-29',
  realIp: '77-92',
  modsecurityHttp: '94-108',
  matchCn: '916-921',
  authTls: '935-948',
  location: '1203 (location block 1150-1203)',
  sslClientHeaders: '1286-1293',
  proxyHeaders: '1295-1331',
} as const;

/**
 * Renders the nginx.conf ingress-nginx v1.15.1 would produce for the edge model, limited to the features this
 * project uses. Lua parts of the real template (certificate selection, balancer, the HTTPS redirect and HSTS of
 * lua_ingress.lua) are replaced by plain nginx equivalents; everything ModSecurity and mTLS is the template's text.
 */
export function renderNginxConf(model: EdgeModel, rt: NginxRuntime): string {
  const c = model.controller;
  const out: string[] = [];
  const line = (indent: number, text: string): void => {
    out.push(' '.repeat(indent * 4) + text);
  };
  line(0, '# Rendered by the real-engine harness (test/engine/harness) from ' + model.distRoot);
  line(
    0,
    '# Mirrors ingress-nginx controller-v1.15.1 rootfs/etc/nginx/template/nginx.tmpl (line numbers in comments).',
  );
  if (rt.runWorkersAsRoot) line(0, 'user root root;');
  line(0, 'worker_processes 1;');
  line(0, `pid ${join(rt.prefix, 'nginx.pid')};`);
  line(0, 'error_log stderr notice;');
  if (c.enableModsecurity) {
    line(0, `# nginx.tmpl ${TEMPLATE_LINES.loadModule}`);
    line(0, 'load_module /usr/lib/nginx/modules/ngx_http_modsecurity_module.so;');
  }
  line(0, 'events { worker_connections 1024; }');
  line(0, 'http {');
  line(1, 'access_log off;');
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    line(1, `${t}_temp_path ${join(rt.prefix, 'tmp', t)};`);
  line(
    1,
    '# defaults of the controller ConfigMap (enable-underscores-in-headers, ignore-invalid-headers, proxy-body-size)',
  );
  line(1, `underscores_in_headers ${c.underscoresInHeaders ? 'on' : 'off'};`);
  line(1, `ignore_invalid_headers ${c.ignoreInvalidHeaders ? 'on' : 'off'};`);
  line(1, `client_max_body_size ${c.proxyBodySize};`);
  line(1, 'server_tokens off;');
  line(1, '# nginx.tmpl 456 (ssl-protocols default): once for every server, the default server included');
  line(1, 'ssl_protocols TLSv1.2 TLSv1.3;');
  line(1, "map $http_upgrade $connection_upgrade { default upgrade; '' close; }");
  line(1, '# nginx.tmpl 392-397 (generate-request-id default true)');
  line(1, 'map $http_x_request_id $req_id { default $http_x_request_id; "" $request_id; }');
  line(
    1,
    "# harness only: nginx's normalized path for the backend to report, without control characters (no header injection)",
  );
  line(1, 'map $uri $harness_uri { "~[\\x00-\\x1f\\x7f]" "(control character)"; default $uri; }');
  line(1, 'map $request_uri $harness_redirect_uri { ~^(?<trimmed>.*)/$ $trimmed; default $request_uri; }');

  if (c.realIp.enabled) {
    line(1, `# nginx.tmpl ${TEMPLATE_LINES.realIp} (use-forwarded-headers / enable-real-ip)`);
    line(1, `real_ip_header ${c.realIp.header};`);
    line(1, 'real_ip_recursive on;');
    for (const cidr of c.realIp.trustedCidrs) line(1, `set_real_ip_from ${cidr};`);
  } else {
    line(1, '# harness only (not in the template): emulate the client source address on loopback, so that');
    line(1, '# ModSecurity sees REMOTE_ADDR as an internet client would arrive with externalTrafficPolicy: Local');
    line(1, `real_ip_header ${rt.clientIpHeader};`);
    line(1, 'set_real_ip_from 127.0.0.1/32;');
  }

  if (c.enableModsecurity) {
    line(1, `# nginx.tmpl ${TEMPLATE_LINES.modsecurityHttp}`);
    line(1, 'modsecurity on;');
    if (c.modsecuritySnippet !== '') {
      // The template inserts the snippet verbatim between single quotes; nginx's parser un-escapes \' \" \\ \t \r \n.
      line(1, "modsecurity_rules '");
      for (const l of mapImagePaths(c.modsecuritySnippet, rt.tree, rt.mounts).replace(/\n$/, '').split('\n'))
        line(0, `      ${l}`);
      line(1, "';");
    } else {
      line(1, `modsecurity_rules_file ${rt.tree.modsecurityDir}/modsecurity.conf;`);
    }
    if (c.enableOwaspCrs) line(1, `modsecurity_rules_file ${rt.tree.crsDir}/nginx-modsecurity.conf;`);
  }

  line(1, `upstream harness-echo { server ${rt.upstream.host}:${rt.upstream.port}; keepalive 8; }`);

  line(1, '# default server (the controller\'s "_" server answers unknown hosts with the default backend: 404)');
  line(1, 'server {');
  line(2, 'server_name _;');
  line(2, `listen 127.0.0.1:${rt.httpPort} default_server;`);
  line(2, `listen 127.0.0.1:${rt.httpsPort} default_server ssl;`);
  line(2, `ssl_certificate ${rt.defaultCertificate.cert};`);
  line(2, `ssl_certificate_key ${rt.defaultCertificate.key};`);
  line(2, 'location / { return 404; }');
  line(1, '}');

  for (const server of model.servers) renderServer(line, model, server, rt);
  line(0, '}');
  return out.join('\n') + '\n';
}

type Line = (indent: number, text: string) => void;

function renderServer(line: Line, model: EdgeModel, server: ServerModel, rt: NginxRuntime): void {
  const tls = server.tlsSecretName !== undefined;
  line(1, `## start server ${server.host} (Ingress ${server.ingress.namespace}/${server.ingress.name})`);
  line(1, 'server {');
  line(2, `server_name ${server.host};`);
  line(2, `listen 127.0.0.1:${rt.httpPort};`);
  line(2, `listen 127.0.0.1:${rt.httpsPort} ssl;`);
  const cert = rt.serverCertificates.get(server.host) ?? rt.defaultCertificate;
  line(2, `# certificate of tls secret ${server.tlsSecretName ?? "(none: the controller's default certificate)"}`);
  line(2, `ssl_certificate ${cert.cert};`);
  line(2, `ssl_certificate_key ${cert.key};`);
  line(2, 'set $proxy_upstream_name "-";');
  const auth = server.auth;
  if (auth?.matchCn) {
    line(2, `# nginx.tmpl ${TEMPLATE_LINES.matchCn}`);
    line(2, `if ( $ssl_client_s_dn !~ ${goQuote(auth.matchCn)} ) {`);
    line(3, 'return 403 "client certificate unauthorized";');
    line(2, '}');
  }
  if (auth) {
    line(
      2,
      `# nginx.tmpl ${TEMPLATE_LINES.authTls}: ${auth.secret} ca.crt (in dist: ${auth.caSource}; run-time CA here)`,
    );
    line(2, `ssl_client_certificate ${rt.clientCaFile};`);
    line(2, `ssl_verify_client ${auth.verifyClient};`);
    line(2, `ssl_verify_depth ${auth.verifyDepth};`);
  }
  for (const location of sortLocations(server.locations)) renderLocation(line, model, server, location, tls, rt);
  if (tls && rt.acmeSolverToken) {
    // cert-manager's solver Ingress (pkg/issuer/acme/http/ingress.go): path /.well-known/acme-challenge/<token>, none of
    // our annotations, so no modsecurity_transaction_id; the controller merges it into this server block.
    line(2, `# harness model: cert-manager HTTP-01 solver Ingress (no annotations of ours), merged into this server`);
    line(2, `location /.well-known/acme-challenge/${rt.acmeSolverToken} {`);
    line(3, `proxy_set_header ${ROUTE_HEADER} ${ACME_SOLVER_ROUTE};`);
    line(3, 'proxy_http_version 1.1;');
    line(3, 'proxy_pass http://harness-echo;');
    line(2, '}');
  }
  line(1, '}');
  line(1, `## end server ${server.host}`);
}

function renderLocation(
  line: Line,
  model: EdgeModel,
  server: ServerModel,
  location: LocationModel,
  tls: boolean,
  rt: NginxRuntime,
): void {
  const c = model.controller;
  const auth = server.auth;
  const path = location.pathType === 'Exact' ? `= ${location.path}` : location.path;
  line(2, `location ${path} {`);
  line(3, `set $namespace ${goQuote(server.ingress.namespace)};`);
  line(3, `set $ingress_name ${goQuote(server.ingress.name)};`);
  line(3, `set $service_name ${goQuote(location.service)};`);
  line(3, `set $service_port ${goQuote(location.port)};`);
  // lua_ingress.lua rewrite() lines 157-173: redirect_to_https (lines 65-79) per controller state, http-redirect-code,
  // trailing slash removed from the request URI. Emulated without Lua; like the Lua handler (lua-nginx-module postpones
  // rewrite_by_lua to the end of the rewrite phase) the `return` runs after ModSecurity's rewrite-phase handler.
  const state = rt.redirectState ?? 'certificate-configured';
  const forceNoSslRedirect = NO_TLS_REDIRECT_LOCATIONS.some((l) => location.path.startsWith(l));
  if (
    !forceNoSslRedirect &&
    (server.forceSslRedirect || (server.sslRedirect && tls && state === 'certificate-configured'))
  ) {
    line(3, `# lua_ingress.lua redirect_to_https (emulated; state ${state})`);
    line(3, `if ($scheme = http) { return ${c.httpRedirectCode} https://$host$harness_redirect_uri; }`);
  } else {
    line(
      3,
      `# lua_ingress.lua redirect_to_https: no redirect (state ${state}, ssl-redirect ${server.sslRedirect}, force-ssl-redirect ${server.forceSslRedirect})`,
    );
  }
  // lua_ingress.lua header(): HSTS on https responses of hosts with a certificate. Emulated.
  if (c.hsts.enabled && tls) {
    const value = `max-age=${c.hsts.maxAge}${c.hsts.includeSubdomains ? '; includeSubDomains' : ''}${c.hsts.preload ? '; preload' : ''}`;
    line(3, '# lua_ingress.lua header() HSTS (emulated)');
    line(3, `set $harness_hsts "";`);
    line(3, `if ($scheme = https) { set $harness_hsts "${value}"; }`);
    line(3, 'add_header Strict-Transport-Security $harness_hsts always;');
  }
  const perLocation = buildModSecurityForLocation(c.enableModsecurity, c.enableOwaspCrs, location);
  if (perLocation.length > 0) {
    line(3, `# nginx.tmpl ${TEMPLATE_LINES.location.split(' ')[0]}: buildModSecurityForLocation (template.go)`);
    for (const l of perLocation) line(3, mapImagePaths(l, rt.tree, rt.mounts));
  }
  line(3, 'set $pass_access_scheme $scheme;');
  line(3, 'set $pass_server_port $server_port;');
  line(3, 'set $best_http_host $http_host;');
  line(3, 'set $pass_port $pass_server_port;');
  line(3, 'proxy_set_header Host $best_http_host;');
  if (auth) {
    line(3, `# nginx.tmpl ${TEMPLATE_LINES.sslClientHeaders}`);
    if (auth.passCertificateToUpstream) line(3, 'proxy_set_header ssl-client-cert $ssl_client_escaped_cert;');
    line(3, 'proxy_set_header ssl-client-verify $ssl_client_verify;');
    line(3, 'proxy_set_header ssl-client-subject-dn $ssl_client_s_dn;');
    line(3, 'proxy_set_header ssl-client-issuer-dn $ssl_client_i_dn;');
  }
  line(3, `# nginx.tmpl ${TEMPLATE_LINES.proxyHeaders}`);
  line(3, 'proxy_set_header Upgrade $http_upgrade;');
  line(3, 'proxy_set_header Connection $connection_upgrade;');
  line(3, 'proxy_set_header X-Request-ID $req_id;');
  line(3, 'proxy_set_header X-Real-IP $remote_addr;');
  line(3, 'proxy_set_header X-Forwarded-For $remote_addr;');
  line(3, 'proxy_set_header X-Forwarded-Host $best_http_host;');
  line(3, 'proxy_set_header X-Forwarded-Port $pass_port;');
  line(3, 'proxy_set_header X-Forwarded-Proto $pass_access_scheme;');
  line(3, 'proxy_set_header X-Forwarded-Scheme $pass_access_scheme;');
  line(3, 'proxy_set_header X-Scheme $pass_access_scheme;');
  line(3, 'proxy_set_header X-Original-Forwarded-For $http_x_forwarded_for;');
  line(3, '# nginx.tmpl 1322 (buildForwardedHost, forwarded-host-header default X-Forwarded-Host)');
  line(3, 'proxy_set_header X-Original-Forwarded-Host $http_x_forwarded_host;');
  line(3, 'proxy_set_header Proxy "";');
  // Go templates range over maps in sorted key order.
  for (const key of Object.keys(c.proxySetHeaders).sort())
    line(3, `proxy_set_header ${key} ${goQuote(c.proxySetHeaders[key])};`);
  line(3, `# harness only (not in the template): name the location that proxied the request`);
  line(3, `proxy_set_header ${ROUTE_HEADER} ${goQuote(`${server.ingress.namespace}/${server.ingress.name}`)};`);
  line(3, `proxy_set_header ${ROUTED_URI_HEADER} $harness_uri;`);
  line(3, 'proxy_http_version 1.1;');
  line(
    3,
    `# backend Service ${server.ingress.namespace}/${location.service}:${location.port} → loopback echo upstream`,
  );
  line(3, 'proxy_pass http://harness-echo;');
  line(2, '}');
}

/**
 * template.go buildModSecurityForLocation (controller-v1.15.1, lines 1590-1633): the per-location ModSecurity lines
 * for the Ingress annotations enable-modsecurity, modsecurity-snippet, modsecurity-transaction-id and
 * enable-owasp-core-rules.
 */
export function buildModSecurityForLocation(
  globalEnabled: boolean,
  globalCrs: boolean,
  location: LocationModel,
): string[] {
  const m = location.modsecurity;
  const enabledInLocation = m.enable === true;
  if (!globalEnabled && !enabledInLocation) return [];
  if (m.enable === false) return ['modsecurity off;'];
  const out: string[] = [];
  if (!globalEnabled) out.push('modsecurity on;');
  if (m.snippet !== '') out.push("modsecurity_rules '", ...m.snippet.replace(/\n$/, '').split('\n'), "';");
  if (m.transactionId !== '') out.push(`modsecurity_transaction_id "${m.transactionId}";`);
  if (!globalEnabled && m.snippet === '') out.push('modsecurity_rules_file /etc/nginx/modsecurity/modsecurity.conf;');
  if (!globalCrs && m.owaspRules)
    out.push('modsecurity_rules_file /etc/nginx/owasp-modsecurity-crs/nginx-modsecurity.conf;');
  return out;
}

/** Go's strconv.Quote for the ASCII strings that appear here (the template's `| quote`). */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}

/** ingress-nginx orders locations by path length, longest first. */
function sortLocations(locations: readonly LocationModel[]): LocationModel[] {
  return [...locations].sort((a, b) => b.path.length - a.path.length);
}
