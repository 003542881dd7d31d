import { Construct } from 'constructs';
import { checkDnsLabel, checkDnsSubdomain, PropsValidator, propsValidator, withFieldPaths } from '../core/validation';
import type { EdgeIntent } from '../intent/edge-intent';
import type { WafPolicy } from '../waf/policy';
import { EdgeClientTrafficPolicy } from './client-traffic-policy';
import type { CorazaModuleSource } from './coraza-module';
import { EdgeEnvoyProxy } from './envoy-proxy';
import { EdgeGateway, EdgeGatewayClass } from './gateway';
import { EdgeHostRoutes } from './http-routes';
import { allowListCel, backendCertificateHeaders } from './mtls';
import { backendRouteName } from './names';
import { EdgeSecurityPolicy } from './security-policy';
import { corazaFilterConfig, CorazaFilterConfig } from '../waf/coraza';
import { CorazaExtensionPolicy } from './waf-extension-policy';

/** Props of an {@link EnvoyGatewayDataPlane}. */
export interface EnvoyGatewayDataPlaneProps {
  /** The edge to serve. */
  readonly intent: EdgeIntent;
  /** Namespace of the Gateway, its EnvoyProxy and ClientTrafficPolicy, and of the client CA Secret they read. */
  readonly gatewayNamespace: string;
  /** Name of the GatewayClass (cluster-scoped: unique per edge in a cluster). */
  readonly gatewayClassName: string;
  /** Where Envoy loads the Coraza composer module from. */
  readonly corazaModule: CorazaModuleSource;
  /**
   * ClusterIssuer of the listeners' server certificates (one whose HTTP-01 solver is a Gateway HTTPRoute, see
   * `GatewayAcmeClusterIssuer`).
   * @default intent.serverTls.clusterIssuer
   */
  readonly clusterIssuer?: string;
  /**
   * The client CA Secret holds a certificate revocation list (key `ca.crl`, e.g. a `ProvidedClientCa` with `crlPem`):
   * Envoy checks client certificates against it.
   * @default false
   */
  readonly clientCaCrl?: boolean;
  /**
   * Envoy replicas.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Existing Azure public IP of the Envoy LoadBalancer Service.
   * @default a dynamic public IP
   */
  readonly azurePublicIpName?: string;
  /**
   * Resource group of that public IP.
   * @default the cluster's node resource group
   */
  readonly azureResourceGroupName?: string;
}

/**
 * The infrastructure half of the Envoy Gateway v1.9 rendering of an {@link EdgeIntent}: EnvoyProxy, GatewayClass,
 * Gateway (listener `http` and one HTTPS listener per host) and the ClientTrafficPolicy that turns on client
 * certificate verification. The client CA Secret (`intent.clientAuth.caSecretName`, key `ca.crt`) must exist in
 * the Gateway namespace (e.g. `IClientCa.trustIn(gatewayNamespace)`).
 */
export class EnvoyGatewayDataPlane extends Construct {
  /** The Gateway. */
  public readonly gateway: EdgeGateway;
  /** The EnvoyProxy. */
  public readonly envoyProxy: EdgeEnvoyProxy;
  /** The GatewayClass. */
  public readonly gatewayClass: EdgeGatewayClass;
  /** The ClientTrafficPolicy. */
  public readonly clientTrafficPolicy: EdgeClientTrafficPolicy;

  constructor(scope: Construct, id: string, props: EnvoyGatewayDataPlaneProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'EnvoyGatewayDataPlane');
    const { intent } = props;
    const namespace = v.check(() => checkDnsLabel('gatewayNamespace', props.gatewayNamespace));
    v.check(() => checkDnsSubdomain('gatewayClassName', props.gatewayClassName));
    // The EnvoyProxy checks props of this construct: its errors name this construct and these props.
    this.envoyProxy = v.check(() =>
      withFieldPaths(
        ENVOY_PROXY_PATHS,
        () =>
          new EdgeEnvoyProxy(this, 'envoy-proxy', {
            name: `${intent.name}-proxy`,
            namespace,
            corazaModule: props.corazaModule,
            replicas: props.replicas,
            azurePublicIpName: props.azurePublicIpName,
            azureResourceGroupName: props.azureResourceGroupName,
          }),
      ),
    );
    this.gatewayClass = new EdgeGatewayClass(this, 'gateway-class', {
      name: props.gatewayClassName,
      envoyProxy: this.envoyProxy,
    });
    this.gateway = new EdgeGateway(this, 'gateway', {
      metadata: { name: intent.name, namespace },
      gatewayClassName: props.gatewayClassName,
      hosts: intent.hosts,
      routeNamespace: intent.namespace,
      clusterIssuer: props.clusterIssuer ?? intent.serverTls.clusterIssuer,
    });
    this.clientTrafficPolicy = new EdgeClientTrafficPolicy(this, 'client-traffic-policy', {
      name: `${intent.name}-client-tls`,
      gateway: this.gateway,
      hosts: intent.hosts,
      caSecretName: intent.clientAuth.caSecretName,
      crl: props.clientCaCrl,
    });
  }
}

/** The EnvoyGatewayDataPlane prop each EdgeEnvoyProxy prop comes from. */
const ENVOY_PROXY_PATHS: Readonly<Record<string, string>> = {
  namespace: 'gatewayNamespace',
  corazaModule: 'corazaModule',
  replicas: 'replicas',
  azurePublicIpName: 'azurePublicIpName',
  azureResourceGroupName: 'azureResourceGroupName',
};

/** Renders the Coraza filter configuration of one host from the WAF policy (lib/waf/coraza.ts `corazaFilterConfig`). */
export type CorazaFilterRenderer = (policy: WafPolicy, host: string) => CorazaFilterConfig;

/** Props of an {@link EnvoyGatewayRoutes}. */
export interface EnvoyGatewayRoutesProps {
  /** The edge to serve. */
  readonly intent: EdgeIntent;
  /** The Gateway the routes attach to (name and namespace). */
  readonly gateway: {
    /** Name of the Gateway. */
    readonly name: string;
    /** Namespace of the Gateway. */
    readonly namespace: string;
  };
  /**
   * Renders each host's Coraza filter configuration from `intent.waf`.
   * @default corazaFilterConfig of lib/waf/coraza.ts
   */
  readonly corazaFilterConfig?: CorazaFilterRenderer;
}

/**
 * The application half, in the backends' namespace: per host the HTTPS route with the client-certificate headers,
 * the HTTPS redirect route and the Coraza EnvoyExtensionPolicy; one SecurityPolicy over the HTTPS routes (source-IP
 * deny, then the CEL client allow-list, default deny).
 */
export class EnvoyGatewayRoutes extends Construct {
  /** The routes of each host, by host name. */
  public readonly routes: ReadonlyMap<string, EdgeHostRoutes>;
  /** The SecurityPolicy. */
  public readonly securityPolicy: EdgeSecurityPolicy;
  /** The WAF policy of each host, by host name (none when the WAF is off). */
  public readonly wafPolicies: ReadonlyMap<string, CorazaExtensionPolicy>;

  constructor(scope: Construct, id: string, props: EnvoyGatewayRoutesProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'EnvoyGatewayRoutes');
    const { intent } = props;
    const backendHeaders = v.check(() =>
      backendCertificateHeaders('intent.clientCertificateHeaders', intent.clientCertificateHeaders),
    );
    const routes = new Map<string, EdgeHostRoutes>();
    const wafPolicies = new Map<string, CorazaExtensionPolicy>();
    for (const host of intent.hosts) {
      routes.set(
        host.host,
        new EdgeHostRoutes(this, `${host.name}-routes`, {
          host,
          namespace: intent.namespace,
          gateway: props.gateway,
          backendHeaders,
          httpsRedirect: intent.httpsRedirect,
        }),
      );
      if (intent.waf.mode !== 'Off') {
        wafPolicies.set(
          host.host,
          new CorazaExtensionPolicy(this, `${host.name}-waf`, {
            name: `${host.name}-waf`,
            namespace: intent.namespace,
            routeName: backendRouteName(host),
            config: (props.corazaFilterConfig ?? corazaFilterConfig)(intent.waf, host.host),
          }),
        );
      }
    }
    this.routes = routes;
    this.wafPolicies = wafPolicies;
    this.securityPolicy = new EdgeSecurityPolicy(this, 'security-policy', {
      name: `${intent.name}-client-authorization`,
      namespace: intent.namespace,
      routeNames: intent.hosts.map(backendRouteName),
      allowCel: v.check(() => allowListCel('intent.clientAuth', intent.clientAuth)),
      deniedSources: intent.waf
        .deniedSourceIps()
        .flatMap(({ field, rule }) => rule.sources.map((source, i) => ({ field: `${field}.sources[${i}]`, source }))),
    });
  }
}
