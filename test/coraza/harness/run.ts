import { REFERENCE_DEPLOYMENT } from '../../../lib/reference/config';
import { CORAZA_CRS_VERSION, corazaFilterConfig, CorazaFilterConfig } from '../../../lib/waf/coraza';
import { WafPolicy, WafPolicyOptions } from '../../../lib/waf/policy';
import { HOST_SCOPE_TABLE } from '../../engine/harness/adversarial/host-scope';
import { HEADER_RULES_TABLE } from '../../engine/harness/adversarial/header-rules';
import { IP_RULES_TABLE } from '../../engine/harness/adversarial/ip-rules';
import { PATH_SCOPE_TABLE } from '../../engine/harness/adversarial/path-scope';
import type { AdversarialRow, AdversarialTable, EngineState, Outcome } from '../../engine/harness/adversarial/types';
import { Expectation, SCENARIOS, Scenario, ScenarioContext } from '../../engine/harness/scenarios';
import { CorazaHost, startCorazaHost } from './coraza-host';
import { EnvoyVerdict, GatewayModel, RawRequest, throughEnvoy } from './envoy-model';
import { gatewayModelOf } from './gateway-model';

/**
 * Runs the WAF side of the scenario corpus against the real Coraza engine (tools/coraza-host), with the filter
 * configs `corazaFilterConfig` renders for the reference deployment's WafPolicy, one per host as on Envoy Gateway
 * (`npm run verify` reads them from examples/envoy-gateway/dist: scripts/equivalence/envoy-gateway-side.ts), and
 * what Envoy does before the filter read from that rendering (gateway-model.ts). Rows come from the nginx suite's tables, unchanged; where Coraza's
 * outcome differs the row says so in its `coraza` field, with the reason.
 */

/** The hosts of the reference deployment: `{api}` (mTLS API, echo) and `{portal}`. */
export const REFERENCE_HOSTS = { api: 'echo.example.com', portal: 'portal.example.com' } as const;

/** One result row (what `npm run verify` lists for Coraza). */
export interface CorazaScenarioResult {
  /** `scenario/<id>` or `<mechanism>/<row id>[@custom-rules-only]`. */
  readonly id: string;
  readonly title: string;
  readonly expected: string;
  readonly observed: string;
  /** Matched rules that carry a message (audit record). */
  readonly ruleIds: readonly number[];
  /** Why the expectation differs from nginx's, or what Envoy did before the filter. */
  readonly note: string;
  readonly passed: boolean;
  /** Not run: the shape is decided by Envoy code the harness cannot run (see `note`). */
  readonly notModelled: boolean;
}

/** Scenario groups whose outcome the WAF decides (mTLS and trusted-header scenarios are Envoy's, not Coraza's). */
const WAF_GROUPS = new Set(['waf-rules', 'attack', 'benign']);

/** Adversarial tables that apply to a WAF behind Envoy (the mTLS table is the listener's: test/envoy-gateway). */
export const CORAZA_TABLES: readonly AdversarialTable[] = [
  HOST_SCOPE_TABLE,
  PATH_SCOPE_TABLE,
  HEADER_RULES_TABLE,
  IP_RULES_TABLE,
];

/** States a Coraza row runs in: the controller's redirect states do not exist on Envoy; custom-rules-only does. */
const CORAZA_STATES: readonly EngineState[] = ['certificate-configured', 'custom-rules-only'];

/** The policy of a state: the reference WafPolicy, or with CRS scoring but never blocking. */
export function referencePolicy(
  state: EngineState = 'certificate-configured',
  waf: WafPolicyOptions = REFERENCE_DEPLOYMENT.waf,
): WafPolicy {
  const options = state === 'custom-rules-only' ? { ...waf, inboundAnomalyScoreThreshold: 10000 } : waf;
  return new WafPolicy({ ...options, servedHosts: Object.values(REFERENCE_HOSTS) });
}

/** The upstream's answer the response phases see: the echo backend's JSON. */
const UPSTREAM_RESPONSE = {
  status: 200,
  headers: [['content-type', 'application/json']] as [string, string][],
  body: Buffer.from('{"echo":"ok"}'),
};

/** The filter hosts of one state: one coraza-host per routed host. */
class Filters {
  private readonly hosts = new Map<string, Promise<CorazaHost>>();
  constructor(private readonly configOf: (host: string) => CorazaFilterConfig) {}
  public get(host: string): Promise<CorazaHost> {
    if (!this.hosts.has(host)) this.hosts.set(host, startCorazaHost(this.configOf(host)));
    return this.hosts.get(host)!;
  }
  public async close(): Promise<void> {
    for (const h of this.hosts.values()) await (await h).close();
  }
}

function resolve(text: string): string {
  const values: Record<string, string> = {
    api: REFERENCE_HOSTS.api,
    portal: REFERENCE_HOSTS.portal,
    API: REFERENCE_HOSTS.api.toUpperCase(),
    PORTAL: REFERENCE_HOSTS.portal.toUpperCase(),
  };
  return text.replace(/\{([A-Za-z-]+)\}/g, (m, name: string) => {
    if (values[name] === undefined) throw new Error(`placeholder ${m} has no value for the Coraza harness`);
    return values[name];
  });
}

function describeOutcome(o: Outcome): string {
  const statuses = (s: number | readonly number[]): string => (typeof s === 'number' ? String(s) : s.join('/'));
  switch (o.kind) {
    case 'backend':
      return `200 → ${o.route}`;
    case 'refused':
      return `${statuses(o.status)}${o.by ? ` (${o.by === 'nginx' ? 'proxy' : o.by})` : ''}`;
    case 'redirect':
      return `${statuses(o.status)} → ${resolve(o.location)}`;
  }
}

/** What happened to a request: Envoy's answer, or the filter's verdict and the backend. */
interface Observed {
  readonly text: string;
  readonly status: number | 'reset' | 'redirect';
  readonly by: 'envoy' | 'waf' | 'backend';
  readonly route?: string;
  readonly backendPath?: string;
  readonly ruleIds: readonly number[];
  readonly blockRule?: number;
  readonly location?: string;
  readonly note: string;
}

async function observe(
  verdict: Exclude<EnvoyVerdict, { kind: 'not-modelled' }>,
  filters: Filters,
  id: string,
): Promise<Observed> {
  if (verdict.kind === 'envoy') {
    return {
      text: `${verdict.status} (envoy)${verdict.location ? ` → ${verdict.location}` : ''}`,
      status: verdict.status,
      by: 'envoy',
      location: verdict.location,
      ruleIds: [],
      note: verdict.reason,
    };
  }
  const host = await filters.get(verdict.host);
  const res = await host.run({ ...verdict.request, id, response: UPSTREAM_RESPONSE });
  if (res.error) throw new Error(`coraza-host: ${res.error}`);
  const route = verdict.host === REFERENCE_HOSTS.portal ? 'portal' : 'api';
  if (res.interrupted) {
    return {
      text: `${res.status} (waf ${res.blockRule})`,
      status: res.status,
      by: 'waf',
      ruleIds: res.ruleIds,
      blockRule: res.blockRule,
      note: '',
    };
  }
  return {
    text: `${res.status} → ${route}`,
    status: res.status,
    by: 'backend',
    route,
    backendPath: verdict.backendPath,
    ruleIds: res.ruleIds,
    note: '',
  };
}

function outcomeProblems(o: Outcome, got: Observed): string[] {
  const inList = (s: number | readonly number[]): boolean =>
    typeof got.status === 'number' && (typeof s === 'number' ? [s] : s).includes(got.status);
  if (o.kind === 'backend')
    return got.by === 'backend' && got.route === o.route ? [] : [`expected the ${o.route} backend, got ${got.text}`];
  if (o.kind === 'redirect') {
    // 'redirect' = a redirect whose status code the model does not fix (Envoy's escaped-slash redirect).
    if (got.by !== 'envoy' || (got.status !== 'redirect' && !inList(o.status)))
      return [`expected ${describeOutcome(o)}, got ${got.text}`];
    return got.location === resolve(o.location)
      ? []
      : [`redirected to ${got.location}, expected ${resolve(o.location)}`];
  }
  if (got.by === 'backend') return [`reached the ${got.route} backend (${got.text}): must not`];
  if (got.status === 'redirect') return [`expected ${describeOutcome(o)}, got a redirect (${got.text})`];
  if (o.by === 'waf' && got.by !== 'waf') return [`expected the WAF to refuse it, got ${got.text}`];
  if ((o.by === 'nginx' || o.by === 'envoy') && got.by !== 'envoy')
    return [`expected the proxy to refuse it before the WAF, got ${got.text}`];
  // A reset connection (no TLS filter chain) refuses without a status.
  if (got.status === 'reset') return o.by === 'waf' ? [`expected the WAF to refuse it, got ${got.text}`] : [];
  return inList(o.status) ? [] : [`expected ${describeOutcome(o)}, got ${got.text}`];
}

function rawOf(row: AdversarialRow): RawRequest {
  const r = row.request;
  const host = r.host === undefined ? REFERENCE_HOSTS.api : r.host === null ? null : resolve(r.host);
  const defaultSni =
    host === null
      ? REFERENCE_HOSTS.api
      : host
          .trim()
          .replace(/:[0-9]*$/, '')
          .replace(/\.$/, '')
          .toLowerCase();
  return {
    scheme: r.scheme ?? 'https',
    method: r.method ?? 'GET',
    target: resolve(r.target),
    host,
    sni: r.sni === undefined ? defaultSni : r.sni === null ? null : resolve(r.sni),
    protocol: r.protocol ?? 'HTTP/1.1',
    headerLines: [
      'User-Agent: hospital-a-integration/2.3',
      'Accept: application/json',
      ...(r.headers ?? []).map(resolve),
    ],
    clientIp: r.clientIp ?? '198.51.100.23',
    body: r.body === undefined ? undefined : Buffer.from(r.body),
  };
}

/** `%XX` decoded once (bytes as Latin-1), what a backend routes on. */
function decodeOnce(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Runs one adversarial row in one state. */
async function runRow(
  table: AdversarialTable,
  row: AdversarialRow,
  state: EngineState,
  filters: Filters,
  gateway: GatewayModel,
): Promise<CorazaScenarioResult> {
  const id = `${table.mechanism}/${row.id}${state === 'custom-rules-only' ? '@custom-rules-only' : ''}`;
  const nginx = typeof row.expect === 'function' ? row.expect(state) : row.expect;
  const expected = row.coraza?.expect ?? nginx;
  const note = row.coraza ? `differs from ingress-nginx (${describeOutcome(nginx)}): ${row.coraza.reason}` : '';
  const verdict = throughEnvoy(rawOf(row), gateway);
  if (expected === 'not-modelled' || verdict.kind === 'not-modelled') {
    const why = verdict.kind === 'not-modelled' ? verdict.reason : note;
    const consistent = expected === 'not-modelled' && verdict.kind === 'not-modelled';
    return {
      id,
      title: row.title,
      expected: expected === 'not-modelled' ? 'not modelled' : describeOutcome(expected),
      observed: 'not run',
      ruleIds: [],
      note: `${note}${note && why !== note ? '; ' : ''}${why !== note ? why : ''}`,
      passed: consistent,
      notModelled: true,
    };
  }
  const got = await observe(verdict, filters, id);
  const problems = outcomeProblems(expected, got);
  if (got.by === 'backend' && table.invariant) {
    // The backend routes on the path decoded once (as nginx's $uri in the nginx suite).
    const problem = table.invariant({ route: got.route!, uri: decodeOnce(got.backendPath!) });
    if (problem) problems.push(problem);
  }
  return {
    id,
    title: row.title,
    expected: describeOutcome(expected),
    observed: got.text,
    ruleIds: got.ruleIds,
    note: [note, got.note, ...problems].filter(Boolean).join('; '),
    passed: problems.length === 0,
    notModelled: false,
  };
}

/** A scenario context for the WAF scenarios: they read the CRS version only (Log4Shell rows). */
function scenarioContext(): ScenarioContext {
  return { engine: { crs: { major: 4, version: CORAZA_CRS_VERSION } }, clients: [] } as unknown as ScenarioContext;
}

function describeExpectation(e: Expectation): string {
  if (e.blockedBy === 'custom-rule') return `${e.status} custom rule`;
  if (e.blockedBy === 'crs') return `${e.status} CRS ${e.family}xxx`;
  return String(e.status);
}

async function runScenario(s: Scenario, filters: Filters, gateway: GatewayModel): Promise<CorazaScenarioResult> {
  const ctx = scenarioContext();
  const e = s.expect(ctx);
  const req = s.request(ctx);
  const headers = Object.entries(req.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
  const verdict = throughEnvoy(
    {
      scheme: req.scheme ?? 'https',
      method: req.method ?? 'GET',
      target: req.path,
      host: REFERENCE_HOSTS.api,
      sni: REFERENCE_HOSTS.api,
      protocol: 'HTTP/1.1',
      headerLines: headers,
      clientIp: req.clientIp ?? '198.51.100.23',
      body,
    },
    gateway,
  );
  const base = { id: `scenario/${s.id}`, title: s.title, expected: describeExpectation(e) };
  if (verdict.kind === 'not-modelled')
    return { ...base, observed: 'not run', ruleIds: [], note: verdict.reason, passed: false, notModelled: true };
  const got = await observe(verdict, filters, s.id);
  const problems: string[] = [];
  if (got.status !== e.status) problems.push(`status ${got.text}, expected ${e.status}`);
  if (
    e.blockedBy === 'custom-rule' &&
    !(got.blockRule !== undefined && got.blockRule >= 10000 && got.blockRule <= 19999)
  )
    problems.push(`not refused by a custom rule (rule ${got.blockRule ?? '-'})`);
  if (e.blockedBy === 'crs') {
    if (got.blockRule !== 949110)
      problems.push(`not refused by CRS anomaly scoring 949110 (rule ${got.blockRule ?? '-'})`);
    if (e.family && !got.ruleIds.some((id) => String(id).startsWith(e.family!)))
      problems.push(`no CRS ${e.family}xxx rule matched (rule ids: ${got.ruleIds.join(', ')})`);
  }
  return {
    ...base,
    observed: got.text,
    ruleIds: got.ruleIds,
    note: [e.note, got.note, ...problems].filter(Boolean).join('; '),
    passed: problems.length === 0,
    notModelled: false,
  };
}

/** Options of {@link runCorazaScenarios}. */
export interface CorazaRunOptions {
  /**
   * The filter config of a host in a state.
   * @default corazaFilterConfig of the reference WafPolicy ({@link referencePolicy})
   */
  readonly configOf?: (host: string, state: EngineState) => CorazaFilterConfig;
  /**
   * What Envoy does before the filter (listener hosts, trailing-dot stripping, redirect status).
   * @default read from the committed examples/envoy-gateway/dist ({@link gatewayModelOf})
   */
  readonly gateway?: GatewayModel;
}

/**
 * Every WAF scenario and every adversarial row that applies behind Envoy, on the real Coraza engine: per row
 * {id, title, expected, observed, ruleIds, note}. Needs tools/coraza-host (see coraza-host.ts).
 */
export async function runCorazaScenarios(options: CorazaRunOptions = {}): Promise<CorazaScenarioResult[]> {
  const configOf =
    options.configOf ?? ((host: string, state: EngineState) => corazaFilterConfig(referencePolicy(state), host));
  const gateway: GatewayModel = options.gateway ?? gatewayModelOf();
  const results: CorazaScenarioResult[] = [];
  for (const state of CORAZA_STATES) {
    const filters = new Filters((host) => configOf(host, state));
    try {
      if (state === 'certificate-configured') {
        for (const s of SCENARIOS.filter((x) => WAF_GROUPS.has(x.group)))
          results.push(await runScenario(s, filters, gateway));
      }
      for (const table of CORAZA_TABLES) {
        for (const row of table.rows.filter((r) => (r.states ?? table.states).includes(state)))
          results.push(await runRow(table, row, state, filters, gateway));
      }
    } finally {
      await filters.close();
    }
  }
  return results;
}

/** The table a reviewer reads. */
export function formatCorazaResults(results: readonly CorazaScenarioResult[]): string {
  const rows = results.map((r) => [
    r.id,
    r.expected,
    r.observed,
    r.ruleIds.join(' ') || '-',
    r.notModelled ? 'not modelled' : r.passed ? 'ok' : 'FAIL',
  ]);
  const head = ['row', 'expected', 'observed', 'rule ids', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]): string =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const lines = [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
  const notes = results.filter((r) => r.note);
  if (notes.length) lines.push('', 'Notes:', ...notes.map((r) => `  ${r.id}: ${r.note}`));
  const run = results.filter((r) => !r.notModelled);
  lines.push(
    '',
    `${run.filter((r) => r.passed).length}/${run.length} rows as expected on Coraza, ${results.length - run.length} not modelled`,
  );
  return lines.join('\n');
}
