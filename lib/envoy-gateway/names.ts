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
export function envoyProxyPodLabels(gateway: { readonly name: string; readonly namespace: string }): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'envoy',
    'app.kubernetes.io/component': 'proxy',
    'app.kubernetes.io/managed-by': 'envoy-gateway',
    'gateway.envoyproxy.io/owning-gateway-name': gateway.name,
    'gateway.envoyproxy.io/owning-gateway-namespace': gateway.namespace,
  };
}
