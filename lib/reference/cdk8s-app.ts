import { App } from 'cdk8s';
import { LayerChart } from '../synth/layers';
import { EdgeDeploymentConfig } from './config';
import { addController } from './controller';
import { addCertificates } from './certificates';
import { addApps } from './apps';
import { addMonitoring } from './monitoring';
import { addDelivery } from './delivery';
import { dataPlaneOf, instanceOf } from './intent';
import { invalid } from '../core/validation';

/**
 * Builds the cdk8s app of a deployment whose `dataPlane` is ingress-nginx: one chart per `dist/` layer. Construct ids
 * are kebab-case and name no object (every object name is explicit; test/reference/construct-ids.test.ts), but they
 * are construct paths users and error messages refer to: keep them stable.
 */
export function buildEdgeApp(config: EdgeDeploymentConfig): App {
  const app = new App();
  addEdge(app, config);
  addDelivery(app, config);
  return app;
}

/**
 * Builds one cdk8s app with several ingress-nginx edges for one cluster (e.g. `public` and `internal`), each from its
 * own config with its own `instance`, namespaces and names (see `EdgeDeploymentConfig.instance`). The GitOps
 * delivery, one for the whole output, follows the first config's `gitops` section. Synth refuses two objects with
 * the same kind, namespace and name, naming both construct paths.
 */
export function buildMultiEdgeApp(configs: readonly EdgeDeploymentConfig[]): App {
  if (!Array.isArray(configs) || configs.length === 0)
    invalid('configs', configs, 'is empty', 'give at least one deployment config');
  const instances = new Map<string, number>();
  configs.forEach((config, i) => {
    const instance = instanceOf(config) ?? '';
    const first = instances.get(instance);
    if (first !== undefined) {
      invalid(
        `configs[${i}].instance`,
        config.instance,
        `is also the instance of configs[${first}]`,
        'give every edge of the cluster its own instance name, e.g. "public" and "internal"',
      );
    }
    instances.set(instance, i);
  });
  const app = new App();
  for (const config of configs) addEdge(app, config);
  addDelivery(app, configs[0]);
  return app;
}

/**
 * Adds the layer charts of one ingress-nginx edge (controller, certificates, apps, monitoring) to `app`, without the
 * GitOps delivery (one delivery covers every layer of an app: call `addDelivery` once, after the last edge). Chart
 * ids are prefixed with `<instance>-` when the config names one, so several edges (each with its own `instance`,
 * namespaces and names) fit in one app and one cluster.
 */
export function addEdge(app: App, config: EdgeDeploymentConfig): void {
  const dataPlane = dataPlaneOf(config);
  if (dataPlane !== 'ingress-nginx') {
    invalid(
      'dataPlane',
      dataPlane,
      'is not what buildEdgeApp renders (ingress-nginx v1.15.1 + ModSecurity)',
      'build this config with the Envoy Gateway renderer (lib/envoy-gateway), or set dataPlane: "ingress-nginx"',
    );
  }
  const instance = instanceOf(config);
  const id = (layer: string): string => (instance === undefined ? layer : `${instance}-${layer}`);
  addController(new LayerChart(app, id('controller'), { layer: 'controller' }), config);
  const clientCa = addCertificates(new LayerChart(app, id('certificates'), { layer: 'certificates' }), config);
  addApps(new LayerChart(app, id('apps'), { layer: 'apps' }), config, clientCa);
  if (config.monitoring.enabled) addMonitoring(new LayerChart(app, id('monitoring'), { layer: 'monitoring' }), config);
}
