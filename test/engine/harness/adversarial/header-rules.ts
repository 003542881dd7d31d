/**
 * Adversarial request shapes for deny-request-header rules, as data: each row is a request variant and what the edge
 * must answer. The policy the rows run against is {@link HEADER_RULES_POLICY}. Add a row to test a new shape.
 *
 * Why the variants matter: nginx strips only spaces around a header value (nginx 1.27.1 src/http/ngx_http_parse.c
 * `ngx_http_parse_header_line`, lines 972 and 1016), so a TAB reaches ModSecurity and the backend, which trims it
 * (RFC 9110 §5.5); backends join repeated lines with ", " and often split lists; header names are case-insensitive;
 * with ingress-nginx's defaults (underscores off, invalid headers ignored) nginx drops names with "_".
 */
import type { DenyRequestHeaderRule } from '../../../../lib/waf/deny-request-header';
import type { AdversarialTable, CorazaExpectation } from './types';

/** The header rules of the policy the rows run against. */
export const HEADER_RULES_POLICY: readonly DenyRequestHeaderRule[] = [
  { header: 'user', match: { exact: 'admin' } },
  { header: 'x-role', match: { anyOf: ['root', 'superuser'] }, ignoreCase: true },
  { header: 'x-client', match: { regex: '^evil[0-9]+$' } },
];

/** One request variant. */
export interface HeaderRuleRow {
  /** Stable id, used as the request marker. */
  readonly id: string;
  readonly title: string;
  /** Headers sent by Node's HTTP client (an array sends one line per value). */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** Header lines sent verbatim on a raw TLS connection, for shapes Node's client refuses to send. */
  readonly rawLines?: readonly string[];
  /** Expected status. */
  readonly status: 200 | 400 | 403;
  /** For a 200: what the backend must have received (undefined value = the header must be absent). */
  readonly backendSees?: Readonly<Record<string, string | undefined>>;
  /** Why, when not obvious. */
  readonly note?: string;
  /**
   * On Envoy Gateway + Coraza, where the outcome differs (see AdversarialRow.coraza).
   * @default the same outcome
   */
  readonly coraza?: CorazaExpectation;
}

export const HEADER_RULE_ROWS: readonly HeaderRuleRow[] = [
  { id: 'plain', title: 'user: admin', headers: { user: 'admin' }, status: 403 },
  {
    id: 'other-value',
    title: 'user: user passes',
    headers: { user: 'user' },
    status: 200,
    backendSees: { user: 'user' },
  },
  {
    id: 'tab-before',
    title: 'user:<TAB>admin',
    headers: { user: '\tadmin' },
    status: 403,
    note: 'nginx keeps the TAB, the backend trims it',
  },
  { id: 'tab-after', title: 'user: admin<TAB>', headers: { user: 'admin\t' }, status: 403 },
  { id: 'tabs-spaces', title: 'user: <TAB> admin <TAB>', headers: { user: ' \t admin \t' }, status: 403 },
  { id: 'name-case', title: 'User: admin', headers: { User: 'admin' }, status: 403 },
  { id: 'name-upper', title: 'USER: admin', headers: { USER: 'admin' }, status: 403 },
  {
    id: 'value-case',
    title: 'user: Admin passes (values are case-sensitive unless ignoreCase)',
    headers: { user: 'Admin' },
    status: 200,
    backendSees: { user: 'Admin' },
  },
  {
    id: 'list-first',
    title: 'user: admin, guest',
    headers: { user: 'admin, guest' },
    status: 403,
    note: 'a list element equals the value',
  },
  { id: 'list-last', title: 'user: guest,admin', headers: { user: 'guest,admin' }, status: 403 },
  { id: 'list-tabbed', title: 'user: guest,<TAB>admin<TAB>', headers: { user: 'guest,\tadmin\t' }, status: 403 },
  {
    id: 'repeated',
    title: 'user: x + user: admin (two lines; the backend sees "x, admin")',
    headers: { user: ['x', 'admin'] },
    status: 403,
  },
  {
    id: 'repeated-other',
    title: 'user: x + user: y',
    headers: { user: ['x', 'y'] },
    status: 200,
    backendSees: { user: 'x, y' },
  },
  {
    id: 'longer',
    title: 'user: administrator passes',
    headers: { user: 'administrator' },
    status: 200,
    backendSees: { user: 'administrator' },
  },
  {
    id: 'prefixed',
    title: 'user: xadmin passes',
    headers: { user: 'xadmin' },
    status: 200,
    backendSees: { user: 'xadmin' },
  },
  {
    id: 'inner-space',
    title: 'user: ad min passes',
    headers: { user: 'ad min' },
    status: 200,
    backendSees: { user: 'ad min' },
  },
  {
    id: 'underscore',
    title: 'us_er: admin is dropped by nginx (never reaches the backend)',
    headers: { us_er: 'admin' },
    status: 200,
    backendSees: { us_er: undefined, user: undefined },
    coraza: {
      expect: { kind: 'refused', status: 400, by: 'envoy' },
      reason:
        "EG's default headersWithUnderscoresAction is RejectRequest (v1.9.0 internal/xds/translator/listener.go buildHeadersWithUnderscoresAction, lines 1296-1309): Envoy answers 400 where nginx drops the line",
    },
  },
  {
    id: 'dash-variant',
    title: 'u-ser: admin is another header',
    headers: { 'u-ser': 'admin' },
    status: 200,
    backendSees: { 'u-ser': 'admin', user: undefined },
  },
  {
    id: 'obs-fold',
    title: 'user:<CRLF> admin (obsolete line folding)',
    rawLines: ['user:', ' admin'],
    status: 400,
    note: 'nginx refuses folded lines',
    coraza: {
      expect: 'not-modelled',
      reason: "Envoy's HTTP/1 parser (Balsa) decides obsolete line folding; not modelled",
    },
  },
  {
    id: 'space-before-colon',
    title: 'user : admin',
    rawLines: ['user : admin'],
    status: 400,
    coraza: {
      expect: 'not-modelled',
      reason: "Envoy's HTTP/1 parser (Balsa) decides whitespace in header names; not modelled",
    },
  },
  { id: 'nul', title: 'user: admin<NUL>', rawLines: ['user: admin\u0000'], status: 400 },
  { id: 'bare-cr', title: 'user: admin<CR>x', rawLines: ['user: admin\rx'], status: 400 },
  { id: 'list-ci', title: 'x-role: guest, ROOT (ignoreCase)', headers: { 'x-role': 'guest, ROOT' }, status: 403 },
  { id: 'list-ci-tab', title: 'x-role:<TAB>SuperUser (ignoreCase)', headers: { 'x-role': '\tSuperUser' }, status: 403 },
  {
    id: 'list-ci-other',
    title: 'x-role: super user passes',
    headers: { 'x-role': 'super user' },
    status: 200,
    backendSees: { 'x-role': 'super user' },
  },
  { id: 'regex', title: 'x-client: evil42 (regex)', headers: { 'x-client': 'evil42' }, status: 403 },
  {
    id: 'regex-tabs',
    title: 'x-client:<TAB>evil42<TAB> (regex sees the trimmed value)',
    headers: { 'x-client': '\tevil42\t' },
    status: 403,
  },
  {
    id: 'regex-other',
    title: 'x-client: evil42x passes',
    headers: { 'x-client': 'evil42x' },
    status: 200,
    backendSees: { 'x-client': 'evil42x' },
  },
];

/**
 * The rows of {@link HEADER_RULE_ROWS} that the reference deployment's own rule decides (`user: admin`, exact), as a
 * table of the adversarial suite: run against the dist under test by test/engine/adversarial.test.ts and listed by
 * `npm run verify`. (test/engine/header-rules.test.ts runs every row, against {@link HEADER_RULES_POLICY}, and also
 * checks what the backend received.)
 */
export const HEADER_RULES_TABLE: AdversarialTable = {
  mechanism: 'header-rules',
  title: 'the deny-header rule of dist (user: admin) matches what the backend sees: whitespace, case, lists, repeats',
  states: ['certificate-configured', 'custom-rules-only'],
  rows: HEADER_RULE_ROWS.filter((row) =>
    [...Object.keys(row.headers ?? {}), ...(row.rawLines ?? [])].every((h) => !/^x-/i.test(h)),
  ).map((row) => ({
    id: row.id,
    title: row.title,
    request: {
      target: `/header-${row.id}`,
      headers:
        row.rawLines ??
        Object.entries(row.headers ?? {}).flatMap(([name, value]) =>
          (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}`),
        ),
    },
    expect:
      row.status === 200
        ? { kind: 'backend', route: 'api' }
        : { kind: 'refused', status: row.status, by: row.status === 403 ? 'waf' : 'nginx' },
    ...(row.coraza ? { coraza: row.coraza } : {}),
  })),
};
