import { App, Chart } from 'cdk8s';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { buildEdgeApp } from '../../lib/reference/cdk8s-app';
import { ManagedClientCa } from '../../lib/mtls/managed-client-ca';
import { MtlsIngress } from '../../lib/mtls/mtls-ingress';
import { LayerChart } from '../../lib/synth/layers';
import { inventoryObjects, renderObjects } from '../../lib/synth/render';
import { buildFleetApp, tenantFleet } from '../../bench/tenants';

/**
 * The fixes that made synthesis linear in the number of tenants keep their behaviour: same errors, same objects.
 * (dist/ byte-identity is checked by test/synth; here the shapes that dist does not exercise.)
 */
describe('inventoryObjects (used by the delivery charts instead of a second full render)', () => {
  const identity = (o: {
    layer: { id: string };
    manifest: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
  }): string =>
    `${o.layer.id} ${o.manifest.apiVersion} ${o.manifest.kind} ${o.manifest.metadata.namespace ?? ''}/${o.manifest.metadata.name}`;

  test.each([
    ['the reference deployment', () => buildEdgeApp(REFERENCE_DEPLOYMENT)],
    ['a tenant fleet', () => buildFleetApp(REFERENCE_DEPLOYMENT, tenantFleet({ tenants: 20 }))],
  ])('lists exactly the objects renderObjects renders, in the same layers: %s', (_name, build) => {
    const app = build();
    expect(inventoryObjects(app).map(identity).sort()).toEqual(renderObjects(app).map(identity).sort());
  });

  test('moves cluster-scoped kinds to the cluster layer like renderObjects', () => {
    const app = buildFleetApp(REFERENCE_DEPLOYMENT, tenantFleet({ tenants: 2 }));
    const namespaces = inventoryObjects(app).filter((o) => o.manifest.kind === 'Namespace');
    expect(namespaces.map((n) => n.manifest.metadata.name)).toEqual(
      expect.arrayContaining(['tenant-00001', 'tenant-00002']),
    );
    for (const n of namespaces) expect(n.layer.id).toBe('cluster');
  });

  test('fails like renderObjects on a chart that is not a layer chart', () => {
    const app = new App();
    new LayerChart(app, 'apps', { layer: 'apps' });
    new Chart(app, 'plain');
    expect(() => inventoryObjects(app)).toThrow(/neither a LayerChart nor a DeliveryChart/);
    expect(() => renderObjects(app)).toThrow(/neither a LayerChart nor a DeliveryChart/);
  });
});

describe('MtlsIngress host uniqueness with an index instead of a tree walk per Ingress', () => {
  const ingress = (chart: LayerChart, id: string, ca: ManagedClientCa, hosts: string[]): MtlsIngress =>
    new MtlsIngress(chart, id, {
      namespace: id,
      ingressClassName: 'nginx',
      hosts: hosts.map((host) => ({ host })),
      backend: { serviceName: 'svc', servicePort: 80 },
      serverTls: { secretName: `${id}-tls` },
      clientAuth: { ca },
    });

  test('rejects a host already served among many, naming the first Ingress in tree order that serves it', () => {
    const app = new App();
    const certs = new LayerChart(app, 'certificates', { layer: 'certificates' });
    const ca = new ManagedClientCa(certs, 'ca', { name: 'client-ca', namespace: 'pki' });
    const charts = Array.from({ length: 300 }, (_, i) => new LayerChart(app, `t${i}`, { layer: 'apps' }));
    charts.forEach((c, i) => ingress(c, `app-${i}`, ca, [`h${i}.example.com`]));
    // Two earlier Ingresses each serve one of the new Ingress's hosts: the error names the first in tree order (t7).
    expect(() => ingress(charts[299], 'dup', ca, ['h250.example.com', 'h7.example.com'])).toThrow(
      /hosts: "h7.example.com" is already served by MtlsIngress "app-7\/app-7"/,
    );
  });

  test('a host may be reused in another app', () => {
    const build = (): void => {
      const app = new App();
      const certs = new LayerChart(app, 'certificates', { layer: 'certificates' });
      const ca = new ManagedClientCa(certs, 'ca', { name: 'client-ca', namespace: 'pki' });
      ingress(new LayerChart(app, 'apps', { layer: 'apps' }), 'echo', ca, ['echo.example.com']);
    };
    build();
    expect(build).not.toThrow();
  });
});

describe('ManagedClientCa with thousands of clients', () => {
  test('rejects a client whose common name another client already has', () => {
    const ca = new ManagedClientCa(new LayerChart(new App(), 'c', { layer: 'certificates' }), 'ca', {
      name: 'client-ca',
      namespace: 'pki',
    });
    for (let i = 0; i < 2000; i++) ca.addClient(`client-${i}`);
    expect(() => ca.addClient('other', { commonName: 'client-1234' })).toThrow(
      /ManagedClientCa "c\/ca": addClient\("other"\)\.commonName: "client-1234".*already the common name of another client/,
    );
    expect(ca.knownClients().size).toBe(2000);
  });
});
