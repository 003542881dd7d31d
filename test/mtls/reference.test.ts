import { ValidationError } from '../../lib/core/validation';
import { buildEdgeApp } from '../../lib/reference/cdk8s-app';
import { EdgeDeploymentConfig, REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { renderObjects } from '../../lib/synth/render';
import { validateManifest } from '../support/schema';
import { generateTestPki } from './pki';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function objects(config: EdgeDeploymentConfig): any[] {
  return renderObjects(buildEdgeApp(config)).map((o) => ({ folder: o.layer.folder, ...o.manifest }));
}
const withMtls = (mtls: Partial<EdgeDeploymentConfig['mtls']>): EdgeDeploymentConfig => ({
  ...REFERENCE_DEPLOYMENT,
  mtls: { ...REFERENCE_DEPLOYMENT.mtls, ...mtls },
});

describe('reference deployment: mTLS path', () => {
  const all = objects(REFERENCE_DEPLOYMENT);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const find = (kind: string, name: string, namespace?: string): any =>
    all.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);

  test('has the app and client-certificate namespaces, staging and production issuers, two clients', () => {
    expect(find('Namespace', 'echo').folder).toBe('00-cluster');
    expect(find('Namespace', 'client-certificates').folder).toBe('00-cluster');
    expect(find('ClusterIssuer', 'letsencrypt-staging').folder).toBe('20-certificates');
    expect(find('ClusterIssuer', 'letsencrypt-production')).toBeDefined();
    expect(find('Certificate', 'hospital-a', 'client-certificates').spec.usages).toContain('client auth');
    expect(find('Certificate', 'hospital-b', 'client-certificates')).toBeDefined();
  });

  test("the echo Ingress uses Let's Encrypt staging, the Bundle-published CA and the hospital allow-list", () => {
    const ingress = find('Ingress', 'echo', 'echo');
    expect(ingress.folder).toBe('30-apps');
    expect(ingress.spec.rules[0].host).toBe('echo.example.com');
    expect(ingress.spec.ingressClassName).toBe(REFERENCE_DEPLOYMENT.controller.ingressClassName);
    const a = ingress.metadata.annotations;
    expect(a['nginx.ingress.kubernetes.io/auth-tls-secret']).toBe('echo/hospital-client-ca');
    expect(a['nginx.ingress.kubernetes.io/auth-tls-match-cn']).toBe('CN=(?:hospital-a|hospital-b)(?:,|$)|^$');
    expect(find('Certificate', 'echo-tls', 'echo').spec.issuerRef.name).toBe('letsencrypt-staging');
    const bundle = find('Bundle', 'hospital-client-ca');
    expect(bundle.spec.target).toMatchObject({ secret: { key: 'ca.crt' } });
    expect(bundle.spec.target.namespaceSelector.matchExpressions[0].values).toEqual(['echo']);
  });

  test('every mTLS object validates against its schema', () => {
    const mine = all.filter(
      (x) =>
        ['echo', 'client-certificates'].includes(x.metadata.namespace) ||
        ['ClusterIssuer', 'Bundle'].includes(x.kind) ||
        (x.kind === 'Namespace' && ['echo', 'client-certificates'].includes(x.metadata.name)),
    );
    expect(mine.length).toBeGreaterThanOrEqual(17);
    for (const o of mine) {
      const { folder: _f, ...manifest } = o;
      void _f;
      validateManifest(manifest);
    }
  });

  test('with a provided CA: Secret echo/hospital-client-ca holds ca.crt, no Bundle, no client Certificates', () => {
    const pki = generateTestPki();
    const byo = objects(withMtls({ providedCa: { caPem: pki.caCert, crlPem: pki.crl } }));
    const secret = byo.find((o) => o.kind === 'Secret' && o.metadata.name === 'hospital-client-ca');
    expect(secret.metadata.namespace).toBe('echo');
    expect(secret.folder).toBe('20-certificates');
    expect(Object.keys(secret.stringData).sort()).toEqual(['ca.crl', 'ca.crt']);
    expect(
      byo.filter(
        (o) => o.kind === 'Bundle' || (o.kind === 'Certificate' && o.metadata.namespace === 'client-certificates'),
      ),
    ).toEqual([]);
    expect(
      byo.find((o) => o.kind === 'Ingress').metadata.annotations['nginx.ingress.kubernetes.io/auth-tls-secret'],
    ).toBe('echo/hospital-client-ca');
  });

  test.each([
    [
      'an unknown client in the allow-list',
      { allowedClients: ['hospital-a', 'hospital-x'] },
      /allowedClients\[1\]: "hospital-x"/,
    ],
    ['a verify depth of 0', { verifyDepth: 0 }, /verifyDepth/],
    ['a CA PEM that is not a CA', { providedCa: { caPem: 'CLIENT' } }, /is not a CA certificate/],
    ['a private key as CA', { providedCa: { caPem: 'KEY' } }, /contains a private key/],
  ])('fails the synth with a ValidationError on %s', (_what, mtls, message) => {
    const pki = generateTestPki();
    const pem: Record<string, string> = { CLIENT: pki.clientCert, KEY: pki.caKey };
    const given = (mtls as Partial<EdgeDeploymentConfig['mtls']>).providedCa;
    const patched: Partial<EdgeDeploymentConfig['mtls']> = given
      ? { ...mtls, providedCa: { caPem: pem[given.caPem] } }
      : mtls;
    let error: unknown;
    try {
      buildEdgeApp(withMtls(patched));
      renderObjects(buildEdgeApp(withMtls(patched)));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });

  test('fails on an invalid host', () => {
    expect(() =>
      buildEdgeApp({
        ...REFERENCE_DEPLOYMENT,
        app: { ...REFERENCE_DEPLOYMENT.app, hosts: [{ name: 'echo', host: 'echo_example.com' }] },
      }),
    ).toThrow(/app\.hosts\[0\]\.host/);
  });
});
