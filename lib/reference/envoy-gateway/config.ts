import type { CorazaModuleSource } from '../../envoy-gateway/coraza-module';
import { CORAZA_COMPOSER } from '../../envoy-gateway/versions';
import type { EdgeDeploymentConfig } from '../config';

/** The Envoy Gateway data plane of a deployment (used when the edge is rendered for Envoy Gateway). */
export interface EnvoyGatewaySection {
  /**
   * Namespace of the Gateway, its EnvoyProxy and ClientTrafficPolicy, where the client CA is published. In the app
   * namespace (the default) the listeners admit routes from that namespace only (`allowedRoutes.namespaces.from:
   * Same`); in another namespace (emitted) they select the app namespace by name.
   * @default app.namespace
   */
  readonly namespace?: string;
  /** Name of the GatewayClass (cluster-scoped: unique per edge in a cluster). */
  readonly gatewayClassName: string;
  /**
   * Namespace Envoy Gateway runs in; the Envoy proxy pods run there too (the echo app's NetworkPolicy admits them).
   * @default 'envoy-gateway-system'
   */
  readonly controllerNamespace?: string;
  /**
   * Where Envoy loads Built On Envoy's composer module (the Coraza WAF filter) from. Pin the image by digest: see
   * docs/envoy-gateway.md, "Pinning the Coraza module".
   */
  readonly corazaModule: CorazaModuleSource;
  /**
   * Name of the Azure public IP of the Envoy LoadBalancer Service. Set a second IP here to run Envoy Gateway next
   * to ingress-nginx during a migration (both Services then have their own static address).
   * @default azure.ingressPublicIpName (the same IP as ingress-nginx: never both at once)
   */
  readonly publicIpName?: string;
  /**
   * Envoy replicas.
   * @default 2
   */
  readonly replicas?: number;
}

/** A deployment config with its Envoy Gateway section. */
export type EnvoyGatewayDeploymentConfig = EdgeDeploymentConfig & {
  /** The Envoy Gateway data plane. */
  readonly envoyGateway: EnvoyGatewaySection;
};

/**
 * The Envoy Gateway section of the reference deployment. The composer image is referenced by its release tag: its
 * digest could not be read from this repository's build machines (no access to ghcr.io), so none is invented here;
 * replace the tag with `@sha256:<digest>` after reading it (docs/envoy-gateway.md).
 */
export const REFERENCE_ENVOY_GATEWAY: EnvoyGatewaySection = {
  gatewayClassName: 'hospital-edge',
  corazaModule: { image: { reference: `${CORAZA_COMPOSER.image}:${CORAZA_COMPOSER.version}` } },
  publicIpName: 'pip-hospital-edge-envoy',
};

/** Path of the Envoy Gateway rendering in the repository (what its Argo CD / Flux delivery reads). */
export const ENVOY_GATEWAY_DIST_PATH = 'examples/envoy-gateway/dist';
