/**
 * ArgoCdDelivery and FluxDelivery: the user's `metadata` lands on every object of the delivery (never overriding the
 * sync wave), and the exposed objects are the ones in the output.
 */
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { ArgoCdDelivery, ArgoCdDeliveryProps } from '../../lib/gitops/argocd';
import { FluxDelivery, FluxDeliveryProps } from '../../lib/gitops/flux';
import { DeliveredLayer } from '../../lib/gitops/layers';
import { certManagerPrerequisite, trustManagerPrerequisite } from '../../lib/gitops/prerequisites';
import { validationErrorOf } from '../waf/support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;
const LAYERS: DeliveredLayer[] = [
  { id: 'cluster', folder: '00-cluster', syncWave: 0, namespaces: [], customResources: false },
  { id: 'controller', folder: '10-controller', syncWave: 10, namespaces: ['ingress-nginx'], customResources: false },
];
const BASE = {
  name: 'edge',
  repoUrl: 'https://github.com/example/edge.git',
  revision: 'main',
  path: 'dist',
  layers: LAYERS,
  prerequisites: [certManagerPrerequisite(), trustManagerPrerequisite({ authorizedSecrets: ['client-ca'] })],
};
const USER = { labels: { team: 'platform' }, annotations: { 'example.com/owner': 'team-a' } };

function argo(props: Partial<ArgoCdDeliveryProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const delivery = new ArgoCdDelivery(chart, 'argocd', { ...BASE, ...props });
  return { chart, delivery };
}
function flux(props: Partial<FluxDeliveryProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const delivery = new FluxDelivery(chart, 'flux', { ...BASE, ...props });
  return { chart, delivery };
}

describe('ArgoCdDelivery metadata and underlying objects', () => {
  test("adds the user's labels and annotations to every Application, beside the sync waves", () => {
    const apps: Obj[] = Testing.synth(argo({ metadata: USER }).chart);
    expect(apps.length).toBe(5);
    for (const a of apps) {
      expect(a.metadata.labels).toEqual({ team: 'platform' });
      expect(a.metadata.annotations['example.com/owner']).toBe('team-a');
    }
    expect(apps.find((a) => a.metadata.name === 'edge-controller').metadata.annotations).toEqual({
      'example.com/owner': 'team-a',
      'argocd.argoproj.io/sync-wave': '10',
    });
  });

  test('without metadata the output is what it was', () => {
    expect(Testing.synth(argo({ metadata: {} }).chart)).toEqual(Testing.synth(argo().chart));
  });

  test('rejects the sync-wave annotation (the construct orders the Applications), naming it', () => {
    const err = validationErrorOf(() => argo({ metadata: { annotations: { 'argocd.argoproj.io/sync-wave': '-99' } } }));
    expect(err.field).toMatch(/metadata\.annotations\["argocd\.argoproj\.io\/sync-wave"\]$/);
  });

  test('exposes the root, prerequisite and layer Applications that are in the output', () => {
    const { chart, delivery } = argo();
    delivery.root.addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 3));
    delivery.prerequisiteApplications.get('cert-manager')?.metadata.addLabel('example.com/patched', 'yes');
    delivery.layerApplications.get('controller')?.metadata.addLabel('example.com/patched', 'yes');
    const apps: Obj[] = Testing.synth(chart);
    expect(apps.find((a) => a.metadata.name === 'edge-delivery').spec.revisionHistoryLimit).toBe(3);
    expect(apps.filter((a) => a.metadata.labels?.['example.com/patched']).map((a) => a.metadata.name)).toEqual([
      'cert-manager',
      'edge-controller',
    ]);
  });
});

describe('FluxDelivery metadata and underlying objects', () => {
  test("adds the user's labels and annotations to every object of the delivery", () => {
    const objects: Obj[] = Testing.synth(flux({ metadata: USER }).chart);
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'GitRepository',
      'HelmRelease',
      'HelmRelease',
      'HelmRepository',
      'Kustomization',
      'Kustomization',
      'Kustomization',
    ]);
    for (const o of objects) {
      expect(o.metadata.labels).toEqual({ team: 'platform' });
      expect(o.metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
    }
  });

  test('rejects an invalid annotation key, naming it', () => {
    const err = validationErrorOf(() => flux({ metadata: { annotations: { 'not a key': 'x' } } }));
    expect(err.field).toMatch(/metadata\.annotations\["not a key"\]$/);
  });

  test('exposes the GitRepository, Kustomizations and HelmReleases that are in the output', () => {
    const { chart, delivery } = flux();
    delivery.gitRepository.addJsonPatch(JsonPatch.replace('/spec/interval', '5m'));
    delivery.delivery.metadata.addAnnotation('example.com/patched', 'delivery');
    delivery.layerKustomizations.get('cluster')?.metadata.addAnnotation('example.com/patched', 'layer');
    delivery.helmReleases.get('trust-manager')?.metadata.addAnnotation('example.com/patched', 'release');
    const objects: Obj[] = Testing.synth(chart);
    expect(objects.find((o) => o.kind === 'GitRepository').spec.interval).toBe('5m');
    const patched = objects.filter((o) => o.metadata.annotations?.['example.com/patched']);
    expect(patched.map((o) => `${o.kind}/${o.metadata.name}=${o.metadata.annotations['example.com/patched']}`)).toEqual(
      ['HelmRelease/trust-manager=release', 'Kustomization/edge-delivery=delivery', 'Kustomization/edge-cluster=layer'],
    );
  });
});
