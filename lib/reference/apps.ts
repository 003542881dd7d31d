import { Chart } from 'cdk8s';
import { KubeNamespace } from '../core/kube';
import { EchoApp } from '../apps/echo-app';
import { standardLabels } from '../core/labels';
import { MtlsIngress } from '../mtls/mtls-ingress';
import { clientCaOf, serverIssuerName } from './certificates';
import { EdgeDeploymentConfig } from './config';

/**
 * Adds the apps layer of the reference deployment: the app namespace, the echo app, and the MtlsIngress in front of
 * it at `config.app.host` (server certificate from Let's Encrypt, client certificates from the client CA, allow-list
 * of `config.mtls.allowedClients`), and the same for the second host `config.app.portal` in its own Ingress.
 */
export function addApps(chart: Chart, config: EdgeDeploymentConfig): void {
  const { app, mtls } = config;
  new KubeNamespace(chart, 'namespace', {
    metadata: {
      name: app.namespace,
      labels: { ...standardLabels(app.namespace, 'app-namespace'), 'pod-security.kubernetes.io/enforce': 'restricted' },
    },
  });
  const echo = new EchoApp(chart, 'echo', {
    name: app.name,
    namespace: app.namespace,
    replicas: app.replicas,
    ingressController: { namespace: config.controller.namespace },
  });
  const ingress = (id: string, name: string, host: string): MtlsIngress => new MtlsIngress(chart, id, {
    name,
    namespace: app.namespace,
    ingressClassName: config.controller.ingressClassName,
    hosts: [{ host }],
    backend: { serviceName: echo.serviceName, servicePort: echo.servicePortName },
    serverTls: { clusterIssuer: serverIssuerName(config.tls.acmeEnvironment) },
    httpsRedirect: app.httpsRedirect,
    clientAuth: {
      ca: clientCaOf(chart),
      verifyDepth: mtls.verifyDepth,
      passCertificateToUpstream: mtls.passCertificateToUpstream,
      allowedClients: mtls.allowedClients ?? mtls.clients,
    },
  });
  ingress('ingress', app.name, app.host);
  if (app.portal) ingress('portal-ingress', app.portal.name, app.portal.host);
}
