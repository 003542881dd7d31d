/**
 * Everything this renderer takes from upstream, pinned in one place. Sources (read, not copied):
 * - Envoy Gateway v1.9.0 (github.com/envoyproxy/gateway@v1.9.0): api/v1alpha1 types, the CRDs in
 *   ../shared/crds/envoy-gateway-v1.9.0/, the default Envoy image `docker.io/envoyproxy/envoy:distroless-v1.39.0`
 *   (api/v1alpha1/shared_types.go line 29) and the GatewayClass controller name
 *   (api/v1alpha1/envoygateway_types.go line 19, `GatewayControllerName`).
 * - Gateway API v1.6.1 (the standard-channel CRDs bundled with Envoy Gateway v1.9.0).
 * - Built On Envoy composer v0.11.0 (github.com/tetratelabs/built-on-envoy, tag extensions/composer/v0.11.0,
 *   commit 3a89eed0): extensions/composer/manifest.yaml (version 0.11.0, minEnvoyVersion 1.38.0),
 *   extensions/composer/go.mod (coraza/v3 v3.7.0, coraza-coreruleset/v4 v4.25.0), extensions/composer/Dockerfile
 *   (`FROM scratch`, the library at `/libcomposer.so`), extensions/composer/Makefile (image
 *   `ghcr.io/tetratelabs/built-on-envoy/composer:<version>`), extensions/composer/waf/waf.go line 689
 *   (`ExtensionName = "coraza-waf"`, the filter name the composer registers the WAF under).
 */
export const ENVOY_GATEWAY_VERSION = 'v1.9.0';
/** Gateway API release whose CRDs Envoy Gateway v1.9.0 ships. */
export const GATEWAY_API_VERSION = 'v1.6.1';
/** API group/version of Gateway API objects (GatewayClass, Gateway, HTTPRoute). */
export const GATEWAY_API_GROUP_VERSION = 'gateway.networking.k8s.io/v1';
/** API group of Gateway API objects (used in parentRefs / targetRefs). */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** API group/version of Envoy Gateway's own objects (EnvoyProxy and the policies). */
export const ENVOY_GATEWAY_GROUP_VERSION = 'gateway.envoyproxy.io/v1alpha1';
/** API group of Envoy Gateway's own objects. */
export const ENVOY_GATEWAY_GROUP = 'gateway.envoyproxy.io';
/** `spec.controllerName` of a GatewayClass served by Envoy Gateway. */
export const ENVOY_GATEWAY_CONTROLLER_NAME = 'gateway.envoyproxy.io/gatewayclass-controller';
/** Envoy version Envoy Gateway v1.9.0 runs by default. */
export const ENVOY_DEFAULT_IMAGE = 'docker.io/envoyproxy/envoy:distroless-v1.39.0';

/**
 * The Coraza WAF integration: Built On Envoy's composer dynamic module and its `coraza-waf` filter. The Coraza and
 * CRS versions it embeds are declared once, in lib/waf/coraza.ts (`CORAZA_VERSION`, `CORAZA_CRS_VERSION`).
 */
export const CORAZA_COMPOSER = {
  /** OCI repository of the composer image (a `FROM scratch` image holding only the library and manifests). */
  image: 'ghcr.io/tetratelabs/built-on-envoy/composer',
  /** Released composer version (tag `extensions/composer/v0.11.0`, 2026-08-19). */
  version: '0.11.0',
  /** File name of the shared library inside the image (at its root). */
  library: 'libcomposer.so',
  /** Filter name that selects the WAF inside the composer (`filterName` of EnvoyExtensionPolicy.dynamicModule). */
  filterName: 'coraza-waf',
  /** Oldest Envoy the composer supports (manifest `minEnvoyVersion`). */
  minEnvoyVersion: '1.38.0',
} as const;
