import { App } from 'cdk8s';
import { invalid } from '../../core/validation';
import { dataPlaneOf } from '../intent';
import { LayerChart } from '../../synth/layers';
import { REFERENCE_DEPLOYMENT } from '../config';
import { EnvoyGatewayDeploymentConfig, REFERENCE_ENVOY_GATEWAY } from './config';
import { addGatewayDelivery } from './delivery';
import { addGatewayAppsLayer, addGatewayCertificatesLayer, addGatewayControllerLayer } from './layers';

/** The reference deployment rendered for Envoy Gateway: the same intent as dist/, the Envoy Gateway section added. */
export const REFERENCE_ENVOY_GATEWAY_DEPLOYMENT: EnvoyGatewayDeploymentConfig = {
  ...REFERENCE_DEPLOYMENT,
  dataPlane: 'envoy-gateway',
  envoyGateway: REFERENCE_ENVOY_GATEWAY,
};

/**
 * Builds the cdk8s app of a deployment on Envoy Gateway v1.9: the layers of dist/ (controller: Gateway and
 * EnvoyProxy; certificates: gateway HTTP-01 ClusterIssuers and the client CA; apps: echo app, HTTPRoutes,
 * SecurityPolicy, Coraza EnvoyExtensionPolicies) and its own delivery. The monitoring layer is not rendered for
 * Envoy Gateway yet (its ServiceMonitor, alerts and dashboard read ingress-nginx metrics and ModSecurity logs).
 * Construct ids are kebab-case construct paths (no object name derives from them): keep them stable.
 */
export function buildEnvoyGatewayApp(config: EnvoyGatewayDeploymentConfig = REFERENCE_ENVOY_GATEWAY_DEPLOYMENT): App {
  const dataPlane = dataPlaneOf(config);
  if (dataPlane !== 'envoy-gateway') {
    invalid(
      'dataPlane',
      dataPlane,
      'is not what buildEnvoyGatewayApp renders (Envoy Gateway v1.9 + Coraza)',
      'build this config with buildEdgeApp (ingress-nginx), or set dataPlane: "envoy-gateway"',
    );
  }
  if (!config.envoyGateway)
    invalid(
      'envoyGateway',
      config.envoyGateway,
      'is missing',
      'add an envoyGateway section (namespace, gatewayClassName, corazaModule), e.g. REFERENCE_ENVOY_GATEWAY',
    );
  const app = new App();
  addGatewayControllerLayer(new LayerChart(app, 'controller', { layer: 'controller' }), config);
  addGatewayCertificatesLayer(new LayerChart(app, 'certificates', { layer: 'certificates' }), config);
  addGatewayAppsLayer(new LayerChart(app, 'apps', { layer: 'apps' }), config);
  addGatewayDelivery(app, config);
  return app;
}
