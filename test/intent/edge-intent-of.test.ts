import { EdgeDeploymentConfig, REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { edgeIntentOf, hostNamesOf } from '../../lib/reference/intent';
import { buildEdgeApp } from '../../lib/reference/cdk8s-app';
import { aksStackProps } from '../../lib/reference/cdktf-app';
import { renderObjects } from '../../lib/synth/render';
import { ValidationError } from '../../lib/core/validation';

/** The reference deployment with another app section (hosts) or mtls section. */
const withHosts = (hosts: EdgeDeploymentConfig['app']['hosts']): EdgeDeploymentConfig => ({
  ...REFERENCE_DEPLOYMENT,
  app: { ...REFERENCE_DEPLOYMENT.app, hosts },
});
const withHeaders = (
  clientCertificateHeaders: EdgeDeploymentConfig['mtls']['clientCertificateHeaders'],
  passCertificateToUpstream?: boolean,
): EdgeDeploymentConfig => ({
  ...REFERENCE_DEPLOYMENT,
  mtls: { ...REFERENCE_DEPLOYMENT.mtls, clientCertificateHeaders, passCertificateToUpstream },
});

function validationError(build: () => unknown): ValidationError {
  try {
    build();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('edgeIntentOf (reference deployment)', () => {
  const intent = edgeIntentOf(REFERENCE_DEPLOYMENT);

  test('declares each host once, in order, with the echo Service as default backend', () => {
    expect(intent.hosts).toEqual([
      {
        name: 'echo',
        host: 'echo.example.com',
        backend: { serviceName: 'echo', servicePort: { name: 'http', number: 80 } },
      },
      {
        name: 'portal',
        host: 'portal.example.com',
        backend: { serviceName: 'echo', servicePort: { name: 'http', number: 80 } },
      },
    ]);
  });

  test('the WAF serves exactly the intent hosts', () => {
    expect(intent.waf.servedHosts).toEqual(['echo.example.com', 'portal.example.com']);
  });

  test('server TLS, client auth, headers and redirect come from their sections (defaults applied)', () => {
    expect(intent.name).toBe('hospital-edge');
    expect(intent.namespace).toBe('echo');
    expect(intent.serverTls).toEqual({ clusterIssuer: 'letsencrypt-staging' });
    expect(intent.clientAuth).toEqual({
      caSecretName: 'hospital-client-ca',
      allowedCommonNames: ['hospital-a', 'hospital-b'],
      verifyDepth: 1,
    });
    expect(intent.clientCertificateHeaders).toEqual({
      fingerprintHeader: 'ssl-client-fingerprint',
      fingerprintAlgorithm: 'sha1',
      passCertificate: true,
    });
    expect(intent.httpsRedirect).toBe(true);
  });

  test('is computed once per config object (every layer reads the same intent)', () => {
    expect(edgeIntentOf(REFERENCE_DEPLOYMENT)).toBe(intent);
  });

  test('every consumer reads the hosts from app.hosts: Ingresses, WAF, monitoring, DNS', () => {
    const config = withHosts([
      { name: 'one', host: 'one.example.com' },
      {
        name: 'two',
        host: 'two.example.com',
        backend: { serviceName: 'other', servicePort: { name: 'web', number: 8080 } },
      },
    ]);
    const noPathRules: EdgeDeploymentConfig = {
      ...config,
      waf: {
        ...config.waf,
        allowPaths: [{ host: 'two.example.com', paths: ['/api'], description: 'two: API only' }],
        exclusions: [],
      },
    };
    expect(hostNamesOf(noPathRules)).toEqual(['one.example.com', 'two.example.com']);
    expect(aksStackProps(noPathRules).ingress.dns?.hosts).toEqual(['one.example.com', 'two.example.com']);
    const objects = renderObjects(buildEdgeApp(noPathRules)).map(
      (o) =>
        o.manifest as {
          kind: string;
          metadata: { name: string };
          spec?: Record<string, unknown>;
          data?: Record<string, string>;
        },
    );
    const ingresses = objects.filter((o) => o.kind === 'Ingress');
    expect(ingresses.map((o) => o.metadata.name)).toEqual(['one', 'two']);
    expect(JSON.stringify(ingresses[1].spec)).toContain('"service":{"name":"other","port":{"name":"web"}}');
    const alerts = JSON.stringify(objects.find((o) => o.kind === 'PrometheusRule'));
    expect(alerts).toContain('one.example.com');
    expect(alerts).not.toContain('echo.example.com');
    const policy = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ingress-nginx-waf-policy');
    expect(JSON.stringify(policy)).toContain('two.example.com');
    expect(JSON.stringify(policy)).not.toContain('portal.example.com');
  });

  test('passCertificate defaults to the older mtls.passCertificateToUpstream and wins over it', () => {
    expect(edgeIntentOf(withHeaders(undefined, false)).clientCertificateHeaders.passCertificate).toBe(false);
    expect(edgeIntentOf(withHeaders({ passCertificate: false }, true)).clientCertificateHeaders.passCertificate).toBe(
      false,
    );
    expect(edgeIntentOf(withHeaders({}, undefined)).clientCertificateHeaders.passCertificate).toBe(false);
  });

  test('a custom fingerprint header replaces ssl-client-fingerprint in the controller proxy-set-headers', () => {
    const objects = renderObjects(buildEdgeApp(withHeaders({ fingerprintHeader: 'x-client-sha1' }, true)));
    const headers = objects.find(
      (o) => o.manifest.kind === 'ConfigMap' && o.manifest.metadata.name === 'ingress-nginx-proxy-headers',
    );
    expect((headers?.manifest as { data?: unknown }).data).toEqual({ 'x-client-sha1': '$ssl_client_fingerprint' });
  });
});

describe('edgeIntentOf rejects bad hosts and contracts, naming the config path', () => {
  test.each<[string, EdgeDeploymentConfig, string, RegExp]>([
    [
      'a duplicate host',
      withHosts([
        { name: 'echo', host: 'echo.example.com' },
        { name: 'portal', host: 'echo.example.com' },
      ]),
      'app.hosts[1].host',
      /already declared as app\.hosts\[0\]\.host/,
    ],
    [
      'a duplicate name',
      withHosts([
        { name: 'echo', host: 'echo.example.com' },
        { name: 'echo', host: 'portal.example.com' },
      ]),
      'app.hosts[1].name',
      /already the name of app\.hosts\[0\]/,
    ],
    ['empty hosts', withHosts([]), 'app.hosts', /is empty/],
    [
      'a name that is not a DNS label',
      withHosts([{ name: 'Echo.App', host: 'echo.example.com' }]),
      'app.hosts[0].name',
      /RFC 1123 label/,
    ],
    [
      'a host with a trailing dot',
      withHosts([{ name: 'echo', host: 'echo.example.com.' }]),
      'app.hosts[0].host',
      /invalid label/,
    ],
    [
      'a host in upper case',
      withHosts([{ name: 'echo', host: 'Echo.example.com' }]),
      'app.hosts[0].host',
      /invalid label/,
    ],
    [
      'a host with a port',
      withHosts([{ name: 'echo', host: 'echo.example.com:443' }]),
      'app.hosts[0].host',
      /invalid label/,
    ],
    [
      'a backend port without number',
      withHosts([
        {
          name: 'echo',
          host: 'echo.example.com',
          backend: { serviceName: 'echo', servicePort: { name: 'http', number: 0 } },
        },
      ]),
      'app.hosts[0].backend.servicePort.number',
      /between 1 and 65535/,
    ],
    [
      'a fingerprint header with a space',
      withHeaders({ fingerprintHeader: 'ssl client fingerprint' }),
      'mtls.clientCertificateHeaders.fingerprintHeader',
      /is not a header name/,
    ],
    [
      'an unknown fingerprint algorithm',
      withHeaders({ fingerprintAlgorithm: 'md5' as 'sha1' }),
      'mtls.clientCertificateHeaders.fingerprintAlgorithm',
      /not a supported fingerprint algorithm/,
    ],
    [
      'an unknown data plane',
      { ...REFERENCE_DEPLOYMENT, dataPlane: 'istio' as 'ingress-nginx' },
      'dataPlane',
      /not a supported data plane/,
    ],
  ])('rejects %s', (_what, config, field, message) => {
    const error = validationError(() => edgeIntentOf(config));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  test('rejects the replaced app.host/app.portal shape with the new field named', () => {
    const legacy = {
      ...REFERENCE_DEPLOYMENT,
      app: { namespace: 'echo', name: 'echo', host: 'echo.example.com' },
    } as unknown as EdgeDeploymentConfig;
    const error = validationError(() => buildEdgeApp(legacy));
    expect(error.field).toBe('app.hosts');
    expect(error.message).toMatch(/app\.host and app\.portal were replaced by app\.hosts/);
  });

  test('rejects sha256 on ingress-nginx at synth (the intent itself allows it)', () => {
    const config = withHeaders({ fingerprintAlgorithm: 'sha256' });
    expect(edgeIntentOf(config).clientCertificateHeaders.fingerprintAlgorithm).toBe('sha256');
    const error = validationError(() => buildEdgeApp(config));
    expect(error.field).toBe('mtls.clientCertificateHeaders.fingerprintAlgorithm');
    expect(error.message).toMatch(/cannot be expressed by ingress-nginx v1\.15\.1/);
    expect(error.fix).toMatch(/envoy-gateway/);
  });

  test('rejects dataPlane envoy-gateway in buildEdgeApp (the ingress-nginx renderer), naming dataPlane', () => {
    const config: EdgeDeploymentConfig = { ...REFERENCE_DEPLOYMENT, dataPlane: 'envoy-gateway' };
    expect(edgeIntentOf(config).hosts).toHaveLength(2);
    const error = validationError(() => buildEdgeApp(config));
    expect(error.field).toBe('dataPlane');
    expect(error.fix).toMatch(/lib\/envoy-gateway/);
  });

  test('rejects a WAF host-scoped rule for a host app.hosts does not declare', () => {
    const error = validationError(() => edgeIntentOf(withHosts([{ name: 'echo', host: 'echo.example.com' }])));
    expect(error.message).toMatch(/portal\.example\.com/);
  });
});
