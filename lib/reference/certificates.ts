import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AcmeClusterIssuer, AcmeEnvironment } from '../mtls/acme-cluster-issuer';
import { IClientCa } from '../mtls/client-ca';
import { ManagedClientCa } from '../mtls/managed-client-ca';
import { ProvidedClientCa } from '../mtls/provided-client-ca';
import { withFieldPaths } from '../core/validation';
import { EdgeDeploymentConfig } from './config';

/**
 * Construct id of the client CA in the certificates chart (part of the contract: {@link clientCaOf} finds it by it).
 */
export const CLIENT_CA_ID = 'client-ca';

/**
 * Adds the certificates layer of the reference deployment: Let's Encrypt ClusterIssuers (staging and production,
 * HTTP-01 on the edge's IngressClass) and the client CA (managed by cert-manager with one Certificate per client,
 * or provided as PEM when `config.mtls.providedCa` is set).
 */
export function addCertificates(chart: Chart, config: EdgeDeploymentConfig): IClientCa {
  for (const environment of ['staging', 'production'] as const) {
    withFieldPaths(
      ISSUER_CONFIG_PATHS,
      () =>
        new AcmeClusterIssuer(chart, `letsencrypt-${environment}`, {
          name: serverIssuerName(environment, config.instance),
          environment,
          ingressClassName: config.controller.ingressClassName,
          email: config.tls.acmeEmail,
        }),
    );
  }
  const { mtls } = config;
  if (mtls.providedCa) {
    const providedCa = mtls.providedCa;
    return withFieldPaths(
      clientCaConfigPaths(mtls.clients),
      () =>
        new ProvidedClientCa(chart, CLIENT_CA_ID, {
          name: mtls.caName,
          caPem: providedCa.caPem,
          crlPem: providedCa.crlPem,
          clients: mtls.clients.map((name) => ({ name })),
        }),
    );
  } else {
    const paths = clientCaConfigPaths(mtls.clients);
    const ca = withFieldPaths(
      paths,
      () =>
        new ManagedClientCa(chart, CLIENT_CA_ID, {
          name: mtls.caName,
          namespace: mtls.clientNamespace,
          createNamespace: mtls.createClientNamespace,
        }),
    );
    for (const client of mtls.clients) withFieldPaths(paths, () => ca.addClient(client));
    return ca;
  }
}

/** The config path of each AcmeClusterIssuer prop {@link addCertificates} sets from the config. */
const ISSUER_CONFIG_PATHS: Readonly<Record<string, string>> = {
  name: 'instance',
  ingressClassName: 'controller.ingressClassName',
  email: 'tls.acmeEmail',
};

/**
 * The config path of each client CA prop (ProvidedClientCa, ManagedClientCa and its `addClient` calls) set from
 * the `mtls` section, for the clients `clients` (`mtls.clients`, each issued with CN = name).
 */
export function clientCaConfigPaths(clients: readonly string[]): Readonly<Record<string, string>> {
  const paths: Record<string, string> = {
    name: 'mtls.caName',
    namespace: 'mtls.clientNamespace',
    caPem: 'mtls.providedCa.caPem',
    crlPem: 'mtls.providedCa.crlPem',
    trustIn: 'app.namespace',
  };
  clients.forEach((client, i) => {
    paths[`clients[${i}].name`] = `mtls.clients[${i}]`;
    paths[`clients[${i}].commonName`] = `mtls.clients[${i}]`;
    paths[`addClient(${JSON.stringify(client)}).name`] = `mtls.clients[${i}]`;
    paths[`addClient(${JSON.stringify(client)}).commonName`] = `mtls.clients[${i}]`;
  });
  return paths;
}

/**
 * Name of the ClusterIssuer that issues the server certificates of a deployment: `letsencrypt-<environment>`, prefixed
 * with `<instance>-` for an edge that shares its cluster (`EdgeDeploymentConfig.instance`).
 */
export function serverIssuerName(environment: AcmeEnvironment, instance?: string): string {
  return instance === undefined ? `letsencrypt-${environment}` : `${instance}-letsencrypt-${environment}`;
}

/**
 * The first client CA {@link addCertificates} created in the app (an app with several edges passes each edge's own).
 */
export function clientCaOf(scope: Construct): IClientCa {
  for (const child of scope.node.root.node.findAll()) {
    if (child.node.id === CLIENT_CA_ID && (child instanceof ManagedClientCa || child instanceof ProvidedClientCa))
      return child;
  }
  throw new Error('no client CA in the app: call addCertificates before addApps');
}
