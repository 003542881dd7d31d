import { Testing } from 'cdk8s';
import { EchoApp } from '../../lib/apps/echo-app';
import { ManagedClientCa } from '../../lib/mtls/managed-client-ca';
import { MtlsIngress, MtlsIngressProps } from '../../lib/mtls/mtls-ingress';
import { validationErrorOf } from '../waf/support';

function ingress(metadata?: MtlsIngressProps['metadata']) {
  const chart = Testing.chart();
  const ca = new ManagedClientCa(chart, 'ca', {
    name: 'hospital-client-ca',
    namespace: 'client-certificates',
    createNamespace: false,
  });
  ca.addClient('hospital-a');
  const edge = new MtlsIngress(chart, 'echo', {
    namespace: 'echo',
    ingressClassName: 'nginx',
    hosts: [{ host: 'echo.example.com' }],
    backend: { serviceName: 'echo', servicePort: 'http' },
    serverTls: { clusterIssuer: 'letsencrypt-staging' },
    clientAuth: { ca },
    metadata,
  });
  return { chart, edge };
}

describe('metadata passthrough and the underlying objects', () => {
  test("MtlsIngress adds the user's labels and annotations to the Ingress beside its own, and exposes the Ingress", () => {
    const { chart, edge } = ingress({ labels: { team: 'platform' }, annotations: { 'example.com/owner': 'team-a' } });
    const ing = Testing.synth(chart).find((o) => o.kind === 'Ingress');
    expect(ing.metadata.labels).toMatchObject({ team: 'platform', 'app.kubernetes.io/name': 'echo' });
    expect(ing.metadata.annotations['example.com/owner']).toBe('team-a');
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/auth-tls-verify-client']).toBe('on');
    edge.apiObject.metadata.addAnnotation('example.com/added-later', 'yes');
    expect(Testing.synth(chart).find((o) => o.kind === 'Ingress').metadata.annotations['example.com/added-later']).toBe(
      'yes',
    );
  });

  test('without metadata the Ingress is what it was', () => {
    const plain = Testing.synth(ingress().chart).find((o) => o.kind === 'Ingress');
    const empty = Testing.synth(ingress({}).chart).find((o) => o.kind === 'Ingress');
    expect(empty).toEqual(plain);
  });

  test('rejects an annotation the construct renders itself, naming it', () => {
    const err = validationErrorOf(() =>
      ingress({ annotations: { 'nginx.ingress.kubernetes.io/auth-tls-verify-client': 'off' } }),
    );
    expect(err.field).toBe('metadata.annotations["nginx.ingress.kubernetes.io/auth-tls-verify-client"]');
    expect(err.message).toContain("set it through the construct's props");
  });

  test("rejects overriding one of the construct's own labels", () => {
    const err = validationErrorOf(() => ingress({ labels: { 'app.kubernetes.io/name': 'other' } }));
    expect(err.field).toBe('metadata.labels["app.kubernetes.io/name"]');
  });

  test('rejects an invalid label value and annotation key', () => {
    expect(validationErrorOf(() => ingress({ labels: { team: 'a b' } })).field).toBe('metadata.labels.team');
    expect(validationErrorOf(() => ingress({ annotations: { 'bad key': 'x' } })).field).toBe(
      'metadata.annotations["bad key"]',
    );
  });

  test('EchoApp adds metadata to its Deployment and Service (not its pods) and exposes both', () => {
    const chart = Testing.chart();
    const echo = new EchoApp(chart, 'echo', {
      namespace: 'echo',
      ingressController: { namespace: 'ingress-nginx' },
      metadata: { annotations: { 'example.com/owner': 'team-a' } },
    });
    const objects = Testing.synth(chart);
    const deployment = objects.find((o) => o.kind === 'Deployment');
    const service = objects.find((o) => o.kind === 'Service');
    expect(deployment.metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
    expect(service.metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
    expect(deployment.spec.template.metadata.annotations).toBeUndefined();
    expect(objects.find((o) => o.kind === 'PodDisruptionBudget').metadata.annotations).toBeUndefined();
    expect(echo.deployment.name).toBe('echo');
    expect(echo.service.name).toBe('echo');
  });
});
