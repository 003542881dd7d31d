import { equivalenceRows, formatEquivalence, outcomeMatches, rowPasses } from '../../scripts/equivalence/table';
import type { ScenarioResult } from '../engine/harness/scenarios';
import { SCENARIOS } from '../engine/harness/scenarios';
import type { RowResult } from '../engine/harness/adversarial/run';
import type { CorazaScenarioResult } from '../coraza/harness/run';
import type { MtlsScenarioResult } from '../../scripts/envoy-gateway/mtls-scenarios';

/** An nginx result for every scenario of the corpus, each as expected. */
const NGINX: ScenarioResult[] = SCENARIOS.map((s) => ({
  id: s.id,
  group: s.group,
  title: s.title,
  expected: { status: 200 },
  status: 200,
  ruleIds: [],
  problems: [],
  passed: true,
}));
const CORAZA: CorazaScenarioResult[] = SCENARIOS.filter((s) => ['waf-rules', 'attack', 'benign'].includes(s.group)).map(
  (s) => ({
    id: `scenario/${s.id}`,
    title: s.title,
    expected: '200',
    observed: '200 → api',
    ruleIds: [],
    note: '',
    passed: true,
    notModelled: false,
  }),
);
const MTLS: MtlsScenarioResult[] = [
  {
    scenario: 'no client certificate, from 203.0.113.7',
    expected: 'rejected (nginx: 400)',
    observed: 'TLS handshake refused: no certificate',
    mechanism: 'listener',
  },
  {
    scenario: 'certificate of another CA (CN=hospital-a), from 203.0.113.7',
    expected: 'rejected (nginx: 400)',
    observed: 'TLS handshake refused: certificate not signed by the trusted CA',
    mechanism: 'listener',
  },
  {
    scenario: 'valid certificate CN=hospital-a, from 203.0.113.7',
    expected: '200 with the certificate fingerprint',
    observed: '200, ssl-client-fingerprint: ab',
    mechanism: 'rbac',
  },
  {
    scenario: 'valid certificate CN=hospital-b, from 203.0.113.7',
    expected: '200 with the certificate fingerprint',
    observed: '200, ssl-client-fingerprint: cd',
    mechanism: 'rbac',
  },
  {
    scenario: 'CA-issued certificate outside the allow-list (CN=hospital-c), from 203.0.113.7',
    expected: '403',
    observed: '403',
    mechanism: 'rbac',
  },
  { scenario: 'look-alike CN=hospital-a-evil, from 203.0.113.7', expected: '403', observed: '403', mechanism: 'rbac' },
  {
    scenario: 'valid certificate CN=hospital-a, from 34.242.209.15',
    expected: '403',
    observed: '403',
    mechanism: 'rbac',
  },
  {
    scenario: 'plain HTTP GET /api on echo.example.com',
    expected: '308 to https',
    observed: '308 redirect to https://',
    mechanism: 'http listener',
  },
];
const ROW: RowResult = {
  mechanism: 'header-rules',
  id: 'nul',
  title: 'NUL',
  state: 'certificate-configured',
  expected: '400 (nginx)',
  got: '400',
  problems: [],
  passed: true,
};

describe('the equivalence table', () => {
  test('every seed row names results both runners produce (a renamed scenario or translation row fails here)', () => {
    const rows = equivalenceRows({ nginxScenarios: NGINX, nginxRows: [], coraza: CORAZA, envoyMtls: MTLS });
    const seed = rows.filter((r) => r.section === 'seed');
    expect(seed.length).toBeGreaterThanOrEqual(12);
    expect(
      seed
        .filter((r) => r.ingressNginx.asExpected === undefined || r.envoyGateway.asExpected === undefined)
        .map((r) => r.scenario),
    ).toEqual([]);
    expect(rows.every(rowPasses)).toBe(true);
  });

  test('fails a row when one data plane misses its requirement, and says which', () => {
    const broken = MTLS.map((r) =>
      r.scenario.startsWith('look-alike') ? { ...r, observed: '200, ssl-client-fingerprint: ef' } : r,
    );
    const rows = equivalenceRows({ nginxScenarios: NGINX, nginxRows: [], coraza: CORAZA, envoyMtls: broken });
    const failed = rows.filter((r) => !rowPasses(r));
    expect(failed.map((r) => r.scenario)).toEqual(['look-alike CN (allowed name + "-evil") → 403']);
    expect(formatEquivalence(rows)).toMatch(/FAILED:\n {2}look-alike CN/);
  });

  test('a missing runner leaves its cells NOT CHECKED with the reason, never passed', () => {
    const rows = equivalenceRows({
      nginxScenarios: NGINX,
      nginxRows: [ROW],
      missing: { coraza: 'coraza-host is missing', envoyMtls: 'egctl is not built' },
    });
    const envoyCells = rows.map((r) => r.envoyGateway);
    expect(envoyCells.every((c) => c.asExpected === undefined)).toBe(true);
    expect(envoyCells.map((c) => c.via)).toContain('coraza-host is missing');
    expect(envoyCells.map((c) => c.via)).toContain('egctl is not built');
    expect(formatEquivalence(rows)).toMatch(/NOT CHECKED:/);
  });

  test('an adversarial row differs only when the outcome differs, not the name of who answers', () => {
    const same = equivalenceRows({
      nginxScenarios: [],
      nginxRows: [ROW],
      coraza: [
        {
          id: 'header-rules/nul',
          title: 'NUL',
          expected: '400 (proxy)',
          observed: '400 (envoy)',
          ruleIds: [],
          note: '',
          passed: true,
          notModelled: false,
        },
      ],
      envoyMtls: [],
    });
    expect(same.find((r) => r.scenario === 'header-rules/nul')?.difference).toBeUndefined();
    const other = equivalenceRows({
      nginxScenarios: [],
      nginxRows: [ROW],
      coraza: [
        {
          id: 'header-rules/nul',
          title: 'NUL',
          expected: '426 (envoy)',
          observed: '426 (envoy)',
          ruleIds: [],
          note: 'HTTP/1.0 refused',
          passed: true,
          notModelled: false,
        },
      ],
      envoyMtls: [],
    });
    expect(other.find((r) => r.scenario === 'header-rules/nul')?.difference).toBe(
      'Envoy Gateway requires 426 (envoy): HTTP/1.0 refused',
    );
  });

  test('leaves out the mTLS table and the nginx-only redirect states (no Envoy counterpart)', () => {
    const rows = equivalenceRows({
      nginxScenarios: [],
      nginxRows: [
        { ...ROW, mechanism: 'mtls' },
        { ...ROW, state: 'https-redirect-off' },
      ],
      coraza: [],
      envoyMtls: [],
    });
    expect(rows.filter((r) => r.section.startsWith('adversarial'))).toEqual([]);
  });

  test('reads a translation outcome against its requirement', () => {
    expect(outcomeMatches('rejected (nginx: 400)', 'TLS handshake refused: no certificate')).toBe(true);
    expect(outcomeMatches('rejected (nginx: 400)', '403')).toBe(false);
    expect(outcomeMatches('403', '403')).toBe(true);
    expect(outcomeMatches('403', '200, x: y')).toBe(false);
    expect(outcomeMatches('reaches the cert-manager solver', 'routed to httproute/echo/cm-acme/rule/0')).toBe(true);
    expect(outcomeMatches('reaches the cert-manager solver', '308 redirect to https://')).toBe(false);
  });
});
