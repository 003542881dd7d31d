/**
 * The equivalence table of `npm run verify`: each scenario × data plane, expected and observed, every difference
 * explained. Pure: it joins results the runners produced —
 *
 * - ingress-nginx: the real nginx + libmodsecurity engine on dist/ (test/engine: `runScenarios`, adversarial rows);
 * - Envoy Gateway: Envoy Gateway's own translation of examples/envoy-gateway/dist (egctl, cel-go:
 *   scripts/envoy-gateway/mtls-scenarios.ts) for the TLS, allow-list and source-IP decisions Envoy makes before any
 *   filter, and the real Coraza engine (test/coraza) for what the WAF decides. Envoy itself does not run here.
 *
 * The seed scenario (issue 17, "Done when") comes first, as fixed rows naming the result each data plane reports
 * for it; then every WAF scenario and adversarial row that runs on both engines, matched by id.
 */
import type { ScenarioResult } from '../../test/engine/harness/scenarios';
import { describeExpectation } from '../../test/engine/harness/scenarios';
import type { RowResult } from '../../test/engine/harness/adversarial/run';
import type { CorazaScenarioResult } from '../../test/coraza/harness/run';
import type { MtlsScenarioResult } from '../envoy-gateway/mtls-scenarios';

/** What one data plane did with a scenario. */
export interface EquivalenceCell {
  /** What the runner saw (a status, a TLS refusal, a route decision). */
  readonly observed: string;
  /** Whether that is what the scenario requires on this data plane; undefined when it was not checked. */
  readonly asExpected?: boolean;
  /** How it was decided (engine, Envoy configuration part), or why it was not checked. */
  readonly via: string;
}

/** One scenario on both data planes. */
export interface EquivalenceRow {
  /** `seed`: the scenario of the original write-up; `waf`: a WAF scenario; `adversarial/<mechanism>`: a request shape. */
  readonly section: string;
  readonly scenario: string;
  /** What the scenario requires (on ingress-nginx; a different requirement on Envoy Gateway is in `difference`). */
  readonly expected: string;
  readonly ingressNginx: EquivalenceCell;
  readonly envoyGateway: EquivalenceCell;
  /** Why the two data planes answer differently, when they do. */
  readonly difference?: string;
}

/** The results the table is built from. */
export interface EquivalenceInputs {
  readonly nginxScenarios: readonly ScenarioResult[];
  readonly nginxRows: readonly RowResult[];
  /** Undefined: the Coraza host was not available (the WAF column says NOT CHECKED). */
  readonly coraza?: readonly CorazaScenarioResult[];
  /** Undefined: egctl or cel-check was not available (the TLS/allow-list column says NOT CHECKED). */
  readonly envoyMtls?: readonly MtlsScenarioResult[];
  /** Why a missing input is missing. */
  readonly missing?: { readonly coraza?: string; readonly envoyMtls?: string };
}

/**
 * The seed scenario: which nginx scenario and which Envoy Gateway result stand for it. `envoy` names either a
 * Coraza row (`coraza: 'scenario/<id>'`) or a translation row, found by the start of its text.
 */
interface SeedRow {
  readonly scenario: string;
  readonly nginx: string;
  readonly envoy: { readonly coraza: string } | { readonly mtls: string };
  /** Why the answers differ though both meet the requirement. */
  readonly difference?: string;
}

const SEED_ROWS: readonly SeedRow[] = [
  {
    scenario: 'no client certificate → rejected',
    nginx: 'mtls-no-certificate',
    envoy: { mtls: 'no client certificate' },
    difference:
      'nginx completes the handshake and answers 400 (auth-tls-verify-client on: the verification result is checked per request); Envoy requires the certificate in the handshake (require_client_certificate) and refuses the connection, so no HTTP status exists',
  },
  {
    scenario: 'certificate of another CA → rejected',
    nginx: 'mtls-other-ca',
    envoy: { mtls: 'certificate of another CA' },
    difference: 'as above: 400 from nginx, a refused handshake on Envoy',
  },
  {
    scenario: 'valid certificate → 200, backend gets the fingerprint',
    nginx: 'mtls-valid-client',
    envoy: { mtls: 'valid certificate CN=hospital-a, from 203.0.113' },
  },
  {
    scenario: 'second allow-listed client → 200',
    nginx: 'mtls-second-client',
    envoy: { mtls: 'valid certificate CN=hospital-b' },
  },
  {
    scenario: 'CN outside the allow-list → 403',
    nginx: 'mtls-wrong-subject',
    envoy: { mtls: 'CA-issued certificate outside the allow-list' },
  },
  {
    scenario: 'look-alike CN (allowed name + "-evil") → 403',
    nginx: 'mtls-lookalike-suffix',
    envoy: { mtls: 'look-alike CN=hospital-a-evil' },
  },
  {
    scenario: 'source IP 34.242.209.15 → 403',
    nginx: 'waf-denied-source-ip',
    envoy: { mtls: 'valid certificate CN=hospital-a, from 34.242.209.15' },
    difference:
      'nginx: the WAF rule; Envoy: the SecurityPolicy clientCIDRs deny before the WAF (the same WAF rule also runs on Coraza: see the waf rows)',
  },
  { scenario: 'header user: admin → 403', nginx: 'waf-user-admin', envoy: { coraza: 'scenario/waf-user-admin' } },
  { scenario: 'header user: user → 200', nginx: 'waf-user-user', envoy: { coraza: 'scenario/waf-user-user' } },
  {
    scenario: 'plain HTTP → redirect to https',
    nginx: 'headers-https-redirect',
    envoy: { mtls: 'plain HTTP GET /api' },
    difference:
      "nginx: 307 from the WAF gate of the mTLS location (rule 10020; the controller's Lua redirect would answer 308); Envoy: 308 from the redirect HTTPRoute on the http listener, which has no WAF filter",
  },
];

const NOT_CHECKED = (why: string): EquivalenceCell => ({ observed: 'NOT CHECKED', via: why });

function nginxCell(r: ScenarioResult | undefined): EquivalenceCell {
  if (!r) return NOT_CHECKED('no such scenario in the nginx run');
  if (r.expected.notApplicable) return NOT_CHECKED(r.expected.notApplicable);
  const rules = r.ruleIds.length ? ` (rules ${r.ruleIds.join(' ')})` : '';
  return {
    observed: `${r.status || 'error'}${rules}`,
    asExpected: r.passed,
    via: 'nginx + libmodsecurity on dist/' + (r.problems.length ? `: ${r.problems.join('; ')}` : ''),
  };
}

function corazaCell(r: CorazaScenarioResult | undefined, inputs: EquivalenceInputs): EquivalenceCell {
  if (!inputs.coraza) return NOT_CHECKED(inputs.missing?.coraza ?? 'Coraza results missing');
  if (!r) return NOT_CHECKED('no such row in the Coraza run');
  if (r.notModelled) return NOT_CHECKED(`not modelled: ${r.note}`);
  const rules = r.ruleIds.length ? ` (rules ${r.ruleIds.join(' ')})` : '';
  return {
    observed: `${r.observed}${rules}`,
    asExpected: r.passed,
    via: 'modelled Envoy + real Coraza on the directives of examples/envoy-gateway/dist',
  };
}

function mtlsCell(
  r: MtlsScenarioResult | undefined,
  inputs: EquivalenceInputs,
  expectedPrefix: string,
): EquivalenceCell {
  if (!inputs.envoyMtls) return NOT_CHECKED(inputs.missing?.envoyMtls ?? 'translation results missing');
  if (!r) return NOT_CHECKED(`no translation row starting "${expectedPrefix}"`);
  return {
    observed: r.observed,
    asExpected: outcomeMatches(r.expected, r.observed),
    via: `egctl translation: ${r.mechanism}`,
  };
}

/**
 * Whether a translation row's observed outcome meets its requirement: `rejected` ↔ a refused handshake, a status ↔
 * the same status first in the observed text, `reaches …` ↔ routed.
 */
export function outcomeMatches(expected: string, observed: string): boolean {
  if (expected.startsWith('rejected')) return observed.startsWith('TLS handshake refused');
  const status = /^(\d{3})/.exec(expected)?.[1];
  if (status) return observed.startsWith(status);
  if (expected.startsWith('reaches')) return observed.startsWith('routed');
  return false;
}

/** Builds the rows (see the module comment). */
export function equivalenceRows(inputs: EquivalenceInputs): EquivalenceRow[] {
  const nginxById = new Map(inputs.nginxScenarios.map((r) => [r.id, r]));
  const corazaById = new Map((inputs.coraza ?? []).map((r) => [r.id, r]));
  const rows: EquivalenceRow[] = [];
  for (const seed of SEED_ROWS) {
    const nginx = nginxById.get(seed.nginx);
    const envoy =
      'coraza' in seed.envoy
        ? corazaCell(corazaById.get(seed.envoy.coraza), inputs)
        : mtlsCell(
            inputs.envoyMtls?.find((r) => r.scenario.startsWith((seed.envoy as { mtls: string }).mtls)),
            inputs,
            seed.envoy.mtls,
          );
    rows.push({
      section: 'seed',
      scenario: seed.scenario,
      expected: nginx ? describeExpectation(nginx.expected) : '-',
      ingressNginx: nginxCell(nginx),
      envoyGateway: envoy,
      difference: seed.difference,
    });
  }
  for (const group of ['attack', 'benign'] as const) {
    const results = inputs.nginxScenarios.filter((r) => r.group === group);
    const blocked = (cells: EquivalenceCell[]) =>
      `${cells.filter((c) => c.asExpected).length}/${cells.length} as expected`;
    const nginxCells = results.map(nginxCell);
    const envoyCells = results.map((r) => corazaCell(corazaById.get(`scenario/${r.id}`), inputs));
    rows.push({
      section: 'seed',
      scenario:
        group === 'attack'
          ? `CRS attacks blocked (${results.length} scenarios)`
          : `benign traffic passes (${results.length} scenarios)`,
      expected: group === 'attack' ? '403 by CRS anomaly scoring' : '200',
      ingressNginx: {
        observed: blocked(nginxCells),
        asExpected: nginxCells.every((c) => c.asExpected),
        via: 'each listed in the waf rows below',
      },
      envoyGateway: inputs.coraza
        ? {
            observed: blocked(envoyCells),
            asExpected: envoyCells.every((c) => c.asExpected),
            via: 'each listed in the waf rows below',
          }
        : NOT_CHECKED(inputs.missing?.coraza ?? 'Coraza results missing'),
    });
  }
  for (const r of inputs.nginxScenarios.filter((x) => ['waf-rules', 'attack', 'benign'].includes(x.group))) {
    const c = corazaById.get(`scenario/${r.id}`);
    rows.push({
      section: 'waf',
      scenario: r.id,
      expected: describeExpectation(r.expected),
      ingressNginx: nginxCell(r),
      envoyGateway: corazaCell(c, inputs),
      difference: differenceOf(describeExpectation(r.expected), c),
    });
  }
  for (const r of inputs.nginxRows) {
    const id = `${r.mechanism}/${r.id}${r.state === 'certificate-configured' ? '' : `@${r.state}`}`;
    const c = corazaById.get(id);
    if (r.mechanism === 'mtls') continue; // the listener's rows: the seed rows above and test/envoy-gateway (translation)
    if (r.state !== 'certificate-configured' && r.state !== 'custom-rules-only') continue; // ingress-nginx's Lua redirect states have no Envoy counterpart
    rows.push({
      section: `adversarial/${r.mechanism}`,
      scenario: id,
      expected: r.expected,
      ingressNginx: { observed: r.got, asExpected: r.passed, via: `nginx + libmodsecurity, state ${r.state}` },
      envoyGateway: corazaCell(c, inputs),
      difference:
        c && outcomeOf(c.expected) !== outcomeOf(r.expected)
          ? `Envoy Gateway requires ${c.expected}${c.note ? `: ${c.note}` : ''}`
          : undefined,
    });
  }
  return rows;
}

/** An expectation without the name of who answers (`400 (nginx)` and `400 (proxy)` are the same outcome). */
function outcomeOf(expected: string): string {
  return expected.replace(/ \((?:nginx|proxy|envoy)\)/g, '');
}

function differenceOf(nginxExpected: string, c: CorazaScenarioResult | undefined): string | undefined {
  if (!c || outcomeOf(c.expected) === outcomeOf(nginxExpected)) return undefined;
  return `Envoy Gateway requires ${c.expected}${c.note ? `: ${c.note}` : ''}`;
}

/** A row is fine when each data plane that was checked did what it must, and no unexplained difference remains. */
export function rowPasses(row: EquivalenceRow): boolean {
  return row.ingressNginx.asExpected !== false && row.envoyGateway.asExpected !== false;
}

/** The table a reviewer reads (Markdown-friendly columns), with the differences and what was not checked below it. */
export function formatEquivalence(rows: readonly EquivalenceRow[]): string {
  const mark = (c: EquivalenceCell) => (c.asExpected === undefined ? 'NOT CHECKED' : c.asExpected ? 'ok' : 'FAIL');
  const table = rows.map((r) => [
    r.section,
    r.scenario,
    r.expected,
    `${r.ingressNginx.observed} [${mark(r.ingressNginx)}]`,
    `${r.envoyGateway.observed} [${mark(r.envoyGateway)}]`,
    r.difference ? `see note ${rows.filter((x) => x.difference).indexOf(r) + 1}` : '',
  ]);
  const head = [
    'section',
    'scenario',
    'expected',
    'ingress-nginx (nginx + libmodsecurity)',
    'envoy-gateway (translation + Coraza)',
    'difference',
  ];
  const cut = (s: string) => (s.length > 70 ? `${s.slice(0, 67)}...` : s);
  const cells = table.map((row) => row.map(cut));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const fmt = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const lines = [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)];
  const differences = rows.filter((r) => r.difference);
  if (differences.length)
    lines.push('', 'Differences:', ...differences.map((r, i) => `  ${i + 1}. ${r.scenario}: ${r.difference}`));
  const unchecked = rows.flatMap((r) =>
    [r.ingressNginx, r.envoyGateway].filter((c) => c.asExpected === undefined).map((c) => `  ${r.scenario}: ${c.via}`),
  );
  if (unchecked.length) lines.push('', 'NOT CHECKED:', ...unchecked);
  const failed = rows.filter((r) => !rowPasses(r));
  if (failed.length)
    lines.push(
      '',
      'FAILED:',
      ...failed.map(
        (r) =>
          `  ${r.scenario}: ingress-nginx ${r.ingressNginx.observed} (${r.ingressNginx.via}); envoy-gateway ${r.envoyGateway.observed} (${r.envoyGateway.via})`,
      ),
    );
  const seed = rows.filter((r) => r.section === 'seed');
  lines.push(
    '',
    `${rows.length - failed.length}/${rows.length} rows as expected on both data planes; seed scenario: ${seed.filter(rowPasses).length}/${seed.length}; ${differences.length} explained differences; ${unchecked.length} cells not checked`,
  );
  return lines.join('\n');
}
