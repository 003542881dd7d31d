import { Testing } from 'cdk8s';
import { AcmeClusterIssuer, LETS_ENCRYPT_SERVERS } from '../../lib/mtls/acme-cluster-issuer';
import { validateManifest } from '../support/schema';

describe('AcmeClusterIssuer', () => {
  test("renders Let's Encrypt staging with HTTP-01 on our IngressClass and no e-mail by default (snapshot)", () => {
    const chart = Testing.chart();
    const issuer = new AcmeClusterIssuer(chart, 'le', { environment: 'staging', ingressClassName: 'nginx' });
    const [obj] = Testing.synth(chart);
    validateManifest(obj);
    expect(issuer.issuerName).toBe('letsencrypt-staging');
    expect(obj.spec.acme).toEqual({
      server: LETS_ENCRYPT_SERVERS.staging,
      privateKeySecretRef: { name: 'letsencrypt-staging-account-key' },
      solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }],
    });
    expect(obj).toMatchSnapshot();
  });

  test('production with a contact e-mail', () => {
    const chart = Testing.chart();
    new AcmeClusterIssuer(chart, 'le', {
      environment: 'production',
      ingressClassName: 'nginx',
      email: 'pki@hospital-edge.org',
    });
    const [obj] = Testing.synth(chart);
    validateManifest(obj);
    expect(obj.metadata.name).toBe('letsencrypt-production');
    expect(obj.spec.acme).toMatchObject({
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      email: 'pki@hospital-edge.org',
    });
  });

  test.each([['ops@example.com'], ['a@b.example'], ['not-an-email']])('rejects contact e-mail %j', (email) => {
    expect(
      () => new AcmeClusterIssuer(Testing.chart(), 'le', { environment: 'staging', ingressClassName: 'nginx', email }),
    ).toThrow(/AcmeClusterIssuer "test\/le": email: /);
  });

  test('rejects an unknown environment and a bad IngressClass', () => {
    expect(
      () =>
        new AcmeClusterIssuer(Testing.chart(), 'le', {
          environment: 'prod' as 'production',
          ingressClassName: 'nginx',
        }),
    ).toThrow(/environment/);
    expect(
      () => new AcmeClusterIssuer(Testing.chart(), 'le', { environment: 'staging', ingressClassName: 'Nginx!' }),
    ).toThrow(/ingressClassName/);
  });
});
