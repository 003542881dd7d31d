import { Chart } from 'cdk8s';
import { EchoApp } from '../../apps/echo-app';
import { KubeNamespace } from '../../core/kube';
import { standardLabels } from '../../core/labels';
import { GatewayAcmeClusterIssuer } from '../../envoy-gateway/acme-issuer';
import { EnvoyGatewayDataPlane, EnvoyGatewayRoutes } from '../../envoy-gateway/edge';
import { envoyProxyPodLabels } from '../../envoy-gateway/names';
import { IClientCa } from '../../mtls/client-ca';
import { ManagedClientCa } from '../../mtls/managed-client-ca';
import { ProvidedClientCa } from '../../mtls/provided-client-ca';
import { withFieldPaths } from '../../core/validation';
import { ECHO_APP_CONFIG_PATHS } from '../apps';
import { clientCaConfigPaths } from '../certificates';
import { edgeIntentOf } from '../intent';
import { EnvoyGatewayDeploymentConfig } from './config';

/** The gateway's ClusterIssuer name for an environment (distinct from ingress-nginx's, so both can share a cluster). */
export function gatewayIssuerName(environment: 'staging' | 'production'): string {
  return `letsencrypt-${environment}-gateway`;
}

/** The Gateway's namespace (`envoyGateway.namespace`, default the app namespace). */
export function gatewayNamespaceOf(config: EnvoyGatewayDeploymentConfig): string {
  return config.envoyGateway.namespace ?? config.app.namespace;
}

/** Controller layer: the Gateway namespace, EnvoyProxy, GatewayClass, Gateway and ClientTrafficPolicy. */
export function addGatewayControllerLayer(chart: Chart, config: EnvoyGatewayDeploymentConfig): EnvoyGatewayDataPlane {
  const section = config.envoyGateway;
  const namespace = gatewayNamespaceOf(config);
  if (namespace !== config.app.namespace) {
    new KubeNamespace(chart, 'namespace', {
      metadata: {
        name: namespace,
        labels: {
          ...standardLabels(namespace, 'gateway-namespace'),
          'pod-security.kubernetes.io/enforce': 'restricted',
        },
      },
    });
  }
  return withFieldPaths(
    DATA_PLANE_CONFIG_PATHS,
    () =>
      new EnvoyGatewayDataPlane(chart, 'envoy-gateway', {
        intent: edgeIntentOf(config),
        gatewayNamespace: namespace,
        gatewayClassName: section.gatewayClassName,
        corazaModule: section.corazaModule,
        clusterIssuer: gatewayIssuerName(config.tls.acmeEnvironment),
        clientCaCrl: config.mtls.providedCa?.crlPem !== undefined,
        replicas: section.replicas,
        azurePublicIpName: section.publicIpName ?? config.azure.ingressPublicIpName,
        azureResourceGroupName: config.azure.resourceGroupName,
      }),
  );
}

/** The config path of each EnvoyGatewayDataPlane prop {@link addGatewayControllerLayer} sets from the config. */
const DATA_PLANE_CONFIG_PATHS: Readonly<Record<string, string>> = {
  gatewayNamespace: 'envoyGateway.namespace',
  gatewayClassName: 'envoyGateway.gatewayClassName',
  corazaModule: 'envoyGateway.corazaModule',
  replicas: 'envoyGateway.replicas',
  azurePublicIpName: 'envoyGateway.publicIpName',
  azureResourceGroupName: 'azure.resourceGroupName',
};

/**
 * Certificates layer: Let's Encrypt ClusterIssuers whose HTTP-01 solver is an HTTPRoute on the Gateway, and the
 * client CA (as in the ingress-nginx rendering), published into the Gateway namespace for the ClientTrafficPolicy.
 */
export function addGatewayCertificatesLayer(chart: Chart, config: EnvoyGatewayDeploymentConfig): IClientCa {
  const intent = edgeIntentOf(config);
  const gateway = { name: intent.name, namespace: gatewayNamespaceOf(config) };
  for (const environment of ['staging', 'production'] as const) {
    new GatewayAcmeClusterIssuer(chart, `letsencrypt-${environment}-gateway`, {
      environment,
      name: gatewayIssuerName(environment),
      gateway,
      email: config.tls.acmeEmail,
    });
  }
  const { mtls } = config;
  const paths = clientCaConfigPaths(mtls.clients);
  const providedCa = mtls.providedCa;
  const ca: IClientCa = withFieldPaths(paths, () =>
    providedCa
      ? new ProvidedClientCa(chart, 'client-ca', {
          name: mtls.caName,
          caPem: providedCa.caPem,
          crlPem: providedCa.crlPem,
          clients: mtls.clients.map((name) => ({ name })),
        })
      : new ManagedClientCa(chart, 'client-ca', { name: mtls.caName, namespace: mtls.clientNamespace }),
  );
  if (ca instanceof ManagedClientCa)
    for (const client of mtls.clients) withFieldPaths(paths, () => ca.addClient(client));
  ca.trustIn(gatewayNamespaceOf(config));
  return ca;
}

/** Apps layer: the app namespace, the echo app (reachable only from the Envoy pods), the routes and policies. */
export function addGatewayAppsLayer(chart: Chart, config: EnvoyGatewayDeploymentConfig): EnvoyGatewayRoutes {
  const { app } = config;
  const intent = edgeIntentOf(config);
  const gateway = { name: intent.name, namespace: gatewayNamespaceOf(config) };
  new KubeNamespace(chart, 'namespace', {
    metadata: {
      name: app.namespace,
      labels: { ...standardLabels(app.namespace, 'app-namespace'), 'pod-security.kubernetes.io/enforce': 'restricted' },
    },
  });
  withFieldPaths(
    { ...ECHO_APP_CONFIG_PATHS, 'ingressController.namespace': 'envoyGateway.controllerNamespace' },
    () =>
      new EchoApp(chart, 'echo', {
        name: app.name,
        namespace: app.namespace,
        replicas: app.replicas,
        ingressController: {
          namespace: config.envoyGateway.controllerNamespace ?? 'envoy-gateway-system',
          podLabels: envoyProxyPodLabels(gateway),
        },
      }),
  );
  return withFieldPaths(
    {
      'intent.clientCertificateHeaders': 'mtls.clientCertificateHeaders',
      'intent.clientAuth.allowedCommonNames': 'mtls.allowedClients',
    },
    () => new EnvoyGatewayRoutes(chart, 'routes', { intent, gateway }),
  );
}
