/**
 * cdk8s constructs that put ingress-nginx v1.15.1 with ModSecurity + OWASP CRS 4 and mutual-TLS client
 * authentication in front of services on AKS.
 *
 * This is the package's main entry (`aks-waf-mtls-edge`): everything that renders Kubernetes objects. It needs only
 * the peers `cdk8s` and `constructs`. The CDKTF side (the AKS cluster and its Azure resources)
 * is a separate entry, `aks-waf-mtls-edge/azure`, so that a cdk8s-only app never loads `cdktf`.
 *
 * Everything exported here is the public API and follows semantic versioning; anything reached by a deep import
 * (`aks-waf-mtls-edge/build/...`) is internal and may change in any release.
 *
 * @packageDocumentation
 * @module aks-waf-mtls-edge
 */

// Errors every construct throws on bad input.
export { ValidationError } from './core/validation';
export type { ConstructLocation } from './core/validation';
export type { ObjectMetadataOptions } from './core/metadata';

// Mutual TLS at the edge.
export { MtlsIngress } from './mtls/mtls-ingress';
export type {
  MtlsIngressProps,
  MtlsIngressHost,
  MtlsIngressPath,
  MtlsIngressBackend,
  ServerTls,
  ClientAuthOptions,
} from './mtls/mtls-ingress';
export type { IClientCa, ClientIdentity } from './mtls/client-ca';
export { ManagedClientCa } from './mtls/managed-client-ca';
export type { ManagedClientCaProps, ClientCertificateOptions } from './mtls/managed-client-ca';
export { ProvidedClientCa } from './mtls/provided-client-ca';
export type { ProvidedClientCaProps } from './mtls/provided-client-ca';
export type { CaCertificateInfo } from './mtls/pem';
export type { CrlInfo } from './mtls/crl';
export { AcmeClusterIssuer, LETS_ENCRYPT_SERVERS } from './mtls/acme-cluster-issuer';
export type { AcmeClusterIssuerProps, AcmeEnvironment } from './mtls/acme-cluster-issuer';
export { TrustBundle } from './mtls/trust-bundle';
export type { TrustBundleProps, TrustBundleSource, TrustBundleTarget } from './mtls/trust-bundle';

// Applications behind the edge.
export {
  EchoApp,
  ECHO_IMAGE,
  ECHO_CONTAINER_PORT,
  ECHO_SERVICE_PORT,
  INGRESS_NGINX_CONTROLLER_POD_LABELS,
} from './apps/echo-app';
export type { EchoAppProps, EchoAppResources, IngressControllerSelector } from './apps/echo-app';

// WAF policy (ModSecurity + OWASP CRS v4), independent of the controller that loads it.
export { WafPolicy } from './waf/policy';
export type { WafPolicyProps, WafPolicyOptions, WafEngineMode, AllocatedRule } from './waf/policy';
export type { DenySourceIpsRule } from './waf/deny-source-ips';
export type { DenyRequestHeaderRule, HeaderValueMatch } from './waf/deny-request-header';
export type { AllowPathsRule } from './waf/allow-paths';
export type { RuleExclusion } from './waf/exclusion';
export type { RegexLimits, RegexMatchLimitAction } from './waf/regex-limits';
export { CUSTOM_RULE_ID_RANGE, WAF_RULE_ID_RANGE, CRS_RULE_ID_RANGE } from './waf/rule-ids';
export { CRS_VERSION } from './waf/crs';

// The edge controller: ingress-nginx v1.15.1 with the WAF policy in its ConfigMap.
export { ModSecurityController } from './controller/controller';
export type { ModSecurityControllerProps } from './controller/controller';
export type { ControllerServiceOptions } from './controller/services';
export type { MetricsScraper } from './controller/availability';
export { INGRESS_NGINX_VERSION, INGRESS_NGINX_IMAGE } from './controller/upstream';
export { DEFAULT_PROXY_SET_HEADERS } from './controller/config-maps';
export { DEFAULT_CONTROLLER_RESOURCES } from './controller/deployment';
export { CONTROLLER_MEMORY_SIZING, controllerMemoryMiB, controllerResourcesFor } from './controller/sizing';

// Writing dist/: layered charts and the atomic synth.
export { LayerChart, DeliveryChart, LAYERS, DELIVERY_FOLDERS } from './synth/layers';
export type {
  LayerChartProps,
  DeliveryChartProps,
  LayerId,
  Layer,
  DeliveryFolderId,
  DeliveryFolder,
} from './synth/layers';
export { synthesize, formatSummary } from './synth/pipeline';
export type { SynthTargets, Cdk8sTarget, CdktfTarget, SynthSummary, DistSummary, CdktfSummary } from './synth/pipeline';
export { renderObjects, renderTree, SYNC_WAVE_ANNOTATION } from './synth/render';
export type { RenderedObject, RenderedTree, KubeManifest } from './synth/render';

// The reference deployment: one typed configuration for the cdk8s app (and the CDKTF app, see `./azure`).
export { REFERENCE_DEPLOYMENT } from './reference/config';
export type {
  EdgeDeploymentConfig,
  ControllerSection,
  WafSection,
  AppSection,
  AppHost,
  AppHostBackend,
  DataPlane,
  ClientCertificateHeadersSection,
  TlsSection,
  MtlsSection,
  MonitoringSection,
  GitOpsSection,
  AzureSection,
} from './reference/config';
export { buildEdgeApp, buildMultiEdgeApp } from './reference/cdk8s-app';

// The edge as data, independent of the data plane: what every renderer reads (hosts declared once).
export type {
  EdgeIntent,
  EdgeHostIntent,
  EdgeBackendIntent,
  ServerTlsIntent,
  ClientAuthIntent,
  ClientCertificateHeadersIntent,
} from './intent/edge-intent';
export { edgeIntentOf } from './reference/intent';

// The same intent on Envoy Gateway v1.9 + Coraza (the rendering in examples/envoy-gateway/dist, docs/envoy-gateway.md).
export { EnvoyGatewayDataPlane, EnvoyGatewayRoutes } from './envoy-gateway/edge';
export type { EnvoyGatewayDataPlaneProps, EnvoyGatewayRoutesProps, CorazaFilterRenderer } from './envoy-gateway/edge';
export type { CorazaModuleSource } from './envoy-gateway/coraza-module';
export { EdgeGateway, EdgeGatewayClass } from './envoy-gateway/gateway';
export { EdgeEnvoyProxy } from './envoy-gateway/envoy-proxy';
export { EdgeClientTrafficPolicy } from './envoy-gateway/client-traffic-policy';
export { EdgeHostRoutes } from './envoy-gateway/http-routes';
export { EdgeSecurityPolicy } from './envoy-gateway/security-policy';
export { CorazaExtensionPolicy } from './envoy-gateway/waf-extension-policy';
export { CORAZA_MODULE_NAME } from './envoy-gateway/names';
export type { NamespacedObjectRef, HeaderValue, DeniedSource } from './envoy-gateway/names';
export type { EdgeGatewayProps, EdgeGatewayClassProps } from './envoy-gateway/gateway';
export type { EdgeEnvoyProxyProps } from './envoy-gateway/envoy-proxy';
export type { EdgeClientTrafficPolicyProps } from './envoy-gateway/client-traffic-policy';
export type { EdgeHostRoutesProps } from './envoy-gateway/http-routes';
export type { HeaderModifier } from './envoy-gateway/mtls';
export type { EdgeSecurityPolicyProps } from './envoy-gateway/security-policy';
export type { CorazaExtensionPolicyProps } from './envoy-gateway/waf-extension-policy';
export { buildEnvoyGatewayApp, REFERENCE_ENVOY_GATEWAY_DEPLOYMENT } from './reference/envoy-gateway/app';
export { REFERENCE_ENVOY_GATEWAY, ENVOY_GATEWAY_DIST_PATH } from './reference/envoy-gateway/config';
export type { EnvoyGatewaySection, EnvoyGatewayDeploymentConfig } from './reference/envoy-gateway/config';
export { corazaFilterConfig, renderCorazaDirectives } from './waf/coraza';
export type { CorazaFilterConfig, CorazaFilterMode, CorazaDirectivesOptions } from './waf/coraza';

// Observability and GitOps delivery, as namespaces (they hold generic names such as `eq` and `quote`).
export * as monitoring from './monitoring';
export * as gitops from './gitops';
