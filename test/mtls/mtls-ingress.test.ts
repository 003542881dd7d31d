import { App, Chart, Testing } from 'cdk8s';
import { ValidationError } from '../../lib/core/validation';
import { ManagedClientCa } from '../../lib/mtls/managed-client-ca';
import { MtlsIngress, MtlsIngressProps } from '../../lib/mtls/mtls-ingress';
import { validateManifest } from '../support/schema';

const P = 'nginx.ingress.kubernetes.io/';

function setup(
  overrides: Partial<MtlsIngressProps> = {},
  clientAuth: Partial<MtlsIngressProps['clientAuth']> = {},
): { chart: Chart; ingress: MtlsIngress; ca: ManagedClientCa } {
  const chart = Testing.chart();
  const ca = new ManagedClientCa(chart, 'ca', {
    name: 'hospital-client-ca',
    namespace: 'client-certificates',
    createNamespace: false,
  });
  ca.addClient('hospital-a');
  ca.addClient('hospital-b');
  const ingress = new MtlsIngress(chart, 'echo', {
    namespace: 'echo',
    ingressClassName: 'nginx',
    hosts: [{ host: 'echo.example.com' }],
    backend: { serviceName: 'echo', servicePort: 'http' },
    serverTls: { clusterIssuer: 'letsencrypt-staging' },
    ...overrides,
    clientAuth: { ca, ...clientAuth },
  });
  return { chart, ingress, ca };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ingressOf(chart: Chart): any {
  return Testing.synth(chart).find((o) => o.kind === 'Ingress');
}

describe('MtlsIngress', () => {
  test('defaults: client certificate required, depth 1, no PEM upstream, no allow-list, HTTPS redirect, the edge transaction id, ACME certificate', () => {
    const { chart } = setup();
    const ing = ingressOf(chart);
    expect(ing.metadata.annotations).toEqual({
      [`${P}ssl-redirect`]: 'true',
      [`${P}auth-tls-secret`]: 'echo/hospital-client-ca',
      [`${P}auth-tls-verify-client`]: 'on',
      [`${P}auth-tls-verify-depth`]: '1',
      [`${P}auth-tls-pass-certificate-to-upstream`]: 'false',
      [`${P}modsecurity-transaction-id`]: 'edge_mr_${request_id}_${scheme}_${ssl_client_verify}_${host}',
    });
    expect(ing.spec.tls).toEqual([{ hosts: ['echo.example.com'], secretName: 'echo-tls' }]);
    expect(ing.spec.rules[0].http.paths).toEqual([
      { path: '/', pathType: 'Prefix', backend: { service: { name: 'echo', port: { name: 'http' } } } },
    ]);
    const cert = Testing.synth(chart).find((o) => o.kind === 'Certificate' && o.metadata.namespace === 'echo');
    expect(cert.spec).toMatchObject({
      secretName: 'echo-tls',
      dnsNames: ['echo.example.com'],
      issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-staging' },
    });
  });

  test.each([
    [{}, {}, 'edge_mr_'],
    [{ httpsRedirect: false }, {}, 'edge_m_'],
    [{}, { verifyClient: 'optional' as const }, 'edge_or_'],
    [{ httpsRedirect: false }, { verifyClient: 'optional_no_ca' as const }, 'edge_o_'],
  ])(
    'the transaction id tells the WAF whether a verified certificate is required and plain HTTP redirected (%j %j → %s)',
    (props, auth, prefix) => {
      const { chart, ingress } = setup(props, auth);
      const id = ingressOf(chart).metadata.annotations[`${P}modsecurity-transaction-id`];
      expect(id).toBe(`${prefix}\${request_id}_\${scheme}_\${ssl_client_verify}_\${host}`);
      expect(ingress.transactionId).toBe(id);
      // what ingress-nginx v1.15.1 accepts (parser.NGINXVariable, spaces removed first)
      expect(id).toMatch(/^[A-Za-z0-9\-_${}]*$/);
    },
  );

  test('the CA it points at is published into its namespace (Bundle target)', () => {
    const { chart } = setup();
    const bundle = Testing.synth(chart).find((o) => o.kind === 'Bundle');
    expect(bundle.spec.target.namespaceSelector.matchExpressions[0].values).toEqual(['echo']);
  });

  test('renders the allow-list into auth-tls-match-cn, letting plain HTTP through when verification is on', () => {
    const { chart, ingress } = setup(
      {},
      { allowedClients: ['hospital-a', 'hospital-b'], passCertificateToUpstream: true, verifyDepth: 2 },
    );
    const a = ingressOf(chart).metadata.annotations;
    expect(a[`${P}auth-tls-match-cn`]).toBe('CN=(?:hospital-a|hospital-b)(?:,|$)|^$');
    expect(ingress.subjectPattern).toBe(a[`${P}auth-tls-match-cn`]);
    expect(a[`${P}auth-tls-pass-certificate-to-upstream`]).toBe('true');
    expect(a[`${P}auth-tls-verify-depth`]).toBe('2');
  });

  test('without plain-HTTP bypass, and with verify optional, the pattern has no empty alternative', () => {
    expect(
      ingressOf(setup({}, { allowedClients: ['hospital-a'], allowPlainHttpPastSubjectCheck: false }).chart).metadata
        .annotations[`${P}auth-tls-match-cn`],
    ).toBe('CN=(?:hospital-a)(?:,|$)');
    expect(
      ingressOf(setup({}, { allowedClients: ['hospital-a'], verifyClient: 'optional' }).chart).metadata.annotations[
        `${P}auth-tls-match-cn`
      ],
    ).toBe('CN=(?:hospital-a)(?:,|$)');
  });

  test('uses a given TLS secret (no Certificate) and allows a well-formed wildcard host with it', () => {
    const { chart } = setup({ serverTls: { secretName: 'wildcard-tls' }, hosts: [{ host: '*.example.com' }] });
    const objects = Testing.synth(chart);
    expect(objects.filter((o) => o.kind === 'Certificate' && o.metadata.namespace === 'echo')).toEqual([]);
    expect(ingressOf(chart).spec.tls).toEqual([{ hosts: ['*.example.com'], secretName: 'wildcard-tls' }]);
  });

  test('serves several hosts and paths with per-path backends', () => {
    const { chart } = setup({
      hosts: [
        {
          host: 'a.example.com',
          paths: [
            { path: '/api', pathType: 'Exact', backend: { serviceName: 'api', servicePort: 8080 } },
            { path: '/' },
          ],
        },
        { host: 'b.example.com' },
      ],
    });
    const ing = ingressOf(chart);
    expect(ing.spec.rules.map((r: { host: string }) => r.host)).toEqual(['a.example.com', 'b.example.com']);
    expect(ing.spec.rules[0].http.paths[0]).toEqual({
      path: '/api',
      pathType: 'Exact',
      backend: { service: { name: 'api', port: { number: 8080 } } },
    });
    expect(ing.spec.tls[0].hosts).toEqual(['a.example.com', 'b.example.com']);
  });

  test('HTTPS redirect can be turned off explicitly', () => {
    expect(ingressOf(setup({ httpsRedirect: false }).chart).metadata.annotations[`${P}ssl-redirect`]).toBe('false');
  });

  test('snapshot and schema', () => {
    const objects = Testing.synth(setup({}, { allowedClients: ['hospital-a'] }).chart);
    for (const o of objects) validateManifest(o);
    expect(objects.filter((o) => o.metadata.namespace === 'echo')).toMatchSnapshot();
  });

  describe('rejects', () => {
    test.each([
      ['an invalid hostname', { hosts: [{ host: 'Echo.Example.com' }] }, /hosts\[0\]\.host/],
      ['a host without domain', { hosts: [{ host: 'echo' }] }, /not a fully qualified/],
      ['an IP address as host', { hosts: [{ host: '10.0.0.1' }] }, /IP address/],
      [
        'a wildcard with ACME HTTP-01',
        { hosts: [{ host: '*.example.com' }] },
        /wildcard, which an ACME HTTP-01 challenge cannot validate/,
      ],
      [
        'a wildcard not in the first label',
        { hosts: [{ host: 'a.*.example.com' }], serverTls: { secretName: 's' } },
        /outside the left-most label/,
      ],
      ['a wildcard over a TLD', { hosts: [{ host: '*.com' }], serverTls: { secretName: 's' } }, /top-level domain/],
      [
        'the same host twice',
        { hosts: [{ host: 'a.example.com' }, { host: 'a.example.com' }] },
        /hosts: "a.example.com" appears more than once/,
      ],
      ['no hosts', { hosts: [] }, /hosts: .* is empty/],
      [
        'a path the controller rejects',
        { hosts: [{ host: 'a.example.com', paths: [{ path: '/a b' }] }] },
        /paths\[0\]\.path/,
      ],
      [
        'a regex path',
        { hosts: [{ host: 'a.example.com', paths: [{ path: '/api(/|$)(.*)' }] }] },
        /strict path validation/,
      ],
      ['no server TLS source', { serverTls: {} }, /serverTls.*neither/],
      ['a bad backend port', { backend: { serviceName: 'echo', servicePort: 0 } }, /backend\.servicePort/],
      ['a bad namespace', { namespace: 'Echo' }, /namespace/],
    ])('%s', (_what, overrides, message) => {
      expect(() => setup(overrides as Partial<MtlsIngressProps>)).toThrow(message);
    });

    test.each([0, 11, 2.5])('verify depth %p outside 1-10', (verifyDepth) => {
      expect(() => setup({}, { verifyDepth })).toThrow(
        /MtlsIngress "test\/echo": clientAuth\.verifyDepth: .* between 1 and 10/,
      );
    });

    test('an unknown client in the allow-list, naming the known ones', () => {
      expect(() => setup({}, { allowedClients: ['hospital-a', 'hospital-z'] })).toThrow(
        /clientAuth\.allowedClients\[1\]: "hospital-z" is not a client of CA "hospital-client-ca".*hospital-a, hospital-b/,
      );
    });

    test('a duplicate or empty allow-list', () => {
      expect(() => setup({}, { allowedClients: ['hospital-a', 'hospital-a'] })).toThrow(/appears more than once/);
      expect(() => setup({}, { allowedClients: [] })).toThrow(/is empty/);
    });

    test('an allow-list with optional_no_ca (nothing verifies the CN)', () => {
      expect(() => setup({}, { allowedClients: ['hospital-a'], verifyClient: 'optional_no_ca' })).toThrow(
        /optional_no_ca/,
      );
    });

    test('the plain-HTTP bypass with optional verification, or without an allow-list', () => {
      expect(() =>
        setup({}, { allowedClients: ['hospital-a'], verifyClient: 'optional', allowPlainHttpPastSubjectCheck: true }),
      ).toThrow(/unsafe/);
      expect(() => setup({}, { allowPlainHttpPastSubjectCheck: true })).toThrow(/no effect without allowedClients/);
    });

    test('an invalid verify mode', () => {
      expect(() => setup({}, { verifyClient: 'required' as 'on' })).toThrow(
        /verifyClient.*not a client verification mode/,
      );
    });

    test('a host already served by another MtlsIngress, also from another chart', () => {
      const { chart, ca } = setup();
      const again = (scope: Chart, id: string): MtlsIngress =>
        new MtlsIngress(scope, id, {
          namespace: 'other',
          ingressClassName: 'nginx',
          hosts: [{ host: 'b.example.com' }, { host: 'echo.example.com' }],
          backend: { serviceName: 'svc', servicePort: 80 },
          serverTls: { clusterIssuer: 'letsencrypt-staging' },
          clientAuth: { ca },
        });
      expect(() => again(chart, 'second')).toThrow(
        /hosts: "echo.example.com" is already served by MtlsIngress "echo\/echo"/,
      );
      const app = chart.node.root as App;
      expect(() => again(new Chart(app, 'other-chart'), 'third')).toThrow(ValidationError);
    });
  });
});
