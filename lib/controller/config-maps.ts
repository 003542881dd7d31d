import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeConfigMap } from '../core/kube';
import {
  ALLOW_SNIPPET_ANNOTATIONS,
  ENABLE_MODSECURITY,
  ENABLE_OWASP_MODSECURITY_CRS,
  MODSECURITY_SNIPPET,
  PROXY_SET_HEADERS,
  PROXY_SET_HEADER_ENTRY,
} from '../ingress-nginx/configmap-keys';
import { SettingDeclaration } from '../ingress-nginx/declaration';
import { MODSECURITY_BASE_CONFIG } from '../waf/crs';
import { controllerLabels } from './labels';
import { NAMES } from './upstream';
import { WafPolicyFile } from './waf-policy';

/**
 * Headers the controller adds to every proxied request by default. `ssl-client-fingerprint` carries nginx's
 * `$ssl_client_fingerprint`: the SHA-1 of the client certificate (hex, no colons). A backend that wants SHA-256
 * computes it from the PEM certificate passed in `ssl-client-cert` (`auth-tls-pass-certificate-to-upstream`).
 */
export const DEFAULT_PROXY_SET_HEADERS: Readonly<Record<string, string>> = {
  'ssl-client-fingerprint': '$ssl_client_fingerprint',
};

/** Props of {@link ControllerConfigMaps}. */
export interface ControllerConfigMapsProps {
  /** Namespace of the controller. */
  readonly namespace: string;
  /** The rendered WAF policy file, included from `modsecurity-snippet`; ModSecurity is off when undefined. */
  readonly wafPolicy?: WafPolicyFile;
  /** Headers for every upstream (`proxy-set-headers`). */
  readonly proxySetHeaders: Readonly<Record<string, string>>;
  /**
   * Namespace of the `proxy-set-headers` ConfigMap. The controller looks it up in its ConfigMap informer
   * (`n.store.GetConfigMap`, internal/ingress/controller/nginx.go:558 and store.go:1140 at controller-v1.15.1), which
   * sees only the watched namespace when the controller is scoped: there the ConfigMap must live in that namespace.
   * @default the controller namespace
   */
  readonly headersNamespace?: string;
}

/**
 * The controller ConfigMap `ingress-nginx-controller` and the `proxy-set-headers` ConfigMap it references.
 * ModSecurity is on globally with a small, constant snippet that includes the image's base configuration and the
 * policy file (which loads CRS once); `enable-owasp-modsecurity-crs` stays false so nothing loads it a second time;
 * snippet annotations stay off and the risk level stays at its default.
 */
export class ControllerConfigMaps extends Construct {
  /** The data of the controller ConfigMap, as rendered. */
  public readonly data: Readonly<Record<string, string>>;
  /** The controller ConfigMap `ingress-nginx-controller`. */
  public readonly controller: ApiObject;

  constructor(scope: Construct, id: string, props: ControllerConfigMapsProps) {
    super(scope, id);
    const labels = controllerLabels();
    const headers: Record<string, string> = {};
    Object.entries(props.proxySetHeaders).forEach(([name, value]) => {
      headers[name] = PROXY_SET_HEADER_ENTRY.render(`proxySetHeaders.${name}`, { name, value });
    });
    const headersNamespace = props.headersNamespace ?? props.namespace;
    new KubeConfigMap(this, 'proxy-headers', {
      metadata: { name: NAMES.proxyHeadersConfigMap, namespace: headersNamespace, labels },
      data: headers,
    });

    const data: Record<string, string> = {};
    const set = <T>(declaration: SettingDeclaration<T>, value: T): void => {
      data[declaration.name] = declaration.render(`config["${declaration.name}"]`, value);
    };
    set(ALLOW_SNIPPET_ANNOTATIONS, false);
    set(PROXY_SET_HEADERS, { namespace: headersNamespace, name: NAMES.proxyHeadersConfigMap });
    set(ENABLE_MODSECURITY, props.wafPolicy !== undefined);
    set(ENABLE_OWASP_MODSECURITY_CRS, false);
    if (props.wafPolicy) set(MODSECURITY_SNIPPET, props.wafPolicy.snippet(MODSECURITY_BASE_CONFIG));
    this.data = data;
    this.controller = new KubeConfigMap(this, 'controller', {
      metadata: { name: NAMES.configMap, namespace: props.namespace, labels },
      data,
    });
  }
}
