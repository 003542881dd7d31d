/**
 * A tenant fleet on top of the reference deployment, for the synth-scale benchmark (issue 9).
 *
 * A tenant is what a platform team adds when it onboards one more client organisation:
 * - a namespace of its own (Pod Security "restricted"),
 * - a backend Service selecting the tenant's pods (the tenant deploys its workload itself),
 * - an {@link MtlsIngress} host `<tenant>.<domain>` with an explicit server Certificate (Let's Encrypt) and its own
 *   client allow-list (`auth-tls-match-cn`) naming the tenant's clients only,
 * - those clients, issued by the shared client CA (one cert-manager Certificate each), which also publishes its
 *   CA-only Secret into the tenant namespace (the trust-manager Bundle's target list grows by one namespace),
 * - a WAF rule exclusion scoped to the tenant's host and an API path (a typical false-positive fix), in the
 *   controller's WAF policy (the fleet's WafPolicy, {@link tenantWafPolicy}, mounted from its ConfigMap).
 *
 * The fleet reuses the reference app's layer builders unchanged and adds one `apps`-layer chart per tenant, so the
 * benchmark exercises the many-charts case that made stock cdk8s synthesis superlinear.
 */
import { App, AppProps, Chart } from 'cdk8s';
import { ModSecurityController } from '../lib/controller/controller';
import { KubeNamespace, KubeService, IntOrString } from 'cdk8s-plus-27/lib/imports/k8s';
import { standardLabels } from '../lib/core/labels';
import { IClientCa } from '../lib/mtls/client-ca';
import { ManagedClientCa } from '../lib/mtls/managed-client-ca';
import { MtlsIngress } from '../lib/mtls/mtls-ingress';
import type { RuleExclusion } from '../lib/waf/exclusion';
import { WafPolicy } from '../lib/waf/policy';
import { addApps } from '../lib/reference/apps';
import { hostNamesOf } from '../lib/reference/intent';
import { addCertificates, clientCaOf, serverIssuerName } from '../lib/reference/certificates';
import { EdgeDeploymentConfig } from '../lib/reference/config';
import { addDelivery } from '../lib/reference/delivery';
import { addMonitoring } from '../lib/reference/monitoring';
import { LayerChart } from '../lib/synth/layers';

/** One tenant of the fleet. */
export interface Tenant {
  /** Tenant name: namespace, Service, Ingress and chart id (`tenant-00042`). */
  readonly name: string;
  /** Public host of the tenant. */
  readonly host: string;
  /** Names (and common names) of the tenant's clients, issued by the shared client CA. */
  readonly clients: readonly string[];
  /** The tenant's WAF exclusion, scoped to its host. */
  readonly wafExclusion: RuleExclusion;
}

/** Options of {@link tenantFleet}. */
export interface TenantFleetOptions {
  /** Number of tenants. */
  readonly tenants: number;
  /**
   * Clients per tenant (each gets a client certificate and appears in the tenant's allow-list only).
   * @default 2
   */
  readonly clientsPerTenant?: number;
  /**
   * DNS domain of the tenant hosts.
   * @default 'tenants.example.com'
   */
  readonly domain?: string;
}

/**
 * CRS rules a tenant typically excludes for one field of one API path: SQL-injection and XSS rules that fire on
 * free-text clinical notes. Rotated across tenants so the exclusions are not all identical.
 */
const EXCLUDED_RULES: readonly (readonly number[])[] = [[942100], [942200, 942260], [941100], [942430], [932200]];

/** The tenants of a fleet of the given size, deterministic (same input, same tenants). */
export function tenantFleet(options: TenantFleetOptions): Tenant[] {
  const { tenants } = options;
  if (!Number.isInteger(tenants) || tenants < 0 || tenants > 99999)
    throw new RangeError(`tenants: ${tenants} is not a whole number from 0 to 99999`);
  const clientsPerTenant = options.clientsPerTenant ?? 2;
  const domain = options.domain ?? 'tenants.example.com';
  const out: Tenant[] = [];
  for (let i = 1; i <= tenants; i++) {
    const name = `tenant-${String(i).padStart(5, '0')}`;
    const host = `${name}.${domain}`;
    const clients = Array.from({ length: clientsPerTenant }, (_, c) => `${name}-client-${c + 1}`);
    out.push({
      name,
      host,
      clients,
      wafExclusion: {
        host,
        path: '/api/notes',
        target: 'ARGS:note',
        ruleIds: EXCLUDED_RULES[i % EXCLUDED_RULES.length],
        description: `free-text clinical notes of ${name}`,
      },
    });
  }
  return out;
}

/**
 * The WAF policy of the reference deployment plus every tenant's exclusion, served hosts = the reference hosts and the
 * tenant hosts. Every exclusion is validated as it is added (host served, rule ids, path, target); exclusions that fix
 * the same false positive (same rules, target and path) render as one rule over their hosts.
 */
export function tenantWafPolicy(config: EdgeDeploymentConfig, tenants: readonly Tenant[]): WafPolicy {
  return new WafPolicy({
    ...config.waf,
    servedHosts: [...hostNamesOf(config), ...tenants.map((t) => t.host)],
    exclusions: [...(config.waf.exclusions ?? []), ...tenants.map((t) => t.wafExclusion)],
  });
}

/**
 * The controller layer of the fleet: `lib/reference/controller.ts` `addController` with the fleet's WAF policy
 * ({@link tenantWafPolicy}) instead of the reference one; every other setting is the reference deployment's.
 */
export function addFleetController(chart: Chart, config: EdgeDeploymentConfig, tenants: readonly Tenant[]): void {
  new ModSecurityController(chart, 'ingress-nginx', {
    waf: tenantWafPolicy(config, tenants),
    namespace: config.controller.namespace,
    ingressClassName: config.controller.ingressClassName,
    replicas: config.controller.replicas,
    admissionWebhook: config.controller.admissionWebhook,
    service: {
      azurePublicIpName: config.azure.ingressPublicIpName,
      azureResourceGroupName: config.azure.resourceGroupName,
    },
  });
}

/**
 * Builds the cdk8s app of the reference deployment plus the tenants, in the order of `buildEdgeApp`: controller,
 * certificates (with the tenants' clients), apps (the reference echo app, then one chart per tenant), monitoring,
 * delivery. The controller carries the fleet's WAF policy. `appProps` go to the cdk8s App (the stock-synth baseline sets its `outdir`).
 */
export function buildFleetApp(config: EdgeDeploymentConfig, tenants: readonly Tenant[], appProps: AppProps = {}): App {
  const app = new App(appProps);
  addFleetController(new LayerChart(app, 'controller', { layer: 'controller' }), config, tenants);
  const certificates = new LayerChart(app, 'certificates', { layer: 'certificates' });
  addCertificates(certificates, config);
  const ca = clientCaOf(certificates);
  if (!(ca instanceof ManagedClientCa))
    throw new Error('the tenant fleet needs the managed client CA (mtls.providedCa unset)');
  for (const tenant of tenants) for (const client of tenant.clients) ca.addClient(client);
  addApps(new LayerChart(app, 'apps', { layer: 'apps' }), config);
  for (const tenant of tenants) addTenant(new LayerChart(app, tenant.name, { layer: 'apps' }), config, tenant, ca);
  if (config.monitoring.enabled) addMonitoring(new LayerChart(app, 'monitoring', { layer: 'monitoring' }), config);
  addDelivery(app, config);
  return app;
}

/** Port name of a tenant's backend Service. */
const TENANT_PORT = 'http';

/** Adds one tenant: namespace, backend Service, MtlsIngress with its own allow-list. */
export function addTenant(chart: LayerChart, config: EdgeDeploymentConfig, tenant: Tenant, ca: IClientCa): void {
  new KubeNamespace(chart, 'namespace', {
    metadata: {
      name: tenant.name,
      labels: {
        ...standardLabels(tenant.name, 'tenant-namespace'),
        'pod-security.kubernetes.io/enforce': 'restricted',
      },
    },
  });
  const selector = { 'app.kubernetes.io/name': tenant.name, 'app.kubernetes.io/instance': tenant.name };
  new KubeService(chart, 'service', {
    metadata: { name: tenant.name, namespace: tenant.name, labels: standardLabels(tenant.name, 'tenant-backend') },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: TENANT_PORT, port: 80, targetPort: IntOrString.fromString('http'), protocol: 'TCP' }],
    },
  });
  new MtlsIngress(chart, 'ingress', {
    name: tenant.name,
    namespace: tenant.name,
    ingressClassName: config.controller.ingressClassName,
    hosts: [{ host: tenant.host }],
    backend: { serviceName: tenant.name, servicePort: TENANT_PORT },
    serverTls: { clusterIssuer: serverIssuerName(config.tls.acmeEnvironment, config.instance) },
    clientAuth: { ca, allowedClients: tenant.clients, passCertificateToUpstream: false },
  });
}
