import { App } from 'cdk8s';
import { addDeliveryCharts, trustManagerFor } from '../delivery';
import { deliveredLayers } from '../../gitops/layers';
import { certManagerPrerequisite, HelmPrerequisite } from '../../gitops/prerequisites';
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
  const prerequisites: HelmPrerequisite[] = [];
  if (gitops.prerequisites.certManager) prerequisites.push(certManagerPrerequisite({ gatewayApi: true }));
  if (gitops.prerequisites.trustManager) prerequisites.push(trustManagerFor(objects, config.mtls.clientNamespace));
  addDeliveryCharts(app, gitops, {
    name: `${config.name}-envoy-gateway`,
    path: ENVOY_GATEWAY_DIST_PATH,
    layers: deliveredLayers(objects),
    prerequisites,
  });
}
