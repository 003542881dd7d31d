import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AcmeClusterIssuer, AcmeEnvironment } from '../mtls/acme-cluster-issuer';
import { IClientCa } from '../mtls/client-ca';
import { ManagedClientCa } from '../mtls/managed-client-ca';
import { ProvidedClientCa } from '../mtls/provided-client-ca';
import { EdgeDeploymentConfig } from './config';

/** Construct id of the client CA in the certificates chart (part of the contract: {@link clientCaOf} finds it by it). */
export const CLIENT_CA_ID = 'client-ca';

/**
 * Adds the certificates layer of the reference deployment: Let's Encrypt ClusterIssuers (staging and production,
 * HTTP-01 on the edge's IngressClass) and the client CA (managed by cert-manager with one Certificate per client,
 * or provided as PEM when `config.mtls.providedCa` is set).
 */
export function addCertificates(chart: Chart, config: EdgeDeploymentConfig): IClientCa {
  for (const environment of ['staging', 'production'] as const) {
    new AcmeClusterIssuer(chart, `letsencrypt-${environment}`, {
      name: serverIssuerName(environment, config.instance),
      environment,
      ingressClassName: config.controller.ingressClassName,
      email: config.tls.acmeEmail,
    });
  }
  const { mtls } = config;
  if (mtls.providedCa) {
    return new ProvidedClientCa(chart, CLIENT_CA_ID, {
      name: mtls.caName,
      caPem: mtls.providedCa.caPem,
      crlPem: mtls.providedCa.crlPem,
      clients: mtls.clients.map((name) => ({ name })),
    });
  } else {
    const ca = new ManagedClientCa(chart, CLIENT_CA_ID, {
      name: mtls.caName,
      namespace: mtls.clientNamespace,
      createNamespace: mtls.createClientNamespace,
    });
    for (const client of mtls.clients) ca.addClient(client);
    return ca;
  }
}

/**
 * Name of the ClusterIssuer that issues the server certificates of a deployment: `letsencrypt-<environment>`, prefixed
 * with `<instance>-` for an edge that shares its cluster (`EdgeDeploymentConfig.instance`).
 */
export function serverIssuerName(environment: AcmeEnvironment, instance?: string): string {
  return instance === undefined ? `letsencrypt-${environment}` : `${instance}-letsencrypt-${environment}`;
}

/** The first client CA {@link addCertificates} created in the app (an app with several edges passes each edge's own). */
export function clientCaOf(scope: Construct): IClientCa {
  for (const child of scope.node.root.node.findAll()) {
    if (child.node.id === CLIENT_CA_ID && (child instanceof ManagedClientCa || child instanceof ProvidedClientCa))
      return child;
  }
  throw new Error('no client CA in the app: call addCertificates before addApps');
}
