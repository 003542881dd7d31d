import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/kustomize.toolkit.fluxcd.io';
import { GitRepository } from '../../imports/source.toolkit.fluxcd.io';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { checkDnsLabel, invalid, PropsValidator, propsValidator } from '../core/validation';
import { DeliveredLayer } from './layers';
import { HelmPrerequisite, prerequisiteWaves } from './prerequisites';
import { checkRelativeFolder } from './checks';
import { checkGitSource, fluxRef, GitSource } from './source';

/** API version of Flux HelmReleases (helm-controller v1). */
export const HELM_RELEASE_API_VERSION = 'helm.toolkit.fluxcd.io/v2';
/** API version of Flux HelmRepositories (source-controller v1). */
export const HELM_REPOSITORY_API_VERSION = 'source.toolkit.fluxcd.io/v1';

/** Props of {@link FluxDelivery}. */
export interface FluxDeliveryProps extends GitSource {
  /** Prefix of the object names: GitRepository `<name>`, Kustomizations `<name>-delivery` and `<name>-<layer>`. */
  readonly name: string;
  /** Layers of `dist/` to deliver, in apply order. */
  readonly layers: readonly DeliveredLayer[];
  /**
   * Helm charts to install before the layers (HelmRepository + HelmRelease each).
   * @default []
   */
  readonly prerequisites?: readonly HelmPrerequisite[];
  /**
   * Namespace of the Flux controllers; all delivery objects live there.
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * Reconciliation interval of the Kustomizations and HelmReleases (Git is polled every minute).
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * How long a layer may take to become healthy before its Kustomization fails (and the next layers wait).
   * @default '5m'
   */
  readonly timeout?: string;
  /**
   * Folder of this construct's own manifests under the `dist/` path (what `<name>-delivery` applies).
   * @default 'delivery/flux'
   */
  readonly deliveryFolder?: string;
  /**
   * Labels and annotations added to every object of the delivery (GitRepository, Kustomizations, HelmRepositories,
   * HelmReleases).
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * Flux delivery of `dist/`: a GitRepository, a `<name>-delivery` Kustomization that applies the delivery folder
 * itself and is ready only when the prerequisite HelmReleases are, and one Kustomization per layer, each depending
 * on the previous one (the first on `<name>-delivery`), with prune, wait (health checks of every object) and a timeout.
 */
export class FluxDelivery extends Construct {
  /** The GitRepository `<name>` (polled every minute) that every Kustomization of this delivery reads. */
  public readonly gitRepository: ApiObject;
  /** The Kustomization applying the delivery folder (bootstrap target). */
  public readonly delivery: ApiObject;
  /** Kustomization per layer id. */
  public readonly layerKustomizations: ReadonlyMap<string, ApiObject>;
  /** HelmRelease per prerequisite name. */
  public readonly helmReleases: ReadonlyMap<string, ApiObject>;

  constructor(scope: Construct, id: string, props: FluxDeliveryProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'FluxDelivery');
    const source = v.check(() => checkGitSource(props));
    v.check(() => checkDnsLabel('name', props.name));
    const namespace = v.check(() => checkDnsLabel('namespace', props.namespace ?? 'flux-system'));
    const interval = v.check(() => checkFluxDuration('interval', props.interval ?? '10m'));
    const timeout = v.check(() => checkFluxDuration('timeout', props.timeout ?? '5m'));
    if (props.layers.length === 0) v.invalid('layers', props.layers, 'is empty', 'deliver at least one layer of dist/');
    const deliveryFolder = v.check(() =>
      checkRelativeFolder('deliveryFolder', props.deliveryFolder ?? 'delivery/flux'),
    );
    const prerequisites = props.prerequisites ?? [];
    v.check(() => prerequisiteWaves(prerequisites)); // validates names and dependencies
    // One value for every object (cdk8s copies the label and annotation maps of each object's metadata).
    const meta = v.check(() => mergeMetadata('metadata', props.metadata, { labels: {} }));
    const sourceRef = { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: props.name };

    this.gitRepository = new GitRepository(this, 'source', {
      metadata: { name: props.name, namespace, ...meta },
      spec: { url: source.repoUrl, ref: fluxRef(source.revision), interval: '1m' },
    });

    const releases = new Map<string, ApiObject>();
    const repositories = new Map<string, string>();
    for (const p of prerequisites) {
      const known = repositories.get(p.repoName);
      if (known !== undefined && known !== p.repoUrl)
        v.invalid(
          `prerequisites[${prerequisites.indexOf(p)}].repoName`,
          p.repoName,
          `names two repositories (${known} and ${p.repoUrl})`,
          'give each Helm repository URL its own name',
        );
      if (known === undefined) {
        repositories.set(p.repoName, p.repoUrl);
        new ApiObject(this, `repository-${p.repoName}`, {
          apiVersion: HELM_REPOSITORY_API_VERSION,
          kind: 'HelmRepository',
          metadata: { name: p.repoName, namespace, ...meta },
          spec: { url: p.repoUrl, interval: '1h' },
        });
      }
      releases.set(
        p.name,
        new ApiObject(this, `release-${p.name}`, {
          apiVersion: HELM_RELEASE_API_VERSION,
          kind: 'HelmRelease',
          metadata: { name: p.name, namespace, ...meta },
          spec: {
            releaseName: p.name,
            targetNamespace: p.namespace,
            interval,
            timeout: '10m',
            chart: {
              spec: {
                chart: p.chart,
                version: p.version,
                sourceRef: { kind: 'HelmRepository', name: p.repoName },
                interval: '1h',
              },
            },
            install: { createNamespace: true, crds: 'CreateReplace', remediation: { retries: 3 } },
            upgrade: { crds: 'CreateReplace', remediation: { retries: 3 } },
            ...(p.dependsOn.length > 0 ? { dependsOn: p.dependsOn.map((name) => ({ name })) } : {}),
            values: p.values,
          },
        }),
      );
    }
    this.helmReleases = releases;

    this.delivery = new Kustomization(this, 'delivery', {
      metadata: { name: `${props.name}-delivery`, namespace, ...meta },
      spec: {
        interval,
        path: `./${source.path}/${deliveryFolder}`,
        prune: true,
        sourceRef,
        timeout: '15m',
        ...(prerequisites.length > 0
          ? {
              healthChecks: prerequisites.map((p) => ({
                apiVersion: HELM_RELEASE_API_VERSION,
                kind: 'HelmRelease',
                name: p.name,
                namespace,
              })),
            }
          : {}),
      },
    });

    const layers = new Map<string, ApiObject>();
    let previous = `${props.name}-delivery`;
    for (const layer of props.layers) {
      const name = `${props.name}-${layer.id}`;
      layers.set(
        layer.id,
        new Kustomization(this, `layer-${layer.id}`, {
          metadata: { name, namespace, ...meta },
          spec: {
            interval,
            retryInterval: '1m',
            timeout,
            path: `./${source.path}/${layer.folder}`,
            prune: true,
            wait: true,
            sourceRef,
            dependsOn: [{ name: previous }],
          },
        }),
      );
      previous = name;
    }
    this.layerKustomizations = layers;
  }
}

function checkFluxDuration(field: string, value: string): string {
  if (!/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/.test(value))
    invalid(field, value, 'is not a Go duration', 'use a duration such as "1m", "10m" or "1h"');
  return value;
}
