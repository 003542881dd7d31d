import { Chart, Testing } from 'cdk8s';
import { ArgoCdDelivery, ArgoCdDeliveryProps } from '../../lib/gitops/argocd';
import { FluxDelivery, FluxDeliveryProps } from '../../lib/gitops/flux';
import { DeliveredLayer, deliveredLayers, isCustomResource } from '../../lib/gitops/layers';
import {
  certManagerPrerequisite,
  HelmPrerequisite,
  kubePrometheusStackPrerequisite,
  prerequisiteWaves,
  trustManagerPrerequisite,
} from '../../lib/gitops/prerequisites';
import { checkGitSource, fluxRef } from '../../lib/gitops/source';
import { LAYERS } from '../../lib/synth/layers';
import { ValidationError } from '../../lib/core/validation';
import { validateManifest } from '../support/schema';

const LAYER_SET: DeliveredLayer[] = [
  { id: 'cluster', folder: '00-cluster', syncWave: 0, namespaces: [], customResources: false },
  { id: 'controller', folder: '10-controller', syncWave: 10, namespaces: ['ingress-nginx'], customResources: false },
  { id: 'monitoring', folder: '40-monitoring', syncWave: 40, namespaces: ['ingress-nginx'], customResources: true },
];
const SOURCE = { repoUrl: 'https://github.com/example/edge.git', revision: 'main', path: 'dist' };
const PREREQS = [certManagerPrerequisite(), trustManagerPrerequisite({ authorizedSecrets: ['client-ca'] })];

function argo(props: Partial<ArgoCdDeliveryProps> = {}): any[] {
  const chart = new Chart(Testing.app(), 'test');
  new ArgoCdDelivery(chart, 'argo', { name: 'edge', ...SOURCE, layers: LAYER_SET, prerequisites: PREREQS, ...props });
  return Testing.synth(chart);
}
function flux(props: Partial<FluxDeliveryProps> = {}): any[] {
  const chart = new Chart(Testing.app(), 'test');
  new FluxDelivery(chart, 'flux', { name: 'edge', ...SOURCE, layers: LAYER_SET, prerequisites: PREREQS, ...props });
  return Testing.synth(chart);
}

describe('ArgoCdDelivery', () => {
  test('snapshot; every Application validates', () => {
    const manifests = argo();
    for (const m of manifests) validateManifest(m);
    expect(manifests).toMatchSnapshot();
  });

  test('root, prerequisites (negative waves in dependency order), then layers at their waves', () => {
    const waves = argo().map((a) => [a.metadata.name, a.metadata.annotations?.['argocd.argoproj.io/sync-wave']]);
    expect(waves).toEqual([
      ['edge-delivery', undefined],
      ['cert-manager', '-20'],
      ['trust-manager', '-10'],
      ['edge-cluster', '0'],
      ['edge-controller', '10'],
      ['edge-monitoring', '40'],
    ]);
  });

  test('layer destination is its main namespace; cluster-scoped layers have none', () => {
    const byName = new Map(argo().map((a) => [a.metadata.name, a]));
    expect(byName.get('edge-controller').spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'ingress-nginx',
    });
    expect(byName.get('edge-cluster').spec.destination).toEqual({ server: 'https://kubernetes.default.svc' });
  });

  test.each<[string, Partial<ArgoCdDeliveryProps>, RegExp]>([
    ['no layers', { layers: [] }, /: layers: /],
    ['a layer with a negative wave', { layers: [{ ...LAYER_SET[0], syncWave: -5 }] }, /syncWave/],
    ['a namespace that is not a DNS label', { namespace: 'Argo CD' }, /ArgoCdDelivery "test\/argo": namespace: /],
    ['a destination server over http', { destinationServer: 'http://kubernetes.default.svc' }, /destinationServer/],
    [
      'a prerequisite that depends on one not installed',
      { prerequisites: [trustManagerPrerequisite()] },
      /prerequisites\[0\]\.dependsOn/,
    ],
  ])('rejects %s', (_, props, field) => {
    expect(() => argo(props)).toThrow(ValidationError);
    expect(() => argo(props)).toThrow(field);
  });
});

describe('FluxDelivery', () => {
  test('snapshot; every object validates', () => {
    const manifests = flux();
    for (const m of manifests) validateManifest(m);
    expect(manifests).toMatchSnapshot();
  });

  test('layer Kustomizations form a chain starting at the delivery Kustomization, which waits for the HelmReleases', () => {
    const ks = flux().filter((o) => o.kind === 'Kustomization');
    expect(ks.map((k) => [k.metadata.name, k.spec.dependsOn?.[0]?.name])).toEqual([
      ['edge-delivery', undefined],
      ['edge-cluster', 'edge-delivery'],
      ['edge-controller', 'edge-cluster'],
      ['edge-monitoring', 'edge-controller'],
    ]);
    expect(ks[0].spec.healthChecks).toEqual([
      { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'cert-manager', namespace: 'flux-system' },
      { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'trust-manager', namespace: 'flux-system' },
    ]);
    expect(ks[0].spec.wait).toBeUndefined();
  });

  test('one HelmRepository per repository URL', () => {
    const repos = flux({ prerequisites: [...PREREQS, kubePrometheusStackPrerequisite()] }).filter(
      (o) => o.kind === 'HelmRepository',
    );
    expect(repos.map((r) => r.metadata.name)).toEqual(['jetstack', 'prometheus-community']);
  });

  test.each<[string, Partial<FluxDeliveryProps>, RegExp]>([
    ['an interval that is no duration', { interval: 'hourly' }, /FluxDelivery "test\/flux": interval: /],
    ['a path outside the repository', { path: '../dist' }, /path: /],
    [
      'a repository name reused for two URLs',
      { prerequisites: [certManagerPrerequisite(), { ...kubePrometheusStackPrerequisite(), repoName: 'jetstack' }] },
      /repoName/,
    ],
  ])('rejects %s', (_, props, field) => {
    expect(() => flux(props)).toThrow(ValidationError);
    expect(() => flux(props)).toThrow(field);
  });
});

describe('prerequisites', () => {
  const p = (name: string, dependsOn: string[] = []): HelmPrerequisite => ({
    ...certManagerPrerequisite(),
    name,
    dependsOn,
  });

  test('waves are negative and follow dependsOn', () => {
    expect(prerequisiteWaves([p('a'), p('b', ['a']), p('c', ['b']), p('d')])).toEqual(
      new Map([
        ['a', -30],
        ['b', -20],
        ['c', -10],
        ['d', -30],
      ]),
    );
    expect(prerequisiteWaves([])).toEqual(new Map());
  });

  test('rejects cycles and duplicates', () => {
    expect(() => prerequisiteWaves([p('a', ['b']), p('b', ['a'])])).toThrow(/dependency cycle/);
    expect(() => prerequisiteWaves([p('a'), p('a')])).toThrow(/appears more than once/);
  });

  test('trust-manager may write only the Bundle target Secrets', () => {
    expect(trustManagerPrerequisite({ authorizedSecrets: ['b', 'a'] }).values).toEqual({
      app: { trust: { namespace: 'cert-manager' } },
      secretTargets: { enabled: true, authorizedSecrets: ['a', 'b'] },
    });
    expect(() => trustManagerPrerequisite({ authorizedSecrets: ['Bad_Name'] })).toThrow(/authorizedSecrets\[0\]/);
  });
});

describe('layers and sources', () => {
  test('custom resources are API groups with a dot outside *.k8s.io', () => {
    expect(isCustomResource('v1')).toBe(false);
    expect(isCustomResource('apps/v1')).toBe(false);
    expect(isCustomResource('networking.k8s.io/v1')).toBe(false);
    expect(isCustomResource('cert-manager.io/v1')).toBe(true);
    expect(isCustomResource('monitoring.coreos.com/v1')).toBe(true);
  });

  test('deliveredLayers keeps non-empty layers in order with their namespaces by use', () => {
    const obj = (layer: string, apiVersion: string, namespace?: string) => ({
      layer: LAYERS.find((l) => l.id === layer)!,
      fileName: 'x',
      manifest: { apiVersion, kind: 'X', metadata: { name: 'x', namespace } },
    });
    expect(
      deliveredLayers([obj('apps', 'v1', 'b'), obj('apps', 'v1', 'a'), obj('apps', 'v1', 'a'), obj('cluster', 'v1')]),
    ).toEqual([
      { id: 'cluster', folder: '00-cluster', syncWave: 0, namespaces: [], customResources: false },
      { id: 'apps', folder: '30-apps', syncWave: 30, namespaces: ['a', 'b'], customResources: false },
    ]);
  });

  test('normalises the path and picks the Flux ref kind', () => {
    expect(checkGitSource({ ...SOURCE, path: './deploy/dist/' }).path).toBe('deploy/dist');
    expect(fluxRef('main')).toEqual({ branch: 'main' });
    expect(fluxRef('v1.2.3')).toEqual({ tag: 'v1.2.3' });
    expect(fluxRef('0123456789abcdef0123456789abcdef01234567')).toEqual({
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  test.each([
    ['an http URL', { repoUrl: 'http://github.com/x/y.git' }, /repoUrl: /],
    ['a revision with ..', { revision: 'main..dev' }, /revision: /],
    ['an absolute path', { path: '/dist' }, /path: /],
    ['an empty path', { path: './' }, /path: /],
  ])('rejects %s', (_, change, field) => {
    expect(() => checkGitSource({ ...SOURCE, ...change })).toThrow(field);
  });
});
