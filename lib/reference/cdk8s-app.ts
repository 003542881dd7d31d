import { App } from 'cdk8s';
import { LayerChart } from '../synth/layers';
import { EdgeDeploymentConfig } from './config';
import { addController } from './controller';
import { addCertificates } from './certificates';
import { addApps } from './apps';
import { addMonitoring } from './monitoring';
import { addDelivery } from './delivery';
import { dataPlaneOf } from './intent';
import { invalid } from '../core/validation';

/**
 * Builds the cdk8s app of a deployment whose `dataPlane` is ingress-nginx: one chart per `dist/` layer. Construct ids are part of the contract:
 * they become object names, so keep them stable.
 */
export function buildEdgeApp(config: EdgeDeploymentConfig): App {
  const dataPlane = dataPlaneOf(config);
  if (dataPlane !== 'ingress-nginx') {
    invalid('dataPlane', dataPlane, 'is not what buildEdgeApp renders (ingress-nginx v1.15.1 + ModSecurity)', 'build this config with the Envoy Gateway renderer (lib/envoy-gateway), or set dataPlane: "ingress-nginx"');
  }
  const app = new App();
  addController(new LayerChart(app, 'controller', { layer: 'controller' }), config);
  addCertificates(new LayerChart(app, 'certificates', { layer: 'certificates' }), config);
  addApps(new LayerChart(app, 'apps', { layer: 'apps' }), config);
  if (config.monitoring.enabled) addMonitoring(new LayerChart(app, 'monitoring', { layer: 'monitoring' }), config);
  addDelivery(app, config);
  return app;
}
