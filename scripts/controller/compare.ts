import { children, Directive, parseNginxConf } from './nginx-parse';

/** One compared fact: a directive (or a small group of them) in one context, as each side renders it. */
export interface ComparedFact {
  /** `<server_name> <location or -> <directive>`, e.g. `echo.example.com / proxy_set_header x-real-ip`. */
  readonly key: string;
  /** What the real controller rendered (`(absent)` when it did not). */
  readonly controller: string;
  /** What the harness rendered (`(absent)` when it did not). */
  readonly harness: string;
  /** Why a difference does not matter (from {@link EXPLAINED_DIFFERENCES}); undefined when it agrees or is unexplained. */
  readonly explained?: string;
}

/** A difference that is known and does not change what the tests check, with the reason (data, easy to extend). */
export interface ExplainedDifference {
  /** Matches {@link ComparedFact.key}. */
  readonly key: RegExp;
  /** Why it does not matter for the conformance suite. */
  readonly reason: string;
}

/** Facts the harness emulates and that are compared; everything else either side renders is not compared. */
export const COMPARED_DIRECTIVES = {
  /** Server level, effective value (the server's own, else the http block's). */
  server: ['ssl_protocols', 'ssl_verify_client', 'ssl_verify_depth', 'ssl_client_certificate'],
  /** Location level; `modsecurity_*` are merged over http, server and location as ModSecurity-nginx merges rule sets. */
  location: ['modsecurity', 'modsecurity_rules', 'modsecurity_rules_file', 'modsecurity_transaction_id', 'proxy_pass'],
  /** The `set` variables lua_ingress.lua's rewrite() reads for the HTTP->HTTPS redirect (template.go locationConfigForLua). */
  luaRedirect: [
    'force_ssl_redirect',
    'ssl_redirect',
    'force_no_ssl_redirect',
    'preserve_trailing_slash',
    'use_port_in_redirects',
  ],
} as const;

const ABSENT = '(absent)';
const EDGE_PORTS = new Set(['80', '443']);

/** `listen` arguments without the address: port plus the flags that change behaviour (ssl, default_server). */
function normalizeListen(args: readonly string[]): string {
  const port = (args[0] ?? '').replace(/^.*:/, '');
  const flags = args.slice(1).filter((a) => a === 'ssl' || a === 'default_server' || a === 'proxy_protocol');
  return [port, ...flags].join(' ');
}

function values(block: readonly Directive[] | undefined, name: string): string[] {
  return children(block, name).map((d) => d.args.join(' '));
}

/** The servers that answer the edge ports (80/443), by server_name. */
function edgeServers(http: readonly Directive[]): Map<string, Directive> {
  const out = new Map<string, Directive>();
  for (const s of children(http, 'server')) {
    const ports = children(s.block, 'listen').map((l) => normalizeListen(l.args).split(' ')[0]);
    if (!ports.some((p) => EDGE_PORTS.has(p))) continue;
    const name = children(s.block, 'server_name')[0]?.args[0] ?? '(none)';
    out.set(name, s);
  }
  return out;
}

/** Multi-line text (modsecurity_rules) compared line by line, ignoring indentation and blank lines. */
function normalizeText(v: string): string {
  return v
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' | ');
}

/** The facts of one rendered nginx.conf (a Map key -> value), for {@link compareConfigs}. */
export function configFacts(
  text: string,
  luaArgs?: (server: string, location: string) => Record<string, string>,
): Map<string, string> {
  const top = parseNginxConf(text);
  const http = children(top, 'http')[0]?.block ?? [];
  const facts = new Map<string, string>();
  const servers = edgeServers(http);
  facts.set('servers', [...servers.keys()].sort().join(' '));
  for (const [name, server] of servers) {
    const sb = server.block ?? [];
    facts.set(
      `${name} - listen`,
      [...new Set(children(sb, 'listen').map((l) => normalizeListen(l.args)))].sort().join(', '),
    );
    for (const d of COMPARED_DIRECTIVES.server) {
      const own = values(sb, d);
      const v = own.length ? own : values(http, d);
      facts.set(`${name} - ${d}`, v.length ? v.join(', ') : ABSENT);
    }
    const subjectChecks = children(sb, 'if')
      .filter((i) => i.args.join(' ').includes('$ssl_client_s_dn'))
      .map(
        (i) => `if ${i.args.join(' ')} { ${(i.block ?? []).map((c) => `${c.name} ${c.args.join(' ')}`).join('; ')} }`,
      );
    facts.set(`${name} - subject check`, subjectChecks.length ? subjectChecks.join(', ') : ABSENT);
    const locations = children(sb, 'location');
    facts.set(
      `${name} - locations`,
      locations
        .map((l) => l.args.join(' '))
        .sort()
        .join(', '),
    );
    if (name === '_') continue; // the default server's locations differ by design, see EXPLAINED_DIFFERENCES
    for (const loc of locations) {
      const path = loc.args.join(' ');
      const lb = loc.block ?? [];
      const key = (d: string): string => `${name} ${path} ${d}`;
      for (const d of COMPARED_DIRECTIVES.location) {
        const merged =
          d === 'modsecurity' || d === 'proxy_pass'
            ? values(lb, d).length
              ? values(lb, d)
              : values(sb, d).length
                ? values(sb, d)
                : values(http, d)
            : [...values(http, d), ...values(sb, d), ...values(lb, d)];
        facts.set(key(d), merged.length ? merged.map(normalizeText).join(' + ') : ABSENT);
      }
      // proxy_set_header is an array directive: the innermost level that has any wins (nginx ngx_http_proxy_merge_loc_conf).
      const psh = [lb, sb, http].map((b) => children(b, 'proxy_set_header')).find((l) => l.length) ?? [];
      const headers = new Map<string, string>();
      for (const h of psh) headers.set(h.args[0].toLowerCase(), h.args.slice(1).join(' '));
      for (const [h, v] of headers) facts.set(key(`proxy_set_header ${h}`), v);
      const sets = new Map(children(lb, 'set').map((s) => [s.args[0], s.args.slice(1).join(' ')]));
      const lua = luaArgs ? luaArgs(name, path) : undefined;
      for (const v of COMPARED_DIRECTIVES.luaRedirect) {
        facts.set(key(`lua ${v}`), lua ? (lua[v] ?? ABSENT) : (sets.get(`$${v}`) ?? ABSENT));
      }
    }
  }
  return facts;
}

/**
 * Whether lua_ingress.lua sees a certificate for each host: certificate.lua `configured_for_current_request`
 * (controller-v1.15.1 rootfs/etc/nginx/lua/certificate.lua 217-223) looks the host up in the `servers` map the
 * controller POSTs to /configuration/servers (nginx.go configureCertificates). `ssl_redirect` only redirects when it
 * is true (lua_ingress.lua redirect_to_https). Adds `<host> - certificate for Lua` to `facts`.
 */
export function addCertificateFacts(
  facts: Map<string, string>,
  configured: (host: string) => boolean,
): Map<string, string> {
  for (const host of (facts.get('servers') ?? '').split(' ').filter((h) => h && h !== '_')) {
    facts.set(`${host} - certificate for Lua`, configured(host) ? 'configured' : 'not configured');
  }
  return facts;
}

/** Compares the controller's facts with the harness's, key by key (the union of both key sets). */
export function compareConfigs(
  controller: Map<string, string>,
  harness: Map<string, string>,
  explained: readonly ExplainedDifference[],
): ComparedFact[] {
  const keys = [...new Set([...controller.keys(), ...harness.keys()])].sort();
  return keys.map((key) => {
    const c = controller.get(key) ?? ABSENT;
    const h = harness.get(key) ?? ABSENT;
    const reason = c === h ? undefined : explained.find((e) => e.key.test(key))?.reason;
    return { key, controller: c, harness: h, explained: reason };
  });
}

/** Counts: agree, differ (unexplained), explained. */
export function tally(facts: readonly ComparedFact[]): { agree: number; differ: number; explained: number } {
  const agree = facts.filter((f) => f.controller === f.harness).length;
  const explained = facts.filter((f) => f.controller !== f.harness && f.explained).length;
  return { agree, differ: facts.length - agree - explained, explained };
}
