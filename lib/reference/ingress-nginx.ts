import { Chart } from 'cdk8s';
import { ModSecurityController } from '../controller/controller';
import type { ControllerServiceOptions } from '../controller/services';
import { invalid, withFieldPaths } from '../core/validation';
import type { ClientCertificateHeadersIntent, EdgeIntent } from '../intent/edge-intent';
import type { IClientCa } from '../mtls/client-ca';
import { MtlsIngress } from '../mtls/mtls-ingress';
import type { ControllerSection } from './config';

/**
 * The ingress-nginx renderer of an {@link EdgeIntent}: the controller (with the intent's WAF policy and fingerprint
 * header) and one {@link MtlsIngress} per host. The user's constructs do the rendering; this file only maps the
 * intent onto their props, so `dist/` is what those constructs have always written.
 */

/** What the ingress-nginx controller needs beyond the intent (the `controller` and `azure` sections). */
export interface IngressNginxControllerOptions {
  /** The `controller` section of the config. */
  readonly controller: ControllerSection;
  /** AKS options of the controller's LoadBalancer Service (static public IP). */
  readonly service: ControllerServiceOptions;
  /**
   * The edge's instance name in its cluster (`ModSecurityControllerProps.instanceName`).
   * @default none: upstream's cluster-scoped names
   */
  readonly instanceName?: string;
}

/** What the per-host Ingresses need beyond the intent. */
export interface IngressNginxRoutesOptions {
  /** IngressClass of the controller. */
  readonly ingressClassName: string;
  /** The client CA whose CA-only Secret is `intent.clientAuth.caSecretName` (its clients carry the common names). */
  readonly clientCa: IClientCa;
}

/**
 * The nginx variable that carries the fingerprint the intent asks for. ingress-nginx v1.15.1 exposes only nginx's
 * `$ssl_client_fingerprint` (SHA-1 of the DER certificate, lower-case hex; rootfs/etc/nginx/template/nginx.tmpl
 * sets no other fingerprint and proxy-set-headers values are nginx variables), so `sha256` is a synth error.
 */
export function ingressNginxFingerprintVariable(headers: ClientCertificateHeadersIntent): string {
  if (headers.fingerprintAlgorithm !== 'sha1') {
    invalid(
      'mtls.clientCertificateHeaders.fingerprintAlgorithm',
      headers.fingerprintAlgorithm,
      "cannot be expressed by ingress-nginx v1.15.1, whose only client-certificate fingerprint is nginx's SHA-1 $ssl_client_fingerprint",
      'use "sha1" on ingress-nginx (the backend can compute SHA-256 from the PEM passed with passCertificate: true), or set dataPlane: "envoy-gateway"',
    );
  }
  return '$ssl_client_fingerprint';
}

/**
 * Adds the ingress-nginx controller that serves the intent: its WAF policy, fingerprint header and watched namespace.
 */
export function addIngressNginxController(
  chart: Chart,
  intent: EdgeIntent,
  options: IngressNginxControllerOptions,
): ModSecurityController {
  const { controller } = options;
  const headers = intent.clientCertificateHeaders;
  const fingerprintHeader = fingerprintHeaderOf(headers);
  return withFieldPaths(
    CONTROLLER_CONFIG_PATHS,
    () =>
      new ModSecurityController(chart, 'ingress-nginx', {
        waf: intent.waf,
        namespace: controller.namespace,
        ingressClassName: controller.ingressClassName,
        replicas: controller.replicas,
        admissionWebhook: controller.admissionWebhook,
        clientCertificateFingerprintHeader: fingerprintHeader,
        // Only the app namespace's Secrets are readable by the edge; the client CA key (mtls.clientNamespace) is not.
        watchNamespace: intent.namespace,
        service: options.service,
        instanceName: options.instanceName,
      }),
  );
}

/** The config path of each ModSecurityController prop {@link addIngressNginxController} sets from the config. */
const CONTROLLER_CONFIG_PATHS: Readonly<Record<string, string>> = {
  namespace: 'controller.namespace',
  ingressClassName: 'controller.ingressClassName',
  replicas: 'controller.replicas',
  admissionWebhook: 'controller.admissionWebhook',
  clientCertificateFingerprintHeader: 'mtls.clientCertificateHeaders.fingerprintHeader',
  proxySetHeaders: 'mtls.clientCertificateHeaders.fingerprintHeader',
  watchNamespace: 'app.namespace',
  'service.azurePublicIpName': 'azure.ingressPublicIpName',
  'service.azureResourceGroupName': 'azure.resourceGroupName',
  instanceName: 'instance',
  waf: 'waf',
};

/** The controller's fingerprint header for the intent's contract (the algorithm checked first). */
function fingerprintHeaderOf(headers: ClientCertificateHeadersIntent): string {
  ingressNginxFingerprintVariable(headers);
  return headers.fingerprintHeader;
}

/** Adds one {@link MtlsIngress} per host of the intent, in declaration order (server certificate per host). */
export function addIngressNginxRoutes(
  chart: Chart,
  intent: EdgeIntent,
  options: IngressNginxRoutesOptions,
): MtlsIngress[] {
  const { clientAuth } = intent;
  const allowedClients = clientNamesOf(options.clientCa, clientAuth.allowedCommonNames);
  return intent.hosts.map((h, i) =>
    withFieldPaths(
      routeConfigPaths(i),
      () =>
        new MtlsIngress(chart, `${h.name}-ingress`, {
          name: h.name,
          namespace: intent.namespace,
          ingressClassName: options.ingressClassName,
          hosts: [{ host: h.host }],
          backend: { serviceName: h.backend.serviceName, servicePort: h.backend.servicePort.name },
          serverTls: { clusterIssuer: intent.serverTls.clusterIssuer },
          httpsRedirect: intent.httpsRedirect,
          clientAuth: {
            ca: options.clientCa,
            verifyDepth: clientAuth.verifyDepth,
            passCertificateToUpstream: intent.clientCertificateHeaders.passCertificate,
            allowedClients,
          },
        }),
    ),
  );
}

/**
 * The config path of each MtlsIngress prop {@link addIngressNginxRoutes} sets for `app.hosts[index]` (the intent
 * keeps the hosts in declaration order).
 */
function routeConfigPaths(index: number): Readonly<Record<string, string>> {
  const host = `app.hosts[${index}]`;
  return {
    name: `${host}.name`,
    namespace: 'app.namespace',
    ingressClassName: 'controller.ingressClassName',
    'hosts[0]': host,
    hosts: host,
    backend: `${host}.backend`,
    serverTls: 'tls.acmeEnvironment',
    httpsRedirect: 'app.httpsRedirect',
    'clientAuth.verifyDepth': 'mtls.verifyDepth',
    'clientAuth.ca': 'mtls.caName',
    'clientAuth.passCertificateToUpstream': 'mtls.clientCertificateHeaders.passCertificate',
    // The allow-list's entries are the intent's common names in order (mtls.allowedClients, else mtls.clients).
    'clientAuth.allowedClients': 'mtls.allowedClients',
  };
}

/** The CA's client names for the intent's common names (MtlsIngress admits clients of its CA by name). */
function clientNamesOf(ca: IClientCa, commonNames: readonly string[]): string[] {
  const byCommonName = new Map<string, string>();
  for (const [name, identity] of ca.knownClients()) byCommonName.set(identity.commonName, name);
  return commonNames.map((cn, i) => {
    const name = byCommonName.get(cn);
    if (name === undefined) {
      invalid(`mtls.allowedClients[${i}]`, cn, `is not a client of CA "${ca.caName}"`, 'add it to mtls.clients first');
    }
    return name;
  });
}
