import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Application } from '../../imports/argoproj.io';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { checkDnsLabel, checkDnsSubdomain, checkUrl, PropsValidator, propsValidator } from '../core/validation';
import { DeliveredLayer } from './layers';
import { HelmPrerequisite, prerequisiteWaves } from './prerequisites';
import { checkRelativeFolder } from './checks';
import { checkGitSource, GitSource } from './source';

/** Annotation that orders the Applications within the sync of the root Application. */
export const ARGO_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/**
 * Finalizer that makes deleting a layer Application delete (prune) its objects, foreground cascade. The path form:
 * Kubernetes 1.36 warns on finalizer names without a path ("prefer a domain-qualified finalizer name including a
 * path", seen by `npm run verify:cluster`); Argo CD treats it as the bare name
 * (ForegroundPropagationPolicyFinalizer in argo-cd pkg/apis/application/v1alpha1).
 */
export const ARGO_RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io/foreground';

/** Props of {@link ArgoCdDelivery}. */
export interface ArgoCdDeliveryProps extends GitSource {
  /** Prefix of the Application names: `<name>-delivery` (root) and `<name>-<layer>`. */
  readonly name: string;
  /** Layers of `dist/` to deliver, in apply order. */
  readonly layers: readonly DeliveredLayer[];
  /**
   * Helm charts to install before the layers.
   * @default []
   */
  readonly prerequisites?: readonly HelmPrerequisite[];
  /**
   * Namespace Argo CD runs in; the Applications live there.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Argo CD project of the Applications.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * API server of the target cluster.
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly destinationServer?: string;
  /**
   * Folder of this construct's own manifests under the `dist/` path (what the root Application syncs).
   * @default 'delivery/argocd'
   */
  readonly deliveryFolder?: string;
  /**
   * Labels and annotations added to every Application of the delivery (root, prerequisites, layers). The sync-wave
   * annotation (`argocd.argoproj.io/sync-wave`) is the construct's and cannot be overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * Argo CD delivery of `dist/` ("app of apps"): a root Application syncing the delivery folder, which holds one
 * Application per prerequisite (Helm chart, negative sync waves) and one per layer (sync wave of the layer), each with
 * automated sync, prune, self-heal, CreateNamespace and retries; layers with custom resources also get
 * `SkipDryRunOnMissingResource`. The root Application applies the children wave by wave.
 */
export class ArgoCdDelivery extends Construct {
  /** The root Application (apply it once; it manages the others, itself included). */
  public readonly root: ApiObject;
  /** Application per layer id. */
  public readonly layerApplications: ReadonlyMap<string, ApiObject>;
  /** Application per prerequisite name. */
  public readonly prerequisiteApplications: ReadonlyMap<string, ApiObject>;

  constructor(scope: Construct, id: string, props: ArgoCdDeliveryProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'ArgoCdDelivery');
    const source = v.check(() => checkGitSource(props));
    v.check(() => checkDnsLabel('name', props.name));
    const namespace = v.check(() => checkDnsLabel('namespace', props.namespace ?? 'argocd'));
    const project = v.check(() => checkDnsSubdomain('project', props.project ?? 'default'));
    const server = props.destinationServer ?? 'https://kubernetes.default.svc';
    if (typeof server !== 'string' || !server.startsWith('https://'))
      v.invalid(
        'destinationServer',
        server,
        'is not an https URL of a Kubernetes API server',
        'use https://kubernetes.default.svc for the cluster Argo CD runs in',
      );
    v.check(() =>
      checkUrl('destinationServer', server, {
        schemes: ['https'],
        example:
          'https://kubernetes.default.svc (the cluster Argo CD runs in) or the API server URL of a registered cluster',
      }),
    );
    if (props.layers.length === 0) v.invalid('layers', props.layers, 'is empty', 'deliver at least one layer of dist/');
    const deliveryFolder = v.check(() =>
      checkRelativeFolder('deliveryFolder', props.deliveryFolder ?? 'delivery/argocd'),
    );
    const prerequisites = props.prerequisites ?? [];
    const waves = v.check(() => prerequisiteWaves(prerequisites));
    // The user's metadata goes to every Application; the sync wave is ours on all of them (the root's included).
    v.check(() => mergeMetadata('metadata', props.metadata, { labels: {}, annotations: { [ARGO_SYNC_WAVE]: '0' } }));
    const meta = (annotations?: Record<string, string>) =>
      v.check(() => mergeMetadata('metadata', props.metadata, { labels: {}, annotations }));
    const retry = { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } };

    this.root = new Application(this, 'root', {
      metadata: { name: `${props.name}-delivery`, namespace, ...meta() },
      spec: {
        project,
        source: { repoUrl: source.repoUrl, targetRevision: source.revision, path: `${source.path}/${deliveryFolder}` },
        destination: { server, namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'], retry },
      },
    });

    const prereqApps = new Map<string, ApiObject>();
    for (const p of prerequisites) {
      prereqApps.set(
        p.name,
        new Application(this, `prerequisite-${p.name}`, {
          metadata: { name: p.name, namespace, ...meta({ [ARGO_SYNC_WAVE]: String(waves.get(p.name)) }) },
          spec: {
            project,
            source: {
              repoUrl: p.repoUrl,
              chart: p.chart,
              targetRevision: p.version,
              helm: { releaseName: p.name, valuesObject: p.values },
            },
            destination: { server, namespace: p.namespace },
            syncPolicy: {
              automated: { prune: true, selfHeal: true },
              syncOptions: ['CreateNamespace=true', ...(p.serverSideApply ? ['ServerSideApply=true'] : [])],
              retry,
            },
          },
        }),
      );
    }
    this.prerequisiteApplications = prereqApps;

    const layerApps = new Map<string, ApiObject>();
    for (const layer of props.layers) {
      if (!(layer.syncWave >= 0))
        v.invalid(
          `layers.${layer.id}.syncWave`,
          layer.syncWave,
          'is negative, so the layer would sync before the prerequisites',
          'layers use waves 0 and above',
        );
      layerApps.set(
        layer.id,
        new Application(this, `layer-${layer.id}`, {
          metadata: {
            name: `${props.name}-${layer.id}`,
            namespace,
            ...meta({ [ARGO_SYNC_WAVE]: String(layer.syncWave) }),
            finalizers: [ARGO_RESOURCES_FINALIZER],
          },
          spec: {
            project,
            source: {
              repoUrl: source.repoUrl,
              targetRevision: source.revision,
              path: `${source.path}/${layer.folder}`,
            },
            destination: { server, ...(layer.namespaces[0] ? { namespace: layer.namespaces[0] } : {}) },
            syncPolicy: {
              automated: { prune: true, selfHeal: true },
              syncOptions: [
                'CreateNamespace=true',
                ...(layer.customResources ? ['SkipDryRunOnMissingResource=true'] : []),
              ],
              retry,
            },
          },
        }),
      );
    }
    this.layerApplications = layerApps;
  }
}
