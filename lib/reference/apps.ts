import { Chart } from 'cdk8s';
import { KubeNamespace } from '../core/kube';
import { EchoApp } from '../apps/echo-app';
import { standardLabels } from '../core/labels';
import type { IClientCa } from '../mtls/client-ca';
import { clientCaOf } from './certificates';
import { EdgeDeploymentConfig } from './config';
import { addIngressNginxRoutes } from './ingress-nginx';
import { edgeIntentOf } from './intent';
import { withFieldPaths } from '../core/validation';

/**
 * Adds the apps layer of the reference deployment: the app namespace, the echo app, and one MtlsIngress per host of
 * the edge intent (`app.hosts`; server certificate from Let's Encrypt, client certificates from the client CA,
 * allow-list of `config.mtls.allowedClients`), trusting `clientCa` (default: the app's first client CA).
 */
export function addApps(chart: Chart, config: EdgeDeploymentConfig, clientCa: IClientCa = clientCaOf(chart)): void {
  const { app } = config;
  const intent = edgeIntentOf(config);
  new KubeNamespace(chart, 'namespace', {
    metadata: {
      name: app.namespace,
      labels: { ...standardLabels(app.namespace, 'app-namespace'), 'pod-security.kubernetes.io/enforce': 'restricted' },
    },
  });
  withFieldPaths(
    ECHO_APP_CONFIG_PATHS,
    () =>
      new EchoApp(chart, 'echo', {
        name: app.name,
        namespace: app.namespace,
        replicas: app.replicas,
        ingressController: { namespace: config.controller.namespace },
      }),
  );
  addIngressNginxRoutes(chart, intent, { ingressClassName: config.controller.ingressClassName, clientCa });
}

/** The config path of each EchoApp prop the reference deployment sets from the config (both data planes). */
export const ECHO_APP_CONFIG_PATHS: Readonly<Record<string, string>> = {
  name: 'app.name',
  namespace: 'app.namespace',
  replicas: 'app.replicas',
  'ingressController.namespace': 'controller.namespace',
};
