import { App } from 'cdk8s';
import { withFieldPaths } from '../../core/validation';
import { deliveryConfigPaths } from '../delivery';
import { ArgoCdDelivery } from '../../gitops/argocd';
import { FluxDelivery } from '../../gitops/flux';
import { deliveredLayers } from '../../gitops/layers';
import { certManagerPrerequisite, HelmPrerequisite, trustManagerPrerequisite } from '../../gitops/prerequisites';
import { DeliveryChart } from '../../synth/layers';
import { inventoryObjects } from '../../synth/render';
import { ENVOY_GATEWAY_DIST_PATH, EnvoyGatewayDeploymentConfig } from './config';

/**
 * The Argo CD / Flux delivery of the Envoy Gateway rendering: the same layer order as dist/, read from
 * `examples/envoy-gateway/dist`, and the prerequisites cert-manager (with Gateway API support) and trust-manager.
 * Envoy Gateway itself (Helm chart `oci://docker.io/envoyproxy/gateway-helm` v1.9.0, which also installs the
 * Gateway API v1.6.1 CRDs) is published only as an OCI chart, which the delivery constructs do not render yet
 * (lib/gitops/argocd.ts and flux.ts take HTTPS Helm repositories): install it first (docs/envoy-gateway.md).
 */
export function addGatewayDelivery(app: App, config: EnvoyGatewayDeploymentConfig): void {
  const { gitops } = config;
  const objects = inventoryObjects(app);
  const layers = deliveredLayers(objects);
  const prerequisites: HelmPrerequisite[] = [];
  if (gitops.prerequisites.certManager) prerequisites.push(certManagerPrerequisite({ gatewayApi: true }));
  if (gitops.prerequisites.trustManager) {
    const bundleSecrets = objects
      .filter((o) => o.manifest.apiVersion.startsWith('trust.cert-manager.io/') && o.manifest.kind === 'Bundle')
      .map((o) => o.manifest.metadata.name);
    prerequisites.push(
      trustManagerPrerequisite({
        authorizedSecrets: [...new Set(bundleSecrets)],
        trustNamespace: config.mtls.clientNamespace,
      }),
    );
  }
  const common = {
    name: `${config.name}-envoy-gateway`,
    repoUrl: gitops.repoUrl,
    revision: gitops.revision,
    path: ENVOY_GATEWAY_DIST_PATH,
    layers,
    prerequisites,
  };
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
