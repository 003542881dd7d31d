import { ApiObject, App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { synthesizeCharts } from './synth-charts';
import { toYamlDocument } from './yaml';
import { invalid } from '../core/validation';
import {
  CLUSTER_LAYER_KINDS,
  DELIVERY_FOLDERS,
  DeliveryChart,
  DeliveryFolder,
  LAYERS,
  Layer,
  LayerChart,
  layerById,
} from './layers';

/** One Kubernetes object as it will be written to `dist/`: in an applied layer, or in a delivery folder. */
export interface RenderedObject {
  /** The layer (or delivery folder) the object is written to. */
  readonly layer: Layer | DeliveryFolder;
  /** File name inside the layer folder, stable across runs: `[<namespace>_]<kind>_<name>.yaml`. */
  readonly fileName: string;
  /** The resolved object, with the layer's sync wave stamped. */
  readonly manifest: KubeManifest;
}

/** A resolved Kubernetes object as plain JSON. */
export interface KubeManifest {
  /** API group and version, e.g. `apps/v1`. */
  apiVersion: string;
  /** Kind, e.g. `Deployment`. */
  kind: string;
  /** The object's metadata (the fields this library reads; others pass through). */
  metadata: {
    /** Object name. */
    name: string;
    /** Namespace; absent for cluster-scoped objects. */
    namespace?: string;
    /** Annotations. */
    annotations?: Record<string, string>;
    /** Labels. */
    labels?: Record<string, string>;
  };
  [key: string]: unknown;
}

/** All files of a rendered `dist/`: path relative to `dist/` → content. */
export type RenderedTree = Map<string, string>;

/** The Argo CD annotation that orders objects by layer (0, 10, 20, 30, 40). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Resolves every chart of the app into objects, assigns each to its layer, stamps the layer's Argo CD sync wave
 * and checks what must never reach a GitOps repository (private keys, duplicate objects).
 */
export function renderObjects(app: App): RenderedObject[] {
  const objects: RenderedObject[] = [];
  const seen = new Map<string, string>();
  const identities = new Map<string, string>();
  for (const { chart, manifests, objects: apiObjects } of synthesizeCharts(app)) {
    const chartLayer = chartLayerOf(chart);
    for (const [i, raw] of (manifests as KubeManifest[]).entries()) {
      const manifest = raw;
      const { kind, metadata } = manifest;
      if (!kind || !metadata?.name)
        throw new Error(
          `chart ${chart.node.path}: an object without kind or metadata.name: ${JSON.stringify(raw).slice(0, 200)}`,
        );
      const layer = objectLayer(chartLayer, kind);
      if ('syncWave' in layer)
        metadata.annotations = { ...(metadata.annotations ?? {}), [SYNC_WAVE_ANNOTATION]: String(layer.syncWave) };
      const fileName = `${metadata.namespace ? `${metadata.namespace}_` : ''}${kind.toLowerCase()}_${metadata.name}.yaml`;
      const key = `${layer.folder}/${fileName}`;
      const identity = `${manifest.apiVersion}/${kind} ${metadata.namespace ?? ''}/${metadata.name}`;
      checkUniqueObject(identities, manifest, apiObjects[i].node.path);
      if (seen.has(key))
        throw new Error(
          `two objects would be written to dist/${key}: ${seen.get(key)} and ${identity}; give them distinct names`,
        );
      seen.set(key, identity);
      objects.push({ layer, fileName, manifest });
    }
  }
  return objects;
}

/**
 * Refuses a second object with the kind, API group, namespace and name of one already rendered (in any chart or
 * layer): the cluster would hold one of them, and which one depends on apply order. The error names both construct
 * paths, e.g. two edges in one app whose controllers both use upstream's cluster-scoped names.
 */
function checkUniqueObject(identities: Map<string, string>, manifest: KubeManifest, path: string): void {
  const group = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.slice(0, manifest.apiVersion.lastIndexOf('/'))
    : '';
  const id = `${manifest.kind}${group ? `.${group}` : ''} ${manifest.metadata.namespace ? `${manifest.metadata.namespace}/` : ''}${manifest.metadata.name}`;
  const first = identities.get(id);
  if (first !== undefined) {
    invalid(
      path,
      id,
      `is also the object of ${first}; one cluster would hold only one of them`,
      'give one of them another name or namespace (two edges in one cluster: give the second its own instance name, namespaces and names)',
    );
  }
  identities.set(id, path);
}

/** The folder of an object: its chart's layer, except that cluster-scoped kinds go to the cluster layer. */
function objectLayer(chartLayer: Layer | DeliveryFolder, kind: string): Layer | DeliveryFolder {
  return 'syncWave' in chartLayer && CLUSTER_LAYER_KINDS.has(kind) ? layerById('cluster') : chartLayer;
}

/**
 * What {@link renderObjects} will write, read from the construct tree WITHOUT resolving it: each ApiObject's layer,
 * apiVersion, kind, name and namespace (objects of one chart in tree order, charts in the app's order). For steps
 * that must know which objects exist before the app is complete (the GitOps delivery charts), so that the app is
 * resolved and validated once, at synth, instead of once more per such step. Bodies are not resolved: call
 * {@link renderObjects} for them. JSON patches (`ApiObject.addJsonPatch`) on these identity fields are not seen.
 */
export function inventoryObjects(app: App): InventoriedObject[] {
  const out: InventoriedObject[] = [];
  for (const chart of app.charts) {
    const chartLayer = chartLayerOf(chart);
    for (const c of chart.node.findAll()) {
      if (!(c instanceof ApiObject) || Chart.of(c) !== chart) continue;
      const layer = objectLayer(chartLayer, c.kind);
      const { namespace } = c.metadata;
      out.push({
        layer,
        apiObject: c,
        manifest: {
          apiVersion: c.apiVersion,
          kind: c.kind,
          metadata: { name: c.name, ...(namespace ? { namespace } : {}) },
        },
      });
    }
  }
  return out;
}

/** An object found by {@link inventoryObjects}: its layer, identity fields, and the ApiObject to resolve if needed. */
export interface InventoriedObject {
  readonly layer: Layer | DeliveryFolder;
  readonly apiObject: ApiObject;
  readonly manifest: Pick<KubeManifest, 'apiVersion' | 'kind' | 'metadata'>;
}

function chartLayerOf(chart: Chart): Layer | DeliveryFolder {
  const layer = (chart as Partial<LayerChart>).layer ?? (chart as Partial<DeliveryChart>).delivery;
  if (layer) return layer;
  throw new Error(
    `chart ${chart.node.path} is neither a LayerChart nor a DeliveryChart: create it with new LayerChart(app, id, { layer }) so its objects get a dist/ folder`,
  );
}

/** Renders objects into files: one YAML file per object, a kustomization.yaml per layer and one at the root. */
export function renderTree(objects: readonly RenderedObject[]): RenderedTree {
  const tree: RenderedTree = new Map();
  const root: string[] = [];
  for (const layer of LAYERS) {
    const inLayer = objects.filter((o) => o.layer.id === layer.id);
    if (inLayer.length === 0) continue;
    root.push(layer.folder);
    for (const o of inLayer) tree.set(`${layer.folder}/${o.fileName}`, toYaml(o.manifest));
    tree.set(
      `${layer.folder}/kustomization.yaml`,
      kustomization(
        `Layer ${layer.folder}: ${layer.description}.`,
        inLayer.map((o) => o.fileName),
      ),
    );
  }
  tree.set(
    'kustomization.yaml',
    kustomization('Generated by `npm run synth`; do not edit. Layers in apply order.', root),
  );
  for (const folder of DELIVERY_FOLDERS) {
    const inFolder = objects.filter((o) => o.layer.id === folder.id);
    if (inFolder.length === 0) continue;
    for (const o of inFolder) tree.set(`${folder.folder}/${o.fileName}`, toYaml(o.manifest));
    tree.set(
      `${folder.folder}/kustomization.yaml`,
      kustomization(
        `${folder.description}; apply once to bootstrap delivery (not part of the layers).`,
        inFolder.map((o) => o.fileName),
      ),
    );
  }
  return tree;
}

export function toYaml(manifest: unknown): string {
  // YAML 1.1 output quotes strings that YAML 1.1 readers (kubectl/sigs.k8s.io/yaml, go-yaml v2) would take for
  // booleans, e.g. the annotation value `on` of auth-tls-verify-client; unquoted it fails `kubectl apply`.
  // toYamlDocument writes exactly what yaml's stringify writes with these options, ~10x faster (see ./yaml.ts).
  return toYamlDocument(manifest);
}

function kustomization(comment: string, resources: string[]): string {
  const body = stringify(
    { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources },
    { lineWidth: 0 },
  );
  return `# ${comment}\n${body}`;
}

/** Refuses to write anything that looks like private key material into a GitOps repository. */
export function assertNoPrivateKeys(tree: RenderedTree): void {
  for (const [path, content] of tree) {
    if (/-{5}BEGIN [A-Z ]*PRIVATE KEY-{5}/.test(content)) {
      throw new Error(
        `dist/${path} would contain a PEM private key; private keys never belong in dist/ (GitOps repositories are widely readable). Remove the key from the input; give only certificates.`,
      );
    }
  }
}
