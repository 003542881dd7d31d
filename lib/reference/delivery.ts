import { App } from 'cdk8s';
import { invalid, withFieldPaths } from '../core/validation';
import { ArgoCdDelivery } from '../gitops/argocd';
import { FluxDelivery } from '../gitops/flux';
import { deliveredLayers } from '../gitops/layers';
import {
  certManagerPrerequisite,
  HelmPrerequisite,
  KUBE_PROMETHEUS_STACK_RELEASE,
  kubePrometheusStackPrerequisite,
  trustManagerPrerequisite,
} from '../gitops/prerequisites';
import { DeliveryChart } from '../synth/layers';
import { inventoryObjects } from '../synth/render';
import { EdgeDeploymentConfig } from './config';

/**
 * Adds the GitOps delivery manifests of the reference deployment (dist/delivery/argocd and dist/delivery/flux).
 * Call it after every layer chart exists: it delivers exactly the layers that hold objects, skips the dry run only
 * where a layer holds custom resources, and authorises trust-manager to write the Secrets that the layers' Bundles
 * target.
 */
export function addDelivery(app: App, config: EdgeDeploymentConfig): void {
  const { gitops, monitoring } = config;
  // Read what exists from the construct tree instead of rendering the whole app here and again at synth.
  const objects = inventoryObjects(app);
  const layers = deliveredLayers(objects);

  const prerequisites: HelmPrerequisite[] = [];
  if (gitops.prerequisites.certManager) prerequisites.push(certManagerPrerequisite());
  if (gitops.prerequisites.trustManager) {
    prerequisites.push(trustManagerFor(objects, config.mtls.clientNamespace));
  }
  if (gitops.prerequisites.kubePrometheusStack && monitoring.enabled) {
    const release = monitoring.prometheusSelectorLabels.release;
    if (release !== KUBE_PROMETHEUS_STACK_RELEASE) {
      invalid(
        'monitoring.prometheusSelectorLabels.release',
        release,
        `does not match the kube-prometheus-stack release installed as a prerequisite ("${KUBE_PROMETHEUS_STACK_RELEASE}"), so Prometheus would ignore the ServiceMonitor and alerts`,
        `set release: "${KUBE_PROMETHEUS_STACK_RELEASE}", or set gitops.prerequisites.kubePrometheusStack to false when you run your own`,
      );
    }
    prerequisites.push(kubePrometheusStackPrerequisite());
  }

  addDeliveryCharts(app, gitops, { name: config.name, path: gitops.path, layers, prerequisites });
}

/**
 * The trust-manager prerequisite, authorised to write the Secrets that the app's Bundles target. trust-manager reads
 * Bundle sources only from its trust namespace: the managed client CA's namespace.
 */
export function trustManagerFor(
  objects: ReturnType<typeof inventoryObjects>,
  trustNamespace: string,
): HelmPrerequisite {
  const bundleSecrets = objects
    .filter((o) => o.manifest.apiVersion.startsWith('trust.cert-manager.io/') && o.manifest.kind === 'Bundle')
    .filter(
      (o) => (o.apiObject.toJson() as { spec?: { target?: { secret?: unknown } } }).spec?.target?.secret !== undefined,
    )
    .map((o) => o.manifest.metadata.name);
  return trustManagerPrerequisite({ authorizedSecrets: [...new Set(bundleSecrets)], trustNamespace });
}

/**
 * The Argo CD and Flux delivery charts (`delivery-argocd`, `delivery-flux`) that the `gitops` section turns on, for
 * the rendering at `what.path`; their errors name the `gitops.*` config paths.
 */
export function addDeliveryCharts(
  app: App,
  gitops: EdgeDeploymentConfig['gitops'],
  what: {
    readonly name: string;
    readonly path: string;
    readonly layers: ReturnType<typeof deliveredLayers>;
    readonly prerequisites: HelmPrerequisite[];
  },
): void {
  const common = { ...what, repoUrl: gitops.repoUrl, revision: gitops.revision };
  if (gitops.argoCd.enabled) {
    withFieldPaths(
      deliveryConfigPaths('argoCd'),
      () =>
        new ArgoCdDelivery(new DeliveryChart(app, 'delivery-argocd', { folder: 'delivery-argocd' }), 'argocd', {
          ...common,
          namespace: gitops.argoCd.namespace,
          project: gitops.argoCd.project,
        }),
    );
  }
  if (gitops.flux.enabled) {
    withFieldPaths(
      deliveryConfigPaths('flux'),
      () =>
        new FluxDelivery(new DeliveryChart(app, 'delivery-flux', { folder: 'delivery-flux' }), 'flux', {
          ...common,
          namespace: gitops.flux.namespace,
        }),
    );
  }
}

/** The config path of each ArgoCdDelivery / FluxDelivery prop set from the `gitops` section. */
export function deliveryConfigPaths(tool: 'argoCd' | 'flux'): Readonly<Record<string, string>> {
  return {
    repoUrl: 'gitops.repoUrl',
    revision: 'gitops.revision',
    path: 'gitops.path',
    prerequisites: 'gitops.prerequisites',
    namespace: `gitops.${tool}.namespace`,
    project: `gitops.${tool}.project`,
  };
}
