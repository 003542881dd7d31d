import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REFERENCE_DEPLOYMENT, EdgeDeploymentConfig } from '../../lib/reference/config';
import { buildEdgeApp } from '../../lib/reference/cdk8s-app';
import { renderObjects, renderTree, RenderedTree } from '../../lib/synth/render';
import { writeTree } from '../../lib/synth/write';
import { DELIVERY_FOLDERS, LAYERS } from '../../lib/synth/layers';
import { PREREQUISITE_VERSIONS } from '../../lib/gitops/prerequisites';
import { ValidationError } from '../../lib/core/validation';
import { objectsOf } from '../support/dist';
import { validateManifest } from '../support/schema';

const render = (config: EdgeDeploymentConfig = REFERENCE_DEPLOYMENT): RenderedTree =>
  renderTree(renderObjects(buildEdgeApp(config)));
const tree = render();
const all = objectsOf(tree);
const inFolder = (folder: string) => all.filter((o) => o.file.startsWith(`${folder}/`)).map((o) => o.manifest as any);
const argo = inFolder('delivery/argocd');
const flux = inFolder('delivery/flux');
const wave = (m: any): number => Number(m.metadata.annotations?.['argocd.argoproj.io/sync-wave']);

/** Flux's apply order: a topological order of Kustomization and HelmRelease dependencies (healthChecks of a dependency count as its dependencies). */
function fluxGraph(objects: any[]): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  const byName = new Map(objects.map((o) => [o.metadata.name, o]));
  for (const o of objects.filter((x) => ['Kustomization', 'HelmRelease'].includes(x.kind))) {
    const direct = (o.spec.dependsOn ?? []).map((d: any) => d.name as string);
    const viaHealth = direct.flatMap((d: string) =>
      (byName.get(d)?.spec.healthChecks ?? []).map((h: any) => h.name as string),
    );
    deps.set(o.metadata.name, new Set([...direct, ...viaHealth]));
  }
  return deps;
}

function closure(graph: Map<string, Set<string>>, name: string, seen = new Set<string>()): Set<string> {
  for (const d of graph.get(name) ?? [])
    if (!seen.has(d)) {
      seen.add(d);
      closure(graph, d, seen);
    }
  return seen;
}

describe('GitOps delivery of the reference deployment', () => {
  test('delivery manifests live in dist/delivery/{argocd,flux}, outside the root kustomization', () => {
    expect(argo.length).toBeGreaterThan(0);
    expect(flux.length).toBeGreaterThan(0);
    for (const f of DELIVERY_FOLDERS) expect(tree.get('kustomization.yaml')).not.toContain(f.folder);
    for (const m of [...argo, ...flux])
      expect(m.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBeUndefined();
  });

  test('every delivery object validates against the Argo CD and Flux CRD schemas', () => {
    for (const m of [...argo, ...flux]) validateManifest(m);
    expect([...new Set([...argo, ...flux].map((m) => `${m.apiVersion} ${m.kind}`))].sort()).toEqual([
      'argoproj.io/v1alpha1 Application',
      'helm.toolkit.fluxcd.io/v2 HelmRelease',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization',
      'source.toolkit.fluxcd.io/v1 GitRepository',
      'source.toolkit.fluxcd.io/v1 HelmRepository',
    ]);
  });

  test('the Flux dependency graph and the Argo CD sync waves give the same order', () => {
    const graph = fluxGraph(flux);
    const argoByName = new Map(
      argo
        .filter((a) => a.metadata.annotations?.['argocd.argoproj.io/sync-wave'] !== undefined)
        .map((a) => [a.metadata.name, a]),
    );
    // Same set of ordered units: every layer and prerequisite exists on both sides, under the same name.
    const fluxUnits = [...graph.keys()].filter((n) => !n.endsWith('-delivery')).sort();
    expect([...argoByName.keys()].sort()).toEqual(fluxUnits);
    // Every Flux dependency (direct or through the delivery Kustomization's health checks) is an earlier Argo CD wave.
    for (const [name, deps] of graph) {
      if (name.endsWith('-delivery')) continue;
      for (const d of closure(graph, name)) {
        if (d.endsWith('-delivery')) continue;
        expect({ [name]: wave(argoByName.get(name)), after: d, wave: wave(argoByName.get(d)) }).toEqual({
          [name]: expect.any(Number),
          after: d,
          wave: expect.any(Number),
        });
        expect(wave(argoByName.get(d))).toBeLessThan(wave(argoByName.get(name)));
      }
      void deps;
    }
    // The layers form one chain in Flux, in the order of the Argo CD waves and of dist/.
    const layerNames = LAYERS.filter((l) => tree.has(`${l.folder}/kustomization.yaml`)).map(
      (l) => `${REFERENCE_DEPLOYMENT.name}-${l.id}`,
    );
    const byWave = [...argoByName.values()]
      .filter((a) => layerNames.includes(a.metadata.name))
      .sort((a, b) => wave(a) - wave(b))
      .map((a) => a.metadata.name);
    const byFlux = [...layerNames].sort((a, b) => closure(graph, a).size - closure(graph, b).size);
    expect(byWave).toEqual(layerNames);
    expect(byFlux).toEqual(layerNames);
    for (let i = 1; i < layerNames.length; i++) expect([...graph.get(layerNames[i])!]).toContain(layerNames[i - 1]);
    // Prerequisites come before the first layer in both.
    const prerequisites = flux.filter((o) => o.kind === 'HelmRelease').map((o) => o.metadata.name);
    expect(prerequisites.length).toBeGreaterThan(0);
    for (const p of prerequisites) expect(closure(graph, layerNames[0])).toContain(p);
  });

  test('Argo CD layer Applications sync automatically with prune, self-heal, CreateNamespace and retries', () => {
    const layers = argo.filter(
      (a) => a.metadata.name.startsWith(`${REFERENCE_DEPLOYMENT.name}-`) && !a.metadata.name.endsWith('-delivery'),
    );
    expect(layers.length).toBeGreaterThanOrEqual(4);
    for (const a of layers) {
      expect(a.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(a.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
      expect(a.spec.syncPolicy.retry.limit).toBeGreaterThan(0);
      expect(a.spec.source).toEqual({
        repoURL: REFERENCE_DEPLOYMENT.gitops.repoUrl,
        targetRevision: 'main',
        path: expect.stringMatching(/^dist\/[0-9]{2}-[a-z]+$/),
      });
      expect(a.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io/foreground']);
      const folder = a.spec.source.path.replace(/^dist\//, '');
      expect(wave(a)).toBe(LAYERS.find((l) => l.folder === folder)!.syncWave);
    }
  });

  test('layers holding custom resources skip the dry run for missing CRDs; the others do not', () => {
    const monitoringApp = argo.find((a) => a.metadata.name === `${REFERENCE_DEPLOYMENT.name}-monitoring`);
    expect(monitoringApp.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
    const clusterApp = argo.find((a) => a.metadata.name === `${REFERENCE_DEPLOYMENT.name}-cluster`);
    if (clusterApp) expect(clusterApp.spec.syncPolicy.syncOptions).not.toContain('SkipDryRunOnMissingResource=true');
  });

  test('the root Application syncs the Argo CD delivery folder', () => {
    const root = argo.find((a) => a.metadata.name === `${REFERENCE_DEPLOYMENT.name}-delivery`);
    expect(root.spec.source.path).toBe('dist/delivery/argocd');
    expect(root.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test('Flux layer Kustomizations prune, wait for health and time out', () => {
    for (const k of flux.filter((o) => o.kind === 'Kustomization' && !o.metadata.name.endsWith('-delivery'))) {
      expect(k.spec).toEqual(
        expect.objectContaining({
          prune: true,
          wait: true,
          timeout: '5m',
          sourceRef: { kind: 'GitRepository', name: REFERENCE_DEPLOYMENT.name },
        }),
      );
      expect(k.spec.path).toMatch(/^\.\/dist\/[0-9]{2}-[a-z]+$/);
      expect(k.spec.dependsOn).toHaveLength(1);
    }
    const delivery = flux.find((o) => o.kind === 'Kustomization' && o.metadata.name.endsWith('-delivery'));
    expect(delivery.spec.path).toBe('./dist/delivery/flux');
    expect(delivery.spec.healthChecks.map((h: any) => h.name).sort()).toEqual([
      'cert-manager',
      'kube-prometheus-stack',
      'trust-manager',
    ]);
    const git = flux.find((o) => o.kind === 'GitRepository');
    expect(git.spec).toEqual(
      expect.objectContaining({ url: REFERENCE_DEPLOYMENT.gitops.repoUrl, ref: { branch: 'main' } }),
    );
  });

  test('prerequisites are pinned and configured as the stack needs them', () => {
    const releases = new Map(flux.filter((o) => o.kind === 'HelmRelease').map((o) => [o.metadata.name, o.spec]));
    expect(releases.get('cert-manager').chart.spec.version).toBe(PREREQUISITE_VERSIONS.certManager);
    expect(releases.get('cert-manager').values.crds.enabled).toBe(true);
    expect(releases.get('trust-manager').values.secretTargets.enabled).toBe(true);
    expect(releases.get('trust-manager').dependsOn).toEqual([{ name: 'cert-manager' }]);
    expect(releases.get('kube-prometheus-stack').chart.spec.version).toBe(PREREQUISITE_VERSIONS.kubePrometheusStack);
    for (const [, spec] of releases) expect(spec.chart.spec.version).toMatch(/^v?[0-9]+\.[0-9]+\.[0-9]+$/);
    const apps = new Map(argo.map((a) => [a.metadata.name, a]));
    expect(apps.get('cert-manager').spec.source.targetRevision).toBe(PREREQUISITE_VERSIONS.certManager);
    expect(apps.get('kube-prometheus-stack').spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  test('repository URL, revision and path come from config', () => {
    const config: EdgeDeploymentConfig = {
      ...REFERENCE_DEPLOYMENT,
      gitops: {
        ...REFERENCE_DEPLOYMENT.gitops,
        repoUrl: 'https://git.example.org/edge/manifests.git',
        revision: 'v1.4.0',
        path: './deploy/dist/',
      },
    };
    const objects = objectsOf(render(config)).map((o) => o.manifest as any);
    const git = objects.find((o) => o.kind === 'GitRepository');
    expect(git.spec.url).toBe('https://git.example.org/edge/manifests.git');
    expect(git.spec.ref).toEqual({ tag: 'v1.4.0' });
    const app =
      objects.find((o) => o.kind === 'Application' && o.metadata.name === `${config.name}-controller`) ??
      objects.find((o) => o.kind === 'Application' && o.metadata.name === `${config.name}-certificates`);
    expect(app.spec.source).toEqual(
      expect.objectContaining({ repoURL: 'https://git.example.org/edge/manifests.git', targetRevision: 'v1.4.0' }),
    );
    expect(app.spec.source.path).toMatch(/^deploy\/dist\/[0-9]{2}-/);
  });

  test('Argo CD or Flux can be switched off, and so can the prerequisites', () => {
    const noArgo = render({
      ...REFERENCE_DEPLOYMENT,
      gitops: { ...REFERENCE_DEPLOYMENT.gitops, argoCd: { ...REFERENCE_DEPLOYMENT.gitops.argoCd, enabled: false } },
    });
    expect([...noArgo.keys()].filter((k) => k.startsWith('delivery/argocd/'))).toEqual([]);
    const noPrereqs = objectsOf(
      render({
        ...REFERENCE_DEPLOYMENT,
        gitops: {
          ...REFERENCE_DEPLOYMENT.gitops,
          prerequisites: { certManager: false, trustManager: false, kubePrometheusStack: false },
        },
      }),
    );
    expect(noPrereqs.filter((o) => o.manifest.kind === 'HelmRelease')).toEqual([]);
    const delivery = noPrereqs.find(
      (o) => o.manifest.kind === 'Kustomization' && o.manifest.metadata.name.endsWith('-delivery'),
    )!.manifest as any;
    expect(delivery.spec.healthChecks).toBeUndefined();
  });

  test('rejects a monitoring selector that does not match the kube-prometheus-stack it installs', () => {
    const config: EdgeDeploymentConfig = {
      ...REFERENCE_DEPLOYMENT,
      monitoring: { ...REFERENCE_DEPLOYMENT.monitoring, prometheusSelectorLabels: { release: 'prom' } },
    };
    expect(() => render(config)).toThrow(ValidationError);
    expect(() => render(config)).toThrow(/monitoring\.prometheusSelectorLabels\.release/);
  });

  test('rejects a repository URL with credentials, without echoing them', () => {
    const config: EdgeDeploymentConfig = {
      ...REFERENCE_DEPLOYMENT,
      gitops: { ...REFERENCE_DEPLOYMENT.gitops, repoUrl: 'https://bot:s3cret@github.com/example/hospital-edge.git' },
    };
    expect(() => render(config)).toThrow(/gitops\.repoUrl.*credentials/);
    expect(() => render(config)).not.toThrow(/s3cret/);
  });
});

describe('dist/ layer folders', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'gitops-'));
    writeTree(work, tree);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('hold only Kubernetes objects and their kustomization.yaml', () => {
    for (const [path, content] of tree) {
      if (path === 'kustomization.yaml' || path.endsWith('/kustomization.yaml')) continue;
      expect(path).toMatch(/\.yaml$/);
      for (const doc of parseAllDocuments(content)) {
        const m = doc.toJS();
        expect({ path, apiVersion: typeof m.apiVersion, kind: typeof m.kind, name: typeof m.metadata?.name }).toEqual({
          path,
          apiVersion: 'string',
          kind: 'string',
          name: 'string',
        });
      }
    }
  });

  const folders = [
    ...new Set(
      [...tree.keys()]
        .filter((k) => k.endsWith('/kustomization.yaml'))
        .map((k) => k.replace(/\/kustomization\.yaml$/, '')),
    ),
  ].sort();
  test.each(folders)('kubectl kustomize %s builds every object of the folder', (folder) => {
    const out = execFileSync('kubectl', ['kustomize', join(work, folder)], { encoding: 'utf8' });
    const built = out.split(/^---$/m).filter((d) => d.trim()).length;
    expect(built).toBe(objectsOf(tree).filter((o) => o.file.startsWith(`${folder}/`)).length);
  });
});
