import type { EdgeHostIntent } from '../intent/edge-intent';

/**
 * Object and listener names of the Envoy Gateway rendering, declared once (construct ids and these names are part
 * of the contract: policies and cert-manager find objects by them).
 */
export const HTTP_LISTENER = 'http';

/** The HTTPS listener of one host (its own certificate; Envoy selects it by SNI). */
export function httpsListenerName(host: EdgeHostIntent): string {
  return `https-${host.name}`;
}

/** Secret cert-manager writes the host's server certificate to (in the Gateway namespace). */
export function serverCertificateSecretName(host: EdgeHostIntent): string {
  return `${host.name}-tls`;
}

/** HTTPRoute that sends the host's HTTPS requests to its backend. */
export function backendRouteName(host: EdgeHostIntent): string {
  return host.name;
}

/** HTTPRoute on the plain-HTTP listener that redirects the host to HTTPS. */
export function redirectRouteName(host: EdgeHostIntent): string {
  return `${host.name}-https-redirect`;
}

/** Name under which the Coraza composer module is registered in `EnvoyProxy.spec.dynamicModules`. */
export const CORAZA_MODULE_NAME = 'coraza-composer';

/**
 * Labels of the Envoy pods Envoy Gateway runs for a Gateway (internal/infrastructure/kubernetes/proxy/resource.go
 * `EnvoyAppLabel`, lines 47-53, plus the owning-Gateway labels of internal/gatewayapi/translator.go lines 37-42).
 */
export function envoyProxyPodLabels(gateway: {
  readonly name: string;
  readonly namespace: string;
}): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'envoy',
    'app.kubernetes.io/component': 'proxy',
    'app.kubernetes.io/managed-by': 'envoy-gateway',
    'gateway.envoyproxy.io/owning-gateway-name': gateway.name,
    'gateway.envoyproxy.io/owning-gateway-namespace': gateway.namespace,
  };
}

/** A namespaced Kubernetes object, by name (a Gateway, an EnvoyProxy). */
export interface NamespacedObjectRef {
  /** Object name. */
  readonly name: string;
  /** Object namespace. */
  readonly namespace: string;
}

/** A header the edge sets, replacing any copy the client sent. */
export interface HeaderValue {
  /** Header name. */
  readonly name: string;
  /** Header value (Envoy command operators such as `%DOWNSTREAM_PEER_FINGERPRINT_1%` are expanded by Envoy). */
  readonly value: string;
}

/** A source range to refuse, with the config field it came from (for error messages). */
export interface DeniedSource {
  /** Field path of the range in the WAF policy, e.g. `waf.denySourceIps[0].sources[0]`. */
  readonly field: string;
  /** IPv4/IPv6 address or CIDR range. */
  readonly source: string;
}
