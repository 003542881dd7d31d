import { ECHO_SERVICE_PORT } from '../apps/echo-app';
import { checkDnsLabel, checkHostname, checkIntegerInRange, invalid } from '../core/validation';
import type {
  ClientCertificateHeadersIntent,
  EdgeBackendIntent,
  EdgeHostIntent,
  EdgeIntent,
} from '../intent/edge-intent';
import { WafPolicy } from '../waf/policy';
import { serverIssuerName } from './certificates';
import type { DataPlane, EdgeDeploymentConfig } from './config';

/** The data planes a deployment can pick (`dataPlane`), in the order the docs list them. */
export const DATA_PLANES: readonly DataPlane[] = ['ingress-nginx', 'envoy-gateway'];

/** Default of `mtls.clientCertificateHeaders.fingerprintHeader` (the header ingress-nginx deployments always had). */
export const DEFAULT_FINGERPRINT_HEADER = 'ssl-client-fingerprint';

/** Name of the echo app's Service port (`EchoApp.servicePortName`): the default backend of every host. */
const ECHO_SERVICE_PORT_NAME = 'http';

/** A header name nginx and Envoy both accept as is: letters, digits and single dashes. */
const HEADER_NAME = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;

/** One intent per config object: every layer (and the CDKTF app) reads the same, validated once. */
const INTENTS = new WeakMap<EdgeDeploymentConfig, EdgeIntent>();

/**
 * The edge intent of a deployment: the one place the reference configuration becomes the data-plane-independent
 * {@link EdgeIntent} that every renderer, the WAF's served hosts, monitoring and DNS read. Validates what the intent
 * holds and names the config path the user wrote (e.g. `app.hosts[1].host`).
 */
export function edgeIntentOf(config: EdgeDeploymentConfig): EdgeIntent {
  const known = INTENTS.get(config);
  if (known) return known;
  const intent = buildIntent(config);
  INTENTS.set(config, intent);
  return intent;
}

/** The data plane of a deployment (`dataPlane`, default ingress-nginx), checked. */
export function dataPlaneOf(config: EdgeDeploymentConfig): DataPlane {
  const dataPlane = config.dataPlane ?? 'ingress-nginx';
  if (!DATA_PLANES.includes(dataPlane))
    invalid(
      'dataPlane',
      dataPlane,
      'is not a supported data plane',
      `use one of ${DATA_PLANES.map((d) => `"${d}"`).join(', ')}`,
    );
  return dataPlane;
}

/** The edge's instance name in its cluster (`instance`), checked; undefined for the one edge of a cluster. */
export function instanceOf(config: EdgeDeploymentConfig): string | undefined {
  return config.instance === undefined ? undefined : checkDnsLabel('instance', config.instance);
}

/** The public host names of a deployment, in declaration order (the DNS records, the WAF's served hosts). */
export function hostNamesOf(config: EdgeDeploymentConfig): string[] {
  return edgeIntentOf(config).hosts.map((h) => h.host);
}

function buildIntent(config: EdgeDeploymentConfig): EdgeIntent {
  dataPlaneOf(config);
  const { app, mtls } = config;
  const hosts = hostsOf(config);
  const allowed = mtls.allowedClients ?? mtls.clients;
  if (!Array.isArray(allowed) || allowed.length === 0) {
    invalid(
      mtls.allowedClients ? 'mtls.allowedClients' : 'mtls.clients',
      allowed,
      'is empty, so no client could connect',
      'list at least one client',
    );
  }
  return {
    name: config.name,
    namespace: checkDnsLabel('app.namespace', app.namespace),
    hosts,
    serverTls: { clusterIssuer: serverIssuerName(config.tls.acmeEnvironment, instanceOf(config)) },
    clientAuth: {
      caSecretName: checkDnsLabel('mtls.caName', mtls.caName),
      // The reference config's clients are issued with CN = client name (ManagedClientCa, ProvidedClientCa default).
      allowedCommonNames: [...allowed],
      verifyDepth: checkIntegerInRange(
        'mtls.verifyDepth',
        mtls.verifyDepth ?? 1,
        1,
        10,
        'use 1 when clients are issued directly by the CA, 2–10 only with intermediate CAs',
      ),
    },
    clientCertificateHeaders: clientCertificateHeadersOf(config),
    httpsRedirect: app.httpsRedirect ?? true,
    waf: new WafPolicy({ ...config.waf, servedHosts: hosts.map((h) => h.host) }),
  };
}

function hostsOf(config: EdgeDeploymentConfig): EdgeHostIntent[] {
  const { app } = config;
  const field = 'app.hosts';
  if (!Array.isArray(app.hosts) || app.hosts.length === 0) {
    const legacy =
      (app as { readonly host?: unknown }).host !== undefined
        ? ' (app.host and app.portal were replaced by app.hosts)'
        : '';
    invalid(
      field,
      app.hosts,
      `is empty or missing${legacy}`,
      'list at least one host, e.g. hosts: [{ name: "echo", host: "echo.example.com" }]',
    );
  }
  const echo: EdgeBackendIntent = {
    serviceName: app.name,
    servicePort: { name: ECHO_SERVICE_PORT_NAME, number: ECHO_SERVICE_PORT },
  };
  const names = new Map<string, number>();
  const hostNames = new Map<string, number>();
  return app.hosts.map((h, i) => {
    const at = `${field}[${i}]`;
    const name = checkDnsLabel(`${at}.name`, h?.name);
    const host = checkHostname(`${at}.host`, h.host);
    const firstName = names.get(name);
    if (firstName !== undefined)
      invalid(
        `${at}.name`,
        name,
        `is already the name of ${field}[${firstName}]`,
        "give every host its own name (it names the host's route object and certificate)",
      );
    const firstHost = hostNames.get(host);
    if (firstHost !== undefined)
      invalid(`${at}.host`, host, `is already declared as ${field}[${firstHost}].host`, 'declare each host once');
    names.set(name, i);
    hostNames.set(host, i);
    return { name, host, backend: h.backend === undefined ? echo : backendOf(`${at}.backend`, h.backend) };
  });
}

function backendOf(field: string, backend: EdgeBackendIntent): EdgeBackendIntent {
  checkDnsLabel(`${field}.serviceName`, backend.serviceName);
  const port = backend.servicePort;
  if (
    typeof port?.name !== 'string' ||
    !/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/.test(port.name) ||
    !/[a-z]/.test(port.name)
  ) {
    invalid(
      `${field}.servicePort.name`,
      port?.name,
      'is not an IANA port name',
      'use the Service port name (at most 15 lower-case letters, digits, "-")',
    );
  }
  checkIntegerInRange(`${field}.servicePort.number`, port.number, 1, 65535);
  return { serviceName: backend.serviceName, servicePort: { name: port.name, number: port.number } };
}

function clientCertificateHeadersOf(config: EdgeDeploymentConfig): ClientCertificateHeadersIntent {
  const field = 'mtls.clientCertificateHeaders';
  const headers = config.mtls.clientCertificateHeaders ?? {};
  const fingerprintHeader = headers.fingerprintHeader ?? DEFAULT_FINGERPRINT_HEADER;
  if (typeof fingerprintHeader !== 'string' || !HEADER_NAME.test(fingerprintHeader)) {
    invalid(
      `${field}.fingerprintHeader`,
      fingerprintHeader,
      'is not a header name',
      'use letters, digits and single dashes, e.g. "ssl-client-fingerprint"',
    );
  }
  const fingerprintAlgorithm = headers.fingerprintAlgorithm ?? 'sha1';
  if (fingerprintAlgorithm !== 'sha1' && fingerprintAlgorithm !== 'sha256') {
    invalid(
      `${field}.fingerprintAlgorithm`,
      fingerprintAlgorithm,
      'is not a supported fingerprint algorithm',
      'use "sha1" or "sha256"',
    );
  }
  const passCertificate = headers.passCertificate ?? config.mtls.passCertificateToUpstream ?? false;
  return { fingerprintHeader, fingerprintAlgorithm, passCertificate };
}
