import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_DEPLOYMENT } from '../../../../lib/reference/config';
import { buildEdgeApp } from '../../../../lib/reference/cdk8s-app';
import { renderObjects, renderTree } from '../../../../lib/synth/render';
import { writeTree } from '../../../../lib/synth/write';
import { mtlsServer } from '../edge-model';
import { EdgeEngine, EngineRawRequest, startEdgeEngine } from '../engine';
import { ACME_SOLVER_ROUTE, ROUTE_HEADER, ROUTED_URI_HEADER } from '../nginx-conf';
import { findCrs } from '../modsecurity-tree';
import type { AdversarialRow, AdversarialTable, EngineState, Mechanism, Outcome, RowRequest } from './types';

/** Token of the modelled cert-manager HTTP-01 solver location in every adversarial engine. */
export const ACME_TOKEN = 'harnessAcmeToken-0123456789';

/** The outcome of one row in one state. */
export interface RowResult {
  readonly mechanism: Mechanism;
  readonly id: string;
  readonly title: string;
  readonly state: EngineState;
  readonly expected: string;
  readonly got: string;
  readonly problems: readonly string[];
  readonly passed: boolean;
}

/** Where the dists of the states come from. */
export interface StateSources {
  /** The dist under test (states certificate-configured and certificate-not-configured). */
  readonly distRoot: string;
  /** The same deployment synthesized with `app.httpsRedirect: false` (state https-redirect-off). */
  readonly noRedirectDistRoot: string;
  /** The same deployment synthesized with `waf.inboundAnomalyScoreThreshold: 10000` (state custom-rules-only). */
  readonly customRulesOnlyDistRoot: string;
}

function synthesizeVariant(prefix: string, config: typeof REFERENCE_DEPLOYMENT): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  writeTree(root, renderTree(renderObjects(buildEdgeApp(config))));
  return root;
}

/**
 * The dists of every state: `distRoot`, and the reference deployment variants synthesized into temporary folders —
 * unless `ENGINE_DIST_NO_REDIRECT` / `ENGINE_DIST_CUSTOM_RULES_ONLY` name folders (e.g. another version's output).
 */
export function stateSources(distRoot: string): StateSources {
  const { app, waf } = REFERENCE_DEPLOYMENT;
  return {
    distRoot,
    noRedirectDistRoot:
      process.env.ENGINE_DIST_NO_REDIRECT ??
      synthesizeVariant('edge-dist-no-redirect-', { ...REFERENCE_DEPLOYMENT, app: { ...app, httpsRedirect: false } }),
    customRulesOnlyDistRoot:
      process.env.ENGINE_DIST_CUSTOM_RULES_ONLY ??
      synthesizeVariant('edge-dist-custom-rules-only-', {
        ...REFERENCE_DEPLOYMENT,
        waf: { ...waf, inboundAnomalyScoreThreshold: 10000 },
      }),
  };
}

/** Removes the variant dists {@link stateSources} synthesized (never the ones named by environment variables). */
export function removeStateSources(sources: StateSources): void {
  for (const dir of [sources.noRedirectDistRoot, sources.customRulesOnlyDistRoot]) {
    if (dir.startsWith(join(tmpdir(), 'edge-dist-'))) rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the engine for a state. */
export function startStateEngine(state: EngineState, sources: StateSources): Promise<EdgeEngine> {
  return startEdgeEngine({
    distRoot:
      state === 'https-redirect-off'
        ? sources.noRedirectDistRoot
        : state === 'custom-rules-only'
          ? sources.customRulesOnlyDistRoot
          : sources.distRoot,
    redirectState: state === 'certificate-not-configured' ? 'certificate-not-configured' : 'certificate-configured',
    acmeSolverToken: ACME_TOKEN,
  });
}

/** The rows of a table that run in a state. */
export function rowsFor(table: AdversarialTable, state: EngineState): AdversarialRow[] {
  const crs3 = findCrs()?.major === 3;
  const rows = table.rows.filter((r) => (r.states ?? table.states).includes(state));
  for (const r of rows.filter((row) => crs3 && row.requiresCrs4)) {
    process.stderr.write(
      `NOT CHECKED with the Debian CRS 3 fallback: ${table.mechanism}/${r.id} [${state}] (${r.requiresCrs4})\n`,
    );
  }
  return rows.filter((r) => !(crs3 && r.requiresCrs4));
}

/** Placeholder values of a running engine: `{api}`, `{portal}` (and upper-case `{API}`, `{PORTAL}`), `{acme-token}`. */
export function placeholders(engine: EdgeEngine): Record<string, string> {
  const api = mtlsServer(engine.model);
  const portal = engine.model.servers.find((s) => s.host !== api.host);
  const values: Record<string, string> = { api: api.host, API: api.host.toUpperCase(), 'acme-token': ACME_TOKEN };
  if (portal) Object.assign(values, { portal: portal.host, PORTAL: portal.host.toUpperCase() });
  return values;
}

function resolve(text: string, values: Record<string, string>): string {
  return text.replace(/\{([A-Za-z-]+)\}/g, (m, name: string) => {
    if (values[name] === undefined)
      throw new Error(`placeholder ${m} has no value in this dist (hosts: ${Object.values(values).join(', ')})`);
    return values[name];
  });
}

function rawRequest(
  req: RowRequest,
  values: Record<string, string>,
  marker: string,
  awaitAudit: boolean,
): EngineRawRequest {
  const host = req.host === undefined ? '{api}' : req.host;
  const resolvedHost = host === null ? null : resolve(host, values);
  const defaultSni =
    resolvedHost === null
      ? values.api
      : resolvedHost
          .trim()
          .replace(/:[0-9]*$/, '')
          .replace(/\.$/, '')
          .toLowerCase();
  const sni = req.sni === undefined ? defaultSni : req.sni === null ? null : resolve(req.sni, values);
  return {
    scheme: req.scheme ?? 'https',
    sni,
    requestLine: `${req.method ?? 'GET'} ${resolve(req.target, values)} ${req.protocol ?? 'HTTP/1.1'}`,
    headerLines: [
      ...(resolvedHost === null ? [] : [`Host: ${resolvedHost}`]),
      'User-Agent: hospital-a-integration/2.3',
      'Accept: application/json',
      ...(req.headers ?? []).map((h) => resolve(h, values)),
    ],
    body: req.body,
    identity: req.identity,
    clientIp: req.clientIp,
    marker,
    awaitAudit,
  };
}

function describe(o: Outcome): string {
  const statuses = (s: number | readonly number[]): string => (typeof s === 'number' ? String(s) : s.join('/'));
  switch (o.kind) {
    case 'backend':
      return `200 → ${o.route}`;
    case 'refused':
      return `${statuses(o.status)}${o.by ? ` (${o.by})` : ''}`;
    case 'redirect':
      return `${statuses(o.status)} → ${o.location}`;
  }
}

/** Runs one row against an engine started for `state`. */
export async function runRow(
  engine: EdgeEngine,
  table: AdversarialTable,
  row: AdversarialRow,
  state: EngineState,
): Promise<RowResult> {
  const values = placeholders(engine);
  const outcome = typeof row.expect === 'function' ? row.expect(state) : row.expect;
  const expected = describe(outcome).replace(/\{[A-Za-z-]+\}/g, (m) => resolve(m, values));
  const base = { mechanism: table.mechanism, id: row.id, title: row.title, state, expected };
  let response;
  let audit;
  try {
    const marker = `adv-${table.mechanism}-${row.id}-${state}`;
    ({ response, audit } = await engine.raw(
      rawRequest(row.request, values, marker, outcome.kind === 'refused' && outcome.by === 'waf'),
    ));
  } catch (err) {
    return { ...base, got: 'error', problems: [(err as Error).message], passed: false };
  }
  const problems: string[] = [];
  const route = response.upstream ? String(response.upstream.headers[ROUTE_HEADER] ?? '?') : undefined;
  const got = `${response.status || response.error || 'no answer'}${route ? ` → ${route}` : ''}${response.headers.location ? ` → ${response.headers.location}` : ''}`;
  const routeOf = (name: 'api' | 'portal' | 'acme-solver'): string => {
    if (name === 'acme-solver') return ACME_SOLVER_ROUTE;
    const host = values[name];
    const server = engine.model.servers.find((s) => s.host === host)!;
    return `${server.ingress.namespace}/${server.ingress.name}`;
  };
  const inList = (s: number | readonly number[]): boolean =>
    (typeof s === 'number' ? [s] : s).includes(response.status);
  if (outcome.kind === 'backend') {
    if (response.status !== 200) problems.push(`status ${response.status}, expected 200`);
    if (route !== routeOf(outcome.route))
      problems.push(`reached ${route ?? 'no backend'}, expected ${routeOf(outcome.route)}`);
  } else {
    if (route)
      problems.push(
        `reached backend ${route} (nginx routed on ${String(response.upstream!.headers[ROUTED_URI_HEADER])}): must not`,
      );
    if (!inList(outcome.status))
      problems.push(`status ${response.status || response.error}, expected ${describe(outcome)}`);
    // The controller's Lua redirect drops a trailing slash (lua_ingress.lua lines 158-163); the WAF's keeps it.
    if (
      outcome.kind === 'redirect' &&
      ![resolve(outcome.location, values), resolve(outcome.location, values).replace(/\/$/, '')].includes(
        String(response.headers.location),
      )
    ) {
      problems.push(
        `Location ${JSON.stringify(response.headers.location)}, expected ${resolve(outcome.location, values)}`,
      );
    }
    if (outcome.kind === 'refused' && outcome.by === 'waf' && !audit)
      problems.push('no ModSecurity audit record: the WAF did not refuse it');
  }
  if (route && table.invariant) {
    const problem = table.invariant({
      route:
        route === routeOf('api')
          ? 'api'
          : route === ACME_SOLVER_ROUTE
            ? 'acme-solver'
            : values.portal && route === routeOf('portal')
              ? 'portal'
              : route,
      uri: String(response.upstream!.headers[ROUTED_URI_HEADER] ?? ''),
    });
    if (problem) problems.push(problem);
  }
  return { ...base, got, problems, passed: problems.length === 0 };
}

/** Formats results as the table `npm run verify` prints. */
export function formatRowResults(results: readonly RowResult[]): string {
  const rows = results.map((r) => [r.mechanism, r.state, r.id, r.expected, r.got, r.passed ? 'ok' : 'FAIL']);
  const head = ['mechanism', 'state', 'row', 'expected', 'got', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]): string =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const lines = [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
  for (const r of results.filter((x) => !x.passed))
    lines.push('', `FAIL ${r.mechanism}/${r.id} [${r.state}] — ${r.title}:`, ...r.problems.map((p) => `  - ${p}`));
  lines.push('', `${results.filter((r) => r.passed).length}/${results.length} adversarial rows as expected`);
  return lines.join('\n');
}
