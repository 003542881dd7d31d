import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PREREQUISITE_VERSIONS } from '../../lib/gitops/prerequisites';
import { ControlPlane, startControlPlane } from '../../scripts/cluster/control-plane';
import { REPO_ROOT } from '../../scripts/cluster/paths';
import { pemFingerprints, publishClientCa, PublishedClientCa } from '../../scripts/cluster/trust-flow';
import { EdgeEngine, startEdgeEngine } from '../engine/harness/engine';
import { missingPrerequisites } from '../engine/harness/prerequisites';
import { runScenarios, SCENARIOS } from '../engine/harness/scenarios';

const DIST = join(REPO_ROOT, 'dist');
let cp: ControlPlane;
let published: PublishedClientCa;
/** The real engine, trusting exactly the ca.crt trust-manager wrote (undefined when the engine cannot run here). */
let engine: EdgeEngine | undefined;
const engineMissing = missingPrerequisites();

beforeAll(async () => {
  cp = await startControlPlane();
  if (engineMissing.length) {
    published = await publishClientCa(cp, DIST);
    return;
  }
  // The engine's run-time client CA goes the way cert-manager's would: its Secret (tls.crt, tls.key, ca.crt) in the
  // trust namespace, the Bundle of dist/, the real trust-manager, the Secret the Ingress names — whose ca.crt is then
  // nginx's ssl_client_certificate.
  engine = await startEdgeEngine({
    distRoot: DIST,
    trustedClientCa: async (ca) => {
      published = await publishClientCa(cp, DIST, { ca });
      return published.data['ca.crt'];
    },
  });
}, 600000);

afterAll(async () => {
  await engine?.stop();
  await cp?.stop();
}, 60000);

describe('trust-manager (built from the Go module proxy) publishes the client CA from dist/', () => {
  test('runs the version the delivery pins (tools/trust-manager/go.mod = PREREQUISITE_VERSIONS.trustManager)', () => {
    const goMod = readFileSync(join(REPO_ROOT, 'tools/trust-manager/go.mod'), 'utf8');
    expect(/require github\.com\/cert-manager\/trust-manager (v\S+)/.exec(goMod)?.[1]).toBe(
      PREREQUISITE_VERSIONS.trustManager,
    );
  });

  test("every object on the way is accepted (CRDs, 00-cluster, 20-certificates, the CA Secret, the chart's RBAC)", () => {
    expect(published.applied.filter((r) => !r.accepted && !r.notChecked)).toEqual([]);
  });

  test('writes the Secret the mTLS Ingress names in auth-tls-secret', () => {
    const ingress = parse(readFileSync(join(DIST, '30-apps/echo_ingress_echo.yaml'), 'utf8')) as {
      metadata: { annotations: Record<string, string> };
    };
    expect(published.secretRef).toBe(ingress.metadata.annotations['nginx.ingress.kubernetes.io/auth-tls-secret']);
  });

  test('the Secret holds only ca.crt, with exactly the client CA certificate and no key material', () => {
    expect(Object.keys(published.data)).toEqual(['ca.crt']);
    expect(pemFingerprints(published.data['ca.crt'])).toEqual(pemFingerprints(published.caCertPem));
    expect(published.data['ca.crt']).not.toMatch(/PRIVATE KEY/);
  });

  test('the v1alpha1 Bundle is reconciled (Synced condition True)', () => {
    expect(published.bundleConditions.find((c) => c.type === 'Synced')).toMatchObject({ status: 'True' });
  });

  test('RBAC of the chart lets trust-manager write only the authorized Secret name', () => {
    const can = (resource: string): string =>
      cp.kubectl(['auth', 'can-i', 'patch', resource, '-n', 'echo', '--as=trust-manager']).stdout.trim();
    expect([can('secrets/hospital-client-ca'), can('secrets/some-other-secret')]).toEqual(['yes', 'no']);
  });
});

describe('the engine suite trusts exactly the ca.crt trust-manager wrote', () => {
  const mtls = SCENARIOS.filter((sc) => sc.group === 'mtls');
  const title = `the mTLS scenarios pass on the real engine with that ca.crt (${mtls.length} scenarios)`;
  (engineMissing.length ? test.skip : test)(
    engineMissing.length ? `${title} — SKIPPED, engine missing: ${engineMissing.join('; ')}` : title,
    async () => {
      expect(mtls.length).toBeGreaterThanOrEqual(5);
      const results = await runScenarios(engine!, mtls);
      expect(results.filter((r) => !r.passed).map((r) => `${r.id}: ${r.status} ${r.problems.join('; ')}`)).toEqual([]);
      expect(results.find((r) => r.id === 'mtls-valid-client')?.status).toBe(200);
      expect(results.find((r) => r.id === 'mtls-other-ca')?.status).toBe(400);
    },
    120000,
  );
});
